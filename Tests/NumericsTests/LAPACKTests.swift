import XCTest
@testable import Numerics

/// LAPACK wrappers against factorizations known in closed form.
final class LAPACKTests: XCTestCase {
    func testCholeskyOfKnownMatrix() throws {
        // A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]]  (classic example)
        let a = try Matrix<Double>([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let l = try LAPACK.cholesky(a)
        let expected = try Matrix<Double>([[2, 0, 0], [6, 1, 0], [-8, 5, 3]])
        for i in l.storage.indices { XCTAssertEqual(l.storage[i], expected.storage[i], accuracy: 1e-12) }
        let x = try LAPACK.choleskySolve(factor: l, try Matrix<Double>([[1], [2], [3]]))
        let back = try BLAS.multiply(a, x)
        XCTAssertEqual(back[0, 0], 1, accuracy: 1e-10); XCTAssertEqual(back[1, 0], 2, accuracy: 1e-10); XCTAssertEqual(back[2, 0], 3, accuracy: 1e-10)
    }

    func testCholeskyNotPositiveDefiniteThrowsWithMinor() throws {
        let a = try Matrix<Double>([[1, 2], [2, 1]])   // eigenvalues 3, −1
        XCTAssertThrowsError(try LAPACK.cholesky(a)) { error in
            XCTAssertEqual(error as? NumericsError, .notPositiveDefinite(routine: "potrf", minorOrder: 2))
            XCTAssertTrue("\(error)".contains("not positive definite"))
        }
        XCTAssertThrowsError(try LAPACK.cholesky(Matrix<Double>(rows: 2, cols: 3)))
    }

    func testSymmetricEigen() throws {
        let a = try Matrix<Double>([[2, 1], [1, 2]])
        let (w, v) = try LAPACK.symmetricEigen(a)
        XCTAssertEqual(w[0], 1, accuracy: 1e-14); XCTAssertEqual(w[1], 3, accuracy: 1e-14)
        XCTAssertEqual(abs(v[0, 1]), 1 / 2.0.squareRoot(), accuracy: 1e-14)
        var nan = a; nan[0, 0] = .nan
        XCTAssertThrowsError(try LAPACK.symmetricEigen(nan))
    }

    func testSVDReconstructs() throws {
        let a = try Matrix<Double>([[3, 0], [4, 5]])   // singular values √45, √5
        let (u, s, vt) = try LAPACK.svd(a)
        XCTAssertEqual(s[0], 45.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s[1], 5.0.squareRoot(), accuracy: 1e-12)
        var us = u
        for j in 0..<2 { for i in 0..<2 { us[i, j] *= s[j] } }
        let back = try BLAS.multiply(us, vt)
        for i in back.storage.indices { XCTAssertEqual(back.storage[i], a.storage[i], accuracy: 1e-12) }
    }

    func testPivotedQRFindsRankAndDependentColumn() throws {
        // Column 2 = column 0 + column 1.
        let a = try Matrix<Double>([[1, 0, 1], [0, 1, 1], [1, 1, 2], [2, 0, 2]])
        let qr = try PivotedQR(a)
        XCTAssertEqual(qr.rank, 2)
        XCTAssertEqual(qr.dependentColumns.count, 1)
        let full = try PivotedQR(try Matrix<Double>([[1, 0], [0, 1], [1, 1]]))
        XCTAssertEqual(full.rank, 2)
        // Least squares: y = 1 + 2x exactly.
        let x = try Matrix<Double>([[1, 0], [1, 1], [1, 2], [1, 3]])
        let beta = try PivotedQR(x).solve([1, 3, 5, 7])
        XCTAssertEqual(beta[0]!, 1, accuracy: 1e-12)
        XCTAssertEqual(beta[1]!, 2, accuracy: 1e-12)
        XCTAssertThrowsError(try PivotedQR(x).solve([1, 2]))
    }

    func testFloatCholesky() throws {
        let a = try Matrix<Float>([[4, 2], [2, 3]])
        let l = try LAPACK.cholesky(a)
        XCTAssertEqual(l[0, 0], 2, accuracy: 1e-6); XCTAssertEqual(l[1, 0], 1, accuracy: 1e-6)
        XCTAssertEqual(l[1, 1], 2.0.squareRoot().float, accuracy: 1e-6)
    }
}

private extension Double { var float: Float { Float(self) } }
