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
    /// The table rows both models used (indices into the input table, ascending): the order of
    /// `heldOutDelta` and `heldOutFold`.
    public let rows: [Int]
    /// Held-out per-row ΔLL, in the order of the model rows (empty without cross-validation).
    public let heldOutDelta: [Double]
    /// The fold label each row was held out in (empty without cross-validation).
    public let heldOutFold: [String]
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
    /// Compares `base` and `full` on the rows both can use, with the regression family the
    /// formulas need (`RegressionModels.for`); both must be OLS or both mixed models.
    public static func compare(table: DataTable, base: Formula, full: Formula, options: ComparisonOptions) throws -> ComparisonResult {
        guard base.randomTerms.isEmpty == full.randomTerms.isEmpty else {
            throw RegressionError.invalidOption("the baseline and full models must both be OLS or both mixed models")
        }
        var lmm = LMMOptions(reml: options.reml)
        lmm.reml = options.reml
        return try compare(table: table, base: base, full: full, model: RegressionModels.for(base, options: lmm), options: options)
    }

    /// The comparison with a given regression family.
    public static func compare<Model: RegressionModel>(table: DataTable, base: Formula, full: Formula, model: Model, options: ComparisonOptions) throws -> ComparisonResult {
        var warnings: [String] = []
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
        if options.reml && model.kind == .lmm {
            warnings.append("REML likelihoods of models with different fixed effects are not comparable; use ML (the default) for ΔLogLik")
        }
        let b = try model.fit(baseFrame)
        let f = try model.fit(fullFrame)
        warnings += b.warnings.map { "baseline: \($0)" } + f.warnings.map { "full: \($0)" }
        let baseRows = try b.rowLogLik(baseFrame), fullRows = try f.rowLogLik(fullFrame)
        let inSampleRows = (0..<n).map { fullRows[$0] - baseRows[$0] }
        let (baseLL, fullLL) = (b.logLik, f.logLik)
        let df = f.parameterCount - b.parameterCount
        let chi2 = 2 * (fullLL - baseLL)
        var lrtP = Double.nan
        if df > 0 { lrtP = Distributions.chiSquaredSurvival(max(0, chi2), df: Double(df)) }
        else { warnings.append("the full model has no more parameters than the baseline; no likelihood-ratio test") }

        // Folds.
        let (foldOf, labels) = try assignFolds(n: n, rows: rows, foldLabels: foldLabels, options: options)
        options.progress?(0, labels.count)
        var heldOut = [Double](repeating: 0, count: foldOf.isEmpty ? 0 : n)
        var foldResults: [FoldComparison] = []
        for (k, label) in labels.enumerated() {
            let test = (0..<n).filter { foldOf[$0] == k }
            let train = (0..<n).filter { foldOf[$0] != k }
            guard !test.isEmpty, !train.isEmpty else { continue }
            let llBase = try heldOutLogLik(model, frame: baseFrame, train: train, test: test, options: options)
            let llFull = try heldOutLogLik(model, frame: fullFrame, train: train, test: test, options: options)
            var deltas: [Double] = []
            for (j, r) in test.enumerated() { heldOut[r] = llFull[j] - llBase[j]; deltas.append(heldOut[r]) }
            let (m, se) = meanAndSE(deltas)
            foldResults.append(FoldComparison(label: label, n: test.count, baseLogLik: llBase.reduce(0, +), fullLogLik: llFull.reduce(0, +), meanDelta: m, seDelta: se))
            options.progress?(k + 1, labels.count)
        }
        var cvMean: Double? = nil, cvSE: Double? = nil
        if !heldOut.isEmpty { let (m, se) = meanAndSE(heldOut); cvMean = m; cvSE = se }

        var permP: Double? = nil
        if options.permutations > 0 {
            permP = signFlipTest(heldOut.isEmpty ? inSampleRows : heldOut, permutations: options.permutations, seed: options.seed)
        }
        return ComparisonResult(kind: model.kind, n: n, droppedRows: dropped, baseLogLik: baseLL, fullLogLik: fullLL,
                                lrtChiSquared: chi2, lrtDegreesOfFreedom: df, lrtP: lrtP, folds: foldResults,
                                rows: rows, heldOutDelta: heldOut, heldOutFold: heldOut.isEmpty ? [] : foldOf.map { labels[$0] }, cvMean: cvMean, cvSE: cvSE, permutationP: permP,
                                permutations: options.permutations, warnings: warnings, baseFit: b.record, fullFit: f.record)
    }

    /// Each row's fold (0-based) and the folds' labels: the distinct values of the fold column
    /// (numeric ones in numeric order), or k seeded random folds labelled 1 … k; none without
    /// cross-validation.
    static func assignFolds(n: Int, rows: [Int], foldLabels: [String?], options: ComparisonOptions) throws -> (foldOf: [Int], labels: [String]) {
        if let column = options.foldColumn {
            let raw = rows.map { foldLabels[$0]! }
            let labels = Array(Set(raw)).sorted { a, b in
                if let x = Double(a), let y = Double(b) { return x < y }
                return a < b
            }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            guard labels.count >= 2 else { throw RegressionError.invalidOption("fold column '\(column)' has \(labels.count) distinct value(s); cross-validation needs at least 2") }
            return (raw.map { index[$0]! }, labels)
        }
        guard let k = options.folds else { return ([], []) }
        guard k >= 2, k <= n else { throw RegressionError.invalidOption("--folds must be between 2 and the number of rows (\(n)); got \(k)") }
        var order = Array(0..<n)
        var rng = SeededGenerator(seed: options.seed)
        order.shuffle(using: &rng)
        var foldOf = [Int](repeating: 0, count: n)
        for (i, r) in order.enumerated() { foldOf[r] = i % k }
        return (foldOf, (1...k).map(String.init))
    }

    /// Per-row log-likelihood of the `test` rows under the model fitted to the `train` rows.
    static func heldOutLogLik<Model: RegressionModel>(_ model: Model, frame: ModelFrame, train: [Int], test: [Int], options: ComparisonOptions) throws -> [Double] {
        let fit = try model.fit(frame.subset(train))
        return try model.heldOutLogLik(fit, test: frame.subset(test), options: options)
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
