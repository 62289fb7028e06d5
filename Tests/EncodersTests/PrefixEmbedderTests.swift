import Encoders
import Foundation
import XCTest

/// Prefix embeddings and their strategies, with and without the cache.
final class PrefixEmbedderTests: XCTestCase {
    let texts = [["The", "old", "man", "the", "boats."], ["While", "the", "man", "hunted,", "the", "deer", "ran."]]

    private func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= tol }
    }

    func testFullPrefixesAreEmbeddingsOfThePrefixTexts() throws {
        let encoder = try TestSupport.encoder()
        let embedder = PrefixEmbedder(encoder: encoder)
        let (vectors, stats) = try embedder.embeddingsWithStats(texts: texts, strategy: .full)
        XCTAssertEqual(vectors.map(\.count), [5, 7])
        XCTAssertEqual(stats.distinctPrefixes, 5 + 7 - 1, "the empty prefix is shared")
        for (t, words) in texts.enumerated() {
            for i in words.indices {
                let want = try encoder.embed(words.prefix(i).joined(separator: " "))
                XCTAssertTrue(close(vectors[t][i], want), "text \(t) word \(i)")
            }
        }
        XCTAssertTrue(close(vectors[0][0], try encoder.embed("")), "the first word's prefix is the empty text")
    }

    func testStrideReusesTheLatestComputedPrefix() throws {
        let encoder = try TestSupport.encoder()
        let embedder = PrefixEmbedder(encoder: encoder)
        let full = try embedder.embeddings(texts: texts, strategy: .full)
        let (s3, stats) = try embedder.embeddingsWithStats(texts: texts, strategy: .stride(3))
        XCTAssertEqual(stats.distinctPrefixes, 1 + 1 + 2)  // "", "The old man", "While the man", "While the man hunted, the deer"
        for (t, words) in texts.enumerated() {
            for i in words.indices { XCTAssertTrue(close(s3[t][i], full[t][3 * (i / 3)]), "text \(t) word \(i)") }
        }
        let s1 = try embedder.embeddings(texts: texts, strategy: .stride(1))
        XCTAssertTrue(zip(s1.joined(), full.joined()).allSatisfy { close($0, $1) })
        XCTAssertThrowsError(try embedder.embeddings(texts: texts, strategy: .stride(0)))
    }

    func testPreviousSentenceAndNone() throws {
        let encoder = try TestSupport.encoder()
        let embedder = PrefixEmbedder(encoder: encoder, pooling: .cls)
        let prev = try embedder.embeddings(texts: texts, strategy: .previousSentence)
        let empty = try encoder.embed("", pooling: .cls), first = try encoder.embed(texts[0].joined(separator: " "), pooling: .cls)
        XCTAssertTrue(prev[0].allSatisfy { close($0, empty) })
        XCTAssertTrue(prev[1].allSatisfy { close($0, first) })
        let none = try embedder.embeddings(texts: texts, strategy: .none)
        XCTAssertEqual(none.map(\.count), [5, 7])
        XCTAssertTrue(none.joined().allSatisfy { $0 == [Float](repeating: 0, count: 384) })
    }

    func testStrategyNames() {
        XCTAssertEqual(PrefixStrategy(name: "full"), .full)
        XCTAssertEqual(PrefixStrategy(name: "stride-4"), .stride(4))
        XCTAssertEqual(PrefixStrategy(name: "stride:2"), .stride(2))
        XCTAssertEqual(PrefixStrategy(name: "previous-sentence"), .previousSentence)
        XCTAssertEqual(PrefixStrategy(name: "none"), PrefixStrategy.none)
        XCTAssertNil(PrefixStrategy(name: "stride-0"))
        XCTAssertNil(PrefixStrategy(name: "sometimes"))
        XCTAssertEqual(PrefixStrategy.stride(8).description, "stride-8")
    }

    func testLongPrefixesKeepTheirLastPieces() throws {
        let encoder = try TestSupport.encoder()
        let words = (0..<140).map { "w\($0 % 10)" }  // "w3" is two pieces: 280 pieces in all
        let embedder = PrefixEmbedder(encoder: encoder, pooling: .meanRaw)
        let v = try embedder.embeddings(texts: [words], strategy: .stride(139))
        let pieces = words.prefix(139).flatMap { encoder.tokenizer.wordPieceIDs($0) }
        let want = try encoder.embed(tokenIDs: [[101] + pieces.suffix(126) + [102]], pooling: .meanRaw)[0]
        XCTAssertTrue(close(v[0][139], want))
    }

    func testSecondRunComesFromTheCache() throws {
        let encoder = try TestSupport.encoder()
        let dir = try TestSupport.temporaryDirectory(self)
        func open() throws -> EmbeddingCache {
            try EmbeddingCache(directory: dir, modelFingerprint: "test-fingerprint-0123456789abcdef", pooling: .mean,
                               maxLength: encoder.maxLength, dimension: encoder.dimension)
        }
        let first = try PrefixEmbedder(encoder: encoder, cache: try open()).embeddingsWithStats(texts: texts, strategy: .full)
        XCTAssertEqual(first.stats.computed, 11)
        XCTAssertEqual(first.stats.cacheHits, 0)
        let cache = try open()
        XCTAssertEqual(cache.loadedCount, 11)
        let second = try PrefixEmbedder(encoder: encoder, cache: cache).embeddingsWithStats(texts: texts, strategy: .full)
        XCTAssertEqual(second.stats.computed, 0)
        XCTAssertEqual(second.stats.cacheHits, 11)
        XCTAssertEqual(second.vectors, first.vectors)
        // Plain texts share the cache: the prefix "The old man the" is a text like any other.
        let (v, hits) = try encoder.embed(["The old man the", "something new"], cache: cache)
        XCTAssertEqual(hits, 1)
        XCTAssertEqual(v[0], first.vectors[0][4], "from the cache: bit for bit")
    }
}
