import XCTest
@testable import Corpora

/// Word ↔ token alignment through character offsets, for any tokenizer.
final class AlignmentTests: XCTestCase {
    /// "The mill owners." — words [0,3) [4,8) [9,16).
    let words = [0..<3, 4..<8, 9..<16]

    func testSubwordTokensAndPunctuationSumPerWord() {
        // A GPT-2-like split: "The", " mill", " own", "ers", "."
        let tokens = [AlignedToken(0..<3, 1.0), AlignedToken(3..<8, 2.0), AlignedToken(8..<12, 3.0), AlignedToken(12..<15, 0.5), AlignedToken(15..<16, 0.25)]
        let a = WordTokenAlignment.align(words: words, tokens: tokens)
        XCTAssertEqual(a.sums, [1.0, 2.0, 3.75])
        XCTAssertEqual(a.tokens, [[0], [1], [2, 3, 4]])
        XCTAssertTrue(a.unaligned.isEmpty)
    }

    func testWhitespaceTokensGoToTheNextWord() {
        // A separate space token before "mill" (e.g. a byte-level tokenizer's "Ġ").
        let tokens = [AlignedToken(0..<3, 1), AlignedToken(3..<4, 0.5), AlignedToken(4..<8, 2), AlignedToken(9..<16, 4), AlignedToken(16..<17, 9)]
        let a = WordTokenAlignment.align(words: words, tokens: tokens)
        XCTAssertEqual(a.sums, [1, 2.5, 4])
        XCTAssertEqual(a.unusedTokens, [4])
    }

    func testUnalignableWordsAreReported() {
        // One token spans "mill owners." (crosses a word boundary); "The" has no token at all.
        let tokens = [AlignedToken(4..<16, 5)]
        let a = WordTokenAlignment.align(words: words, tokens: tokens)
        XCTAssertEqual(a.sums, [nil, nil, nil])
        XCTAssertEqual(a.unaligned.map(\.word), [0, 1, 2])
        XCTAssertEqual(a.unaligned.map(\.problem), [.noToken, .tokenCrossesWordBoundary(token: 0), .tokenCrossesWordBoundary(token: 0)])
    }

    func testTokensInAnyOrderAndCorpusText() throws {
        var b = CorpusBuilder()
        b.addText(id: "1", words: ["“Stop", "here,”", "she", "said."].map { WordSpec(form: $0) })
        let corpus = b.build(name: "t")
        let text = corpus.texts[0]
        XCTAssertEqual(text.content, "“Stop here,” she said.")
        // Offsets in Unicode scalars, as Python string indices count them.
        XCTAssertEqual(corpus.words.map(\.characterRange), [0..<5, 6..<12, 13..<16, 17..<22])
        let tokens = [AlignedToken(17..<21, 4), AlignedToken(0..<1, 1), AlignedToken(1..<5, 2), AlignedToken(6..<11, 3), AlignedToken(11..<12, 1),
                      AlignedToken(12..<16, 5), AlignedToken(21..<22, 1)]
        let a = WordTokenAlignment.align(text: text, corpus: corpus, tokens: tokens)
        XCTAssertEqual(a.sums, [3, 4, 5, 5])
    }
}
