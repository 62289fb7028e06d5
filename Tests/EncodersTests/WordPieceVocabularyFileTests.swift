import Foundation
import Tokenization
import XCTest

/// Reading `vocab.txt`: found by fuzzing (scripts/fuzz wordpiece) — a file with `\r\n` line
/// ends was read as one single token, because splitting a String on the Character "\n" never
/// matches the one-grapheme "\r\n".
final class WordPieceVocabularyFileTests: XCTestCase {
    private func load(_ text: String) throws -> WordPieceVocabulary {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("vocab.txt")
        try Data(text.utf8).write(to: url)
        return try WordPieceVocabulary(contentsOf: url)
    }

    func testCRLFLineEndsGiveOneTokenPerLine() throws {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "##lo"]
        let crlf = try load(tokens.joined(separator: "\r\n") + "\r\n")
        XCTAssertEqual(crlf.tokens, tokens)
        XCTAssertEqual(crlf.id(of: "[SEP]"), 3)
        XCTAssertNoThrow(try WordPieceTokenizer(vocabulary: crlf))
        // The same file with LF line ends, and without the final line end, reads the same.
        XCTAssertEqual(try load(tokens.joined(separator: "\n") + "\n").tokens, tokens)
        XCTAssertEqual(try load(tokens.joined(separator: "\r\n")).tokens, tokens)
    }

    func testOnlyALineEndsCarriageReturnIsRemoved() throws {
        // A "\r" inside a line stays part of the token; an empty line is an (empty) token.
        XCTAssertEqual(try load("a\rb\r\n\r\nc\n").tokens, ["a\rb", "", "c"])
    }
}
