import XCTest
import Numerics
import Tokenization
@testable import LanguageModels

final class TrainingTests: XCTestCase {
    static func tinyConfig(_ tok: BPETokenizer, fusion: FusionMode = .none, width: Int = 0) -> LMConfig {
        LMConfig(vocabularySize: tok.vocabularySize, embeddingSize: 16, hiddenSize: 24, layers: 1, denseSize: 16, fusion: fusion, fusionWidth: width)
    }

    static func trainingConfig(context: LMContext = .sentence, steps: Int = 12) -> TrainingConfig {
        var c = TrainingConfig()
        c.steps = steps; c.batchSize = 8; c.evalEvery = 4; c.checkpointEvery = 4; c.warmupSteps = 2
        c.learningRate = 5e-3; c.dropout = 0.2; c.patience = 0; c.context = context; c.bpttSteps = 9
        return c
    }

    func data(_ tok: BPETokenizer, fusion: FusionMode = .none) throws -> (LMDataset, LMDataset) {
        var train = ToyText.dataset(80, seed: 1, tokenizer: tok)
        var dev = ToyText.dataset(20, seed: 2, tokenizer: tok)
        if fusion.usesEmbeddings {
            let e = BagOfWordsEmbedder(dimension: 12)
            train.embeddings = try FusionEmbeddings.build(sentences: train.sentences, previousTexts: train.previousTexts, source: .prefix, embedder: e)
            dev.embeddings = try FusionEmbeddings.build(sentences: dev.sentences, previousTexts: dev.previousTexts, source: .prefix, embedder: e)
        }
        return (train, dev)
    }

    /// Trains (optionally in two parts with a resume in between) and returns the final weights.
    func train(_ dir: URL, tok: BPETokenizer, fusion: FusionMode = .none, context: LMContext = .sentence,
               interruptAt: Int? = nil) throws -> [Float] {
        let (train, dev) = try data(tok, fusion: fusion)
        func trainer() throws -> LMTrainer {
            let model = try LanguageModel(config: Self.tinyConfig(tok, fusion: fusion, width: 12), tokenizer: tok, seed: 5)
            if fusion.usesEmbeddings { model.fusion = FusionProvenance(source: .prefix, embedder: "bag-of-words-12") }
            let t = try LMTrainer(model: model, config: Self.trainingConfig(context: context), train: train, dev: dev)
            t.checkpointURL = dir.appendingPathComponent("checkpoint.rtlm")
            t.bestModelURL = dir.appendingPathComponent("model.rtlm")
            t.curveURL = dir.appendingPathComponent("curve.tsv")
            return t
        }
        if let k = interruptAt {
            let first = try trainer()
            first.stopAfterSteps = k
            let partial = try first.run()
            XCTAssertEqual(partial.steps, k)
            XCTAssertFalse(partial.finished)
            let second = try trainer()
            try second.resume(from: dir.appendingPathComponent("checkpoint.rtlm"))
            XCTAssertEqual(second.stepsDone, k)
            XCTAssertTrue(try second.run().finished)
            return second.model.parameters
        }
        let t = try trainer()
        XCTAssertTrue(try t.run().finished)
        return t.model.parameters
    }

