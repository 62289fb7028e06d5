import Numerics

/// The maths of the LSTM language model: forward pass, loss, and backward pass over a
/// `MicroBatch`, on one flat parameter buffer (`ParameterLayout`). Generic over the scalar so
/// the tests can check every gradient in `Double`; training and scoring use `Float`.
///
/// Forward (per position n; W·x are BLAS GEMMs over all positions or all rows of a time step):
///   x⁰_n = Emb[:, token_n] (dropout),   layer l: gates = W_x·x + W_h·h_{t−1} + b → LSTM cell,
///   h = top-layer output (dropout),     u = fuse(h, e) (`FusionMode`),
///   z = W_d·u + b_d,   logits = W_o·z + b_o,   loss = −log softmax(logits)[target].
/// Backward follows the same path in reverse (backpropagation through time over the micro-batch).
final class LSTMCore<T: LMScalar> {
    let config: LMConfig
    let layout: ParameterLayout
    let params: ScalarBuffer<T>
    let grads: ScalarBuffer<T>

    // Forward activations (kept for the backward pass).
    private let x0 = Scratch<T>(), x0Mask = Scratch<T>()
    private var gates: [Scratch<T>], cells: [Scratch<T>], tanhCells: [Scratch<T>], hidden: [Scratch<T>]
    private var outMask: [Scratch<T>], dropped: [Scratch<T>]
    private var h0: [Scratch<T>], c0: [Scratch<T>]
    private let table = Scratch<T>(), fused = Scratch<T>()
    private let u = Scratch<T>(), z = Scratch<T>(), logits = Scratch<T>()
    // Backward work buffers.
    private let dz = Scratch<T>(), du = Scratch<T>(), dTop = Scratch<T>(), dGates = Scratch<T>(), dx = Scratch<T>()
    private let dhNext = Scratch<T>(), dcNext = Scratch<T>(), dFused = Scratch<T>(), whT = Scratch<T>(), hPrevAligned = Scratch<T>()
    private let logProbScratch = Scratch<Double>()
    // The weights of the forward products in the packed-panel layout (Float on AVX-512 CPUs; see
    // `PackedWeights`), and the `weightsVersion` they were packed from.
    private var packedWx: [PackedWeights] = [], packedWh: [PackedWeights] = [], packedWhT: [PackedWeights] = []
    private var packedDense: PackedWeights?, packedOutput: PackedWeights?
    private var packedVersion: Int?
    private lazy var worker: PairedWorker? = PairedWorker(idleSpin: 0.002)

    init(config: LMConfig) {
        self.config = config
        layout = ParameterLayout(config)
        params = ScalarBuffer<T>(count: layout.count)
        grads = ScalarBuffer<T>(count: layout.count)
        let n = config.layers
        gates = (0..<n).map { _ in Scratch() }; cells = (0..<n).map { _ in Scratch() }
        tanhCells = (0..<n).map { _ in Scratch() }; hidden = (0..<n).map { _ in Scratch() }
        outMask = (0..<n).map { _ in Scratch() }; dropped = (0..<n).map { _ in Scratch() }
        h0 = (0..<n).map { _ in Scratch() }; c0 = (0..<n).map { _ in Scratch() }
        if T.self == Float.self && PackedWeights.isAvailable {
            packedWx = (0..<n).map { _ in PackedWeights() }; packedWh = (0..<n).map { _ in PackedWeights() }
            packedWhT = (0..<n).map { _ in PackedWeights() }
            packedDense = PackedWeights(); packedOutput = PackedWeights()
        }
    }

    /// Whether the forward products run on the packed-panel kernel (else on BLAS).
    var usesPackedWeights: Bool { !packedWh.isEmpty }

