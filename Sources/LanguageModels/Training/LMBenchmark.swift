import Foundation
import Numerics

/// Throughput of training and scoring on random tokens, for comparisons with other
/// implementations (`benchmarks/lm`). Training: document context, `batch` streams × `steps`
/// tokens per step (truncated BPTT), forward + backward + gradient clipping + Adam. Scoring:
/// the forward pass with log-probabilities of the targets (no gradients), same batch shape.
public enum LMBenchmark {
    /// Whether the LSTM's forward products run on the packed AVX-512 kernel here (else OpenBLAS).
    public static var usesPackedKernel: Bool { PackedWeights.isAvailable }

    public struct Result: Sendable {
        public var trainTokensPerSecond: Double
        public var scoreTokensPerSecond: Double
        public var parameters: Int
    }

    public static func run(config: LMConfig, batch: Int = 32, steps: Int = 35, trainSteps: Int = 20, scoreSteps: Int = 40,
                           warmup: Int = 3, seed: UInt64 = 1) throws -> Result {
        try config.validate()
        let core = LSTMCore<Float>(config: config)
        core.initialize(seed: seed)
        let adam = Adam(count: core.layout.count, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        var rng = SeededGenerator(seed: seed)
        func randomBatch() -> MicroBatch {
            var mb = MicroBatch(steps: steps, rows: batch)
            for i in 0..<(steps * batch) {
                mb.inputs[i] = Int32(rng.next() % UInt64(config.vocabularySize))
                mb.targets[i] = Int32(rng.next() % UInt64(config.vocabularySize))
            }
            if config.fusion.usesEmbeddings {
                mb.tableColumns = steps * batch
                mb.fusionTable = (0..<(config.fusionWidth * steps * batch)).map { _ in Float(rng.nextUnit() - 0.5) }
                mb.fusionColumns = (0..<(steps * batch)).map { Int32($0) }
                mb.initialColumns = (0..<batch).map { Int32($0) }
            }
            return mb
        }
        let batches = (0..<4).map { _ in randomBatch() }
        var state: RecurrentState<Float>? = nil
        func trainStep(_ i: Int) {
            core.grads.zero()
            let r = core.run(batches[i % 4], gradientScale: 1 / Float(steps * batch), rng: &rng, state: state, wantFinalState: true)
            state = r.finalState
            clipGradient(core.grads, maxNorm: 1)
            adam.update(core.params, core.grads, t: i + 1, rate: 1e-4)
        }
        for i in 0..<warmup { trainStep(i) }
        var t0 = Date()
        for i in 0..<trainSteps { trainStep(warmup + i) }
        let train = Double(trainSteps * steps * batch) / Date().timeIntervalSince(t0)
        state = nil
        // Scoring as `LanguageModel.logProbabilities` does it: with the first layer's input table.
        let table = ScalarBuffer<Float>(count: 4 * config.hiddenSize * config.vocabularySize)
        func scoreStep(_ i: Int) {
            if i == 0 { core.makeInputTable(into: table.p) }   // built once per weight change (timed)
            let r = core.run(batches[i % 4], rng: &rng, state: state, wantLogProbs: true, wantFinalState: true,
                             inputTable: UnsafePointer(table.p), weightsVersion: -1)   // packed once (timed)
            state = r.finalState
        }
        for i in 0..<warmup { scoreStep(i) }
        t0 = Date()
        for i in 0..<scoreSteps { scoreStep(i) }
        let score = Double(scoreSteps * steps * batch) / Date().timeIntervalSince(t0)
        return Result(trainTokensPerSecond: train, scoreTokensPerSecond: score, parameters: core.layout.count)
    }
}
