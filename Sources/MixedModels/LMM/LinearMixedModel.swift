import Foundation
import Numerics

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

    /// Fits the model in `frame` (which must have at least one random-effect term), in the steps
    /// of lme4 (and MixedModels.jl's `fit!`): order the terms, drop linearly dependent fixed
    /// effects, check the degrees of freedom, build the blocked system, choose the start,
    /// optimise (with lme4's boundary retry), factor at the optimum, summarise.
    public static func fit(_ frame: ModelFrame, options: LMMOptions = LMMOptions()) throws -> LinearMixedModelFit {
        guard !frame.randomTerms.isEmpty else { throw RegressionError.noRandomEffects }
        guard frame.n > 0 else { throw RegressionError.noRows }
        let terms = try orderedTerms(frame)
        let fixed = try fullRankFixedEffects(frame)
        try checkDegreesOfFreedom(frame, p: fixed.x.cols, blocks: terms.blocks, reml: options.reml)
        let deviance = ProfiledDeviance(system: try BlockedSystem(X: fixed.x, y: frame.y, terms: terms.blocks),
                                        n: frame.n, p: fixed.x.cols, reml: options.reml)
        let start = try startingPoint(terms.blocks, y: frame.y, options: options)
        var optimum = try optimize(deviance, start: start, options: options)
        optimum.objective = try factorAtOptimum(deviance, theta: optimum.theta)
        return try summarize(frame, terms: terms, fixed: fixed, deviance: deviance, start: start, optimum: optimum, options: options)
    }

    // MARK: Steps of `fit`

    /// The random terms by decreasing number of levels (lme4's order; stable for ties), each
    /// grouping factor with at least two levels in use.
    static func orderedTerms(_ frame: ModelFrame) throws -> (order: [Int], blocks: [RandomEffectBlock]) {
        let order = frame.randomTerms.indices.sorted { a, b in
            let (la, lb) = (frame.randomTerms[a].levels.count, frame.randomTerms[b].levels.count)
            return la != lb ? la > lb : a < b
        }
        let blocks = order.map { RandomEffectBlock(frame.randomTerms[$0]) }
        for b in blocks {
            let used = Set(b.levelIndex).count
            if used < 2 { throw RegressionError.groupingFactorTooFewLevels(b.groupingName, used) }
        }
        return (order, blocks)
    }

    /// The fixed-effect matrix without linearly dependent columns, with what was dropped.
    static func fullRankFixedEffects(_ frame: ModelFrame) throws
        -> (x: Matrix<Double>, kept: [Int], names: [String], droppedNames: [String], warnings: [String]) {
        let (kept, dropped) = try ColumnRank.split(frame.X)
        let names = kept.map { frame.fixedEffectNames[$0] }
        let droppedNames = dropped.map { frame.fixedEffectNames[$0] }
        var warnings: [String] = []
        if !dropped.isEmpty {
            warnings.append("fixed-effect model matrix is rank deficient so dropping \(dropped.count) column(s): \(droppedNames.joined(separator: ", "))")
        }
        if kept.isEmpty && !dropped.isEmpty {
            throw RegressionError.noEstimableCoefficients(dropped: frame.fixedEffectNames, cause: frame.textFactorCause)
        }
        let x = dropped.isEmpty ? frame.X : ColumnRank.select(frame.X, columns: kept)
        return (x, kept, names, droppedNames, warnings)
    }

    /// REML needs n > p; lme4's df.resid (rows minus β, θ and σ) must not be negative.
    static func checkDegreesOfFreedom(_ frame: ModelFrame, p: Int, blocks: [RandomEffectBlock], reml: Bool) throws {
        let n = frame.n
        if reml && n <= p { throw RegressionError.tooFewRows(n: n, p: p, cause: frame.textFactorCause) }
        let parameters = p + blocks.reduce(0) { $0 + $1.thetaCount } + 1
        if n < parameters {
            throw RegressionError.negativeResidualDegrees(n: n, parameters: parameters, cause: frame.textFactorCause)
        }
    }

    /// θ's lower bounds (0 on λ's diagonals), its names and the starting θ: the caller's, else
    /// `lme4InterceptStart`, else 1 on the diagonals and 0 elsewhere.
    static func startingPoint(_ blocks: [RandomEffectBlock], y: [Double], options: LMMOptions) throws
        -> (lower: [Double], theta: [Double], names: [String]) {
        var lower: [Double] = [], start: [Double] = [], names: [String] = []
        for b in blocks {
            for isDiag in b.diagonalMask { lower.append(isDiag ? 0 : -.infinity); start.append(isDiag ? 1 : 0) }
            names += b.thetaNames
        }
        if options.startTheta == nil, let s = lme4InterceptStart(blocks, y: y) { start = s }
        if let s = options.startTheta {
            guard s.count == start.count else {
                throw RegressionError.invalidOption("start θ has \(s.count) values; the model has \(start.count)")
            }
            start = s
        }
        return (lower, start, names)
    }

    /// Where the optimiser ended.
    struct Optimum {
        var theta: [Double]
        var objective: Double
        var evaluations: Int
        let stopReason: DerivativeFreeMinimizer.StopReason
    }

    /// BOBYQA from the start within the bounds, then lme4's boundary check: θ diagonal entries
    /// below `boundaryTolerance` are tried at exactly zero.
    static func optimize(_ deviance: ProfiledDeviance, start: (lower: [Double], theta: [Double], names: [String]),
                         options: LMMOptions) throws -> Optimum {
        var minimizer = DerivativeFreeMinimizer(algorithm: .bobyqa)
        minimizer.lowerBounds = start.lower
        minimizer.upperBounds = [Double](repeating: .infinity, count: start.lower.count)
        minimizer.xtolAbsolute = options.xtolAbsolute
        minimizer.ftolAbsolute = options.ftolAbsolute
        minimizer.xtolRelative = options.xtolRelative
        minimizer.maxEvaluations = options.maxEvaluations
        let result = try minimizer.minimize(from: start.theta, deviance.evaluate)
        try deviance.checkFailure()
        var optimum = Optimum(theta: result.x, objective: result.value, evaluations: result.evaluations, stopReason: result.stopReason)
        let lower = start.lower
        let nearBoundary = lower.indices.filter {
            lower[$0] == 0 && optimum.theta[$0] > 0 && optimum.theta[$0] < options.boundaryTolerance
        }
        if !nearBoundary.isEmpty {
            var t2 = optimum.theta
            for i in nearBoundary { t2[i] = 0 }
            let v = deviance.evaluate(t2)
            optimum.evaluations += 1
            if v < optimum.objective { optimum.theta = t2; optimum.objective = v }
        }
        return optimum
    }

    /// Leaves the system holding every block of L(θ) at the optimum and returns the criterion there.
    static func factorAtOptimum(_ deviance: ProfiledDeviance, theta: [Double]) throws -> Double {
        // Evaluate again unless θ was the last one tried.
        let final = deviance.lastTheta == theta && deviance.lastValue.isFinite ? deviance.lastValue : deviance.evaluate(theta)
        try deviance.checkFailure()
        guard final.isFinite else { throw RegressionError.fitFailed("the optimum θ gives a singular system") }
        // The grouped fast path skips the term-0 blocks: form them now.
        if deviance.system.blocksStale {
            guard try deviance.system.update(theta: theta, fullFactor: true) else {
                throw RegressionError.fitFailed("the optimum θ gives a singular system")
            }
        }
        return final
    }

    /// β, their standard errors, σ, the variance components and conditional modes, the
    /// singular-fit and convergence warnings.
    static func summarize(_ frame: ModelFrame, terms: (order: [Int], blocks: [RandomEffectBlock]),
                          fixed: (x: Matrix<Double>, kept: [Int], names: [String], droppedNames: [String], warnings: [String]),
                          deviance: ProfiledDeviance, start: (lower: [Double], theta: [Double], names: [String]),
                          optimum: Optimum, options: LMMOptions) throws -> LinearMixedModelFit {
        let system = deviance.system, blocks = terms.blocks, theta = optimum.theta, lower = start.lower
        let n = frame.n, p = fixed.x.cols
        var warnings = fixed.warnings
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
        let converged = optimum.stopReason.converged
        if !converged { warnings.append("optimiser stopped without converging: \(optimum.stopReason.rawValue)") }

        return LinearMixedModelFit(
            n: n, reml: options.reml, theta: theta, thetaNames: start.names, fixedEffectNames: fixed.names, beta: beta,
            standardErrors: se, sigma: sigma, varianceComponents: components, conditionalModes: modes,
            objective: optimum.objective, evaluations: optimum.evaluations, converged: converged,
            optimizerMessage: optimum.stopReason.rawValue, singular: singular, droppedColumns: fixed.droppedNames,
            warnings: warnings, groupSizes: blocks.map { ($0.groupingName, $0.levelCount) },
            termOrder: terms.order, keptColumnIndices: fixed.kept, relativeCovariances: relCovs)
    }
}
