import Numerics

// The forward pass of `LSTMCore.run`, step by step.
extension LSTMCore {
    /// What the output step leaves for the backward pass (pointers into the scratch buffers).
    struct OutputPass {
        /// The positions that have a target, in order.
        let active: [Int]
        /// u = fuse(h, e) (Ud × K), z (D × K), and the logits (V × K) — after the loss with a
        /// gradient, ∂loss/∂logits.
        let u: UnsafeMutablePointer<T>, z: UnsafeMutablePointer<T>, logits: UnsafeMutablePointer<T>
        let lossSum: Double
        let logProbs: [Double]
    }

    /// The micro-batch's sentence embeddings as T (M × C), and the columns fusion uses: projected
    /// to H when needed (e′ = P·e + b_P), else the same. Both nil without fusion.
    func sentenceEmbeddings(_ mb: MicroBatch) -> (table: UnsafeMutablePointer<T>?, fused: UnsafeMutablePointer<T>?) {
        let C = mb.tableColumns, M = config.fusionWidth, H = config.hiddenSize, P = params.p
        let fusion = config.fusion
        var tableP: UnsafeMutablePointer<T>? = nil
        var fusedP: UnsafeMutablePointer<T>? = nil
        if fusion.usesEmbeddings {
            let tp = table.get(M * C)
            for i in 0..<(M * C) { tp[i] = T(mb.fusionTable[i]) }
            tableP = tp
            if let proj = layout.projection {
                let fp = fused.get(H * C)
                Kernels.broadcastColumns(rows: H, cols: C, P + proj.b.offset, into: fp)
                RawBLAS.gemm(.none, .none, m: H, n: C, k: M, P + proj.w.offset, lda: H, tp, ldb: M, beta: 1, fp, ldc: H)
                fusedP = fp
            } else {
                fusedP = tp
            }
        }
        return (tableP, fusedP)
    }

    /// Token embeddings x⁰ (E × N), with inverted dropout when `dropout` > 0.
    func tokenEmbeddings(_ mb: MicroBatch, dropout: Double, rng: inout SeededGenerator) -> UnsafeMutablePointer<T> {
        let E = config.embeddingSize, N = mb.positionCount, P = params.p
        let xp = x0.get(E * N)
        for n in 0..<N { (xp + n * E).update(from: P + layout.embedding.offset + Int(mb.inputs[n]) * E, count: E) }
        if dropout > 0 { Kernels.dropout(xp, mask: x0Mask.get(E * N), count: E * N, rate: dropout, rng: &rng) }
        return xp
    }

    /// The LSTM layers over all time steps: each layer's output (after dropout) and, when asked,
    /// the recurrent state after the last step. `inputTable` (inference) replaces the first
    /// layer's input projection by a copy of each token's column.
    func lstmForward(_ mb: MicroBatch, input xp: UnsafeMutablePointer<T>, fused fusedP: UnsafeMutablePointer<T>?,
                     state: RecurrentState<T>?, inputTable: UnsafePointer<T>?, training: Bool, dropout: Double,
                     rng: inout SeededGenerator, wantFinalState: Bool) -> (outputs: [UnsafeMutablePointer<T>], finalState: RecurrentState<T>?) {
        let S = mb.steps, B = mb.rows, N = mb.positionCount
        let rowsAt = mb.rowsPerStep, offsets = mb.stepOffsets      // rows and first position of each step
        let E = config.embeddingSize, H = config.hiddenSize, L = config.layers
        let fusion = config.fusion
        let P = params.p
        let drop = dropout > 0
        var finalState: RecurrentState<T>? = wantFinalState ? RecurrentState(h: [], c: []) : nil
        var input: UnsafeMutablePointer<T> = xp
        var inputWidth = E
        var outputs: [UnsafeMutablePointer<T>] = []
        for l in 0..<L {
            let w = layout.lstm[l]
            let G = gates[l].get(4 * H * N), Cc = cells[l].get(H * N), TC = tanhCells[l].get(H * N), Hh = hidden[l].get(H * N)
            let hi = h0[l].get(H * B, zeroed: true), ci = c0[l].get(H * B, zeroed: true)
            if let s = state {
                for i in 0..<(H * B) { hi[i] = s.h[l][i]; ci[i] = s.c[l][i] }
            } else if fusion.isEarly, let fp = fusedP {
                for r in 0..<B {
                    let col = fp + Int(mb.initialColumns[r]) * H
                    if fusion != .earlyC0 { (hi + r * H).update(from: col, count: H) }
                    if fusion != .earlyH0 { (ci + r * H).update(from: col, count: H) }
                }
            }
            // All input projections at once: G = W_x · X (4H × N) — or, for the first layer at
            // inference, the precomputed column of each token.
            if l == 0, let table = inputTable, !training, !drop {
                for n in 0..<N { (G + n * 4 * H).update(from: table + Int(mb.inputs[n]) * 4 * H, count: 4 * H) }
            } else {
                product(usesPackedWeights ? packedWx[l] : nil, m: 4 * H, n: N, k: inputWidth, P + w.wx.offset, lda: 4 * H,
                        input, ldx: inputWidth, accumulate: false, into: G, ldc: 4 * H)
            }
            let packed = usesPackedWeights ? packedWh[l] : nil
            for t in 0..<S {
                // Rows 0 ..< Bt are active at step t (all B unless the batch is ragged), and the
                // first Bt columns of step t − 1 are the same rows.
                let Bt = rowsAt[t], o = offsets[t], half = Bt / 2
                let hPrev = t == 0 ? hi : Hh + offsets[t - 1] * H
                let cPrev = t == 0 ? ci : Cc + offsets[t - 1] * H
                let g = G + o * 4 * H
                if let packed {
                    // g += W_h·h_{t−1}, panels split over two threads; then the cell, columns split.
                    packed.multiply(n: Bt, float(hPrev), ldb: H, accumulate: true, into: float(g), ldc: 4 * H, worker: stepWorker)
                    func cell(_ r0: Int, _ r1: Int) {
                        T.lstmCellForward(hidden: H, batch: r1 - r0, gates: g + r0 * 4 * H, bias: P + w.b.offset, cPrev: cPrev + r0 * H,
                                          c: Cc + (o + r0) * H, tanhC: TC + (o + r0) * H, h: Hh + (o + r0) * H)
                    }
                    split({ cell(0, half) }, { cell(half, Bt) })
                } else {
                    RawBLAS.gemm(.none, .none, m: 4 * H, n: Bt, k: H, P + w.wh.offset, lda: 4 * H, hPrev, ldb: H, beta: 1, g, ldc: 4 * H)
                    T.lstmCellForward(hidden: H, batch: Bt, gates: g, bias: P + w.b.offset, cPrev: cPrev,
                                      c: Cc + o * H, tanhC: TC + o * H, h: Hh + o * H)
                }
            }
            if wantFinalState {
                finalState!.h.append(Array(UnsafeBufferPointer(start: Hh + offsets[S - 1] * H, count: H * rowsAt[S - 1])))
                finalState!.c.append(Array(UnsafeBufferPointer(start: Cc + offsets[S - 1] * H, count: H * rowsAt[S - 1])))
            }
            var out = Hh
            if drop {
                out = dropped[l].get(H * N)
                out.update(from: Hh, count: H * N)
                Kernels.dropout(out, mask: outMask[l].get(H * N), count: H * N, rate: dropout, rng: &rng)
            }
            outputs.append(out)
            input = out
            inputWidth = H
        }
        return (outputs, finalState)
    }

