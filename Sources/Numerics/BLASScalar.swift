import CBLAS
import CLAPACKE

/// A floating-point type with BLAS and LAPACK routines: `Float` (s-prefixed routines) and
/// `Double` (d-prefixed). The static members are raw pass-throughs; use the checked
/// wrappers in `BLAS` and `LAPACK` instead.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    static func gemm(_ order: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE,
                     _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafePointer<Self>, _ ldb: Int32,
                     _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    static func gemv(_ order: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int32, _ x: UnsafePointer<Self>, _ incx: Int32,
                     _ beta: Self, _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    static func syrk(_ order: CBLAS_ORDER, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32,
                     _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int32, _ beta: Self,
                     _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    static func trsm(_ order: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE,
                     _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32)
    static func trmm(_ order: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE,
                     _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32)
    static func axpy(_ n: Int32, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int32,
                     _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    static func dot(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32, _ y: UnsafePointer<Self>, _ incy: Int32) -> Self

    static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32) -> Int32
    static func potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ lda: Int32,
                      _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    static func geqp3(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                      _ jpvt: UnsafeMutablePointer<Int32>, _ tau: UnsafeMutablePointer<Self>) -> Int32
    static func ormqr(_ side: CChar, _ trans: CChar, _ m: Int32, _ n: Int32, _ k: Int32,
                      _ a: UnsafePointer<Self>, _ lda: Int32, _ tau: UnsafePointer<Self>,
                      _ c: UnsafeMutablePointer<Self>, _ ldc: Int32) -> Int32
    static func syevd(_ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                      _ w: UnsafeMutablePointer<Self>) -> Int32
    static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                      _ s: UnsafeMutablePointer<Self>, _ u: UnsafeMutablePointer<Self>, _ ldu: Int32,
                      _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int32) -> Int32
    static func trtrs(_ uplo: CChar, _ trans: CChar, _ diag: CChar, _ n: Int32, _ nrhs: Int32,
                      _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// Machine epsilon of the type, as LAPACK uses it.
    static var unitRoundoff: Self { get }
}

extension Double: BLASScalar {
    public static func gemm(_ o: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) {
        cblas_dgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func gemv(_ o: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_dgemv(o, ta, m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func syrk(_ o: CBLAS_ORDER, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) {
        cblas_dsyrk(o, uplo, t, n, k, alpha, a, lda, beta, c, ldc)
    }
    public static func trsm(_ o: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) {
        cblas_dtrsm(o, side, uplo, t, diag, m, n, alpha, a, lda, b, ldb)
    }
    public static func trmm(_ o: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) {
        cblas_dtrmm(o, side, uplo, t, diag, m, n, alpha, a, lda, b, ldb)
    }
    public static func axpy(_ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_daxpy(n, alpha, x, incx, y, incy)
    }
    public static func dot(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafePointer<Double>, _ incy: Int32) -> Double {
        cblas_ddot(n, x, incx, y, incy)
    }
    public static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) -> Int32 {
        LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
    }
    public static func potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 {
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, uplo, n, nrhs, a, lda, b, ldb)
    }
    public static func geqp3(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ jpvt: UnsafeMutablePointer<Int32>, _ tau: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, a, lda, jpvt, tau)
    }
    public static func ormqr(_ side: CChar, _ trans: CChar, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ tau: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) -> Int32 {
        LAPACKE_dormqr(LAPACK_COL_MAJOR, side, trans, m, n, k, a, lda, tau, c, ldc)
    }
    public static func syevd(_ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w)
    }
    public static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>, _ u: UnsafeMutablePointer<Double>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int32) -> Int32 {
        LAPACKE_dgesdd(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt)
    }
    public static func trtrs(_ uplo: CChar, _ trans: CChar, _ diag: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 {
        LAPACKE_dtrtrs(LAPACK_COL_MAJOR, uplo, trans, diag, n, nrhs, a, lda, b, ldb)
    }
    public static var unitRoundoff: Double { Double.ulpOfOne }
}

extension Float: BLASScalar {
    public static func gemm(_ o: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) {
        cblas_sgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func gemv(_ o: CBLAS_ORDER, _ ta: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_sgemv(o, ta, m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func syrk(_ o: CBLAS_ORDER, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) {
        cblas_ssyrk(o, uplo, t, n, k, alpha, a, lda, beta, c, ldc)
    }
    public static func trsm(_ o: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) {
        cblas_strsm(o, side, uplo, t, diag, m, n, alpha, a, lda, b, ldb)
    }
    public static func trmm(_ o: CBLAS_ORDER, _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ t: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) {
        cblas_strmm(o, side, uplo, t, diag, m, n, alpha, a, lda, b, ldb)
    }
    public static func axpy(_ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_saxpy(n, alpha, x, incx, y, incy)
    }
    public static func dot(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafePointer<Float>, _ incy: Int32) -> Float {
        cblas_sdot(n, x, incx, y, incy)
    }
    public static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) -> Int32 {
        LAPACKE_spotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
    }
    public static func potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 {
        LAPACKE_spotrs(LAPACK_COL_MAJOR, uplo, n, nrhs, a, lda, b, ldb)
    }
    public static func geqp3(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ jpvt: UnsafeMutablePointer<Int32>, _ tau: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgeqp3(LAPACK_COL_MAJOR, m, n, a, lda, jpvt, tau)
    }
    public static func ormqr(_ side: CChar, _ trans: CChar, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ tau: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) -> Int32 {
        LAPACKE_sormqr(LAPACK_COL_MAJOR, side, trans, m, n, k, a, lda, tau, c, ldc)
    }
    public static func syevd(_ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w)
    }
    public static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>, _ u: UnsafeMutablePointer<Float>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int32) -> Int32 {
        LAPACKE_sgesdd(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt)
    }
    public static func trtrs(_ uplo: CChar, _ trans: CChar, _ diag: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 {
        LAPACKE_strtrs(LAPACK_COL_MAJOR, uplo, trans, diag, n, nrhs, a, lda, b, ldb)
    }
    public static var unitRoundoff: Float { Float.ulpOfOne }
}
