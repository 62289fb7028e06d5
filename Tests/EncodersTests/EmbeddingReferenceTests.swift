import Encoders
import Foundation
import Tokenization
import XCTest

/// Embeddings against an independent float64 NumPy forward pass (make_reference.py), every
/// reference sentence, every pooling: within 1e-4 absolute per component.
final class EmbeddingReferenceTests: XCTestCase {
    func testEveryPoolingMatchesReference() throws {
        let encoder = try TestSupport.encoder()
        let sentences = try TestSupport.referenceSentences()
        let texts = sentences.map(\.text)
        for pooling in Pooling.allCases {
            let expected = try TestSupport.referenceVectors(pooling, width: encoder.dimension)
            XCTAssertEqual(expected.count, texts.count)
            let got = try encoder.embed(texts, pooling: pooling)
            var worst: Float = 0, worstText = ""
            for (i, (g, e)) in zip(got, expected).enumerated() {
                XCTAssertEqual(g.count, e.count)
                let diff = zip(g, e).map { abs($0 - $1) }.max() ?? 0
                if diff > worst { worst = diff; worstText = texts[i] }
                XCTAssertLessThanOrEqual(diff, 1e-4, "\(pooling) \(texts[i].debugDescription)")
            }
            print("pooling \(pooling.rawValue): largest difference \(worst) (\(worstText.prefix(40).debugDescription))")
        }
    }

    func testCheckValueFromMethods() throws {
        let encoder = try TestSupport.encoder()
        XCTAssertEqual(encoder.defaultPooling, .mean)
        let v = try encoder.embed("The cat sat on the mat.")
        XCTAssertEqual(v.count, 384)
        for (g, e) in zip(v.prefix(5), [0.13024, -0.01577, -0.03672, 0.05799, -0.05979] as [Float]) {
            XCTAssertEqual(g, e, accuracy: 1e-5)
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertEqual(norm, 1, accuracy: 1e-5)
    }

    func testBatchingDoesNotChangeResults() throws {
        let encoder = try TestSupport.encoder()
        let texts = try TestSupport.referenceSentences().prefix(40).map(\.text)
        let together = try encoder.embed(texts, pooling: .meanRaw)
        for (i, t) in texts.enumerated() where i % 7 == 0 {
            let alone = try encoder.embed(t, pooling: .meanRaw)
            XCTAssertLessThanOrEqual(zip(alone, together[i]).map { abs($0 - $1) }.max() ?? 0, 1e-5)
        }
    }

    func testEmptyInputListAndEmptyText() throws {
        let encoder = try TestSupport.encoder()
        XCTAssertEqual(try encoder.embed([String]()).count, 0)
        let empty = try encoder.embed("")
        XCTAssertEqual(empty.count, 384)
        XCTAssertTrue(empty.allSatisfy(\.isFinite))
    }
}
