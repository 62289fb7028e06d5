import Foundation
import Numerics

/// Settings of a baseline-vs-full comparison.
public struct ComparisonOptions: Sendable {
    /// Which σ a held-out row's likelihood uses: the training fold's ML estimate √(RSS/n)
    /// (default, as Wilcox et al. 2020 and Pimentel & Meister 2024) or √(RSS/(n−p)).
    public enum HeldOutSigma: String, Sendable { case ml, unbiased }

    /// k for k-fold cross-validation with seeded random folds (nil: no cross-validation unless `foldColumn`).
    public var folds: Int? = nil
    /// Folds taken from a data column: each distinct value is one fold (reproduces a published split).
    public var foldColumn: String? = nil
    public var seed: UInt64 = 1
    public var reml = false
    public var heldOutSigma: HeldOutSigma = .ml
    /// For mixed models: how random effects enter held-out likelihoods.
    public var randomEffects: RandomEffectsPrediction = .conditional
    /// Sign-flip permutations for the paired permutation test (0 to skip).
    public var permutations = 1000
    public var factors: Set<String> = []
    public var levelOrders: [String: [String]] = [:]
    /// Called after the in-sample fits (step 0) and after each fold (step k of K).
    public var progress: (@Sendable (_ step: Int, _ of: Int) -> Void)? = nil
    public init() {}
}

/// One fold's held-out comparison.
public struct FoldComparison: Sendable {
    public let label: String
    public let n: Int
    /// Σ held-out log-likelihood of each model on this fold.
    public let baseLogLik: Double
    public let fullLogLik: Double
    /// Mean and standard error of the per-row ΔLL on this fold.
    public let meanDelta: Double
    public let seDelta: Double
}

/// The numbers of one in-sample fit, as a comparison reports them.
public struct FitRecord: Sendable {
    public let kind: ComparisonResult.Kind
    public let n: Int
    public let logLik: Double
    public let aic: Double
    public let bic: Double
    public let sigma: Double
    public let converged: Bool
    public let singular: Bool
    public let evaluations: Int
    public let terms: [(name: String, estimate: Double, standardError: Double)]
    public let warnings: [String]

    init(_ f: LinearMixedModelFit) {
        kind = .lmm; n = f.n; logLik = f.logLik; aic = f.aic; bic = f.bic; sigma = f.sigma; converged = f.converged
        singular = f.singular; evaluations = f.evaluations; warnings = f.warnings
        terms = f.fixedEffectNames.indices.map { (f.fixedEffectNames[$0], f.beta[$0], f.standardErrors[$0]) }
    }

    init(_ f: OLSFit) {
        kind = .ols; n = f.n; logLik = f.logLik; aic = f.aic; bic = f.bic; sigma = f.sigma; converged = true
        singular = false; evaluations = 0; warnings = f.warnings
        terms = f.fixedEffectNames.indices.map { (f.fixedEffectNames[$0], f.beta[$0], f.standardErrors[$0]) }
    }
}

/// The comparison of a baseline and a full model on the same rows.
public struct ComparisonResult: Sendable {
    public enum Kind: String, Sendable { case ols, lmm }
    public let kind: Kind
    public let n: Int
    /// Rows of the table not used (missing values in either model's columns, or a missing fold label).
    public let droppedRows: Int
    public let baseLogLik: Double
    public let fullLogLik: Double
    /// In-sample ΔLogLik = logLik(full) − logLik(base), total and per row (total / n).
    public var deltaLogLik: Double { fullLogLik - baseLogLik }
    public var deltaLogLikPerRow: Double { deltaLogLik / Double(n) }
    /// Likelihood-ratio test: χ² = 2ΔLogLik on (difference in parameter counts) degrees of freedom.
    public let lrtChiSquared: Double
    public let lrtDegreesOfFreedom: Int
    public let lrtP: Double
    public let folds: [FoldComparison]
    /// Held-out per-row ΔLL, in the order of the model rows (empty without cross-validation).
    public let heldOutDelta: [Double]
    /// Mean and standard error of the held-out per-row ΔLL over all rows.
    public let cvMean: Double?
    public let cvSE: Double?
    /// Paired sign-flip permutation test of mean per-row ΔLL = 0 (held-out rows when
    /// cross-validating, in-sample rows otherwise).
    public let permutationP: Double?
    public let permutations: Int
    public let warnings: [String]
    /// The two in-sample fits.
    public let baseFit: FitRecord
    public let fullFit: FitRecord
}

