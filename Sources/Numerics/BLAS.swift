import CBLAS

/// Whether an operand enters an operation as is or transposed.
public enum Transpose: Sendable {
    case none, transpose
    @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    @usableFromInline var lapack: CChar { self == .none ? CChar(UInt8(ascii: "N")) : CChar(UInt8(ascii: "T")) }
}

/// Which triangle of a matrix holds the data.
public enum Triangle: Sendable {
    case lower, upper
    @usableFromInline var cblas: CBLAS_UPLO { self == .lower ? CblasLower : CblasUpper }
    @usableFromInline var lapack: CChar { self == .lower ? CChar(UInt8(ascii: "L")) : CChar(UInt8(ascii: "U")) }
}

/// Which side a triangular matrix multiplies from: `.left` is op(A)·B, `.right` is B·op(A).
public enum Side: Sendable {
    case left, right
    @usableFromInline var cblas: CBLAS_SIDE { self == .left ? CblasLeft : CblasRight }
}

/// Checked BLAS level-2/3 operations on `Matrix`. Every call validates shapes and throws
/// `NumericsError.dimensionMismatch` instead of letting BLAS read out of bounds, then runs
/// through the pointer-level facade `RawBLAS`.
public enum BLAS {
    @usableFromInline @inline(__always) static func i32(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: x) }

    /// C ← α·op(A)·op(B) + β·C  (xGEMM).
    @inlinable
    public static func gemm<T>(_ transA: Transpose = .none, _ a: Matrix<T>, _ transB: Transpose = .none, _ b: Matrix<T>,
                               into c: inout Matrix<T>, alpha: T = 1, beta: T = 0) throws {
        let (m, k) = transA == .none ? (a.rows, a.cols) : (a.cols, a.rows)
        let (kb, n) = transB == .none ? (b.rows, b.cols) : (b.cols, b.rows)
        guard k == kb, c.rows == m, c.cols == n else {
            throw NumericsError.dimensionMismatch(
                operation: "gemm",
                detail: "op(A) is \(m)×\(k), op(B) is \(kb)×\(n), C is \(c.rows)×\(c.cols)")
        }
        if m == 0 || n == 0 { return }
        if k == 0 { for i in c.storage.indices { c.storage[i] *= beta }; return }
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    RawBLAS.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, ap.baseAddress!, lda: a.rows,
                                 bp.baseAddress!, ldb: b.rows, beta: beta, cp.baseAddress!, ldc: c.rows)
                }
            }
        }
    }

    /// op(A)·op(B) as a new matrix.
    @inlinable
    public static func multiply<T>(_ a: Matrix<T>, _ b: Matrix<T>, transA: Transpose = .none, transB: Transpose = .none) throws -> Matrix<T> {
        let m = transA == .none ? a.rows : a.cols
        let n = transB == .none ? b.cols : b.rows
        var c = Matrix<T>(rows: m, cols: n)
        try gemm(transA, a, transB, b, into: &c)
        return c
    }

    /// y ← α·op(A)·x + β·y  (xGEMV).
    @inlinable
    public static func gemv<T>(_ trans: Transpose = .none, _ a: Matrix<T>, _ x: [T], into y: inout [T],
                               alpha: T = 1, beta: T = 0) throws {
        let (m, n) = trans == .none ? (a.rows, a.cols) : (a.cols, a.rows)
        guard x.count == n, y.count == m else {
            throw NumericsError.dimensionMismatch(
                operation: "gemv", detail: "op(A) is \(m)×\(n), x has \(x.count), y has \(y.count) elements")
        }
        if m == 0 { return }
        if n == 0 { for i in y.indices { y[i] *= beta }; return }
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    RawBLAS.gemv(trans, m: a.rows, n: a.cols, alpha: alpha, ap.baseAddress!, lda: a.rows,
                                 xp.baseAddress!, beta: beta, yp.baseAddress!)
                }
            }
        }
    }

    /// C ← α·op(A)·op(A)ᵀ + β·C on one triangle of the symmetric C  (xSYRK).
    /// `.none` computes A·Aᵀ, `.transpose` computes Aᵀ·A.
    @inlinable
    public static func syrk<T>(_ trans: Transpose = .none, _ a: Matrix<T>, into c: inout Matrix<T>,
                               triangle: Triangle = .lower, alpha: T = 1, beta: T = 0) throws {
        let (n, k) = trans == .none ? (a.rows, a.cols) : (a.cols, a.rows)
        guard c.rows == n, c.cols == n else {
            throw NumericsError.dimensionMismatch(operation: "syrk", detail: "op(A) is \(n)×\(k), C is \(c.rows)×\(c.cols)")
        }
        if n == 0 { return }
        if k == 0 { for i in c.storage.indices { c.storage[i] *= beta }; return }
        a.storage.withUnsafeBufferPointer { ap in
            c.storage.withUnsafeMutableBufferPointer { cp in
                RawBLAS.syrk(triangle, trans, n: n, k: k, alpha: alpha, ap.baseAddress!, lda: a.rows,
                             beta: beta, cp.baseAddress!, ldc: c.rows)
            }
        }
    }

    /// Solves op(A)·X = α·B (`.left`) or X·op(A) = α·B (`.right`) for triangular A; B is overwritten by X  (xTRSM).
    /// Throws `.singular` when A has a zero on its diagonal (BLAS would divide by zero).
    @inlinable
    public static func trsm<T>(_ side: Side, _ triangle: Triangle, _ trans: Transpose, _ a: Matrix<T>,
                               _ b: inout Matrix<T>, alpha: T = 1, unitDiagonal: Bool = false) throws {
        let needed = side == .left ? b.rows : b.cols
        guard a.isSquare, a.rows == needed else {
            throw NumericsError.dimensionMismatch(operation: "trsm", detail: "A is \(a.rows)×\(a.cols), B is \(b.rows)×\(b.cols), side \(side)")
        }
        if !unitDiagonal {
            for i in 0..<a.rows where a[i, i] == 0 { throw NumericsError.singular(routine: "trsm", position: i32(i + 1)) }
        }
        if b.rows == 0 || b.cols == 0 { return }
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeMutableBufferPointer { bp in
                RawBLAS.trsm(side, triangle, trans, unitDiagonal: unitDiagonal, m: b.rows, n: b.cols, alpha: alpha,
                             ap.baseAddress!, lda: a.rows, bp.baseAddress!, ldb: b.rows)
            }
        }
    }

    /// B ← α·op(A)·B (`.left`) or α·B·op(A) (`.right`) for triangular A  (xTRMM).
    @inlinable
    public static func trmm<T>(_ side: Side, _ triangle: Triangle, _ trans: Transpose, _ a: Matrix<T>,
                               _ b: inout Matrix<T>, alpha: T = 1, unitDiagonal: Bool = false) throws {
        let needed = side == .left ? b.rows : b.cols
        guard a.isSquare, a.rows == needed else {
            throw NumericsError.dimensionMismatch(operation: "trmm", detail: "A is \(a.rows)×\(a.cols), B is \(b.rows)×\(b.cols), side \(side)")
        }
        if b.rows == 0 || b.cols == 0 { return }
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeMutableBufferPointer { bp in
                RawBLAS.trmm(side, triangle, trans, unitDiagonal: unitDiagonal, m: b.rows, n: b.cols, alpha: alpha,
                             ap.baseAddress!, lda: a.rows, bp.baseAddress!, ldb: b.rows)
            }
        }
    }

    /// xᵀy (xDOT).
    @inlinable
    public static func dot<T: BLASScalar>(_ x: [T], _ y: [T]) throws -> T {
        guard x.count == y.count else {
            throw NumericsError.dimensionMismatch(operation: "dot", detail: "x has \(x.count), y has \(y.count) elements")
        }
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
            RawBLAS.dot(x.count, xp.baseAddress!, yp.baseAddress!) } }
    }
}

extension Matrix {
    /// Matrix product self·other through BLAS gemm.
    @inlinable
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) throws -> Matrix {
        try BLAS.multiply(self, other, transA: transposeSelf ? .transpose : .none, transB: transposeOther ? .transpose : .none)
    }
}
