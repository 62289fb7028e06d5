import ArgumentParser
import Foundation
import MixedModels

/// `rtpipe delta`: ΔLogLik of a full model over a baseline on the same rows.
struct DeltaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delta",
        abstract: "Compare a baseline and a full regression on the same rows: ΔLogLik in-sample and cross-validated, LRT, permutation test.",
        discussion: """
            Both formulas are OLS or both are mixed models (fitted by ML unless --reml). Rows missing a value \
            used by either model are dropped from both. Held-out rows are scored with the training fold's σ \
            (--sigma ml: √(RSS/n), the default; unbiased: √(RSS/(n−p))); for mixed models --random-effects \
            conditional (default) uses the estimated effects of levels seen in training, integrated uses each \
            row's marginal density with the random effects integrated out.
            """)

    @Option(help: "CSV or TSV file with a header row.") var data: String
    @Option(help: "Baseline formula.") var base: String
    @Option(help: "Full formula (the baseline plus the terms of interest).") var full: String
    @Option(help: "Number of cross-validation folds (random, by --seed).") var folds: Int?
    @Option(help: "Take the folds from this column (one fold per distinct value).") var foldColumn: String?
    @Option(help: "Seed for folds and permutations.") var seed: UInt64 = 1
    @Flag(help: "Fit mixed models by REML (not recommended for ΔLogLik).") var reml = false
    @Option(help: "σ for held-out likelihoods: ml or unbiased.") var sigma: String = "ml"
    @Option(help: "Random effects in held-out likelihoods: conditional or integrated.") var randomEffects: String = "conditional"
    @Option(help: "Sign-flip permutations for the paired permutation test (0 to skip).") var permutations = 1000
    @Option(help: "Comma-separated columns to treat as categorical.") var factors: String?
    @Option(help: "Level order of a factor, COLUMN=l1,l2,…; repeatable.") var levels: [String] = []
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if folds != nil && foldColumn != nil { throw ValidationError("use either --folds or --fold-column, not both") }
        if let k = folds, k < 2 { throw ValidationError("--folds must be at least 2") }
        guard ComparisonOptions.HeldOutSigma(rawValue: sigma) != nil else { throw ValidationError("--sigma must be ml or unbiased") }
        guard RandomEffectsPrediction(rawValue: randomEffects) != nil else { throw ValidationError("--random-effects must be conditional or integrated") }
        // The same bound as an analysis file's `permutations` (each flip is a pass over the rows).
        if permutations < 0 || permutations > 1_000_000 { throw ValidationError("--permutations must be between 0 and 1000000") }
    }

    func run() throws {
        try reportingErrors {
            let table = try DataTable.load(path: data)
            var options = ComparisonOptions()
            options.folds = folds
            options.foldColumn = foldColumn
            options.seed = seed
            options.reml = reml
            options.heldOutSigma = ComparisonOptions.HeldOutSigma(rawValue: sigma)!
            options.randomEffects = RandomEffectsPrediction(rawValue: randomEffects)!
            options.permutations = permutations
            options.factors = Set((factors ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            options.levelOrders = try parseLevelOrders(levels)
            let started = Date()
            options.progress = { step, total in
                let elapsed = Date().timeIntervalSince(started)
                if step == 0 {
                    progressLine(String(format: "in-sample fits done (%.1f s)%@", elapsed, total > 0 ? "; cross-validating \(total) folds" : ""))
                } else {
                    let eta = elapsed / Double(step) * Double(total - step)
                    progressLine(String(format: "fold %d/%d done, %.1f s elapsed, ETA %.0f s", step, total, elapsed, eta))
                }
            }
            let r = try ModelComparison.compare(table: table, base: try Formula.parse(base), full: try Formula.parse(full), options: options)
            if json {
                try printJSON(DeltaJSON(r, sigma: sigma, randomEffects: randomEffects))
                return
            }
            print("Comparison (\(r.kind == .lmm ? "linear mixed models, \(reml ? "REML" : "ML")" : "OLS")) on \(r.n) rows" + (r.droppedRows > 0 ? " (\(r.droppedRows) rows dropped for missing values)" : ""))
            print("  baseline: \(base)\n  full:     \(full)")
            print(String(format: "In-sample ΔLogLik: %.4f total, %.6f per row (logLik %.3f → %.3f)", r.deltaLogLik, r.deltaLogLikPerRow, r.baseLogLik, r.fullLogLik))
            print(String(format: "Likelihood-ratio test: χ² = %.4f on %d df, p = %.4g", r.lrtChiSquared, r.lrtDegreesOfFreedom, r.lrtP))
            if let m = r.cvMean, let se = r.cvSE {
                print(String(format: "Held-out ΔLogLik per row (%d folds): %.6f ± %.6f (mean ± SE)", r.folds.count, m, se))
                for f in r.folds { print(String(format: "  fold %@: n = %d, mean ΔLL = %.6f ± %.6f", f.label, f.n, f.meanDelta, f.seDelta)) }
            }
            if let p = r.permutationP { print(String(format: "Paired permutation test (%d sign flips, %@ rows): p = %.4g", r.permutations, r.cvMean == nil ? "in-sample" : "held-out", p)) }
            for w in r.warnings { print("warning: \(w)") }
        }
    }
}
