import XCTest
import Tokenization
@testable import LanguageModels

final class FusionEmbeddingTests: XCTestCase {
    let embedder = BagOfWordsEmbedder(dimension: 16)

    func sentences() throws -> LMDataset {
        ToyText.dataset(6, seed: 3, tokenizer: try ToyText.tokenizer())
    }

    func column(_ e: FusionEmbeddings, _ s: Int, _ k: Int) -> [Float] {
        let c = e.column(sentence: s, position: k)
        return Array(e.values[(c * e.width)..<((c + 1) * e.width)])
    }

    func testPrefixStrideAndConstantSources() throws {
        let ds = try sentences()
        let prefix = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .prefix, embedder: embedder)
        let stride = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .stride(3), embedder: embedder)
        let previous = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .previousSentence, embedder: embedder)
        let full = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .fullSentence, embedder: embedder)
        let zero = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .zero, embedder: embedder)
        for (s, sent) in ds.sentences.enumerated() {
            XCTAssertEqual(prefix.counts[s], sent.wordCount + 1)
            for k in 0...sent.wordCount {
                let text = sent.words[0..<k].joined(separator: " ")
                XCTAssertEqual(column(prefix, s, k), try embedder.embed([text])[0])
                XCTAssertEqual(column(stride, s, k), column(prefix, s, 3 * (k / 3)))
                XCTAssertEqual(column(full, s, k), try embedder.embed([sent.words.joined(separator: " ")])[0])
                XCTAssertEqual(column(zero, s, k), [Float](repeating: 0, count: 16))
                let prev = s == 0 ? "" : ds.sentences[s - 1].words.joined(separator: " ")
                XCTAssertEqual(column(previous, s, k), try embedder.embed([prev])[0])
            }
        }
    }

    func testShuffledUsesAnotherSentence() throws {
        let ds = try sentences()
        let prefix = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .prefix, embedder: embedder)
        let shuffled = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .shuffled, embedder: embedder, seed: 2)
        for (s, sent) in ds.sentences.enumerated() {
            let last = column(shuffled, s, sent.wordCount)
            XCTAssertNotEqual(last, column(prefix, s, sent.wordCount), "sentence \(s) kept its own embedding")
            XCTAssertTrue((0..<ds.sentences.count).contains { o in o != s && (0...ds.sentences[o].wordCount).contains { column(prefix, o, $0) == last } })
        }
    }

    func testSourceParsingAndCacheFile() throws {
        for s in ["prefix", "stride:4", "previous", "zero", "shuffled", "full"] {
            XCTAssertEqual(try EmbeddingSource(parsing: s).description, s)
        }
        XCTAssertThrowsError(try EmbeddingSource(parsing: "stride:0"))
        let ds = try sentences()
        let e = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .prefix, embedder: embedder)
        let url = ToyText.tempDirectory().appendingPathComponent("e.bin")
        try e.save(to: url, key: "k1")
        XCTAssertEqual(FusionEmbeddings.load(from: url, key: "k1"), e)
        XCTAssertNil(FusionEmbeddings.load(from: url, key: "k2"))
    }

    /// Late fusion: the prediction of word k's tokens depends on e at position k only — changing
    /// the embedding of any other position leaves them unchanged (no leak from later words).
    func testPredictionsUseOnlyTheirOwnPosition() throws {
        let tok = try ToyText.tokenizer()
        var ds = ToyText.dataset(3, seed: 4, tokenizer: tok)
        ds.embeddings = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: .prefix, embedder: embedder)
        for mode in [FusionMode.lateConcat, .lateMultiply, .earlyBoth] {
            let model = try LanguageModel(config: LMConfig(vocabularySize: tok.vocabularySize, embeddingSize: 8, hiddenSize: 12, denseSize: 8,
                                                           fusion: mode, fusionWidth: 16), tokenizer: tok, seed: 2)
            let base = try model.logProbabilities(ds)
            let s = 0, k = 2
            var changed = ds
            var values = ds.embeddings!.values
            let c = ds.embeddings!.column(sentence: s, position: k)
            for i in (c * 16)..<((c + 1) * 16) { values[i] += 0.5 }
            changed.embeddings = try FusionEmbeddings(width: 16, counts: ds.embeddings!.counts, values: values)
            let after = try model.logProbabilities(changed)
            let sent = ds.sentences[s]
            for t in 0...sent.tokens.count {
                let position = t < sent.tokens.count ? Int(sent.wordOfToken[t]) : sent.wordCount
                if position == k { XCTAssertNotEqual(base[s][t], after[s][t], "\(mode) t=\(t)") } else { XCTAssertEqual(base[s][t], after[s][t], "\(mode) t=\(t)") }
            }
            XCTAssertEqual(base[1], after[1])
        }
    }
}
