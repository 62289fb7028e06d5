import XCTest
import Foundation
import Tokenization
import Numerics
@testable import LanguageModels

final class EvaluationTests: XCTestCase {
    func testPerplexityDefinitions() {
        let r = PerplexityReport(sentences: 2, words: 8, predictions: 14, nats: 28)
        XCTAssertEqual(r.natsPerToken, 2)
        XCTAssertEqual(r.tokenPerplexity, exp(2), accuracy: 1e-12)
        XCTAssertEqual(r.bitsPerToken, 2 / log(2), accuracy: 1e-12)
        XCTAssertEqual(r.wordPerplexity, exp(2.8), accuracy: 1e-12)       // 28 nats over 8 words + 2 </s>
        XCTAssertEqual(r.bitsPerWord, 2.8 / log(2), accuracy: 1e-12)
        XCTAssertEqual(r.paperStylePerplexity, 4, accuracy: 1e-12)         // 2^(nats/token): the paper's formula
        XCTAssertEqual(pow(2, r.bitsPerToken), r.tokenPerplexity, accuracy: 1e-9)
    }

    func model() throws -> LanguageModel {
        let tok = try ToyText.tokenizer()
        return try LanguageModel(config: LMConfig(vocabularySize: tok.vocabularySize, embeddingSize: 8, hiddenSize: 12, denseSize: 8),
                                 tokenizer: tok, seed: 3)
    }

    func testWordSurprisalIsTheSumOfItsTokensAndMatchesPerplexity() throws {
        let m = try model()
        let sentences = [["The", "cat", "saw", "a", "xylophone,", "", "(really)!"], ["Her", "sister", "helped."]]
        let scored = try SurprisalScorer(model: m).score(sentences: sentences)
        XCTAssertEqual(scored.map(\.count), [7, 3])
        for w in scored.flatMap({ $0 }) where !w.tokens.isEmpty {
            XCTAssertEqual(w.surprisal, w.tokenSurprisals.reduce(0, +), accuracy: 1e-9)
            XCTAssertEqual(w.tokens.last?.hasSuffix("</w>"), true)
            XCTAssertGreaterThan(w.surprisal, 0)
        }
        XCTAssertTrue(scored[0][5].surprisal.isNaN)
        XCTAssertEqual(scored[0][4].tokens.last, ",</w>")
        // Word surprisals + </s> add up to the perplexity's total (in bits).
        let ds = LMDataset(sentences: sentences.map {
            let e = m.tokenizer.encode(words: $0)
            return LMSentence(tokens: e.ids, wordOfToken: e.wordIndices.map(Int32.init), words: $0)
        })
        let lp = try m.logProbabilities(ds)
        let wordBits = scored.flatMap { $0 }.filter { !$0.surprisal.isNaN }.reduce(0) { $0 + $1.surprisal }
        let eosBits = lp.reduce(0) { $0 - $1.last! / log(2) }
        XCTAssertEqual(wordBits + eosBits, try m.evaluate(ds).nats / log(2), accuracy: 1e-6)
    }

    /// Inference copies the first layer's input projection from a per-token table; it must agree
    /// with the product computed per position, and follow weight changes.
    func testInputTableMatchesTheDirectProduct() throws {
        let m = try model()
        let ds = ToyText.dataset(5, seed: 8, tokenizer: m.tokenizer)
        func direct() -> [Double] {
            var rng = SeededGenerator(seed: 0)
            return Batching.sentenceBatch(ds, ids: Array(ds.sentences.indices), fusion: .none).flatMap {
                m.core.run($0, rng: &rng, wantLogProbs: true).logProbs
            }
        }
        func viaTable() throws -> [Double] {
            var rng = SeededGenerator(seed: 0)
            let table = m.inferenceInputTable()
            return Batching.sentenceBatch(ds, ids: Array(ds.sentences.indices), fusion: .none).flatMap {
                m.core.run($0, rng: &rng, wantLogProbs: true, inputTable: table).logProbs
            }
        }
        for (a, b) in zip(direct(), try viaTable()) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        var w = m.parameters
        for i in w.indices { w[i] *= 1.5 }
        try m.setParameters(w)
        for (a, b) in zip(direct(), try viaTable()) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testUnseenCharactersAreScoredNotRejected() throws {
        let m = try model()
        let scored = try SurprisalScorer(model: m).score(sentences: [["Der", "Schnee☃", "fällt", "日本語!", "\u{1F600}"]])
        for w in scored[0] {
            XCTAssertTrue(w.surprisal.isFinite && w.surprisal > 0, "\(w.word): \(w.surprisal)")
            XCTAssertEqual(w.tokens.last?.hasSuffix("</w>"), true)
        }
        XCTAssertTrue(scored[0][1].tokens.contains("<0xE2>"))   // ☃ = E2 98 83, by byte fallback
    }

    func testDocumentContextCarriesOver() throws {
        let m = try model()
        let sentences = [["The", "farmer", "called."], ["A", "dog", "followed", "the", "river."]]
        let single = try SurprisalScorer(model: m, context: .sentence).score(sentences: sentences)
        let document = try SurprisalScorer(model: m, context: .document).score(sentences: sentences)
        for w in 0..<3 { XCTAssertEqual(single[0][w].surprisal, document[0][w].surprisal, accuracy: 1e-4) }
        XCTAssertNotEqual(single[1][0].surprisal, document[1][0].surprisal)
    }

    func testOffsetsInATextAndUnalignedWords() throws {
        let m = try model()
        let text = "  The cat,\n saw \"a\" bird.  Then it left."
        let sentences = [["The", "cat,", "saw", "\"a\"", "bird."], ["Then", "it", "flew."]]
        let (words, unaligned) = try SurprisalScorer(model: m).score(text: text, sentences: sentences)
        let scalars = Array(text.unicodeScalars)
        func sub(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        XCTAssertEqual(words[0].map { $0.offset.map(sub) }, ["The", "cat,", "saw", "\"a\"", "bird."])
        XCTAssertEqual(words[0][1].tokenOffsets.map(sub).joined(), "cat,")
        XCTAssertEqual(unaligned.map { [$0.sentence, $0.word] }, [[1, 2]])
        XCTAssertFalse(words[1][2].surprisal.isNaN)   // still scored
    }

    func testScoringAFusedModelNeedsItsEncoder() throws {
        let tok = try ToyText.tokenizer()
        let m = try LanguageModel(config: LMConfig(vocabularySize: tok.vocabularySize, embeddingSize: 8, hiddenSize: 12, denseSize: 8,
                                                   fusion: .lateConcat, fusionWidth: 16), tokenizer: tok)
        m.fusion = FusionProvenance(source: .prefix, embedder: "bag-of-words-16")
        XCTAssertThrowsError(try SurprisalScorer(model: m).score(sentences: [["a"]]))
        XCTAssertThrowsError(try SurprisalScorer(model: m, embedder: BagOfWordsEmbedder(dimension: 32)).score(sentences: [["a"]]))
        let s = try SurprisalScorer(model: m, embedder: BagOfWordsEmbedder(dimension: 16)).score(sentences: [["The", "cat."]])
        XCTAssertEqual(s[0].count, 2)
    }
}
