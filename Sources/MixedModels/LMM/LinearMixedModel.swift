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

/// Fitting linear mixed models by minimising the profiled deviance over θ (lme4's algorithm).
public enum LinearMixedModel {
    /// Revision of the fitting algorithm, part of the pipeline's regression stage keys so that a
    /// change that can alter fitted digits recomputes cached fits. 2: lme4's starting θ for
    /// intercept-only models (the optimiser's path, and so the last digits, changed). 3: the
    /// sparse factor (relaxed supernodes, its tail in fixed blocks on two threads) — the last
    /// digits of fits that use it.
    public static let revision = 3

    /// lme4's starting θ when every random term is a scalar intercept on its own grouping factor
    /// (`mkLmerDevfun` in lme4 1.1-31): with v_f = var(ave(y, f)) (the variance, denominator n − 1,
    /// of each row's group mean) and v_e = var(y) − Σ_f v_f, θ_f = √(v_f / v_e) when v_e > 0;
    /// nil otherwise (the optimiser then starts at θ = 1, as lme4 does).
    static func lme4InterceptStart(_ blocks: [RandomEffectBlock], y: [Double]) -> [Double]? {
        let n = y.count
        guard n > 1, blocks.allSatisfy({ $0.columnNames == ["(Intercept)"] }),
              Set(blocks.map(\.groupingName)).count == blocks.count else { return nil }
        let mean = y.reduce(0, +) / Double(n)
        let varY = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        var groupVariances: [Double] = []
        for b in blocks {
            var sums = [Double](repeating: 0, count: b.levelCount), counts = sums
            for r in 0..<n { let l = Int(b.levelIndex[r]); sums[l] += y[r]; counts[l] += 1 }
            var ss = 0.0
            for l in 0..<b.levelCount where counts[l] > 0 {
                let d = sums[l] / counts[l] - mean
                ss += counts[l] * d * d
            }
            groupVariances.append(ss / Double(n - 1))
        }
        let residual = varY - groupVariances.reduce(0, +)
        guard residual > 0, residual.isFinite else { return nil }
        return groupVariances.map { ($0 / residual).squareRoot() }
    }

