import Numerics

/// Detects linearly dependent model-matrix columns in formula order, the way R's `lm` reports
/// them: a column is dropped when it is (numerically) a combination of the columns kept before it.
enum ColumnRank {
    /// Indices of independent columns (kept) and dependent ones (dropped), by a sequential
    /// Cholesky of XᵀX that skips a column whose remaining squared norm is below
    /// `tolerance` × its original squared norm.
    static func split(_ x: Matrix<Double>, tolerance: Double = 1e-10) throws -> (kept: [Int], dropped: [Int]) {
        let p = x.cols
        var gram = Matrix<Double>(rows: p, cols: p)
        try BLAS.syrk(.transpose, x, into: &gram, triangle: .lower)
        var kept: [Int] = [], dropped: [Int] = []
        var l = Matrix<Double>(rows: p, cols: p)   // rows: columns of X; cols: positions in kept
        for j in 0..<p {
            var d = gram[j, j]
            for (c, _) in kept.enumerated() { d -= l[j, c] * l[j, c] }
            if gram[j, j] == 0 || d <= tolerance * gram[j, j] { dropped.append(j); continue }
            let ljj = d.squareRoot()
            let c = kept.count
            l[j, c] = ljj
            for i in (j + 1)..<max(j + 1, p) {
                var s = gram[i, j]
                for k in 0..<c { s -= l[i, k] * l[j, k] }
                l[i, c] = s / ljj
            }
            kept.append(j)
        }
        return (kept, dropped)
    }

    /// X restricted to the given columns.
    static func select(_ x: Matrix<Double>, columns: [Int]) -> Matrix<Double> {
        var out = Matrix<Double>(rows: x.rows, cols: columns.count)
        for (k, j) in columns.enumerated() {
            out.storage.replaceSubrange((k * x.rows)..<((k + 1) * x.rows), with: x.storage[(j * x.rows)..<((j + 1) * x.rows)])
        }
        return out
    }
}
