import Numerics

/// One random-effect term `(z₁ + … + z_q | g)` in the fitter's layout (Bates et al. 2015, §2):
/// ℓ levels of the grouping factor, q columns per level, and the relative covariance factor
/// λ (q × q lower triangular), parameterised by the lower triangle of λ column by column (θ).
struct RandomEffectBlock {
    let groupingName: String
    let columnNames: [String]
    let levels: [String]
    /// Level of each model row (0-based).
    let levelIndex: [Int32]
    /// Row-major per model row: the q values z_r of this term's columns.
    let z: [Double]
    var q: Int { columnNames.count }
    var levelCount: Int { levels.count }
    /// Size of this term's block of b (ℓ·q).
    var width: Int { levels.count * columnNames.count }
    /// Number of θ entries: q(q+1)/2.
    var thetaCount: Int { q * (q + 1) / 2 }

    init(_ frame: RandomTermFrame) {
        groupingName = frame.groupingName
        columnNames = frame.columnNames
        levels = frame.levels
        levelIndex = frame.levelIndex
        let n = frame.levelIndex.count, q = frame.columnNames.count
        var zz = [Double](repeating: 0, count: n * q)
        for j in 0..<q { for r in 0..<n { zz[r * q + j] = frame.columns[r, j] } }
        z = zz
    }

    /// λ (q × q, column-major, lower triangular) from this term's slice of θ.
    func lambda(_ theta: ArraySlice<Double>) -> [Double] {
        var l = [Double](repeating: 0, count: q * q)
        var k = theta.startIndex
        for j in 0..<q { for i in j..<q { l[i + j * q] = theta[k]; k += 1 } }
        return l
    }

    /// Which θ entries of this term lie on λ's diagonal (bounded below by 0).
    var diagonalMask: [Bool] {
        var m: [Bool] = []
        for j in 0..<q { for i in j..<q { m.append(i == j) } }
        return m
    }

    /// lme4's θ names: "g.(Intercept)" on the diagonal, "g.row.col" below it.
    var thetaNames: [String] {
        var names: [String] = []
        for j in 0..<q { for i in j..<q {
            names.append(i == j ? "\(groupingName).\(columnNames[i])" : "\(groupingName).\(columnNames[i]).\(columnNames[j])")
        } }
        return names
    }
}

/// Small dense helpers for the q × q blocks (q is 1–4 in practice; plain loops beat BLAS calls here).
enum SmallDense {
    /// C = Aᵀ·B·A for q×q A (column-major), B symmetric q×q.
    static func congruence(_ a: [Double], _ b: [Double], q: Int) -> [Double] {
        var ba = [Double](repeating: 0, count: q * q)
        for j in 0..<q { for i in 0..<q { var s = 0.0; for k in 0..<q { s += b[i + k * q] * a[k + j * q] }; ba[i + j * q] = s } }
        var c = [Double](repeating: 0, count: q * q)
        for j in 0..<q { for i in 0..<q { var s = 0.0; for k in 0..<q { s += a[k + i * q] * ba[k + j * q] }; c[i + j * q] = s } }
        return c
    }

    /// In-place lower Cholesky of a q×q SPD block; returns false if not positive definite.
    static func cholesky(_ a: inout [Double], q: Int) -> Bool {
        for j in 0..<q {
            var d = a[j + j * q]
            for k in 0..<j { d -= a[j + k * q] * a[j + k * q] }
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            a[j + j * q] = ljj
            for i in (j + 1)..<max(j + 1, q) {
                var s = a[i + j * q]
                for k in 0..<j { s -= a[i + k * q] * a[j + k * q] }
                a[i + j * q] = s / ljj
            }
            for i in 0..<j { a[i + j * q] = 0 }
        }
        return true
    }
}