    /// Packs the forward weights unless they were packed from the same `version` (nil: always).
    private func packForwardWeights(version: Int?) {
        guard usesPackedWeights, version == nil || version != packedVersion else { return }
        let P = params.p, H = config.hiddenSize
        for (l, w) in layout.lstm.enumerated() {
            packedWx[l].pack(rows: 4 * H, depth: l == 0 ? config.embeddingSize : H, float(P + w.wx.offset), lda: 4 * H)
            packedWh[l].pack(rows: 4 * H, depth: H, float(P + w.wh.offset), lda: 4 * H)
        }
        packedDense!.pack(rows: config.denseSize, depth: config.denseInputSize, float(P + layout.dense.w.offset), lda: config.denseSize)
        packedOutput!.pack(rows: config.vocabularySize, depth: config.denseSize, float(P + layout.output.w.offset), lda: config.vocabularySize)
        packedVersion = version
    }

    /// C ← W·X (+ C when `accumulate`) for the `m × k` weights W (leading dimension `lda`) and the
    /// `k × n` X: on the packed kernel when `packed` is given (W's packed copy), else on BLAS.
    private func product(_ packed: PackedWeights?, m: Int, n: Int, k: Int, _ w: UnsafePointer<T>, lda: Int,
                         _ x: UnsafePointer<T>, ldx: Int, accumulate: Bool, into c: UnsafeMutablePointer<T>, ldc: Int) {
        if let packed {
            packed.multiply(n: n, float(UnsafeMutablePointer(mutating: x)), ldb: ldx, accumulate: accumulate, into: float(c), ldc: ldc,
                            worker: stepWorker)
        } else {
            RawBLAS.gemm(.none, .none, m: m, n: n, k: k, w, lda: lda, x, ldb: ldx, beta: accumulate ? 1 : 0, c, ldc: ldc)
        }
    }

    /// The second thread for the per-step work, when BLAS may use more than one.
    private var stepWorker: PairedWorker? { BLASRuntime.threads > 1 ? worker : nil }

    /// Runs `first` here and `second` on the step worker (or both here), e.g. the two halves of a time step's work.
    private func split(_ first: () -> Void, _ second: () -> Void) { PairedWorker.run(stepWorker, first, alongside: second) }

    /// Initial weights (seeded): embeddings U(−0.1, 0.1); LSTM weights U(±1/√H) as in PyTorch,
    /// biases 0 except the forget gate's, which starts at 1 (Jozefowicz et al. 2015); linear
    /// layers U(±1/√fan_in) with zero biases.
    func initialize(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        func uniform(_ s: TensorSlot, _ r: Double) {
            for i in 0..<s.count { params.p[s.offset + i] = T((rng.nextUnit() * 2 - 1) * r) }
        }
        params.zero()
        uniform(layout.embedding, 0.1)
        let h = config.hiddenSize
        for l in layout.lstm {
            uniform(l.wx, 1 / Double(h).squareRoot())
            uniform(l.wh, 1 / Double(h).squareRoot())
            for j in h..<(2 * h) { params.p[l.b.offset + j] = 1 }
        }
        if let p = layout.projection { uniform(p.w, 1 / Double(config.fusionWidth).squareRoot()) }
        uniform(layout.dense.w, 1 / Double(config.denseInputSize).squareRoot())
        uniform(layout.output.w, 1 / Double(config.denseSize).squareRoot())
    }

    /// W_x of the first layer times all token embeddings (4H × V), for `run(inputTable:)`.
    func makeInputTable(into table: UnsafeMutablePointer<T>) {
        let w = layout.lstm[0], e = layout.embedding
        RawBLAS.gemm(.none, .none, m: 4 * config.hiddenSize, n: config.vocabularySize, k: config.embeddingSize,
                     params.p + w.wx.offset, lda: 4 * config.hiddenSize, params.p + e.offset, ldb: config.embeddingSize,
                     table, ldc: 4 * config.hiddenSize)
    }

    /// What one call computed.
    struct Result {
        /// Σ over positions with a target of −ln p(target) (nats).
        var lossSum: Double
        /// Number of such positions.
        var count: Int
        /// Per such position (time-major order), ln p(target) — only when asked for.
        var logProbs: [Double]
        /// The recurrent state after the last step (for document context).
        var finalState: RecurrentState<T>?
    }