    /// Fusion, the dense and output layers and the loss on the positions that have a target;
    /// nil when none has. With `gradientScale`, the logits are replaced by ∂loss/∂logits.
    func outputForward(_ mb: MicroBatch, outputs: [UnsafeMutablePointer<T>], table tableP: UnsafeMutablePointer<T>?,
                       fused fusedP: UnsafeMutablePointer<T>?, gradientScale: T?, wantLogProbs: Bool) -> OutputPass? {
        let N = mb.positionCount, H = config.hiddenSize, V = config.vocabularySize
        let D = config.denseSize, M = config.fusionWidth, Ud = config.denseInputSize
        let fusion = config.fusion
        let P = params.p
        let top = outputs[config.layers - 1]
        var active: [Int] = []
        active.reserveCapacity(N)
        for n in 0..<N where mb.targets[n] >= 0 { active.append(n) }
        let K = active.count
        guard K > 0 else { return nil }
        let activeTargets = active.map { mb.targets[$0] }

        // u = fuse(h, e)  (Ud × K)
        let U = u.get(Ud * K)
        for (k, n) in active.enumerated() {
            let uk = U + k * Ud, hn = top + n * H
            switch fusion {
            case .none, .earlyH0, .earlyC0, .earlyBoth:
                uk.update(from: hn, count: H)
            case .lateConcat:
                uk.update(from: hn, count: H)
                (uk + H).update(from: tableP! + Int(mb.fusionColumns[n]) * M, count: M)
            case .lateAdd:
                let e = fusedP! + Int(mb.fusionColumns[n]) * H
                for j in 0..<H { uk[j] = hn[j] + e[j] }
            case .lateMultiply:
                let e = fusedP! + Int(mb.fusionColumns[n]) * H
                for j in 0..<H { uk[j] = hn[j] * e[j] }
            }
        }
        // z = W_d·u + b_d  (D × K);  logits = W_o·z + b_o  (V × K)
        let Zp = z.get(D * K)
        Kernels.broadcastColumns(rows: D, cols: K, P + layout.dense.b.offset, into: Zp)
        product(packedDense, m: D, n: K, k: Ud, P + layout.dense.w.offset, lda: D, U, ldx: Ud, accumulate: true, into: Zp, ldc: D)
        let Lg = logits.get(V * K)
        Kernels.broadcastColumns(rows: V, cols: K, P + layout.output.b.offset, into: Lg)
        product(packedOutput, m: V, n: K, k: D, P + layout.output.w.offset, lda: V, Zp, ldx: D, accumulate: true, into: Lg, ldc: V)
        let lp: UnsafeMutablePointer<Double>? = wantLogProbs ? logProbScratch.get(K) : nil
        let lossSum = Kernels.softmaxCrossEntropy(rows: V, count: K, logits: Lg, targets: activeTargets,
                                                  gradientScale: gradientScale, logProbs: lp)
        let logProbs = lp.map { Array(UnsafeBufferPointer(start: $0, count: K)) } ?? []
        return OutputPass(active: active, u: U, z: Zp, logits: Lg, lossSum: lossSum, logProbs: logProbs)
    }
}
