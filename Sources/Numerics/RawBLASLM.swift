import CBLAS

/// Pointer-level BLAS calls for the LSTM language models (`LanguageModels`), generic over
/// `Float`/`Double`. Column-major throughout. No shape checks: callers own the buffers and their
/// sizes; use the checked `BLAS` wrappers on `Matrix` everywhere else.
public enum LMBLAS {
    /// C ← α·op(A)·op(B) + β·C, with op(A) m×k, op(B) k×n, C m×n (xGEMM).
    @inlinable
    public static func gemm<T: BLASScalar>(_ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: T = 1,
                                           _ a: UnsafePointer<T>, lda: Int, _ b: UnsafePointer<T>, ldb: Int,
                                           beta: T = 0, _ c: UnsafeMutablePointer<T>, ldc: Int) {
        if m == 0 || n == 0 { return }
        T.gemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
               Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(1, lda)), b, Int32(max(1, ldb)), beta, c, Int32(max(1, ldc)))
    }

    /// y ← α·op(A)·x + β·y for an m×n matrix A (xGEMV).
    @inlinable
    public static func gemv<T: BLASScalar>(_ trans: Bool, m: Int, n: Int, alpha: T = 1, _ a: UnsafePointer<T>, lda: Int,
                                           _ x: UnsafePointer<T>, beta: T = 0, _ y: UnsafeMutablePointer<T>) {
        if m == 0 || n == 0 { return }
        T.gemv(CblasColMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(max(1, lda)), x, 1, beta, y, 1)
    }

    /// y ← α·x + y over n elements (xAXPY).
    @inlinable
    public static func axpy<T: BLASScalar>(_ n: Int, alpha: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
        if n > 0 { T.axpy(Int32(n), alpha, x, 1, y, 1) }
    }

    /// xᵀy over n elements (xDOT).
    @inlinable
    public static func dot<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>) -> T {
        n > 0 ? T.dot(Int32(n), x, 1, y, 1) : 0
    }
}
