/// Checked LAPACK factorizations and solves on `Matrix` (through LAPACKE, column-major).
/// Every routine validates shapes and turns LAPACK's `info` into a `NumericsError`.
public enum LAPACK {
    @usableFromInline @inline(__always) static func i32(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: x) }

    @usableFromInline static func check(_ info: Int32, _ routine: String) throws {
        if info < 0 { throw NumericsError.illegalArgument(routine: routine, info: info) }
    }

    @usableFromInline static func requireSquare<T>(_ a: Matrix<T>, _ op: String) throws {
        guard a.isSquare else {
            throw NumericsError.dimensionMismatch(operation: op, detail: "needs a square matrix, got \(a.rows)×\(a.cols)")
        }
    }

    @usableFromInline static func requireFinite<T>(_ a: Matrix<T>, _ op: String) throws {
        for v in a.storage where !v.isFinite {
            throw NumericsError.invalidArgument(operation: op, detail: "matrix contains NaN or infinity")
        }
    }

    /// Cholesky factorization A = L·Lᵀ (`.lower`) or Uᵀ·U (`.upper`) of a symmetric positive-definite
    /// matrix (xPOTRF), in place. Only the named triangle is read; the other is zeroed on return
    /// unless `zeroOtherTriangle` is false (hot loops that only read the factor's triangle).
    /// Throws `.notPositiveDefinite` with the failing minor's order (also for NaN input).
    @inlinable
    public static func choleskyInPlace<T>(_ a: inout Matrix<T>, triangle: Triangle = .lower, zeroOtherTriangle: Bool = true) throws {
        try requireSquare(a, "potrf")
        let n = a.rows
        if n == 0 { return }
        let lda = i32(max(1, n))
        let info = a.storage.withUnsafeMutableBufferPointer { T.potrf(triangle.lapack, i32(n), $0.baseAddress!, lda) }
        try check(info, "potrf")
        if info > 0 { throw NumericsError.notPositiveDefinite(routine: "potrf", minorOrder: info) }
        try a.storage.withUnsafeMutableBufferPointer { p in
            for j in 0..<n where !p[j + j * n].isFinite || p[j + j * n] <= 0 {
                throw NumericsError.notPositiveDefinite(routine: "potrf", minorOrder: i32(j + 1))
            }
            guard zeroOtherTriangle else { return }
            for j in 0..<n {
                if triangle == .lower { for i in 0..<j { p[i + j * n] = 0 } } else { for i in (j + 1)..<n { p[i + j * n] = 0 } }
            }
        }
    }

    /// The Cholesky factor of `a` as a new matrix (see `choleskyInPlace`).
    @inlinable
    public static func cholesky<T>(_ a: Matrix<T>, triangle: Triangle = .lower) throws -> Matrix<T> {
        var f = a
        try choleskyInPlace(&f, triangle: triangle)
        return f
    }

    /// Solves A·X = B given A's Cholesky factor (xPOTRS); returns X.
    @inlinable
    public static func choleskySolve<T>(factor: Matrix<T>, triangle: Triangle = .lower, _ b: Matrix<T>) throws -> Matrix<T> {
        try requireSquare(factor, "potrs")
        guard b.rows == factor.rows else {
            throw NumericsError.dimensionMismatch(operation: "potrs", detail: "factor is \(factor.rows)×\(factor.cols), B has \(b.rows) rows")
        }
        var x = b
        if b.rows == 0 || b.cols == 0 { return x }
        let (n, nrhs, lda, ldb) = (i32(factor.rows), i32(b.cols), i32(max(1, factor.rows)), i32(max(1, b.rows)))
        let info = factor.storage.withUnsafeBufferPointer { fp in
            x.storage.withUnsafeMutableBufferPointer { xp in
                T.potrs(triangle.lapack, n, nrhs, fp.baseAddress!, lda, xp.baseAddress!, ldb)
            }
        }
        try check(info, "potrs")
        return x
    }

    /// Solves a triangular system op(A)·X = B (xTRTRS); throws `.singular` on a zero diagonal.
    @inlinable
    public static func triangularSolve<T>(_ a: Matrix<T>, triangle: Triangle, transpose: Transpose = .none, _ b: Matrix<T>) throws -> Matrix<T> {
        try requireSquare(a, "trtrs")
        guard b.rows == a.rows else {
            throw NumericsError.dimensionMismatch(operation: "trtrs", detail: "A is \(a.rows)×\(a.cols), B has \(b.rows) rows")
        }
        var x = b
        if b.rows == 0 || b.cols == 0 { return x }
        let (n, nrhs, lda, ldb) = (i32(a.rows), i32(b.cols), i32(max(1, a.rows)), i32(max(1, b.rows)))
        let info = a.storage.withUnsafeBufferPointer { ap in
            x.storage.withUnsafeMutableBufferPointer { xp in
                T.trtrs(triangle.lapack, transpose.lapack, CChar(UInt8(ascii: "N")), n, nrhs, ap.baseAddress!, lda, xp.baseAddress!, ldb)
            }
        }
        try check(info, "trtrs")
        if info > 0 { throw NumericsError.singular(routine: "trtrs", position: info) }
        return x
    }

    /// Symmetric eigendecomposition A = V·diag(w)·Vᵀ (xSYEVD); eigenvalues ascending.
    @inlinable
    public static func symmetricEigen<T>(_ a: Matrix<T>, triangle: Triangle = .lower) throws -> (values: [T], vectors: Matrix<T>) {
        try requireSquare(a, "syevd")
        try requireFinite(a, "syevd")
        var v = a
        let n = a.rows
        var w = [T](repeating: 0, count: n)
        if n == 0 { return (w, v) }
        let lda = i32(max(1, n))
        let info = v.storage.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                T.syevd(CChar(UInt8(ascii: "V")), triangle.lapack, i32(n), vp.baseAddress!, lda, wp.baseAddress!)
            }
        }
        try check(info, "syevd")
        if info > 0 { throw NumericsError.noConvergence(routine: "syevd", info: info) }
        return (w, v)
    }

    /// Thin singular value decomposition A = U·diag(s)·Vᵀ (xGESDD); singular values descending.
    @inlinable
    public static func svd<T>(_ a: Matrix<T>) throws -> (u: Matrix<T>, s: [T], vt: Matrix<T>) {
        try requireFinite(a, "gesdd")
        let (m, n) = (a.rows, a.cols)
        let k = min(m, n)
        var work = a
        var s = [T](repeating: 0, count: k)
        var u = Matrix<T>(rows: m, cols: k)
        var vt = Matrix<T>(rows: k, cols: n)
        if k == 0 { return (u, s, vt) }
        let (lda, ldu, ldvt) = (i32(max(1, m)), i32(max(1, m)), i32(max(1, k)))
        let info = work.storage.withUnsafeMutableBufferPointer { ap in
            s.withUnsafeMutableBufferPointer { sp in
                u.storage.withUnsafeMutableBufferPointer { up in
                    vt.storage.withUnsafeMutableBufferPointer { vp in
                        T.gesdd(CChar(UInt8(ascii: "S")), i32(m), i32(n), ap.baseAddress!, lda, sp.baseAddress!,
                                up.baseAddress!, ldu, vp.baseAddress!, ldvt)
                    }
                }
            }
        }
        try check(info, "gesdd")
        if info > 0 { throw NumericsError.noConvergence(routine: "gesdd", info: info) }
        return (u, s, vt)
    }
}
