import Foundation
import Numerics
import Tokenization

/// Whether the model reads each sentence on its own or the whole document before it.
public enum LMContext: String, Codable, Sendable, CaseIterable {
    /// Every sentence starts from a fresh state (`<s>` w₁ … w_n `</s>`); the paper's setting.
    case sentence
    /// Sentences are read as one stream (`<s>` before each sentence, state carried over), so a
    /// word's context includes the preceding sentences of the document. Meant for models trained
    /// with document context; a sentence-trained model has never seen a state carried over.
    case document
}

/// How a fused model's sentence embeddings were made (recorded in model files, so scoring
/// recomputes them the same way).
public struct FusionProvenance: Codable, Equatable, Sendable {
    public var source: EmbeddingSource
    /// `SentenceEmbedder.identifier` of the encoder used in training.
    public var embedder: String
    public init(source: EmbeddingSource, embedder: String) { self.source = source; self.embedder = embedder }
}

/// A trainable LSTM language model (Float) with its tokenizer: the public face of `LSTMCore`.
public final class LanguageModel {
    public let config: LMConfig
    public let tokenizer: BPETokenizer
    /// Set for fused models: how their embeddings are made.
    public var fusion: FusionProvenance?
    let core: LSTMCore<Float>
    /// Bumped whenever the weights change, so the inference input table is rebuilt.
    private var parameterVersion = 0
    private var inputTable: (version: Int, values: ScalarBuffer<Float>)?

    /// A freshly initialised model (seeded). Throws if the configuration is invalid or does not
    /// match the tokenizer's vocabulary size.
    public init(config: LMConfig, tokenizer: BPETokenizer, seed: UInt64 = 1) throws {
        try config.validate()
        guard config.vocabularySize == tokenizer.vocabularySize else {
            throw LMError.invalidConfiguration("the configuration has \(config.vocabularySize) output tokens, the tokenizer \(tokenizer.vocabularySize)")
        }
        self.config = config
        self.tokenizer = tokenizer
        core = LSTMCore<Float>(config: config)
        core.initialize(seed: seed)
    }

    /// Number of trainable parameters.
    public var parameterCount: Int { core.layout.count }

    /// A copy of all parameters in layout order (for tests and comparisons).
    public var parameters: [Float] { core.params.array }

    /// Overwrites all parameters (count must match).
    public func setParameters(_ values: [Float]) throws {
        guard values.count == core.layout.count else {
            throw LMError.invalidConfiguration("\(values.count) parameters given, the model has \(core.layout.count)")
        }
        for i in values.indices { core.params.p[i] = values[i] }
        parametersDidChange()
    }

    /// Call after changing the weights in place (the trainer does after every update).
    func parametersDidChange() { parameterVersion += 1 }

    /// The first layer's input projection of every token (4H × V), rebuilt when the weights changed.
    func inferenceInputTable() -> UnsafePointer<Float> {
        if let t = inputTable, t.version == parameterVersion { return UnsafePointer(t.values.p) }
        let values = inputTable?.values ?? ScalarBuffer<Float>(count: 4 * config.hiddenSize * config.vocabularySize)
        core.makeInputTable(into: values.p)
        inputTable = (parameterVersion, values)
        return UnsafePointer(values.p)
    }

    /// Checks that a dataset carries the embeddings this model needs.
    func checkEmbeddings(_ ds: LMDataset) throws {
        guard config.fusion.usesEmbeddings else { return }
        guard let e = ds.embeddings else {
            throw LMError.embeddingMismatch("fusion \(config.fusion.rawValue) needs sentence embeddings for every sentence; none were given")
        }
        guard e.width == config.fusionWidth else {
            throw LMError.embeddingMismatch("the model expects width \(config.fusionWidth), the embeddings have \(e.width)")
        }
        guard e.sentenceCount == ds.sentences.count else {
            throw LMError.embeddingMismatch("\(e.sentenceCount) embedding blocks for \(ds.sentences.count) sentences")
        }
    }

    /// Natural-log probabilities ln p(target | context) of every prediction: per sentence, one
    /// value per token and a last one for `</s>`. Dropout is off. `batchSize` sentences (or
    /// document streams) are processed together.
    public func logProbabilities(_ ds: LMDataset, context: LMContext = .sentence, batchSize: Int = 32) throws -> [[Double]] {
        try checkEmbeddings(ds)
        if context == .document && config.fusion.isEarly {
            throw LMError.invalidConfiguration("early fusion restarts the LSTM at every word and cannot read document context; use --context sentence")
        }
        var out = ds.sentences.map { [Double](repeating: .nan, count: $0.predictionCount) }
        var rng = SeededGenerator(seed: 0)
        let table = inferenceInputTable()
        func collect(_ mb: MicroBatch, _ r: LSTMCore<Float>.Result) {
            var k = 0
            for n in 0..<mb.positionCount where mb.targets[n] >= 0 {
                let tag = mb.tags[n]
                out[Int(tag >> 32)][Int(tag & 0xFFFF_FFFF)] = r.logProbs[k]
                k += 1
            }
        }
        switch context {
        case .sentence:
            let order = ds.sentences.indices.sorted { (ds.sentences[$0].tokens.count, $0) < (ds.sentences[$1].tokens.count, $1) }
            var i = 0
            while i < order.count {
                let ids = Array(order[i..<min(order.count, i + max(1, batchSize))])
                for mb in Batching.sentenceBatch(ds, ids: ids, fusion: config.fusion) {
                    collect(mb, core.run(mb, rng: &rng, wantLogProbs: true, inputTable: table, weightsVersion: parameterVersion))
                }
                i += batchSize
            }
        case .document:
            let stream = DocumentStream(ds, rows: min(max(1, batchSize), max(1, ds.predictionCount / 64)), steps: 64)
            var state: RecurrentState<Float>? = nil
            for j in 0..<stream.chunkCount {
                let mb = stream.chunk(j, ds, fusion: config.fusion)
                let r = core.run(mb, rng: &rng, state: state, wantLogProbs: true, wantFinalState: true, inputTable: table,
                                 weightsVersion: parameterVersion)
                state = r.finalState
                collect(mb, r)
            }
        }
        return out
    }

    /// Perplexity of a dataset (see `PerplexityReport` for the definitions and bases).
    public func evaluate(_ ds: LMDataset, context: LMContext = .sentence, batchSize: Int = 32) throws -> PerplexityReport {
        let lp = try logProbabilities(ds, context: context, batchSize: batchSize)
        let nats = -lp.reduce(0) { $0 + $1.reduce(0, +) }
        return PerplexityReport(sentences: ds.sentences.count, words: ds.wordCount, predictions: ds.predictionCount, nats: nats)
    }
}
