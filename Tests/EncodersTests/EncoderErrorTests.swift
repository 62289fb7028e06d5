import Encoders
import Foundation
import Tokenization
import XCTest

/// Broken model folders and awkward input give clear errors or documented behaviour, never a crash.
final class EncoderErrorTests: XCTestCase {
    /// A copy of the real model folder's small files, with `model.safetensors` as given.
    private func modelCopy(weights: Data?) throws -> URL {
        let real = try TestSupport.requireModel()
        let dir = try TestSupport.temporaryDirectory(self)
        for f in ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "modules.json"] {
            let src = real.appendingPathComponent(f)
            if FileManager.default.fileExists(atPath: src.path) { try FileManager.default.copyItem(at: src, to: dir.appendingPathComponent(f)) }
        }
        if let weights { try weights.write(to: dir.appendingPathComponent("model.safetensors")) }
        return dir
    }

    func testMissingFolderSaysToRunSetup() throws {
        let dir = try TestSupport.temporaryDirectory(self).appendingPathComponent("nowhere")
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
            guard case EncoderError.missingFile = e else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("scripts/setup"), "\(e)")
        }
    }

    func testMissingWeightsSaysToRunSetup() throws {
        let dir = try modelCopy(weights: nil)
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
            XCTAssertTrue("\(e)".contains("model.safetensors") && "\(e)".contains("scripts/setup"), "\(e)")
        }
    }

    func testCorruptWeights() throws {
        for bytes in [Data("this is not a weights file at all".utf8), Data(repeating: 0, count: 4)] {
            let dir = try modelCopy(weights: bytes)
            XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
                guard case EncoderError.corruptWeights = e else { return XCTFail("\(e)") }
            }
        }
    }

    func testTruncatedRealWeights() throws {
        let real = try TestSupport.requireModel()
        let file = try FileHandle(forReadingFrom: real.appendingPathComponent("model.safetensors"))
        let head = try file.read(upToCount: 3_000_000) ?? Data()  // header intact, tensors cut off
        try file.close()
        let dir = try modelCopy(weights: head)
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
            guard case EncoderError.corruptWeights = e else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
        }
    }

    func testWeightsWithoutATensor() throws {
        let dir = try modelCopy(weights: SafeTensorsWriter.data([.init(name: "embeddings.word_embeddings.weight", shape: [1], values: [0])]))
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
            guard case EncoderError.tensorMismatch(let name, _, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "embeddings.word_embeddings.weight")
        }
    }

    func testMissingVocabulary() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TinyBert().write(to: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("vocab.txt"))
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in
            XCTAssertTrue("\(e)".contains("vocab.txt"), "\(e)")
        }
    }

    func testVocabularyLargerThanEmbeddingTable() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let tiny = TinyBert()
        try tiny.write(to: dir)
        try ((tiny.vocab + ["extra1", "extra2"]).joined(separator: "\n")).write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { e in XCTAssertTrue("\(e)".contains("embeddings"), "\(e)") }
    }

    func testEmptyTextIsClsSepAndLongTextIsTruncated() throws {
        let encoder = try TestSupport.encoder()
        XCTAssertEqual(encoder.tokenize("").ids, [101, 102])
        XCTAssertEqual(try encoder.embed(""), try encoder.embed(tokenIDs: [[101, 102]])[0])
        let words = (0..<400).map { ["reading", "is", "fun", "and", "useful"][$0 % 5] }
        let long = words.joined(separator: " ")
        let e = encoder.tokenize(long)
        XCTAssertEqual(e.count, 128)
        XCTAssertTrue(e.isTruncated)
        let first126 = words.prefix(126).joined(separator: " ")
        XCTAssertEqual(try encoder.embed(long), try encoder.embed(first126), "a long text is its first 126 word pieces")
    }

    func testTooLongTokenSequencesAreRejected() throws {
        let encoder = try TestSupport.encoder()
        XCTAssertThrowsError(try encoder.embed(tokenIDs: [[Int32]](repeating: [101] + [Int32](repeating: 1996, count: 600) + [102], count: 1))) { e in
            XCTAssertEqual(e as? EncoderError, .sequenceTooLong(length: 602, maximum: 512))
        }
        XCTAssertThrowsError(try encoder.embed(tokenIDs: [[101, 40_000, 102]])) { e in
            XCTAssertEqual(e as? EncoderError, .invalidTokenID(40_000, vocabularySize: 30_522))
        }
    }
}
