import XCTest
import Foundation
import Numerics
@testable import LanguageModels

final class RunAndSettingsTests: XCTestCase {
    /// Softmax cross-entropy's gradient on its own: scale·(softmax − onehot), by finite differences.
    func testSoftmaxCrossEntropyGradient() {
        var rng = SeededGenerator(seed: 5)
        let V = 7, K = 3
        let z0 = (0..<(V * K)).map { _ in rng.nextUnit() * 6 - 3 }
        let targets: [Int32] = [2, 0, 6]
        func loss(_ z: [Double]) -> Double {
            var c = z
            return c.withUnsafeMutableBufferPointer { Kernels.softmaxCrossEntropy(rows: V, count: K, logits: $0.baseAddress!, targets: targets, gradientScale: nil, logProbs: nil) }
        }
        var g = z0
        _ = g.withUnsafeMutableBufferPointer { Kernels.softmaxCrossEntropy(rows: V, count: K, logits: $0.baseAddress!, targets: targets, gradientScale: 0.5, logProbs: nil) }
        for i in 0..<(V * K) {
            var p = z0, m = z0
            p[i] += 1e-6; m[i] -= 1e-6
            XCTAssertEqual(g[i], 0.5 * (loss(p) - loss(m)) / 2e-6, accuracy: 1e-8)
        }
    }

    /// A whole run on disk: text file → splits → tokenizer → training with checkpoints → summary;
    /// running it again finds the finished checkpoint and does no more steps.
    func testRunOnDisk() throws {
        let dir = ToyText.tempDirectory()
        let textURL = dir.appendingPathComponent("toy.txt")
        try ToyText.paragraphs(300).write(to: textURL, atomically: true, encoding: .utf8)
        var spec = LMRunSpec(text: .init(path: textURL.path))
        spec.text.devSentences = 30; spec.text.testSentences = 30
        spec.tokenizer.vocabularySize = 400; spec.tokenizer.allowSmaller = true
        spec.model.embeddingSize = 8; spec.model.hiddenSize = 12; spec.model.denseSize = 8
        spec.training.steps = 6; spec.training.evalEvery = 3; spec.training.batchSize = 16; spec.training.warmupSteps = 1
        let run = LMRun(spec: spec, directory: dir.appendingPathComponent("run"))
        let summary = try run.trainModel()
        XCTAssertTrue(summary.finished)
        XCTAssertEqual(summary.curve.map(\.step), [3, 6])
        for f in ["run.json", "tokenizer.json", "checkpoint.rtlm", "model.rtlm", "curve.tsv", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/\(f)").path), f)
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: run.summaryURL)) as! [String: Any]
        XCTAssertNotNil((json["test"] as? [String: Any])?["perplexity_per_word"])
        let again = LMRun(spec: spec, directory: dir.appendingPathComponent("run"))
        XCTAssertEqual(try again.trainModel().steps, 6)
        XCTAssertEqual(try JSONDecoder().decode(LMRunSpec.self, from: Data(contentsOf: dir.appendingPathComponent("run/run.json"))), spec)
    }
}
