import Encoders
import Foundation
import Tokenization
import XCTest

/// WordPiece ids and offsets against the model's own tokenizer (reference made by
/// benchmarks/encoder/make_reference.py with the `tokenizers` package and tokenizer.json).
final class TokenizerReferenceTests: XCTestCase {
    func testMatchesReferenceTokenizerOnEverySentence() throws {
        let dir = try TestSupport.requireModel()
        let tokenizer = try WordPieceTokenizer(directory: dir)
        let sentences = try TestSupport.referenceSentences()
        XCTAssertGreaterThanOrEqual(sentences.count, 200)
        var failures = 0
        for s in sentences {
            let e = tokenizer.encode(s.text)
            if e.ids != s.ids || e.offsets != s.offsets {
                failures += 1
                XCTFail("\(s.text.debugDescription):\n ids \(e.ids)\n exp \(s.ids)\n off \(e.offsets.map { [$0.lowerBound, $0.upperBound] })\n exp \(s.offsets.map { [$0.lowerBound, $0.upperBound] })")
            }
        }
        XCTAssertEqual(failures, 0)
    }

    func testCheckValueFromMethods() throws {
        let tokenizer = try WordPieceTokenizer(directory: try TestSupport.requireModel())
        let e = tokenizer.encode("The cat sat on the mat.")
        XCTAssertEqual(e.ids, [101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102])
        XCTAssertEqual(e.tokens, ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"])
        XCTAssertEqual(e.offsets[2], 4..<7)
        XCTAssertEqual(WordPieceEncoding.stringRange(e.offsets[2], in: "The cat sat on the mat.").map { String("The cat sat on the mat."[$0]) }, "cat")
    }

    func testTruncationFollowsTokenizerJSON() throws {
        let dir = try TestSupport.requireModel()
        let tokenizer = try WordPieceTokenizer(directory: dir)
        XCTAssertEqual(tokenizer.settings.maxLength, 128, "all-MiniLM-L6-v2's tokenizer.json truncates to 128 tokens")
        let long = Array(repeating: "word", count: 300).joined(separator: " ")
        let e = tokenizer.encode(long)
        XCTAssertEqual(e.count, 128)
        XCTAssertTrue(e.isTruncated)
        XCTAssertEqual(e.untruncatedPieceCount, 300)
        XCTAssertEqual(e.ids.last, tokenizer.separatorID)
        XCTAssertEqual(tokenizer.encode(long, maxLength: 10).count, 10)
        XCTAssertFalse(tokenizer.encode("short text").isTruncated)
    }

    func testEmptyAndWhitespaceTextGiveOnlySpecialTokens() throws {
        let tokenizer = try WordPieceTokenizer(directory: try TestSupport.requireModel())
        for text in ["", "   ", "\n\t", "\u{0}\u{200B}"] {
            XCTAssertEqual(tokenizer.encode(text).ids, [tokenizer.classifierID, tokenizer.separatorID], text.debugDescription)
        }
    }

    func testSmallVocabularyWithoutFiles() throws {
        let vocab = WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "a", ",", "##ble"])
        let t = try WordPieceTokenizer(vocabulary: vocab)
        let e = t.encode("Unaffable, AXE")
        XCTAssertEqual(e.tokens, ["[CLS]", "un", "##aff", "##able", ",", "[UNK]", "[SEP]"])
        XCTAssertEqual(e.offsets, [0..<0, 0..<2, 2..<5, 5..<9, 9..<10, 11..<14, 0..<0])
        XCTAssertEqual(e.wordIndices, [nil, 0, 0, 0, 1, 2, nil])
    }

    func testMissingSpecialTokenIsAnError() {
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: ["a", "b"])))
    }

    func testMissingOrEmptyVocabularyIsAClearError() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        XCTAssertThrowsError(try WordPieceTokenizer(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("vocab.txt"), "\(error)")
        }
        try Data().write(to: dir.appendingPathComponent("vocab.txt"))
        XCTAssertThrowsError(try WordPieceTokenizer(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }
}
