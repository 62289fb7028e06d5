import CBLAS

/// The one pointer-level BLAS facade: unchecked BLAS (and Cholesky) calls on raw buffers,
/// generic over `Float`/`Double`, for hot loops that own their buffers — the LSTM language
/// models, the sentence encoder, the supernodal Cholesky's panels. The checked `BLAS`/`LAPACK`
/// wrappers on `Matrix` are built on it; prefer them wherever shapes come from outside.
///
/// Conventions: matrices are **column-major** (element (i, j) at `p[i + j * ld]`) except in
/// `gemmRowMajor`; leading dimensions are raised to at least 1 (BLAS rejects 0 even for empty
/// matrices); nothing else is checked — callers guarantee the shapes.
public enum RawBLAS {
    @usableFromInline @inline(__always) static func i32(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: x) }
    @usableFromInline @inline(__always) static func ld(_ x: Int) -> Int32 { Int32(truncatingIfNeeded: max(1, x)) }

    /// C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n (xGEMM). Nothing happens when
    /// m or n is 0.
    @inlinable
    public static func gemm<T: BLASScalar>(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: T = 1,
        _ a: UnsafePointer<T>, lda: Int, _ b: UnsafePointer<T>, ldb: Int,
        beta: T = 0, _ c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        T.gemm(
            CblasColMajor, transA.cblas, transB.cblas, i32(m), i32(n), i32(k), alpha, a, ld(lda), b, ld(ldb),
            beta, c, ld(ldc))
    }

    /// `gemm` on **row-major** matrices (element (i, j) at `p[i * ld + j]`), as the encoder keeps
    /// its activations: C ← α·op(A)·op(B) + β·C, C being m × n.
    @inlinable
    public static func gemmRowMajor<T: BLASScalar>(
        _ transA: Transpose = .none, _ transB: Transpose = .none,
        m: Int, n: Int, k: Int, alpha: T = 1,
        _ a: UnsafePointer<T>, lda: Int, _ b: UnsafePointer<T>, ldb: Int,
        beta: T = 0, _ c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        T.gemm(
            CblasRowMajor, transA.cblas, transB.cblas, i32(m), i32(n), i32(k), alpha, a, ld(lda), b, ld(ldb),
            beta, c, ld(ldc))
    }

    /// y ← α·op(A)·x + β·y for an m×n matrix A, unit strides (xGEMV).
    @inlinable
    public static func gemv<T: BLASScalar>(
        _ trans: Transpose, m: Int, n: Int, alpha: T = 1, _ a: UnsafePointer<T>, lda: Int,
        _ x: UnsafePointer<T>, beta: T = 0, _ y: UnsafeMutablePointer<T>
    ) {
        if m == 0 || n == 0 { return }
        T.gemv(CblasColMajor, trans.cblas, i32(m), i32(n), alpha, a, ld(lda), x, 1, beta, y, 1)
    }

    /// One triangle of C ← α·op(A)·op(A)ᵀ + β·C for n×n C; `.none` is A·Aᵀ with A n×k,
    /// `.transpose` is Aᵀ·A with A k×n (xSYRK).
    @inlinable
    public static func syrk<T: BLASScalar>(
        _ triangle: Triangle, _ trans: Transpose, n: Int, k: Int, alpha: T = 1,
        _ a: UnsafePointer<T>, lda: Int, beta: T = 0, _ c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if n == 0 { return }
        T.syrk(CblasColMajor, triangle.cblas, trans.cblas, i32(n), i32(k), alpha, a, ld(lda), beta, c, ld(ldc))
    }

    /// Solves op(A)·X = α·B (`.left`) or X·op(A) = α·B (`.right`) for triangular A, B (m×n)
    /// overwritten by X (xTRSM).
    @inlinable
    public static func trsm<T: BLASScalar>(
        _ side: Side, _ triangle: Triangle, _ trans: Transpose, unitDiagonal: Bool = false,
        m: Int, n: Int, alpha: T = 1, _ a: UnsafePointer<T>, lda: Int,
        _ b: UnsafeMutablePointer<T>, ldb: Int
    ) {
        if m == 0 || n == 0 { return }
        T.trsm(
            CblasColMajor, side.cblas, triangle.cblas, trans.cblas, unitDiagonal ? CblasUnit : CblasNonUnit,
            i32(m), i32(n), alpha, a, ld(lda), b, ld(ldb))
    }

    /// B ← α·op(A)·B (`.left`) or α·B·op(A) (`.right`) for triangular A, B m×n (xTRMM).
    @inlinable
    public static func trmm<T: BLASScalar>(
        _ side: Side, _ triangle: Triangle, _ trans: Transpose, unitDiagonal: Bool = false,
        m: Int, n: Int, alpha: T = 1, _ a: UnsafePointer<T>, lda: Int,
        _ b: UnsafeMutablePointer<T>, ldb: Int
    ) {
        if m == 0 || n == 0 { return }
        T.trmm(
            CblasColMajor, side.cblas, triangle.cblas, trans.cblas, unitDiagonal ? CblasUnit : CblasNonUnit,
            i32(m), i32(n), alpha, a, ld(lda), b, ld(ldb))
    }

    /// y ← α·x + y over n elements, unit strides (xAXPY).
    @inlinable
    public static func axpy<T: BLASScalar>(_ n: Int, alpha: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
        if n > 0 { T.axpy(i32(n), alpha, x, 1, y, 1) }
    }

    /// xᵀy over n elements, unit strides (xDOT); 0 when n is 0.
    @inlinable
    public static func dot<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>) -> T {
        n > 0 ? T.dot(i32(n), x, 1, y, 1) : 0
    }

    /// In-place Cholesky factor of the leading n×n block, in the given triangle (LAPACK xPOTRF);
    /// false when it is not positive definite.
    @inlinable
    public static func potrf<T: BLASScalar>(_ triangle: Triangle, n: Int, _ a: UnsafeMutablePointer<T>, lda: Int) -> Bool {
        T.potrf(triangle.lapack, i32(n), a, ld(lda)) == 0
    }
}
