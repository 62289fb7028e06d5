import Foundation
import Numerics

/// Training throughput in sentence context on given sentence lengths (for `benchmarks/lm`):
/// the cost of the fusion modes, early fusion's prefixes in particular. Tokens are random (one
/// per word), embeddings random of width `config.fusionWidth`; each step is one batch of
/// `batch` sentences (forward, backward, clipping, Adam), as `LMTrainer` runs it.
public enum SentenceBenchmark {
    public struct Result: Sendable {
        /// Predicted tokens per second.
        public var tokensPerSecond: Double
        /// GFLOP/s counting the work the mode must do: per LSTM position the input and recurrent
        /// products, per predicted token the dense and output products, each ×3 for training
        /// (forward, and the two gradient products of the backward pass).
        public var gflopsPerSecond: Double
        /// LSTM positions per predicted token (1 for late modes; the mean prefix length for early ones).
        public var positionsPerToken: Double
    }

    public static func run(config: LMConfig, sentenceLengths: [Int], batch: Int = 32, trainSteps: Int = 10, warmup: Int = 2,
                           seed: UInt64 = 1) throws -> Result {
        try config.validate()
        var rng = SeededGenerator(seed: seed)
        let lengths = sentenceLengths.filter { $0 > 0 }
        guard !lengths.isEmpty else { throw LMError.invalidConfiguration("no sentences to benchmark") }
        let sentences = lengths.map { n in
            LMSentence(tokens: (0..<n).map { _ in Int32(3 + rng.next() % UInt64(config.vocabularySize - 3)) },
                       wordOfToken: (0..<n).map { Int32($0) }, words: (0..<n).map { _ in "w" })
        }
        var ds = LMDataset(sentences: sentences)
        if config.fusion.usesEmbeddings {
            let counts = lengths.map { $0 + 1 }
            let values = (0..<(counts.reduce(0, +) * config.fusionWidth)).map { _ in Float(rng.nextUnit() - 0.5) }
            ds.embeddings = try FusionEmbeddings(width: config.fusionWidth, counts: counts, values: values)
        }
        let core = LSTMCore<Float>(config: config)
        core.initialize(seed: seed)
        let adam = Adam(count: core.layout.count, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        let plan = Batching.epochPlan(lengths: lengths, batchSize: batch, seed: seed, epoch: 0)
        var tokens = 0, positions = 0
        func step(_ i: Int) {
            let micro = Batching.sentenceBatch(ds, ids: plan[i % plan.count], fusion: config.fusion)
            let count = micro.reduce(0) { $0 + $1.activeCount }
            core.grads.zero()
            for mb in micro where mb.activeCount > 0 {
                _ = core.run(mb, gradientScale: 1 / Float(count), dropout: 0.1, rng: &rng)
                positions += mb.stepRows != nil ? mb.positionCount : mb.activeCount   // needed positions only
            }
            tokens += count
            clipGradient(core.grads, maxNorm: 1)
            adam.update(core.params, core.grads, t: i + 1, rate: 1e-4)
        }
        for i in 0..<warmup { step(i) }
        tokens = 0; positions = 0
        let t0 = Date()
        for i in 0..<trainSteps { step(warmup + i) }
        let seconds = Date().timeIntervalSince(t0)
        let (E, H, D, V, Ud) = (Double(config.embeddingSize), Double(config.hiddenSize), Double(config.denseSize),
                                Double(config.vocabularySize), Double(config.denseInputSize))
        // Padding positions of late batches are not counted (they are not needed).
        let lstmFlops = Double(positions) * 2 * (4 * H * E + 4 * H * H)
        let outFlops = Double(tokens) * 2 * (D * Ud + V * D)
        return Result(tokensPerSecond: Double(tokens) / seconds, gflopsPerSecond: 3 * (lstmFlops + outFlops) / seconds / 1e9,
                      positionsPerToken: Double(positions) / Double(max(1, tokens)))
    }
}