/// ΔLogLik between a baseline and a full regression, in-sample and cross-validated.
public enum ModelComparison {
    public static func compare(table: DataTable, base: Formula, full: Formula, options: ComparisonOptions) throws -> ComparisonResult {
        var warnings: [String] = []
        let isMixed = !base.randomTerms.isEmpty
        guard isMixed == !full.randomTerms.isEmpty else {
            throw RegressionError.invalidOption("the baseline and full models must both be OLS or both mixed models")
        }
        let baseFrame0 = try ModelFrame.build(formula: base, table: table, factors: options.factors, levelOrders: options.levelOrders)
        let fullFrame0 = try ModelFrame.build(formula: full, table: table, factors: options.factors, levelOrders: options.levelOrders)
        guard baseFrame0.responseName == fullFrame0.responseName else {
            throw RegressionError.invalidOption("the two models have different responses (\(baseFrame0.responseName) vs \(fullFrame0.responseName))")
        }
        // Same rows: those both models can use (and with a fold label when folds come from a column).
        var common = Set(baseFrame0.rowIndices).intersection(fullFrame0.rowIndices)
        var foldLabels: [String?] = []
        if let column = options.foldColumn {
            let values = try table.textColumn(column)
            common = common.filter { values[$0] != nil }
            foldLabels = values
        }
        let rows = common.sorted()
        guard !rows.isEmpty else { throw RegressionError.noRows }
        let position = { (frame: ModelFrame) -> [Int] in
            var index: [Int: Int] = [:]
            for (i, r) in frame.rowIndices.enumerated() { index[r] = i }
            return rows.map { index[$0]! }
        }
        let baseFrame = baseFrame0.subset(position(baseFrame0))
        let fullFrame = fullFrame0.subset(position(fullFrame0))
        let n = rows.count
        let dropped = table.rowCount - n

        // In-sample fits.
        var lmm = LMMOptions(reml: options.reml)
        lmm.reml = options.reml
        if options.reml && isMixed {
            warnings.append("REML likelihoods of models with different fixed effects are not comparable; use ML (the default) for ΔLogLik")
        }
        let (baseLL, baseK, fullLL, fullK, inSampleRows): (Double, Int, Double, Int, [Double])
        let baseRecord: FitRecord, fullRecord: FitRecord
        if isMixed {
            let b = try LinearMixedModel.fit(baseFrame, options: lmm)
            let f = try LinearMixedModel.fit(fullFrame, options: lmm)
            warnings += b.warnings.map { "baseline: \($0)" } + f.warnings.map { "full: \($0)" }
            let pb = try b.predictive(baseFrame, mode: .conditional)
            let pf = try f.predictive(fullFrame, mode: .conditional)
            inSampleRows = (0..<n).map { i in
                Distributions.normalLogDensity(fullFrame.y[i], mean: pf.mean[i], sd: pf.variance[i].squareRoot())
                    - Distributions.normalLogDensity(baseFrame.y[i], mean: pb.mean[i], sd: pb.variance[i].squareRoot())
            }
            (baseLL, baseK, fullLL, fullK) = (b.logLik, b.parameterCount, f.logLik, f.parameterCount)
            (baseRecord, fullRecord) = (FitRecord(b), FitRecord(f))
        } else {
            let b = try OrdinaryLeastSquares.fit(baseFrame)
            let f = try OrdinaryLeastSquares.fit(fullFrame)
            warnings += b.warnings.map { "baseline: \($0)" } + f.warnings.map { "full: \($0)" }
            inSampleRows = (0..<n).map { i in
                Distributions.normalLogDensity(fullFrame.y[i], mean: f.fitted[i], sd: f.sigmaML)
                    - Distributions.normalLogDensity(baseFrame.y[i], mean: b.fitted[i], sd: b.sigmaML)
            }
            (baseLL, baseK, fullLL, fullK) = (b.logLik, b.parameterCount, f.logLik, f.parameterCount)
            (baseRecord, fullRecord) = (FitRecord(b), FitRecord(f))
        }
        let df = fullK - baseK
        let chi2 = 2 * (fullLL - baseLL)
        var lrtP = Double.nan
        if df > 0 { lrtP = Distributions.chiSquaredSurvival(max(0, chi2), df: Double(df)) }
        else { warnings.append("the full model has no more parameters than the baseline; no likelihood-ratio test") }

        // Folds.
        var foldOf: [Int] = []
        var labels: [String] = []
        if let column = options.foldColumn {
            let raw = rows.map { foldLabels[$0]! }
            labels = Array(Set(raw)).sorted { a, b in
                if let x = Double(a), let y = Double(b) { return x < y }
                return a < b
            }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            foldOf = raw.map { index[$0]! }
            guard labels.count >= 2 else { throw RegressionError.invalidOption("fold column '\(column)' has \(labels.count) distinct value(s); cross-validation needs at least 2") }
        } else if let k = options.folds {
            guard k >= 2, k <= n else { throw RegressionError.invalidOption("--folds must be between 2 and the number of rows (\(n)); got \(k)") }
            var order = Array(0..<n)
            var rng = SeededGenerator(seed: options.seed)
            order.shuffle(using: &rng)
            foldOf = [Int](repeating: 0, count: n)
            for (i, r) in order.enumerated() { foldOf[r] = i % k }
            labels = (1...k).map(String.init)
        }

        options.progress?(0, labels.count)
        var heldOut = [Double](repeating: 0, count: foldOf.isEmpty ? 0 : n)
        var foldResults: [FoldComparison] = []
        for (f, label) in labels.enumerated() {
            let test = (0..<n).filter { foldOf[$0] == f }
            let train = (0..<n).filter { foldOf[$0] != f }
            guard !test.isEmpty, !train.isEmpty else { continue }
            let llBase = try heldOutLogLik(frame: baseFrame, train: train, test: test, isMixed: isMixed, options: options, lmm: lmm)
            let llFull = try heldOutLogLik(frame: fullFrame, train: train, test: test, isMixed: isMixed, options: options, lmm: lmm)
            var deltas: [Double] = []
            for (k, r) in test.enumerated() { heldOut[r] = llFull[k] - llBase[k]; deltas.append(heldOut[r]) }
            let (m, se) = meanAndSE(deltas)
            foldResults.append(FoldComparison(label: label, n: test.count, baseLogLik: llBase.reduce(0, +), fullLogLik: llFull.reduce(0, +), meanDelta: m, seDelta: se))
            options.progress?(f + 1, labels.count)
        }
        var cvMean: Double? = nil, cvSE: Double? = nil
        if !heldOut.isEmpty { let (m, se) = meanAndSE(heldOut); cvMean = m; cvSE = se }

        var permP: Double? = nil
        if options.permutations > 0 {
            permP = signFlipTest(heldOut.isEmpty ? inSampleRows : heldOut, permutations: options.permutations, seed: options.seed)
        }
        return ComparisonResult(kind: isMixed ? .lmm : .ols, n: n, droppedRows: dropped, baseLogLik: baseLL, fullLogLik: fullLL,
                                lrtChiSquared: chi2, lrtDegreesOfFreedom: df, lrtP: lrtP, folds: foldResults,
                                heldOutDelta: heldOut, cvMean: cvMean, cvSE: cvSE, permutationP: permP,
                                permutations: options.permutations, warnings: warnings, baseFit: baseRecord, fullFit: fullRecord)
    }

