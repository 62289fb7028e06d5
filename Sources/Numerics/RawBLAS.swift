import CBLAS

/// Unchecked single-precision GEMM on raw pointers, for hot loops that manage their own
/// buffers (the sentence encoder). Matrices are **row-major**: element (i, j) of an `r × c`
/// matrix with leading dimension `ld` is at `p[i * ld + j]`. Prefer the checked `BLAS` API
/// elsewhere.
public enum RawBLAS {
    /// C ← alpha · op(A) · op(B) + beta · C with op(X) = Xᵀ when `transX`, C being `m × n` and
    /// op(A) `m × k`. Dimensions and leading dimensions are not checked.
    @inlinable
    public static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
