import XCTest
@testable import Numerics

/// BLAS wrappers against products worked out by hand and by naive loops.
final class BLASTests: XCTestCase {
    /// Naive triple loop, the independent reference for gemm.
    func naiveProduct(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
        var c = Matrix<Double>(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows { for j in 0..<b.cols { var s = 0.0; for k in 0..<a.cols { s += a[i, k] * b[k, j] }; c[i, j] = s } }
        return c
    }

    func testGemmSmallByHand() throws {
        let a = try Matrix<Double>([[1, 2], [3, 4], [5, 6]])   // 3×2
        let b = try Matrix<Double>([[7, 8, 9], [10, 11, 12]])   // 2×3
        let c = try BLAS.multiply(a, b)
        XCTAssertEqual(c, try Matrix<Double>([[27, 30, 33], [61, 68, 75], [95, 106, 117]]))
        let ctt = try BLAS.multiply(b, a, transA: .transpose, transB: .transpose)   // (aᵀ)ᵀ... = (a b)ᵀ
        XCTAssertEqual(ctt, c.transposed)
    }

    func testGemmAccumulatesWithAlphaBeta() throws {
        let a = try Matrix<Float>([[1, 0], [0, 1]])
        var c = try Matrix<Float>([[1, 1], [1, 1]])
        try BLAS.gemm(.none, a, .none, a, into: &c, alpha: 2, beta: 3)
        XCTAssertEqual(c, try Matrix<Float>([[5, 3], [3, 5]]))
    }

    func testGemmRandomAgainstNaiveLoops() throws {
        var rng = SplitMix(seed: 7)
        for (m, k, n) in [(17, 9, 23), (1, 40, 1), (64, 3, 5)] {
            var a = Matrix<Double>(rows: m, cols: k), b = Matrix<Double>(rows: k, cols: n)
            for i in a.storage.indices { a.storage[i] = rng.nextDouble() }
            for i in b.storage.indices { b.storage[i] = rng.nextDouble() }
            let c = try BLAS.multiply(a, b)
            let ref = naiveProduct(a, b)
            for i in c.storage.indices { XCTAssertEqual(c.storage[i], ref.storage[i], accuracy: 1e-12) }
        }
    }

    func testGemmShapeMismatchThrows() {
        let a = Matrix<Double>(rows: 2, cols: 3), b = Matrix<Double>(rows: 2, cols: 3)
        XCTAssertThrowsError(try BLAS.multiply(a, b)) { error in
            guard case NumericsError.dimensionMismatch(let op, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(op, "gemm")
        }
        var c = Matrix<Double>(rows: 5, cols: 5)
        XCTAssertThrowsError(try BLAS.gemm(.none, a, .transpose, b, into: &c))
    }

    func testGemv() throws {
        let a = try Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        var y = [0.0, 0.0]
        try BLAS.gemv(.none, a, [1, 1, 1], into: &y)
        XCTAssertEqual(y, [6, 15])
        var z = [1.0, 1.0, 1.0]
        try BLAS.gemv(.transpose, a, [1, -1], into: &z, beta: 1)
        XCTAssertEqual(z, [-2, -2, -2])
        XCTAssertThrowsError(try BLAS.gemv(.none, a, [1, 1], into: &y))
    }

    func testSyrkMatchesGemmOnLowerTriangle() throws {
        let a = try Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        var c = Matrix<Double>(rows: 2, cols: 2)
        try BLAS.syrk(.transpose, a, into: &c, triangle: .lower)   // AᵀA
        XCTAssertEqual(c[0, 0], 35); XCTAssertEqual(c[1, 0], 44); XCTAssertEqual(c[1, 1], 56)
        XCTAssertEqual(c[0, 1], 0, "upper triangle is untouched")
        var wrong = Matrix<Double>(rows: 3, cols: 2)
        XCTAssertThrowsError(try BLAS.syrk(.transpose, a, into: &wrong))
    }

    func testTrsmAndTrmmInvertEachOther() throws {
        let l = try Matrix<Double>([[2, 0, 0], [1, 3, 0], [-1, 2, 4]])
        let b = try Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        var x = b
        try BLAS.trsm(.left, .lower, .none, l, &x)          // x = L⁻¹ b
        XCTAssertEqual(x[0, 0], 0.5, accuracy: 1e-15)         // 1 / 2
        XCTAssertEqual(x[1, 0], (3 - 0.5) / 3, accuracy: 1e-15)
        try BLAS.trmm(.left, .lower, .none, l, &x)          // back to b
        for i in x.storage.indices { XCTAssertEqual(x.storage[i], b.storage[i], accuracy: 1e-13) }
        var y = b.transposed
        try BLAS.trsm(.right, .lower, .transpose, l, &y)    // y Lᵀ = bᵀ  ⇔  L yᵀ = b
        for i in 0..<3 { for j in 0..<2 { XCTAssertEqual(y[j, i], try BLAS.multiply(try LAPACK.triangularSolve(l, triangle: .lower, b), Matrix.identity(2))[i, j], accuracy: 1e-13) } }
    }

    func testTrsmSingularThrows() throws {
        let l = try Matrix<Double>([[1, 0], [1, 0]])
        var b = Matrix<Double>(rows: 2, cols: 1, repeating: 1)
        XCTAssertThrowsError(try BLAS.trsm(.left, .lower, .none, l, &b)) { error in
            XCTAssertEqual(error as? NumericsError, .singular(routine: "trsm", position: 2))
        }
        var wrongShape = Matrix<Double>(rows: 3, cols: 1)
        XCTAssertThrowsError(try BLAS.trsm(.left, .lower, .none, l, &wrongShape))
    }

    func testDot() throws {
        XCTAssertEqual(try BLAS.dot([1.0, 2, 3], [4.0, 5, 6]), 32)
        XCTAssertThrowsError(try BLAS.dot([1.0], [1.0, 2.0]))
    }
}

/// Deterministic test random numbers (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }
}
