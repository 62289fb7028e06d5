import Foundation
import Tokenization

/// One training run on disk: reads the text, makes the splits, learns (or reuses) the tokenizer,
/// tokenises, computes (or loads cached) sentence embeddings, and trains with checkpoints —
/// resuming automatically when the folder holds an unfinished checkpoint of the same run.
///
/// Files in `directory`: `run.json` (the spec), `tokenizer.json`, `checkpoint.rtlm` (resumable
/// state), `model.rtlm` (best weights so far), `curve.tsv` (learning curve), `summary.json`
/// (dev and test perplexity when finished).
public final class LMRun {
    public let spec: LMRunSpec
    public let directory: URL
    /// The encoder for fused models (nil for `fusion == .none`).
    public let embedder: SentenceEmbedder?
    /// Folder for cached sentence embeddings (nil: no cache).
    public var embeddingCache: URL?
    /// Reuse this tokenizer instead of learning one (e.g. one tokenizer for a whole ladder).
    public var tokenizer: BPETokenizer?
    /// Progress messages (human-readable).
    public var log: (String) -> Void = { _ in }

    public private(set) var text: TrainingText?
    public private(set) var splits: TextSplits?
    public private(set) var train: LMDataset?
    public private(set) var dev: LMDataset?
    public private(set) var test: LMDataset?

    public init(spec: LMRunSpec, directory: URL, embedder: SentenceEmbedder? = nil) {
        self.spec = spec
        self.directory = directory
        self.embedder = embedder
    }

    var tokenizerURL: URL { directory.appendingPathComponent("tokenizer.json") }
    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.rtlm") }
    public var modelURL: URL { directory.appendingPathComponent("model.rtlm") }
    public var curveURL: URL { directory.appendingPathComponent("curve.tsv") }
    public var summaryURL: URL { directory.appendingPathComponent("summary.json") }

