import Foundation
import Numerics

/// Where a training run stands (passed to the progress callback after every step).
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var epoch: Double
    /// Mean training cross-entropy (nats/token) since the last evaluation.
    public var trainNatsPerToken: Double
    /// The latest learning-curve row, if any.
    public var lastEvaluation: CurveRow?
    /// Training predictions per second in this process.
    public var tokensPerSecond: Double
    /// Estimated seconds to the last step.
    public var secondsLeft: Double
}

/// The outcome of `LMTrainer.run()`.
public struct TrainingSummary: Sendable {
    public var steps: Int
    public var finished: Bool
    public var stoppedEarly: Bool
    /// Step and dev perplexity of the best evaluation (the weights the model holds at the end).
    public var bestStep: Int?
    public var bestDev: PerplexityReport?
    public var curve: [CurveRow]
}

/// Trains a `LanguageModel` on a training set with dev-set early stopping.
///
/// Each step: the next batch (`Batching`), forward and backward with dropout masks drawn from a
/// generator seeded by (seed, step), mean cross-entropy over the batch's predictions, global-norm
/// clipping, the scheduled learning rate, one Adam update. Every `evalEvery` steps the dev
/// perplexity is measured and a learning-curve row written (TSV); the best weights are kept (and
/// saved to `bestModelURL`); after `patience` evaluations without improvement training stops.
/// At the end the model holds the best weights.
///
/// Determinism and resumption: the data order of epoch e depends only on (seed, e), the
/// dropout masks of step s only on (seed, s), and the checkpoint stores weights, Adam moments,
/// the step, the carried LSTM state (document context) and the early-stopping state. A run
/// resumed from its checkpoint therefore computes exactly the same numbers as one that was
/// never interrupted (same BLAS thread count assumed).
public final class LMTrainer {
    public let model: LanguageModel
    public let config: TrainingConfig
    public let train: LMDataset
    public let dev: LMDataset
    /// Where to write the resumable checkpoint (nil: none).
    public var checkpointURL: URL?
    /// Where to save the best model so far (nil: kept in memory only).
    public var bestModelURL: URL?
    /// Where to write the learning curve as TSV (nil: none).
    public var curveURL: URL?
    /// Called after every step.
    public var progress: ((TrainingProgress) -> Void)?
    /// Stop (after writing a checkpoint) once this many steps are done — to split a run into parts.
    public var stopAfterSteps: Int?

    private let adam: Adam
    private var step = 0
    private var tokensSeen = 0
    private var bestNats: Double?
    private var bestParameters: [Float]?
    private var bestStep: Int?
    private var evalsSinceBest = 0
    private var curve: [CurveRow] = []
    private var trainNats = 0.0, trainCount = 0.0
    private var state: RecurrentState<Float>?
    private var finished = false
    private var stoppedEarly = false
    private var plan: (epoch: Int, batches: [[Int]])?
    private var stream: DocumentStream?

    public init(model: LanguageModel, config: TrainingConfig, train: LMDataset, dev: LMDataset) throws {
        try config.validate()
        guard !train.sentences.isEmpty, !dev.sentences.isEmpty else {
            throw LMError.invalidConfiguration("training needs at least one training and one dev sentence")
        }
        if config.context == .document && model.config.fusion.isEarly {
            throw LMError.invalidConfiguration("early fusion restarts the LSTM at every word; train it with sentence context")
        }
        try model.checkEmbeddings(train)
        try model.checkEmbeddings(dev)
        self.model = model
        self.config = config
        self.train = train
        self.dev = dev
        adam = Adam(count: model.parameterCount, beta1: config.adamBeta1, beta2: config.adamBeta2, epsilon: config.adamEpsilon)
        if config.context == .document { stream = DocumentStream(train, rows: config.batchSize, steps: config.bpttSteps) }
    }

    /// Steps in one pass over the training data.
    public var stepsPerEpoch: Int {
        if let stream { return stream.chunkCount }
        return (train.sentences.count + config.batchSize - 1) / config.batchSize
    }

    /// Total steps of the run.
    public var totalSteps: Int { config.steps ?? config.epochs * stepsPerEpoch }

    /// Steps done so far.
    public var stepsDone: Int { step }

    var dataFingerprint: String { train.fingerprint + "/" + dev.fingerprint }

    // MARK: checkpoints

