import Foundation
import Numerics

/// Settings of a linear-mixed-model fit; the defaults are lme4's (`lmerControl()` with
/// `optimizer = "nloptwrap"`: NLopt BOBYQA, xtol_abs = ftol_abs = 1e-8, nloptr's xtol_rel = 1e-4).
public struct LMMOptions: Sendable {
    /// Restricted maximum likelihood (REML) instead of maximum likelihood (ML).
    public var reml = false
    public var xtolAbsolute = 1e-8
    public var ftolAbsolute = 1e-8
    public var xtolRelative = 1e-4
    public var maxEvaluations = 100_000
    /// lme4's `boundary.tol`: θ diagonal entries this close to 0 are tried at exactly 0.
    public var boundaryTolerance = 1e-5
    /// lme4's `isSingular` tolerance on θ's diagonal.
    public var singularTolerance = 1e-4
    /// Optional starting θ (lme4 order); default as lme4: `lme4InterceptStart` for intercept-only
    /// models, otherwise 1 on λ's diagonals and 0 elsewhere.
    public var startTheta: [Double]? = nil
    public init(reml: Bool = false) { self.reml = reml }
}

/// Standard deviations and correlations of one random-effect term, Σ = σ²λλᵀ.
public struct VarianceComponent: Sendable {
    public let group: String
    public let terms: [String]
    public let sd: [Double]
    /// Correlation matrix (row-major q × q).
    public let correlations: [[Double]]
}

/// Conditional modes of one term's random effects b = λu, per level.
public struct ConditionalModes: Sendable {
    public let group: String
    public let terms: [String]
    public let levels: [String]
    /// values[level][column]
    public let values: [[Double]]
}

/// A fitted linear mixed model: y | b ~ N(Xβ + Zb, σ²I), b ~ N(0, σ²ΛΛᵀ) (Bates et al. 2015).
public struct LinearMixedModelFit: Sendable {
    public let n: Int
    public let reml: Bool
    /// θ in lme4's order (terms by decreasing number of levels) and its names.
    public let theta: [Double]
    public let thetaNames: [String]
    public let fixedEffectNames: [String]
    public let beta: [Double]
    public let standardErrors: [Double]
    public var tValues: [Double] { zip(beta, standardErrors).map { $0 / $1 } }
    public let sigma: Double
    public let varianceComponents: [VarianceComponent]
    public let conditionalModes: [ConditionalModes]
    /// The optimised criterion: ML deviance (−2 logLik) or the REML criterion.
    public let objective: Double
    /// logLik (for REML, −REML criterion / 2, as lme4 reports).
    public var logLik: Double { -objective / 2 }
    /// Deviance as `--json` reports it: −2 logLik under ML, the REML criterion under REML.
    public var deviance: Double { objective }
    /// Number of parameters: p + length(θ) + 1 (σ).
    public var parameterCount: Int { beta.count + theta.count + 1 }
    public var aic: Double { objective + 2 * Double(parameterCount) }
    public var bic: Double { objective + log(Double(n)) * Double(parameterCount) }
    public let evaluations: Int
    public let converged: Bool
    public let optimizerMessage: String
    /// A boundary ("singular") fit: some θ diagonal entry below the singular tolerance.
    public let singular: Bool
    /// Fixed-effect columns dropped as linearly dependent (rank-deficient X), by name.
    public let droppedColumns: [String]
    public let warnings: [String]
    /// Number of levels per grouping factor (lme4's `ngrps`), in θ order.
    public let groupSizes: [(String, Int)]
    /// For each term in θ order, its index in the model frame's `randomTerms`.
    public let termOrder: [Int]
    /// Indices of the frame's X columns that were kept (the rest were linearly dependent).
    public let keptColumnIndices: [Int]
    /// λλᵀ per term in θ order (q × q, column-major): Var(b)/σ² for one level.
    public let relativeCovariances: [[Double]]
}
