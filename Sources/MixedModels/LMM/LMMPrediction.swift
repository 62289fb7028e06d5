import Numerics

/// How random effects enter predictions for held-out rows.
public enum RandomEffectsPrediction: String, Sendable, CaseIterable {
    /// Conditional on the estimated effects b̂ of levels seen in training (unseen levels: b = 0):
    /// y ~ N(xβ̂ + zb̂, σ̂²).
    case conditional
    /// Random effects integrated out, row by row: y ~ N(xβ̂, σ̂²(1 + Σ_t z_tᵀλ_tλ_tᵀz_t)), the
    /// marginal density of each single row (the per-row analogue of modelblocks' integration).
    case integrated
}

extension LinearMixedModelFit {
    /// Mean and variance of each row's predictive distribution. `frame` must share the fitted
    /// frame's columns and level lists (e.g. another `subset` of the same `ModelFrame`).
    public func predictive(_ frame: ModelFrame, mode: RandomEffectsPrediction, sigma s: Double? = nil) throws -> (mean: [Double], variance: [Double]) {
        let n = frame.n
        let sigma = s ?? self.sigma
        let x = keptColumnIndices.count == frame.X.cols ? frame.X : ColumnRank.select(frame.X, columns: keptColumnIndices)
        var mean = [Double](repeating: 0, count: n)
        try BLAS.gemv(.none, x, beta, into: &mean)
        var variance = [Double](repeating: sigma * sigma, count: n)
        for (k, t) in termOrder.enumerated() {
            let term = frame.randomTerms[t]
            let q = term.columnNames.count
            let modes = conditionalModes[k]
            let cov = relativeCovariances[k]
            for r in 0..<n {
                let l = Int(term.levelIndex[r])
                switch mode {
                case .conditional:
                    guard l < modes.values.count else { continue }
                    for j in 0..<q { mean[r] += term.columns[r, j] * modes.values[l][j] }
                case .integrated:
                    var quad = 0.0
                    for i in 0..<q { for j in 0..<q { quad += term.columns[r, i] * cov[i + j * q] * term.columns[r, j] } }
                    variance[r] += sigma * sigma * quad
                }
            }
        }
        return (mean, variance)
    }
}
