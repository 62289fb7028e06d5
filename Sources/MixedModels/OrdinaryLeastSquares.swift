import Foundation
import Numerics

/// A least-squares fit y = Xβ + ε, ε ~ N(0, σ²I).
public struct OLSFit: Sendable {
    public let n: Int
    public let fixedEffectNames: [String]
    public let beta: [Double]
    public let standardErrors: [Double]
    public var tValues: [Double] { zip(beta, standardErrors).map { $0 / $1 } }
    /// Residual sum of squares.
    public let rss: Double
    /// Residual standard error √(RSS/(n−p)), as R's `summary.lm` prints.
    public var sigma: Double { (rss / Double(n - beta.count)).squareRoot() }
    /// Maximum-likelihood σ̂ = √(RSS/n).
    public var sigmaML: Double { (rss / Double(n)).squareRoot() }
    /// Gaussian log-likelihood at the ML estimate: −n/2 (log(2π RSS/n) + 1) (R's `logLik.lm`).
    public var logLik: Double { -Double(n) / 2 * (log(2 * Double.pi * rss / Double(n)) + 1) }
    public var deviance: Double { -2 * logLik }
    /// Parameters counted by AIC/BIC: p coefficients and σ.
    public var parameterCount: Int { beta.count + 1 }
    public var aic: Double { -2 * logLik + 2 * Double(parameterCount) }
    public var bic: Double { -2 * logLik + log(Double(n)) * Double(parameterCount) }
    /// R² = 1 − RSS/TSS (centred when the model has an intercept).
    public let rSquared: Double
    /// Columns dropped as linear combinations of earlier ones (R prints their coefficients as NA).
    public let droppedColumns: [String]
    /// Names of the kept columns by index into the frame's X.
    public let keptColumnIndices: [Int]
    public let fitted: [Double]
    public var warnings: [String] {
        droppedColumns.isEmpty ? [] : ["rank-deficient model matrix: \(droppedColumns.count) coefficient(s) not defined because of singularities: \(droppedColumns.joined(separator: ", "))"]
    }

    /// Predictions x·β̂ for the rows of `x` (all the frame's columns; dropped ones ignored).
    public func predict(_ x: Matrix<Double>) throws -> [Double] {
        let xk = keptColumnIndices.count == x.cols ? x : ColumnRank.select(x, columns: keptColumnIndices)
        var out = [Double](repeating: 0, count: x.rows)
        try BLAS.gemv(.none, xk, beta, into: &out)
        return out
    }
}

/// Ordinary least squares through a Householder QR (LAPACK geqp3) after removing dependent columns.
public enum OrdinaryLeastSquares {
    public static func fit(_ frame: ModelFrame) throws -> OLSFit {
        let n = frame.n
        guard n > 0 else { throw RegressionError.noRows }
        let (kept, dropped) = try ColumnRank.split(frame.X)
        let x = dropped.isEmpty ? frame.X : ColumnRank.select(frame.X, columns: kept)
        let p = x.cols
        if kept.isEmpty && !dropped.isEmpty {
            throw RegressionError.noEstimableCoefficients(dropped: frame.fixedEffectNames, cause: frame.textFactorCause)
        }
        guard n > p else { throw RegressionError.tooFewRows(n: n, p: p, cause: frame.textFactorCause) }
        let qr = try PivotedQR(x)
        let solved = try qr.solve(frame.y)
        let beta = solved.map { $0 ?? .nan }
        var fitted = [Double](repeating: 0, count: n)
        try BLAS.gemv(.none, x, beta, into: &fitted)
        var rss = 0.0
        for i in 0..<n { let r = frame.y[i] - fitted[i]; rss += r * r }
        // Var(β̂) = σ² (RᵀR)⁻¹ in pivoted order: diag = squared row norms of R⁻¹.
        let rinv = try LAPACK.triangularSolve(qr.r, triangle: .upper, Matrix<Double>.identity(qr.rank))
        let sigma2 = rss / Double(n - p)
        var se = [Double](repeating: .nan, count: p)
        for k in 0..<qr.rank {
            var s = 0.0
            for j in 0..<qr.rank { s += rinv[k, j] * rinv[k, j] }
            se[qr.pivot[k]] = (sigma2 * s).squareRoot()
        }
        let hasIntercept = frame.fixedEffectNames.contains("(Intercept)")
        let mean = hasIntercept ? frame.y.reduce(0, +) / Double(n) : 0
        let tss = frame.y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return OLSFit(n: n, fixedEffectNames: kept.map { frame.fixedEffectNames[$0] }, beta: beta, standardErrors: se,
                      rss: rss, rSquared: tss > 0 ? 1 - rss / tss : .nan,
                      droppedColumns: dropped.map { frame.fixedEffectNames[$0] }, keptColumnIndices: kept, fitted: fitted)
    }
}
