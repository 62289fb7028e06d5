/// Rank-revealing QR with column pivoting, A·P = Q·R (LAPACK xGEQP3).
///
/// The numerical rank is the number of diagonal entries of R with |R_kk| > tol·|R_11|,
/// tol defaulting to max(m, n)·ε (as R's `lm` uses a fixed 1e-7; pass that to match R).
public struct PivotedQR<T: BLASScalar> {
    /// Compact factor as returned by xGEQP3: R in the upper triangle, Householder vectors below.
    public let factor: Matrix<T>
    /// Householder scalars.
    public let tau: [T]
    /// 0-based column permutation: column `k` of A·P is column `pivot[k]` of A.
    public let pivot: [Int]
    /// Numerical rank.
    public let rank: Int
    /// Original columns (0-based) that are linearly dependent on earlier ones, in pivot order.
    public var dependentColumns: [Int] { Array(pivot[rank...]).sorted() }

    /// Factor `a` (m × n, any shape) with relative rank tolerance `tolerance`.
    public init(_ a: Matrix<T>, tolerance: T? = nil) throws {
        try LAPACK.requireFinite(a, "geqp3")
        let (m, n) = (a.rows, a.cols)
        var f = a
        var jpvt = [Int32](repeating: 0, count: n)
        var tau = [T](repeating: 0, count: min(m, n))
        if m > 0 && n > 0 {
            let lda = LAPACK.i32(max(1, m))
            let info = f.storage.withUnsafeMutableBufferPointer { ap in
                jpvt.withUnsafeMutableBufferPointer { jp in
                    tau.withUnsafeMutableBufferPointer { tp in
                        T.geqp3(LAPACK.i32(m), LAPACK.i32(n), ap.baseAddress!, lda, jp.baseAddress!, tp.baseAddress!)
                    }
                }
            }
            try LAPACK.check(info, "geqp3")
        } else {
            for j in 0..<n { jpvt[j] = Int32(j + 1) }
        }
        let tol = tolerance ?? T(max(m, n)) * T.unitRoundoff
        var r = 0
        let first = min(m, n) > 0 ? abs(f[0, 0]) : 0
        while r < min(m, n) && first > 0 && abs(f[r, r]) > tol * first { r += 1 }
        self.factor = f
        self.tau = tau
        self.pivot = jpvt.map { Int($0) - 1 }
        self.rank = r
    }

    /// The leading `rank × rank` block of R.
    public var r: Matrix<T> {
        var out = Matrix<T>(rows: rank, cols: rank)
        for j in 0..<rank { for i in 0...j { out[i, j] = factor[i, j] } }
        return out
    }

    /// Qᵀ·B for a matrix B with `m` rows (xORMQR).
    public func qTransposeTimes(_ b: Matrix<T>) throws -> Matrix<T> {
        guard b.rows == factor.rows else {
            throw NumericsError.dimensionMismatch(operation: "ormqr", detail: "Q is \(factor.rows)×\(factor.rows), B has \(b.rows) rows")
        }
        var c = b
        let k = tau.count
        if c.rows == 0 || c.cols == 0 || k == 0 { return c }
        let (m, n, lda, ldc) = (LAPACK.i32(c.rows), LAPACK.i32(c.cols), LAPACK.i32(max(1, factor.rows)), LAPACK.i32(max(1, c.rows)))
        let info = factor.storage.withUnsafeBufferPointer { ap in
            tau.withUnsafeBufferPointer { tp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    T.ormqr(CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")), m, n, LAPACK.i32(k), ap.baseAddress!, lda,
                            tp.baseAddress!, cp.baseAddress!, ldc)
                }
            }
        }
        try LAPACK.check(info, "ormqr")
        return c
    }

    /// Least-squares solution of A·x ≈ b on the first `rank` pivoted columns; coefficients of
    /// dependent columns are `nil` (R's `NA`).
    public func solve(_ b: [T]) throws -> [T?] {
        let qtb = try qTransposeTimes(try Matrix(rows: b.count, cols: 1, columnMajor: b))
        var head = Matrix<T>(rows: rank, cols: 1)
        for i in 0..<rank { head[i, 0] = qtb[i, 0] }
        let z = try LAPACK.triangularSolve(r, triangle: .upper, head)
        var x = [T?](repeating: nil, count: factor.cols)
        for k in 0..<rank { x[pivot[k]] = z[k, 0] }
        return x
    }
}