    private func header(kind: String) -> CheckpointHeader {
        CheckpointHeader(kind: kind, model: model.config, training: config, tokenizerFingerprint: model.tokenizer.fingerprint,
                         dataFingerprint: dataFingerprint, fusion: model.fusion, step: step, tokensSeen: tokensSeen,
                         bestDevNatsPerToken: bestNats, evalsSinceBest: evalsSinceBest, finished: finished, curve: curve)
    }

    /// Writes the resumable checkpoint now (no-op without `checkpointURL`).
    public func saveCheckpoint() throws {
        guard let url = checkpointURL else { return }
        try CheckpointFile.write(url, header: header(kind: "checkpoint"), tokenizer: model.tokenizer, parameters: model.core.params,
                                 adam: adam, scalars: [trainNats, trainCount, Double(bestStep ?? -1)], state: state)
    }

    /// Restores the state of an interrupted run. Throws `LMError.checkpointMismatch` naming the
    /// first difference if the checkpoint was made with another model, tokenizer, training
    /// configuration or data.
    public func resume(from url: URL) throws {
        let c = try CheckpointFile.read(url)
        let h = c.header
        func mismatch(_ why: String) -> LMError { .checkpointMismatch(path: url.path, reason: why) }
        guard h.kind == "checkpoint", let m = c.adamM, let v = c.adamV, let training = h.training else {
            throw mismatch("it is a \(h.kind) file without optimiser state; resume needs a training checkpoint")
        }
        if h.model != model.config { throw mismatch("model configuration differs: \(Self.difference(h.model, model.config))") }
        if training != config { throw mismatch("training configuration differs: \(Self.difference(training, config))") }
        if h.tokenizerFingerprint != model.tokenizer.fingerprint {
            throw mismatch("made with tokenizer \(h.tokenizerFingerprint), this run uses \(model.tokenizer.fingerprint)")
        }
        if h.dataFingerprint != dataFingerprint { throw mismatch("made on different training or dev data") }
        if h.fusion != model.fusion { throw mismatch("made with other sentence embeddings (\(h.fusion.map { "\($0.source) from \($0.embedder)" } ?? "none"))") }
        try model.setParameters(c.parameters)
        for i in m.indices { adam.m.p[i] = m[i]; adam.v.p[i] = v[i] }
        step = h.step; tokensSeen = h.tokensSeen; bestNats = h.bestDevNatsPerToken; evalsSinceBest = h.evalsSinceBest
        curve = h.curve; finished = h.finished
        stoppedEarly = h.finished && h.step < totalSteps
        trainNats = c.scalars.count > 0 ? c.scalars[0] : 0
        trainCount = c.scalars.count > 1 ? c.scalars[1] : 0
        bestStep = c.scalars.count > 2 && c.scalars[2] >= 0 ? Int(c.scalars[2]) : nil
        state = c.state
        if bestNats != nil, let bestURL = bestModelURL, FileManager.default.fileExists(atPath: bestURL.path) {
            bestParameters = try CheckpointFile.read(bestURL).parameters
        }
    }

    /// Field-by-field difference of two encodable values, for mismatch messages.
    static func difference<T: Encodable>(_ a: T, _ b: T) -> String {
        let enc = JSONEncoder()
        guard let da = try? enc.encode(a), let db = try? enc.encode(b),
              let ja = try? JSONSerialization.jsonObject(with: da) as? [String: Any],
              let jb = try? JSONSerialization.jsonObject(with: db) as? [String: Any] else { return "(unknown)" }
        for key in Set(ja.keys).union(jb.keys).sorted() {
            let x = ja[key].map { "\($0)" } ?? "unset", y = jb[key].map { "\($0)" } ?? "unset"
            if x != y { return "\(key) is \(x) in the checkpoint, \(y) now" }
        }
        return "(no field differs)"
    }

    // MARK: training

    /// The micro-batches of step `s`.
    private func batch(at s: Int) -> [MicroBatch] {
        let epoch = s / stepsPerEpoch, index = s % stepsPerEpoch
        if let stream {
            if index == 0 { state = nil }
            return [stream.chunk(index, train, fusion: model.config.fusion)]
        }
        if plan?.epoch != epoch {
            plan = (epoch, Batching.epochPlan(lengths: train.sentences.map { $0.tokens.count }, batchSize: config.batchSize,
                                              seed: config.seed, epoch: epoch))
        }
        return Batching.sentenceBatch(train, ids: plan!.batches[index], fusion: model.config.fusion,
                                      maxPositions: config.maxPositionsPerMicroBatch)
    }

