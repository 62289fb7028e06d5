import Tokenization
import XCTest

/// The encoder's tokenizer on its own (BERT's rules), with a tiny vocabulary.
final class WordPieceTests: XCTestCase {
    private func tokenizer() throws -> WordPieceTokenizer {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "un", "##aff", "##able", ",", "!", "cafe"]
        return try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: tokens))
    }

    func testGreedyLongestMatchWithSpecialTokensAndOffsets() throws {
        let tok = try tokenizer()
        let text = "The cat, unaffable!"
        let enc = tok.encode(text)
        XCTAssertEqual(enc.tokens, ["[CLS]", "the", "cat", ",", "un", "##aff", "##able", "!", "[SEP]"])
        XCTAssertEqual(enc.ids.first, tok.classifierID)
        XCTAssertEqual(enc.ids.last, tok.separatorID)
        // Offsets point back into the original text (here: "The" keeps its capital).
        let range = WordPieceEncoding.stringRange(enc.offsets[1], in: text)
        XCTAssertEqual(range.map { String(text[$0]) }, "The")
        XCTAssertEqual(enc.wordIndices[4], enc.wordIndices[6], "pieces of one word share its index")
        XCTAssertNotEqual(enc.wordIndices[3], enc.wordIndices[4])
    }

    func testUnknownWordsAccentsAndTruncation() throws {
        let tok = try tokenizer()
        XCTAssertEqual(tok.encode("café dog").tokens, ["[CLS]", "cafe", "[UNK]", "[SEP]"], "accents stripped; no piece fits dog")
        let long = tok.encode("the cat sat the cat sat", maxLength: 5)
        XCTAssertEqual(long.tokens, ["[CLS]", "the", "cat", "sat", "[SEP]"])
        XCTAssertTrue(long.isTruncated)
        XCTAssertEqual(long.untruncatedPieceCount, 6)
    }

    func testNormalizerKeepsOriginsOfEveryScalar() {
        let normalized = BertNormalizer().normalize("Ça\tVA")
        XCTAssertEqual(String(String.UnicodeScalarView(normalized.scalars)), "ca va")
        XCTAssertEqual(normalized.origin.count, normalized.scalars.count)
        XCTAssertEqual(normalized.origin.last, 4, "the last scalar comes from the input's fifth character")
    }
}
