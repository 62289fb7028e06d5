import XCTest
import Numerics
@testable import LanguageModels

/// The packed-panel products of the LSTM (`PackedWeights`, CLMKernels): correct, and each column
/// computed the same way whatever the batch width, its position and the thread split — which is
/// what makes scoring independent of the batch size.
final class PackedWeightsTests: XCTestCase {
    /// Deterministic pseudo-random values in [−0.5, 0.5).
    func values(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in Float(rng.nextUnit() - 0.5) }
    }

    /// W (m × k) · X (k × n) in Double, column-major.
    func reference(_ w: [Float], _ x: [Float], m: Int, n: Int, k: Int, plus c: [Float]? = nil) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for j in 0..<n { for i in 0..<m {
            var s = Double(c?[i + j * m] ?? 0)
            for q in 0..<k { s += Double(w[i + q * m]) * Double(x[q + j * k]) }
            out[i + j * m] = s
        } }
        return out
    }

    func multiply(_ p: PackedWeights, _ x: [Float], n: Int, k: Int, c: inout [Float], m: Int, accumulate: Bool, worker: PairedWorker?) {
        x.withUnsafeBufferPointer { xp in c.withUnsafeMutableBufferPointer { cp in
            p.multiply(n: n, xp.baseAddress!, ldb: k, accumulate: accumulate, into: cp.baseAddress!, ldc: m, worker: worker)
        } }
    }

    /// Shapes that are not multiples of the panel (32 rows) or the register block (8 columns).
    func testProductMatchesReferenceForRaggedShapes() {
        for (m, n, k) in [(70, 11, 13), (32, 8, 40), (5, 1, 3), (96, 17, 64)] {
            let w = values(m * k, seed: 1), x = values(k * n, seed: 2), c0 = values(m * n, seed: 3)
            let p = PackedWeights()
            w.withUnsafeBufferPointer { p.pack(rows: m, depth: k, $0.baseAddress!, lda: m) }
            var c = c0
            multiply(p, x, n: n, k: k, c: &c, m: m, accumulate: false, worker: nil)
            for (a, b) in zip(c, reference(w, x, m: m, n: n, k: k)) { XCTAssertEqual(Double(a), b, accuracy: 1e-5, "\(m)×\(n)×\(k)") }
            c = c0
            multiply(p, x, n: n, k: k, c: &c, m: m, accumulate: true, worker: nil)
            for (a, b) in zip(c, reference(w, x, m: m, n: n, k: k, plus: c0)) { XCTAssertEqual(Double(a), b, accuracy: 1e-5) }
        }
    }

    /// Packing the transpose of A gives the product by Aᵀ.
    func testTransposedPacking() {
        let (rows, cols, n) = (45, 38, 6)          // A is rows × cols, X is rows × n
        let a = values(rows * cols, seed: 4), x = values(rows * n, seed: 5)
        var at = [Float](repeating: 0, count: rows * cols)
        for i in 0..<rows { for j in 0..<cols { at[j + i * cols] = a[i + j * rows] } }
        let p = PackedWeights()
        a.withUnsafeBufferPointer { p.packTransposed(of: $0.baseAddress!, aRows: rows, aCols: cols, lda: rows) }
        XCTAssertEqual(p.rows, cols)
        var c = [Float](repeating: 0, count: cols * n)
        multiply(p, x, n: n, k: rows, c: &c, m: cols, accumulate: false, worker: nil)
        for (u, v) in zip(c, reference(at, x, m: cols, n: n, k: rows)) { XCTAssertEqual(Double(u), v, accuracy: 1e-5) }
    }

    /// Bit-for-bit: a column's result does not depend on how many columns are multiplied with it,
    /// where it stands, or whether the panels are split over two threads.
    func testColumnsAreIndependentOfBatchWidthAndThreads() {
        let (m, n, k) = (100, 21, 57)
        let w = values(m * k, seed: 6), x = values(k * n, seed: 7)
        let p = PackedWeights()
        w.withUnsafeBufferPointer { p.pack(rows: m, depth: k, $0.baseAddress!, lda: m) }
        var all = [Float](repeating: 0, count: m * n)
        multiply(p, x, n: n, k: k, c: &all, m: m, accumulate: false, worker: nil)
        var split = [Float](repeating: 0, count: m * n)
        multiply(p, x, n: n, k: k, c: &split, m: m, accumulate: false, worker: PairedWorker())
        XCTAssertEqual(all, split)
        for j in [0, 7, 8, 20] {
            var one = [Float](repeating: 0, count: m)
            multiply(p, Array(x[(j * k)..<((j + 1) * k)]), n: 1, k: k, c: &one, m: m, accumulate: false, worker: nil)
            XCTAssertEqual(one, Array(all[(j * m)..<((j + 1) * m)]), "column \(j)")
        }
    }

    /// Scoring gives the same log-probabilities whatever the batch size.
    func testScoringDoesNotDependOnTheBatchSize() throws {
        let tok = try ToyText.tokenizer()
        let m = try LanguageModel(config: LMConfig(vocabularySize: tok.vocabularySize, embeddingSize: 16, hiddenSize: 40, denseSize: 24),
                                  tokenizer: tok, seed: 5)
        let ds = ToyText.dataset(23, seed: 9, tokenizer: tok)
        let one = try m.logProbabilities(ds, batchSize: 1)
        for b in [3, 8, 32] { XCTAssertEqual(try m.logProbabilities(ds, batchSize: b), one, "batch \(b)") }
    }
}