    /// Trains until all steps are done, early stopping triggers, or `stopAfterSteps` is reached.
    public func run() throws -> TrainingSummary {
        let total = totalSteps
        let schedule = LearningRateSchedule(base: config.learningRate, warmupSteps: config.warmupSteps, decay: config.decay, totalSteps: total)
        let core = model.core
        let start = Date()
        let startStep = step
        var processTokens = 0
        while !finished && step < total {
            if let stop = stopAfterSteps, step >= stop { break }
            let micro = batch(at: step)
            let count = micro.reduce(0) { $0 + $1.activeCount }
            core.grads.zero()
            var rng = SeededGenerator(seed: mixSeed(config.seed, UInt64(step), 0xD0)) // dropout masks of this step
            var nats = 0.0
            for mb in micro where mb.activeCount > 0 {
                let r = core.run(mb, gradientScale: 1 / Float(max(1, count)), dropout: config.dropout, rng: &rng,
                                 state: stream != nil ? state : nil, wantFinalState: stream != nil)
                if stream != nil { state = r.finalState }
                nats += r.lossSum
            }
            guard nats.isFinite else { throw LMError.diverged(step: step) }
            clipGradient(core.grads, maxNorm: config.clipNorm)
            let rate = schedule.rate(at: step)
            adam.update(core.params, core.grads, t: step + 1, rate: rate)
            model.parametersDidChange()
            step += 1
            tokensSeen += count; processTokens += count
            trainNats += nats; trainCount += Double(count)

            if step % config.evalEvery == 0 || step == total { try evaluate(rate: rate, seconds: Date().timeIntervalSince(start)) }
            if step == total { finished = true }
            if step % config.checkpointEvery == 0 || step % config.evalEvery == 0 || finished || step == stopAfterSteps {
                try saveCheckpoint()
            }
            if let progress {
                let elapsed = Date().timeIntervalSince(start)
                let perStep = elapsed / Double(step - startStep)
                progress(TrainingProgress(step: step, totalSteps: total, epoch: Double(step) / Double(stepsPerEpoch),
                                          trainNatsPerToken: trainNats / max(1, trainCount), lastEvaluation: curve.last,
                                          tokensPerSecond: Double(processTokens) / max(elapsed, 1e-9),
                                          secondsLeft: perStep * Double(total - step)))
            }
        }
        if finished, let best = bestParameters { try model.setParameters(best) }
        let bestRow = curve.first { $0.step == bestStep }
        let bestReport = bestRow.map { _ in try? model.evaluate(dev, context: config.context, batchSize: max(32, config.batchSize)) } ?? nil
        return TrainingSummary(steps: step, finished: finished, stoppedEarly: stoppedEarly, bestStep: bestStep,
                               bestDev: finished ? bestReport : nil, curve: curve)
    }

    /// Measures dev perplexity, logs a curve row, keeps the best weights, applies early stopping.
    private func evaluate(rate: Double, seconds: Double) throws {
        let report = try model.evaluate(dev, context: config.context, batchSize: max(32, config.batchSize))
        let row = CurveRow(step: step, epoch: Double(step) / Double(stepsPerEpoch), tokensSeen: tokensSeen,
                           trainNatsPerToken: trainNats / max(1, trainCount), devNatsPerToken: report.natsPerToken,
                           devTokenPerplexity: report.tokenPerplexity, devWordPerplexity: report.wordPerplexity,
                           devBitsPerWord: report.bitsPerWord, learningRate: rate, seconds: seconds)
        curve.append(row)
        trainNats = 0; trainCount = 0
        if bestNats.map({ report.natsPerToken < $0 }) ?? true {
            bestNats = report.natsPerToken
            bestStep = step
            evalsSinceBest = 0
            bestParameters = model.parameters
            if let url = bestModelURL { try model.save(to: url, step: step, curve: curve, training: config) }
        } else {
            evalsSinceBest += 1
            if config.patience > 0 && evalsSinceBest >= config.patience { finished = true; stoppedEarly = true }
        }
        if let url = curveURL {
            let text = ([CurveRow.tsvHeader] + curve.map(\.tsvLine)).joined(separator: "\n") + "\n"
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
