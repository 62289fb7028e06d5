import Numerics

// The backward pass of `LSTMCore.run`, step by step, in reverse order of the forward pass; each
// step *adds* its gradients to `grads`.
extension LSTMCore {
    /// Output layer: dW_o += dlogits·zᵀ, db_o += Σ dlogits, dz = W_oᵀ·dlogits; dense layer:
    /// dW_d += dz·uᵀ, db_d += Σ dz. Returns du = W_dᵀ·dz (Ud × K).
    func outputBackward(_ output: OutputPass) -> UnsafeMutablePointer<T> {
        let V = config.vocabularySize, D = config.denseSize, Ud = config.denseInputSize
        let P = params.p, Gd = grads.p
        let K = output.active.count, Lg = output.logits, Zp = output.z, U = output.u
        // Output layer: dW_o += dlogits·zᵀ, db_o += Σ dlogits, dz = W_oᵀ·dlogits.
        RawBLAS.gemm(.none, .transpose, m: V, n: D, k: K, Lg, lda: V, Zp, ldb: D, beta: 1, Gd + layout.output.w.offset, ldc: V)
        Kernels.addRowSums(rows: V, cols: K, Lg, into: Gd + layout.output.b.offset)
        let dZ = dz.get(D * K)
        RawBLAS.gemm(.transpose, .none, m: D, n: K, k: V, P + layout.output.w.offset, lda: V, Lg, ldb: V, dZ, ldc: D)
        // Dense layer: dW_d += dz·uᵀ, db_d += Σ dz, du = W_dᵀ·dz.
        RawBLAS.gemm(.none, .transpose, m: D, n: Ud, k: K, dZ, lda: D, U, ldb: Ud, beta: 1, Gd + layout.dense.w.offset, ldc: D)
        Kernels.addRowSums(rows: D, cols: K, dZ, into: Gd + layout.dense.b.offset)
        let dU = du.get(Ud * K)
        RawBLAS.gemm(.transpose, .none, m: Ud, n: K, k: D, P + layout.dense.w.offset, lda: D, dZ, ldb: D, dU, ldc: Ud)
        return dU
    }

    /// Fusion backward: dh_top (H × N, zero where no target) and de′ (H × C; nil when fusion has
    /// no gradient to the embeddings).
    func fusionBackward(_ mb: MicroBatch, _ output: OutputPass, du dU: UnsafeMutablePointer<T>,
                        outputs: [UnsafeMutablePointer<T>], fused fusedP: UnsafeMutablePointer<T>?)
        -> (dTop: UnsafeMutablePointer<T>, dFused: UnsafeMutablePointer<T>?) {
        let H = config.hiddenSize, N = mb.positionCount, C = mb.tableColumns, Ud = config.denseInputSize
        let fusion = config.fusion
        let top = outputs[config.layers - 1]
        let dT = dTop.get(H * N, zeroed: true)
        let dF: UnsafeMutablePointer<T>? = fusion.usesEmbeddings && fusion != .lateConcat ? dFused.get(H * C, zeroed: true) : nil
        for (k, n) in output.active.enumerated() {
            let duk = dU + k * Ud, dhn = dT + n * H
            switch fusion {
            case .none, .earlyH0, .earlyC0, .earlyBoth, .lateConcat:
                dhn.update(from: duk, count: H)          // ∂u/∂h = I (the e rows of concat need no gradient)
            case .lateAdd:                               // u = h + e′
                let de = dF! + Int(mb.fusionColumns[n]) * H
                for j in 0..<H { dhn[j] = duk[j]; de[j] += duk[j] }
            case .lateMultiply:                          // u = h ⊙ e′
                let col = Int(mb.fusionColumns[n]) * H
                let e = fusedP! + col, de = dF! + col, hn = top + n * H
                for j in 0..<H { dhn[j] = duk[j] * e[j]; de[j] += duk[j] * hn[j] }
            }
        }
        return (dT, dF)
    }