    /// Runs the model on `mb`. With `gradientScale`, also back-propagates
    /// ∂(gradientScale · Σ loss)/∂θ and *adds* it to `grads`. `dropout` > 0 applies inverted
    /// dropout to the embeddings and every layer's output (never on the recurrent connections,
    /// Zaremba et al. 2014), drawing masks from `rng`. `state` starts the rows from a carried
    /// state (no gradient flows into it: truncated backpropagation through time).
    /// `weightsVersion` (inference): the weights are unchanged since the last call with the same
    /// value, so their packed copies are reused; nil repacks them.
    /// `inputTable` (inference only: no gradient, no dropout) is W_x of the first layer times every
    /// token embedding, 4H × V (`makeInputTable`): the first layer's input projection of token v
    /// is then column v, copied instead of multiplied.
    func run(_ mb: MicroBatch, gradientScale: T? = nil, dropout: Double = 0, rng: inout SeededGenerator,
             state: RecurrentState<T>? = nil, wantLogProbs: Bool = false, wantFinalState: Bool = false,
             inputTable: UnsafePointer<T>? = nil, weightsVersion: Int? = nil) -> Result {
        let S = mb.steps, B = mb.rows, N = mb.positionCount
        let rowsAt = mb.rowsPerStep, offsets = mb.stepOffsets      // rows and first position of each step
        let E = config.embeddingSize, H = config.hiddenSize, L = config.layers, V = config.vocabularySize
        let D = config.denseSize, M = config.fusionWidth, Ud = config.denseInputSize
        let fusion = config.fusion
        let P = params.p
        let drop = dropout > 0
        packForwardWeights(version: gradientScale == nil ? weightsVersion : nil)

        // Sentence embeddings of this micro-batch, as T; projected to H when needed (e′ = P·e + b_P).
        let C = mb.tableColumns
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

        // 1. Token embeddings x⁰ (E × N).
        let xp = x0.get(E * N)
        for n in 0..<N { (xp + n * E).update(from: P + layout.embedding.offset + Int(mb.inputs[n]) * E, count: E) }
        if drop { Kernels.dropout(xp, mask: x0Mask.get(E * N), count: E * N, rate: dropout, rng: &rng) }

        // 2. LSTM layers.
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
            if l == 0, let table = inputTable, gradientScale == nil, !drop {
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
        let top = outputs[L - 1]

        // 3. Output on the positions that have a target.
        var active: [Int] = []
        active.reserveCapacity(N)
        for n in 0..<N where mb.targets[n] >= 0 { active.append(n) }
        let K = active.count
        guard K > 0 else { return Result(lossSum: 0, count: 0, logProbs: [], finalState: finalState) }
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
        guard gradientScale != nil else { return Result(lossSum: lossSum, count: K, logProbs: logProbs, finalState: finalState) }

        // ---- Backward. `Lg` now holds ∂loss/∂logits. ----
        let Gd = grads.p
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

        // Fusion backward → dh_top (H × N, zero where no target) and de′ (H × C).
        let dT = dTop.get(H * N, zeroed: true)
        let dF: UnsafeMutablePointer<T>? = fusion.usesEmbeddings && fusion != .lateConcat ? dFused.get(H * C, zeroed: true) : nil
        for (k, n) in active.enumerated() {
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

        // LSTM layers, top to bottom (backpropagation through time).
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
            if fusion.isEarly, state == nil, let dF {
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

        // Projection: e′ = P·e + b_P  ⇒  dP += de′·eᵀ, db_P += Σ de′.
        if let proj = layout.projection, let dF, let tp = tableP {
            RawBLAS.gemm(.none, .transpose, m: H, n: M, k: C, dF, lda: H, tp, ldb: M, beta: 1, Gd + proj.w.offset, ldc: H)
            Kernels.addRowSums(rows: H, cols: C, dF, into: Gd + proj.b.offset)
        }
        return Result(lossSum: lossSum, count: K, logProbs: logProbs, finalState: finalState)
    }

    /// The same memory as Float (only called when T is Float: `usesPackedWeights`).
    @inline(__always) private func float(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
