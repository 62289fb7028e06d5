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
/// `run` pairs the steps as llm.c pairs `*_forward`/`*_backward`: `LSTMCore+Forward.swift`
/// (sentence and token embeddings, the layers, the output and loss) and `LSTMCore+Backward.swift`
/// (output, fusion, the layers, the projection).
final class LSTMCore<T: LMScalar> {
    let config: LMConfig
    let layout: ParameterLayout
    let params: ScalarBuffer<T>
    let grads: ScalarBuffer<T>

    // Forward activations (kept for the backward pass).
    let x0 = Scratch<T>(), x0Mask = Scratch<T>()
    var gates: [Scratch<T>], cells: [Scratch<T>], tanhCells: [Scratch<T>], hidden: [Scratch<T>]
    var outMask: [Scratch<T>], dropped: [Scratch<T>]
    var h0: [Scratch<T>], c0: [Scratch<T>]
    let table = Scratch<T>(), fused = Scratch<T>()
    let u = Scratch<T>(), z = Scratch<T>(), logits = Scratch<T>()
    // Backward work buffers.
    let dz = Scratch<T>(), du = Scratch<T>(), dTop = Scratch<T>(), dGates = Scratch<T>(), dx = Scratch<T>()
    let dhNext = Scratch<T>(), dcNext = Scratch<T>(), dFused = Scratch<T>(), whT = Scratch<T>(), hPrevAligned = Scratch<T>()
    let logProbScratch = Scratch<Double>()
    // The weights of the forward products in the packed-panel layout (Float on AVX-512 CPUs; see
    // `PackedWeights`), and the `weightsVersion` they were packed from.
    var packedWx: [PackedWeights] = [], packedWh: [PackedWeights] = [], packedWhT: [PackedWeights] = []
    var packedDense: PackedWeights?, packedOutput: PackedWeights?
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
    func product(_ packed: PackedWeights?, m: Int, n: Int, k: Int, _ w: UnsafePointer<T>, lda: Int,
                         _ x: UnsafePointer<T>, ldx: Int, accumulate: Bool, into c: UnsafeMutablePointer<T>, ldc: Int) {
        if let packed {
            packed.multiply(n: n, float(UnsafeMutablePointer(mutating: x)), ldb: ldx, accumulate: accumulate, into: float(c), ldc: ldc,
                            worker: stepWorker)
        } else {
            RawBLAS.gemm(.none, .none, m: m, n: n, k: k, w, lda: lda, x, ldb: ldx, beta: accumulate ? 1 : 0, c, ldc: ldc)
        }
    }

    /// The second thread for the per-step work, when BLAS may use more than one.
    var stepWorker: PairedWorker? { BLASRuntime.threads > 1 ? worker : nil }

    /// Runs `first` here and `second` on the step worker (or both here), e.g. the two halves of a time step's work.
    func split(_ first: () -> Void, _ second: () -> Void) { PairedWorker.run(stepWorker, first, alongside: second) }

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
        packForwardWeights(version: gradientScale == nil ? weightsVersion : nil)
        let (tableP, fusedP) = sentenceEmbeddings(mb)
        let xp = tokenEmbeddings(mb, dropout: dropout, rng: &rng)
        let (outputs, finalState) = lstmForward(mb, input: xp, fused: fusedP, state: state, inputTable: inputTable,
                                                training: gradientScale != nil, dropout: dropout, rng: &rng,
                                                wantFinalState: wantFinalState)
        guard let output = outputForward(mb, outputs: outputs, table: tableP, fused: fusedP, gradientScale: gradientScale,
                                         wantLogProbs: wantLogProbs) else {
            return Result(lossSum: 0, count: 0, logProbs: [], finalState: finalState)
        }
        let result = Result(lossSum: output.lossSum, count: output.active.count, logProbs: output.logProbs, finalState: finalState)
        guard gradientScale != nil else { return result }

        // Backward, in reverse order. `output.logits` now holds ∂loss/∂logits.
        let dU = outputBackward(output)
        let (dT, dF) = fusionBackward(mb, output, du: dU, outputs: outputs, fused: fusedP)
        lstmBackward(mb, dTop: dT, dFused: dF, tokens: xp, outputs: outputs, dropout: dropout > 0, startedFromState: state != nil)
        projectionBackward(mb, dFused: dF, table: tableP)
        return result
    }

    /// The same memory as Float (only called when T is Float: `usesPackedWeights`).
    @inline(__always) func float(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