    func testResumedRunIsBitIdentical() throws {
        let tok = try ToyText.tokenizer()
        for (fusion, context) in [(FusionMode.none, LMContext.sentence), (.lateConcat, .sentence), (.none, .document), (.earlyBoth, .sentence)] {
            let a = ToyText.tempDirectory(), b = ToyText.tempDirectory()
            let whole = try train(a, tok: tok, fusion: fusion, context: context)
            let resumed = try train(b, tok: tok, fusion: fusion, context: context, interruptAt: 6)
            XCTAssertEqual(whole.count, resumed.count)
            XCTAssertTrue(zip(whole, resumed).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(fusion) \(context): weights differ after resume")
            // The learning curves agree too (except wall-clock seconds).
            let ca = try String(contentsOf: a.appendingPathComponent("curve.tsv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").dropLast() }
            let cb = try String(contentsOf: b.appendingPathComponent("curve.tsv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").dropLast() }
            XCTAssertEqual(ca, cb)
            XCTAssertEqual(ca.count, 4)   // header + steps 4, 8, 12
        }
    }

    func testTrainingLowersDevPerplexity() throws {
        let tok = try ToyText.tokenizer()
        let (train, dev) = try data(tok)
        let model = try LanguageModel(config: Self.tinyConfig(tok), tokenizer: tok, seed: 1)
        let before = try model.evaluate(dev)
        var c = Self.trainingConfig(steps: 300)
        c.evalEvery = 50; c.dropout = 0; c.learningRate = 0.02
        let t = try LMTrainer(model: model, config: c, train: train, dev: dev)
        let summary = try t.run()
        let after = try model.evaluate(dev)
        XCTAssertGreaterThan(before.tokenPerplexity, Double(tok.vocabularySize) * 0.5)
        XCTAssertLessThan(after.tokenPerplexity, 8, "\(summary.curve)")
        XCTAssertEqual(summary.bestDev?.nats ?? 0, after.nats, accuracy: 1e-6)
    }

    func testEarlyStoppingKeepsTheBestWeights() throws {
        let tok = try ToyText.tokenizer()
        let (train, dev) = try data(tok)
        let model = try LanguageModel(config: Self.tinyConfig(tok), tokenizer: tok, seed: 1)
        var c = Self.trainingConfig(steps: 400)
        c.learningRate = 0.5; c.decay = .constant; c.clipNorm = 0; c.evalEvery = 5; c.patience = 2   // far too large: dev gets worse
        let summary = try LMTrainer(model: model, config: c, train: train, dev: dev).run()
        XCTAssertTrue(summary.stoppedEarly)
        XCTAssertLessThan(summary.steps, 400)
        let best = summary.curve.min { $0.devNatsPerToken < $1.devNatsPerToken }!
        XCTAssertEqual(summary.bestStep, best.step)
        XCTAssertEqual(try model.evaluate(dev).natsPerToken, best.devNatsPerToken, accuracy: 1e-9)
    }

    func testCheckpointErrors() throws {
        let tok = try ToyText.tokenizer()
        let dir = ToyText.tempDirectory()
        _ = try train(dir, tok: tok, interruptAt: 4)
        let url = dir.appendingPathComponent("checkpoint.rtlm")
        let (train, dev) = try data(tok)
        func resume(_ config: LMConfig, _ training: TrainingConfig = TrainingTests.trainingConfig(), at url: URL) -> String {
            do {
                let t = try LMTrainer(model: try LanguageModel(config: config, tokenizer: tok), config: training, train: train, dev: dev)
                try t.resume(from: url)
                return "resumed"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(resume(Self.tinyConfig(tok), at: url), "resumed")
        var other = Self.tinyConfig(tok); other.hiddenSize = 32
        XCTAssertTrue(resume(other, at: url).contains("hiddenSize is 24 in the checkpoint, 32 now"), resume(other, at: url))
        var otherTraining = Self.trainingConfig(); otherTraining.learningRate = 0.1
        XCTAssertTrue(resume(Self.tinyConfig(tok), otherTraining, at: url).contains("learningRate"))
        // Truncated, damaged and foreign files.
        let bytes = try Data(contentsOf: url)
        let cut = dir.appendingPathComponent("cut.rtlm")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        XCTAssertTrue(resume(Self.tinyConfig(tok), at: cut).contains("truncated or damaged"))
        var flipped = bytes; flipped[bytes.count / 3] ^= 0x40
        try flipped.write(to: cut)
        XCTAssertTrue(resume(Self.tinyConfig(tok), at: cut).contains("truncated or damaged"))
        try Data("hello world, not a model".utf8).write(to: cut)
        XCTAssertTrue(resume(Self.tinyConfig(tok), at: cut).contains("not an rtpipe language-model file"))
        XCTAssertThrowsError(try LanguageModel.load(from: cut))
        // A model file is not a training checkpoint.
        XCTAssertTrue(resume(Self.tinyConfig(tok), at: dir.appendingPathComponent("model.rtlm")).contains("without optimiser state"))
        // Another tokenizer of the same size (so only the tokenizer check can tell them apart):
        // learned from other sentences, with exactly the first one's vocabulary size.
        let tok2 = try BPETokenizer.train(sentences: ToyText.sentences(600, seed: 9), options: BPETrainingOptions(vocabularySize: tok.vocabularySize))
        XCTAssertEqual(tok2.vocabularySize, tok.vocabularySize)
        XCTAssertNotEqual(tok2, tok)
        XCTAssertEqual(Self.tinyConfig(tok2), Self.tinyConfig(tok))
        let t = try LMTrainer(model: try LanguageModel(config: Self.tinyConfig(tok2), tokenizer: tok2), config: Self.trainingConfig(),
                              train: train, dev: dev)
        XCTAssertThrowsError(try t.resume(from: url)) { XCTAssertTrue("\($0)".contains("tokenizer"), "\($0)") }
    }

    func testModelFileRoundTrip() throws {
        let tok = try ToyText.tokenizer()
        let (_, dev) = try data(tok)
        let model = try LanguageModel(config: Self.tinyConfig(tok), tokenizer: tok, seed: 8)
        let url = ToyText.tempDirectory().appendingPathComponent("m.rtlm")
        try model.save(to: url)
        let back = try LanguageModel.load(from: url)
        XCTAssertEqual(back.parameters, model.parameters)
        XCTAssertEqual(back.config, model.config)
        XCTAssertEqual(try back.evaluate(dev), try model.evaluate(dev))
        XCTAssertEqual(try LanguageModel.header(of: url).kind, "model")
    }

    func testConfigurationErrors() throws {
        let tok = try ToyText.tokenizer()
        var c = Self.tinyConfig(tok); c.vocabularySize += 1
        XCTAssertThrowsError(try LanguageModel(config: c, tokenizer: tok)) { XCTAssertTrue("\($0)".contains("output tokens")) }
        XCTAssertThrowsError(try LanguageModel(config: Self.tinyConfig(tok, fusion: .lateAdd, width: 0), tokenizer: tok))
        let (train, dev) = try data(tok)
        let fused = try LanguageModel(config: Self.tinyConfig(tok, fusion: .lateAdd, width: 12), tokenizer: tok)
        XCTAssertThrowsError(try LMTrainer(model: fused, config: TrainingConfig(), train: train, dev: dev)) {
            XCTAssertTrue("\($0)".contains("needs sentence embeddings"))
        }
        var doc = TrainingConfig(); doc.context = .document
        let early = try LanguageModel(config: Self.tinyConfig(tok, fusion: .earlyH0, width: 12), tokenizer: tok)
        XCTAssertThrowsError(try LMTrainer(model: early, config: doc, train: train, dev: dev))
        var bad = TrainingConfig(); bad.dropout = 1
        XCTAssertThrowsError(try bad.validate())
    }
}