    /// Fits the model in `frame` (which must have at least one random-effect term).
    public static func fit(_ frame: ModelFrame, options: LMMOptions = LMMOptions()) throws -> LinearMixedModelFit {
        guard !frame.randomTerms.isEmpty else { throw RegressionError.noRandomEffects }
        guard frame.n > 0 else { throw RegressionError.noRows }
        var warnings: [String] = []
        // Terms by decreasing number of levels (lme4's order; stable for ties).
        let order = frame.randomTerms.indices.sorted { a, b in
            let (la, lb) = (frame.randomTerms[a].levels.count, frame.randomTerms[b].levels.count)
            return la != lb ? la > lb : a < b
        }
        let blocks = order.map { RandomEffectBlock(frame.randomTerms[$0]) }
        for b in blocks {
            let used = Set(b.levelIndex).count
            if used < 2 { throw RegressionError.groupingFactorTooFewLevels(b.groupingName, used) }
        }
        let (kept, dropped) = try ColumnRank.split(frame.X)
        let names = kept.map { frame.fixedEffectNames[$0] }
        let droppedNames = dropped.map { frame.fixedEffectNames[$0] }
        if !dropped.isEmpty {
            warnings.append("fixed-effect model matrix is rank deficient so dropping \(dropped.count) column(s): \(droppedNames.joined(separator: ", "))")
        }
        let x = dropped.isEmpty ? frame.X : ColumnRank.select(frame.X, columns: kept)
        let p = x.cols
        let n = frame.n
        if kept.isEmpty && !dropped.isEmpty {
            throw RegressionError.noEstimableCoefficients(dropped: frame.fixedEffectNames, cause: frame.textFactorCause)
        }
        if options.reml && n <= p { throw RegressionError.tooFewRows(n: n, p: p, cause: frame.textFactorCause) }
        // lme4's df.resid: rows minus parameters (β, θ and σ).
        let parameters = p + blocks.reduce(0) { $0 + $1.thetaCount } + 1
        if n < parameters {
            throw RegressionError.negativeResidualDegrees(n: n, parameters: parameters, cause: frame.textFactorCause)
        }
        let system = try BlockedSystem(X: x, y: frame.y, terms: blocks)

        /// The profiled deviance (or REML criterion) from the system's current factor.
        func criterion() -> Double {
            let r2 = system.pwrss
            if options.reml {
                let df = Double(n - p)
                return system.logDetL2 + system.logDetRX2 + df * (1 + log(2 * Double.pi * r2 / df))
            }
            return system.logDetL2 + Double(n) * (1 + log(2 * Double.pi * r2 / Double(n)))
        }
        var lastTheta: [Double] = [], lastValue = Double.infinity   // the system holds L(lastTheta)
        // A thrown error (a product whose shapes do not fit: a bug) ends the fit with that error.
        var failure: Error?
        func objective(_ theta: [Double]) -> Double {
            lastTheta = theta
            guard failure == nil else { lastValue = .infinity; return lastValue }
            do {
                lastValue = try system.update(theta: theta) ? criterion() : .infinity
            } catch {
                failure = error
                lastValue = .infinity
            }
            return lastValue
        }
        func checkFailure() throws {
            if let failure { throw RegressionError.fitFailed("internal error: \(failure)") }
        }

        var lower: [Double] = [], start: [Double] = [], names2: [String] = []
        for b in blocks {
            for isDiag in b.diagonalMask { lower.append(isDiag ? 0 : -.infinity); start.append(isDiag ? 1 : 0) }
            names2 += b.thetaNames
        }
        if options.startTheta == nil, let s = lme4InterceptStart(blocks, y: frame.y) { start = s }
        if let s = options.startTheta {
            guard s.count == start.count else {
                throw RegressionError.invalidOption("start θ has \(s.count) values; the model has \(start.count)")
            }
            start = s
        }
        var minimizer = DerivativeFreeMinimizer(algorithm: .bobyqa)
        minimizer.lowerBounds = lower
        minimizer.upperBounds = [Double](repeating: .infinity, count: lower.count)
        minimizer.xtolAbsolute = options.xtolAbsolute
        minimizer.ftolAbsolute = options.ftolAbsolute
        minimizer.xtolRelative = options.xtolRelative
        minimizer.maxEvaluations = options.maxEvaluations
        let result = try minimizer.minimize(from: start, objective)
        try checkFailure()
        var theta = result.x
        var best = result.value
        var evaluations = result.evaluations
        // lme4's boundary check: try near-zero diagonal entries at exactly zero.
        let nearBoundary = lower.indices.filter { lower[$0] == 0 && theta[$0] > 0 && theta[$0] < options.boundaryTolerance }
        if !nearBoundary.isEmpty {
            var t2 = theta
            for i in nearBoundary { t2[i] = 0 }
            let v = objective(t2)
            evaluations += 1
            if v < best { theta = t2; best = v }
        }
        // The system must hold L at the optimum: evaluate again unless it was the last θ tried.
        let final = lastTheta == theta && lastValue.isFinite ? lastValue : objective(theta)
        try checkFailure()
        guard final.isFinite else { throw RegressionError.fitFailed("the optimum θ gives a singular system") }
        best = final
        // Form every block of L at the optimum (the grouped fast path skips the term-0 blocks).
        if system.blocksStale {
            guard try system.update(theta: theta, fullFactor: true) else { throw RegressionError.fitFailed("the optimum θ gives a singular system") }
        }

        let (beta, u) = try system.solution()
        let df = options.reml ? Double(n - p) : Double(n)
        let sigma = (system.pwrss / df).squareRoot()
        let unscaled = try system.unscaledFixedEffectVariances()
        let se = unscaled.map { sigma * $0.squareRoot() }

        var components: [VarianceComponent] = []
        var modes: [ConditionalModes] = []
        var relCovs: [[Double]] = []
        var k = 0
        for (t, b) in blocks.enumerated() {
            let lam = b.lambda(theta[k..<(k + b.thetaCount)])
            k += b.thetaCount
            let q = b.q
            var cov = [Double](repeating: 0, count: q * q)
            for i in 0..<q { for j in 0..<q { var s = 0.0; for m in 0..<q { s += lam[i + m * q] * lam[j + m * q] }; cov[i + j * q] = s * sigma * sigma } }
            relCovs.append(cov.map { $0 / (sigma * sigma) })
            let sd = (0..<q).map { cov[$0 + $0 * q].squareRoot() }
            let corr = (0..<q).map { i in (0..<q).map { j in i == j ? 1.0 : (sd[i] > 0 && sd[j] > 0 ? cov[i + j * q] / (sd[i] * sd[j]) : .nan) } }
            components.append(VarianceComponent(group: b.groupingName, terms: b.columnNames, sd: sd, correlations: corr))
            var vals: [[Double]] = []
            for l in 0..<b.levelCount {
                vals.append((0..<q).map { i in (0..<q).reduce(0.0) { $0 + lam[i + $1 * q] * u[t][l * q + $1] } })
            }
            modes.append(ConditionalModes(group: b.groupingName, terms: b.columnNames, levels: b.levels, values: vals))
        }
        var singular = false
        for i in lower.indices where lower[i] == 0 && theta[i] < options.singularTolerance { singular = true }
        if singular { warnings.append("boundary (singular) fit: see help('isSingular')") }
        if !result.stopReason.converged { warnings.append("optimiser stopped without converging: \(result.stopReason.rawValue)") }

        return LinearMixedModelFit(
            n: n, reml: options.reml, theta: theta, thetaNames: names2, fixedEffectNames: names, beta: beta,
            standardErrors: se, sigma: sigma, varianceComponents: components, conditionalModes: modes,
            objective: best, evaluations: evaluations, converged: result.stopReason.converged,
            optimizerMessage: result.stopReason.rawValue, singular: singular, droppedColumns: droppedNames,
            warnings: warnings, groupSizes: blocks.map { ($0.groupingName, $0.levelCount) },
            termOrder: order, keptColumnIndices: kept, relativeCovariances: relCovs)
    }
}
