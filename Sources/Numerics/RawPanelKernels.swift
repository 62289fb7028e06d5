import CBLAS
import CLAPACKE

/// Unchecked double-precision BLAS/LAPACK calls on raw, **column-major** panels with explicit
/// leading dimensions, for sparse factorisations that keep many dense panels in one buffer
/// (element (i, j) of a panel at `p[i + j * ld]`). Callers guarantee the shapes; prefer the
/// checked `BLAS`/`LAPACK` API elsewhere.
public enum RawPanelKernels {
    /// In-place lower Cholesky of the leading `n × n` block; false if it is not positive definite.
    @inlinable
    public static func potrfLower(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Bool {
        LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(lda)) == 0
    }

    /// B ← B · L⁻ᵀ for `m × n` B and `n × n` lower-triangular L (non-unit diagonal).
    @inlinable
    public static func trsmRightLowerTransposed(m: Int, n: Int, l: UnsafePointer<Double>, ldl: Int,
                                                b: UnsafeMutablePointer<Double>, ldb: Int) {
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit,
                    Int32(m), Int32(n), 1, l, Int32(ldl), b, Int32(ldb))
    }

    /// C ← alpha · A · Bᵀ + beta · C for `m × k` A, `n × k` B and `m × n` C.
    @inlinable
    public static func gemmNT(m: Int, n: Int, k: Int, alpha: Double = 1,
                              a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                              beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Lower triangle of C ← alpha · A · Aᵀ + beta · C for `n × k` A.
    @inlinable
    public static func syrkLower(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                 beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, Int32(n), Int32(k),
                    alpha, a, Int32(lda), beta, c, Int32(ldc))
    }
}
