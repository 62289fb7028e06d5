import Encoders
import Foundation
import Tokenization
import XCTest

/// The forward pass on a tiny random BERT (sizes from its config.json) against textbook formulas
/// in Double — the code is not tied to all-MiniLM-L6-v2's sizes.
final class TinyBertTests: XCTestCase {
    func testForwardPassMatchesNaiveReference() throws {
        let tiny = TinyBert()
        let dir = try TestSupport.temporaryDirectory(self)
        try tiny.write(to: dir)
        let model = try BertModel(directory: dir)
        XCTAssertEqual(model.config.hiddenSize, 8)
        XCTAssertEqual(model.config.headCount, 2)
        for ids in [[2, 5, 6, 7, 8, 5, 9, 10, 3], [2, 3], [2, 13, 11, 14, 3]] {
            let got = try model.hiddenStates(ids.map(Int32.init))
            let want = tiny.reference(ids)
            for (g, w) in zip(got.joined(), want.joined()) { XCTAssertEqual(Double(g), w, accuracy: 2e-5) }
        }
    }

    func testBatchedEncoderPoolingAndBertPrefix() throws {
        let tiny = TinyBert()
        let dir = try TestSupport.temporaryDirectory(self)
        try tiny.write(to: dir, namePrefix: "bert.")
        let encoder = try SentenceEncoder(directory: dir, threads: 2)
        XCTAssertEqual(encoder.maxLength, 16, "no tokenizer.json: 512 capped by the 16 positions")
        let texts = ["the cat sat on the mat.", "a dog ran", "", "the cats ran on a mat"]
        for pooling in Pooling.allCases {
            let got = try encoder.embed(texts, pooling: pooling)
            for (t, v) in zip(texts, got) {
                let h = tiny.reference(encoder.tokenize(t).ids.map(Int.init))
                var want: [Double]
                switch pooling {
                case .cls: want = h[0]
                case .mean, .meanRaw: want = (0..<8).map { j in h.reduce(0) { $0 + $1[j] } / Double(h.count) }
                }
                if pooling == .mean {
                    let n = want.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    want = want.map { $0 / n }
                }
                for (g, w) in zip(v, want) { XCTAssertEqual(Double(g), w, accuracy: 2e-5, "\(pooling) \(t)") }
            }
        }
    }

    func testSequencesLongerThanPositionsAreRejectedNotCrashed() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TinyBert().write(to: dir)
        let model = try BertModel(directory: dir)
        XCTAssertThrowsError(try model.hiddenStates([Int32](repeating: 5, count: 17))) { e in
            XCTAssertEqual(e as? EncoderError, .sequenceTooLong(length: 17, maximum: 16))
        }
        XCTAssertThrowsError(try model.hiddenStates([2, 99, 3])) { e in
            XCTAssertEqual(e as? EncoderError, .invalidTokenID(99, vocabularySize: 15))
        }
        // The encoder truncates instead: a long text still embeds.
        let encoder = try SentenceEncoder(directory: dir)
        let long = Array(repeating: "cat", count: 40).joined(separator: " ")
        XCTAssertTrue(encoder.tokenize(long).isTruncated)
        XCTAssertEqual(try encoder.embed(long).count, 8)
    }

    func testConfigErrors() throws {
        let tiny = TinyBert()
        for (override, words) in [(["num_attention_heads": 3] as [String: Any], "inconsistent"),
                                  (["hidden_act": "swish"], "hidden_act"),
                                  (["position_embedding_type": "relative_key"], "position_embedding_type"),
                                  (["model_type": "gpt2"], "model_type")] {
            let dir = try TestSupport.temporaryDirectory(self)
            try tiny.write(to: dir, configOverrides: override)
            XCTAssertThrowsError(try BertModel(directory: dir)) { e in XCTAssertTrue("\(e)".contains(words), "\(e)") }
        }
        let dir = try TestSupport.temporaryDirectory(self)
        try tiny.write(to: dir)
        try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try BertModel(directory: dir)) { e in XCTAssertTrue("\(e)".contains("missing hidden_size"), "\(e)") }
    }

    func testWeightsThatDoNotFitTheConfig() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TinyBert().write(to: dir, configOverrides: ["intermediate_size": 32])
        XCTAssertThrowsError(try BertModel(directory: dir)) { e in
            guard case EncoderError.tensorMismatch(let name, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(name.contains("intermediate"), name)
        }
        let dir2 = try TestSupport.temporaryDirectory(self)
        try TinyBert().write(to: dir2, configOverrides: ["num_hidden_layers": 3])
        XCTAssertThrowsError(try BertModel(directory: dir2)) { e in
            XCTAssertEqual(e as? EncoderError, .missingTensor(name: "encoder.layer.2.attention.self.query.weight",
                                                              path: dir2.appendingPathComponent("model.safetensors").path))
        }
    }
}