    /// The LSTM layers, top to bottom (backpropagation through time), down to the embeddings;
    /// with early fusion and no carried state, the initial state's gradient goes to de′.
    func lstmBackward(_ mb: MicroBatch, dTop dT: UnsafeMutablePointer<T>, dFused dF: UnsafeMutablePointer<T>?,
                      tokens xp: UnsafeMutablePointer<T>, outputs: [UnsafeMutablePointer<T>], dropout drop: Bool,
                      startedFromState: Bool) {
        let S = mb.steps, B = mb.rows, N = mb.positionCount
        let rowsAt = mb.rowsPerStep, offsets = mb.stepOffsets
        let E = config.embeddingSize, H = config.hiddenSize, L = config.layers
        let fusion = config.fusion
        let P = params.p, Gd = grads.p
        var dAbove = dT                                   // ∂loss/∂(layer output after dropout)
        for l in stride(from: L - 1, through: 0, by: -1) {
            let w = layout.lstm[l]
            let G = gates[l].get(4 * H * N), Cc = cells[l].get(H * N), TC = tanhCells[l].get(H * N), Hh = hidden[l].get(H * N)
            let hi = h0[l].get(H * B), ci = c0[l].get(H * B)
            if drop { let m = outMask[l].get(H * N); for i in 0..<(H * N) { dAbove[i] *= m[i] } }
            let dG = dGates.get(4 * H * N)
            let dhN = dhNext.get(H * B, zeroed: true), dcN = dcNext.get(H * B, zeroed: true)
            // W_hᵀ stored explicitly (packed, or plain: BLAS multiplies a small batch faster by a
            // plain matrix than by a transposed one).
            let packedT = usesPackedWeights ? packedWhT[l] : nil
            var WhT: UnsafeMutablePointer<T>? = nil
            if let packedT {
                packedT.packTransposed(of: float(P + w.wh.offset), aRows: 4 * H, aCols: H, lda: 4 * H)
            } else {
                WhT = whT.get(4 * H * H)
                Kernels.transpose(rows: 4 * H, cols: H, P + w.wh.offset, into: WhT!)
            }
            for t in stride(from: S - 1, through: 0, by: -1) {
                // Rows past Bt ended before step t: their dh_next, dc_next stay 0 until they start.
                let Bt = rowsAt[t], o = offsets[t], half = Bt / 2
                let cPrev = t == 0 ? ci : Cc + offsets[t - 1] * H
                let dg = dG + o * 4 * H
                func cell(_ r0: Int, _ r1: Int) {
                    T.lstmCellBackward(hidden: H, batch: r1 - r0, gates: G + (o + r0) * 4 * H, tanhC: TC + (o + r0) * H,
                                       cPrev: cPrev + r0 * H, dh: dAbove + (o + r0) * H, dhNext: dhN + r0 * H,
                                       dcNext: dcN + r0 * H, dGates: dg + r0 * 4 * H)
                }
                // dh_{t−1} = W_hᵀ · dA_t
                if let packedT {
                    split({ cell(0, half) }, { cell(half, Bt) })
                    packedT.multiply(n: Bt, float(dg), ldb: 4 * H, accumulate: false, into: float(dhN), ldc: H, worker: stepWorker)
                } else {
                    cell(0, Bt)
                    RawBLAS.gemm(.none, .none, m: H, n: Bt, k: 4 * H, WhT!, lda: H, dg, ldb: 4 * H, dhN, ldc: H)
                }
            }
            // Early fusion: the initial state came from e′ (dhN, dcN now hold ∂loss/∂h₀, ∂loss/∂c₀).
            if fusion.isEarly, !startedFromState, let dF {
                for r in 0..<B {
                    let de = dF + Int(mb.initialColumns[r]) * H
                    if fusion != .earlyC0 { let d = dhN + r * H; for j in 0..<H { de[j] += d[j] } }
                    if fusion != .earlyH0 { let d = dcN + r * H; for j in 0..<H { de[j] += d[j] } }
                }
            }
            // dW_h += Σ_t dA_t · h_{t−1}ᵀ  (h_{−1} = h₀);  dW_x += dA · xᵀ;  db += Σ dA.
            if mb.stepRows != nil {
                // Ragged: h_{t−1} of every position, aligned with dA (one product over all positions).
                let prev = hPrevAligned.get(H * N)
                for t in 0..<S {
                    (prev + offsets[t] * H).update(from: t == 0 ? hi : Hh + offsets[t - 1] * H, count: H * rowsAt[t])
                }
                RawBLAS.gemm(.none, .transpose, m: 4 * H, n: H, k: N, dG, lda: 4 * H, prev, ldb: H, beta: 1, Gd + w.wh.offset, ldc: 4 * H)
            } else {
                if S > 1 {
                    RawBLAS.gemm(.none, .transpose, m: 4 * H, n: H, k: (S - 1) * B, dG + B * 4 * H, lda: 4 * H, Hh, ldb: H,
                                 beta: 1, Gd + w.wh.offset, ldc: 4 * H)
                }
                RawBLAS.gemm(.none, .transpose, m: 4 * H, n: H, k: B, dG, lda: 4 * H, hi, ldb: H, beta: 1, Gd + w.wh.offset, ldc: 4 * H)
            }
            let inputWidth = l == 0 ? E : H
            let layerInput = l == 0 ? xp : outputs[l - 1]
            RawBLAS.gemm(.none, .transpose, m: 4 * H, n: inputWidth, k: N, dG, lda: 4 * H, layerInput, ldb: inputWidth,
                         beta: 1, Gd + w.wx.offset, ldc: 4 * H)
            Kernels.addRowSums(rows: 4 * H, cols: N, dG, into: Gd + w.b.offset)
            // dx = W_xᵀ · dA  → the gradient reaching the layer below (or the embeddings).
            let dX = dx.get(inputWidth * N)
            RawBLAS.gemm(.transpose, .none, m: inputWidth, n: N, k: 4 * H, P + w.wx.offset, lda: 4 * H, dG, ldb: 4 * H, dX, ldc: inputWidth)
            if l > 0 {
                dAbove = dT
                dAbove.update(from: dX, count: H * N)
            } else {
                if drop { let m = x0Mask.get(E * N); for i in 0..<(E * N) { dX[i] *= m[i] } }
                let dEmb = Gd + layout.embedding.offset
                for n in 0..<N {
                    let dst = dEmb + Int(mb.inputs[n]) * E, src = dX + n * E
                    for j in 0..<E { dst[j] += src[j] }
                }
            }
        }
    }

    /// Projection: e′ = P·e + b_P  ⇒  dP += de′·eᵀ, db_P += Σ de′.
    func projectionBackward(_ mb: MicroBatch, dFused dF: UnsafeMutablePointer<T>?, table tableP: UnsafeMutablePointer<T>?) {
        let H = config.hiddenSize, M = config.fusionWidth, C = mb.tableColumns, Gd = grads.p
        if let proj = layout.projection, let dF, let tp = tableP {
            RawBLAS.gemm(.none, .transpose, m: H, n: M, k: C, dF, lda: H, tp, ldb: M, beta: 1, Gd + proj.w.offset, ldc: H)
            Kernels.addRowSums(rows: H, cols: C, dF, into: Gd + proj.b.offset)
        }
    }
}