    /// Per-row log-likelihood of the `test` rows under the model fitted to the `train` rows.
    static func heldOutLogLik(frame: ModelFrame, train: [Int], test: [Int], isMixed: Bool,
                              options: ComparisonOptions, lmm: LMMOptions) throws -> [Double] {
        let trainFrame = frame.subset(train)
        let testFrame = frame.subset(test)
        if isMixed {
            let fit = try LinearMixedModel.fit(trainFrame, options: lmm)
            var sigma = fit.sigma
            if options.heldOutSigma == .unbiased && !lmm.reml {
                sigma *= (Double(fit.n) / Double(fit.n - fit.beta.count)).squareRoot()
            }
            let pred = try fit.predictive(testFrame, mode: options.randomEffects, sigma: sigma)
            return (0..<test.count).map { Distributions.normalLogDensity(testFrame.y[$0], mean: pred.mean[$0], sd: pred.variance[$0].squareRoot()) }
        }
        let fit = try OrdinaryLeastSquares.fit(trainFrame)
        let sigma = options.heldOutSigma == .ml ? fit.sigmaML : fit.sigma
        let pred = try fit.predict(testFrame.X)
        return (0..<test.count).map { Distributions.normalLogDensity(testFrame.y[$0], mean: pred[$0], sd: sigma) }
    }

    /// Mean and standard error (sd / √n) of the values.
    static func meanAndSE(_ v: [Double]) -> (Double, Double) {
        let n = Double(v.count)
        guard n > 0 else { return (.nan, .nan) }
        let m = v.reduce(0, +) / n
        guard n > 1 else { return (m, .nan) }
        let ss = v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (m, (ss / (n - 1)).squareRoot() / n.squareRoot())
    }

    /// Two-sided paired sign-flip permutation test of mean(v) = 0:
    /// p = (1 + #{|mean of randomly sign-flipped v| ≥ |mean v|}) / (1 + permutations).
    public static func signFlipTest(_ v: [Double], permutations: Int, seed: UInt64) -> Double {
        guard !v.isEmpty, permutations > 0 else { return .nan }
        let observed = abs(v.reduce(0, +))
        var rng = SeededGenerator(seed: seed ^ 0x5EED_F11B)
        var extreme = 0
        for _ in 0..<permutations {
            var s = 0.0
            var bits: UInt64 = 0
            for (i, x) in v.enumerated() {
                if i & 63 == 0 { bits = rng.next() }
                s += (bits & 1) == 1 ? x : -x
                bits >>= 1
            }
            if abs(s) >= observed - 1e-12 * max(1, observed) { extreme += 1 }
        }
        return Double(1 + extreme) / Double(1 + permutations)
    }
}