    /// Text, splits, tokenizer, datasets and embeddings.
    public func prepare() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let layout = TrainingText.Layout(rawValue: spec.text.layout) else {
            throw LMError.invalidConfiguration("unknown text layout '\(spec.text.layout)'; use paragraphs or sentence-per-line")
        }
        if spec.model.fusion.usesEmbeddings && embedder == nil {
            throw LMError.invalidConfiguration("fusion \(spec.model.fusion.rawValue) needs a sentence encoder")
        }
        let text = try TrainingText.read(URL(fileURLWithPath: spec.text.path), layout: layout)
        let splits = try TextSplits.make(text, train: spec.text.trainSentences, dev: spec.text.devSentences,
                                         test: spec.text.testSentences, seed: spec.text.splitSeed)
        log("text: \(text.sentences.count) sentences; train \(splits.train.count), dev \(splits.dev.count), test \(splits.test.count)")
        let tok: BPETokenizer
        if let given = tokenizer {
            tok = given
        } else if FileManager.default.fileExists(atPath: tokenizerURL.path) {
            tok = try BPETokenizer.load(from: tokenizerURL)
            log("tokenizer: reused \(tokenizerURL.path) (\(tok.vocabularySize) tokens)")
        } else {
            var o = BPETrainingOptions(vocabularySize: spec.tokenizer.vocabularySize, lowercase: spec.tokenizer.lowercase)
            o.allowSmallerVocabulary = spec.tokenizer.allowSmaller
            tok = try BPETokenizer.train(sentences: splits.train.map { text.sentences[$0].text }, options: o)
            log("tokenizer: learned \(tok.vocabularySize) BPE tokens from the training split")
        }
        try tok.save(to: tokenizerURL)
        tokenizer = tok
        var train = LMDataset(text: text, indices: splits.train, tokenizer: tok)
        var dev = LMDataset(text: text, indices: splits.dev, tokenizer: tok)
        var test = LMDataset(text: text, indices: splits.test, tokenizer: tok)
        if spec.model.fusion.usesEmbeddings, let embedder {
            train.embeddings = try embeddings(for: train, name: "train")
            dev.embeddings = try embeddings(for: dev, name: "dev")
            test.embeddings = try embeddings(for: test, name: "test")
        }
        self.text = text; self.splits = splits; self.train = train; self.dev = dev; self.test = test
        let data = try JSONEncoder.sorted.encode(spec)
        try data.write(to: directory.appendingPathComponent("run.json"), options: .atomic)
    }

    /// Embeddings for a dataset, from the cache when present.
    func embeddings(for ds: LMDataset, name: String) throws -> FusionEmbeddings {
        guard let embedder else { throw LMError.invalidConfiguration("no sentence encoder") }
        // The seed matters only to the shuffled control's derangement; other sources share a file across seeds.
        let seedPart = spec.model.embeddingSource == .shuffled ? "\(spec.training.seed)" : "any-seed"
        let key = "\(embedder.identifier)|\(spec.model.embeddingSource)|\(seedPart)|\(ds.fingerprint)"
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let file = embeddingCache?.appendingPathComponent(String(format: "%016llx.emb", h))
        if let file, let cached = FusionEmbeddings.load(from: file, key: key) {
            log("embeddings (\(name)): cached \(file.lastPathComponent)")
            return cached
        }
        let start = Date()
        var lastReport = start
        let e = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: spec.model.embeddingSource,
                                           embedder: embedder, seed: spec.training.seed) { done, total in
            let elapsed = Date().timeIntervalSince(start)
            if done == total || Date().timeIntervalSince(lastReport) >= 10 {
                lastReport = Date()
                self.log(String(format: "embeddings (%@): %d/%d texts, %.0f s, ETA %.0f s", name, done, total, elapsed,
                                elapsed / Double(done) * Double(total - done)))
            }
        }
        if let file { try e.save(to: file, key: key) }
        return e
    }

    /// Trains (resuming an unfinished checkpoint of the same run), then writes `summary.json`
    /// with the best model's dev and test perplexity. `progress` is called after every step.
    @discardableResult
    public func trainModel(progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingSummary {
        if train == nil { try prepare() }
        guard let tok = tokenizer, let train, let dev, let test else { throw LMError.invalidConfiguration("run not prepared") }
        let config = try spec.modelConfig(vocabularySize: tok.vocabularySize, fusionWidth: embedder?.dimension ?? 0)
        let model = try LanguageModel(config: config, tokenizer: tok, seed: spec.training.seed)
        if config.fusion.usesEmbeddings, let embedder {
            model.fusion = FusionProvenance(source: spec.model.embeddingSource, embedder: embedder.identifier)
        }
        log("model: \(config.layers)×LSTM \(config.hiddenSize), embedding \(config.embeddingSize), dense \(config.denseSize), vocabulary \(config.vocabularySize), fusion \(config.fusion.rawValue); \(model.parameterCount) parameters")
        let trainer = try LMTrainer(model: model, config: spec.training, train: train, dev: dev)
        trainer.checkpointURL = checkpointURL
        trainer.bestModelURL = modelURL
        trainer.curveURL = curveURL
        trainer.progress = progress
        if FileManager.default.fileExists(atPath: checkpointURL.path) {
            try trainer.resume(from: checkpointURL)
            log("resumed from \(checkpointURL.path) at step \(trainer.stepsDone) of \(trainer.totalSteps)")
        }
        let summary = try trainer.run()
        if summary.finished {
            let devReport = try model.evaluate(dev, context: spec.training.context)
            let testReport = test.sentences.isEmpty ? nil : try model.evaluate(test, context: spec.training.context)
            try writeSummary(dev: devReport, test: testReport, summary: summary, parameters: model.parameterCount)
        }
        return summary
    }

    func writeSummary(dev: PerplexityReport, test: PerplexityReport?, summary: TrainingSummary, parameters: Int) throws {
        func report(_ r: PerplexityReport) -> [String: Any] {
            ["sentences": r.sentences, "words": r.words, "predictions": r.predictions, "nats": r.nats,
             "nats_per_token": r.natsPerToken, "perplexity_per_token": r.tokenPerplexity, "perplexity_per_word": r.wordPerplexity,
             "bits_per_token": r.bitsPerToken, "bits_per_word": r.bitsPerWord, "paper_style_2_pow_nats": r.paperStylePerplexity]
        }
        var obj: [String: Any] = ["steps": summary.steps, "stopped_early": summary.stoppedEarly, "best_step": summary.bestStep ?? -1,
                                  "parameters": parameters, "dev": report(dev),
                                  "perplexity_base": "per-token and per-word perplexity = exp(mean NLL in nats); bits = NLL / ln 2"]
        if let test { obj["test"] = report(test) }
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])
        try data.write(to: summaryURL, options: .atomic)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys, .prettyPrinted]; return e }
}
