import Numerics

/// A fitted regression, as a comparison, a report or the command line reads it.
public protocol RegressionFit: Sendable {
    /// Rows fitted.
    var n: Int { get }
    /// Maximised log-likelihood (REML criterion's likelihood for a REML mixed model).
    var logLik: Double { get }
    /// Estimated parameters: fixed effects, variance parameters and σ.
    var parameterCount: Int { get }
    /// Problems noticed while fitting (rank deficiency, boundary, convergence).
    var warnings: [String] { get }
    /// The numbers a comparison stores for this fit.
    var record: FitRecord { get }
    /// Log-density of each row of `frame` (the rows the model was fitted to) under the fit.
    func rowLogLik(_ frame: ModelFrame) throws -> [Double]
    /// The text summary `rtpipe fit` prints.
    func summary(formula: String, data: String, droppedRows: Int) -> String
}

/// A regression family — how to fit a model frame, and how a fit scores held-out rows — so that
/// `ModelComparison`, `rtpipe fit`/`delta` and the pipeline work the same for OLS and linear
/// mixed models. `RegressionModels.for(_:options:)` picks the family a formula needs.
public protocol RegressionModel: Sendable {
    associatedtype Fit: RegressionFit
    /// Which family this is.
    var kind: ComparisonResult.Kind { get }
    /// Fits the model to every row of `frame`.
    func fit(_ frame: ModelFrame) throws -> Fit
    /// Log-density of each row of `test` under `fit` (fitted to other rows), with the comparison's
    /// choices of σ and of how random effects enter.
    func heldOutLogLik(_ fit: Fit, test: ModelFrame, options: ComparisonOptions) throws -> [Double]
}

/// Ordinary least squares (a formula without `(… | group)` terms).
public struct OLSRegression: RegressionModel {
    public init() {}
    public var kind: ComparisonResult.Kind { .ols }
    public func fit(_ frame: ModelFrame) throws -> OLSFit { try OrdinaryLeastSquares.fit(frame) }

    /// N(xβ̂, σ²) with σ the training fold's ML estimate √(RSS/n) or the unbiased √(RSS/(n−p)).
    public func heldOutLogLik(_ fit: OLSFit, test: ModelFrame, options: ComparisonOptions) throws -> [Double] {
        let sigma = options.heldOutSigma == .ml ? fit.sigmaML : fit.sigma
        let pred = try fit.predict(test.X)
        return (0..<test.y.count).map { Distributions.normalLogDensity(test.y[$0], mean: pred[$0], sd: sigma) }
    }
}

/// A linear mixed model fitted as lme4 does (a formula with `(… | group)` terms).
public struct MixedRegression: RegressionModel {
    public var options: LMMOptions
    public init(options: LMMOptions = LMMOptions()) { self.options = options }
    public var kind: ComparisonResult.Kind { .lmm }
    public func fit(_ frame: ModelFrame) throws -> LinearMixedModelFit { try LinearMixedModel.fit(frame, options: options) }

    /// The predictive distribution of `LinearMixedModelFit.predictive` (random effects as the
    /// options say); with the unbiased σ of an ML fit, σ is scaled by √(n/(n−p)).
    public func heldOutLogLik(_ fit: LinearMixedModelFit, test: ModelFrame, options comparison: ComparisonOptions) throws -> [Double] {
        var sigma = fit.sigma
        if comparison.heldOutSigma == .unbiased && !options.reml {
            sigma *= (Double(fit.n) / Double(fit.n - fit.beta.count)).squareRoot()
        }
        let pred = try fit.predictive(test, mode: comparison.randomEffects, sigma: sigma)
        return (0..<test.y.count).map { Distributions.normalLogDensity(test.y[$0], mean: pred.mean[$0], sd: pred.variance[$0].squareRoot()) }
    }
}

/// The family each formula needs.
public enum RegressionModels {
    /// A mixed model when `formula` has random-effect terms, else OLS.
    public static func `for`(_ formula: Formula, options: LMMOptions = LMMOptions()) -> any RegressionModel {
        formula.randomTerms.isEmpty ? OLSRegression() : MixedRegression(options: options)
    }
}

extension OLSFit: RegressionFit {
    public var record: FitRecord { FitRecord(self) }

    /// N(ŷ, σ̂²_ML) per row: the terms of the maximised log-likelihood.
    public func rowLogLik(_ frame: ModelFrame) throws -> [Double] {
        (0..<frame.y.count).map { Distributions.normalLogDensity(frame.y[$0], mean: fitted[$0], sd: sigmaML) }
    }

    public func summary(formula: String, data: String, droppedRows: Int) -> String {
        FitSummary.text(self, formula: formula, data: data, droppedRows: droppedRows)
    }
}

extension LinearMixedModelFit: RegressionFit {
    public var record: FitRecord { FitRecord(self) }

    /// The conditional predictive density per row (random effects at their conditional modes).
    public func rowLogLik(_ frame: ModelFrame) throws -> [Double] {
        let p = try predictive(frame, mode: .conditional)
        return (0..<frame.y.count).map { Distributions.normalLogDensity(frame.y[$0], mean: p.mean[$0], sd: p.variance[$0].squareRoot()) }
    }

    public func summary(formula: String, data: String, droppedRows: Int) -> String {
        FitSummary.text(self, formula: formula, data: data, droppedRows: droppedRows)
    }
}
