import Corpora
import Foundation
import MixedModels
import Numerics
import Store

extension AnalysisRunner {
    /// The word table with surprisal (and its spillover), the baseline and full regressions,
    /// ΔLogLik in-sample and cross-validated, and Pearson r between surprisal and the measure.
    func regressionStage(_ m: AnalysisSpec.Model, _ r: AnalysisSpec.Regression, _ stage: PlannedStage, corpus data: CorpusData, surprisal: [Double?]) throws {
        guard !stage.cached else { return }
        let start = Date()
        let measure = spec.corpus.measure
        let export = exportOptions(frequency: try frequencyTable(), surprisal: surprisal)
        let exported = try CorpusExport.export(data, options: export)
        let table = try DataTable(exported.table, sourceName: "\(spec.name) word table (\(m.name))")
        let full = r.full
        progress.line("regression \(r.name) × \(m.name): \(exported.table.rows.count) rows; \(r.baseline)  +  \(r.add.joined(separator: " + "))")

        // Pearson r between surprisal and the measure on the table's rows (the paper's measure).
        let ys = try table.numericColumn(measure.rawValue), xs = try table.numericColumn("surprisal")
        var pairs: [(Double, Double)] = []
        for i in ys.indices { if let y = ys[i], let x = xs[i] { pairs.append((x, y)) } }
        let (pearson, pearsonP) = Correlation.pearson(pairs)

        var options = ComparisonOptions()
        options.folds = r.folds
        options.foldColumn = r.foldColumn
        options.seed = UInt64(spec.seed)
        options.permutations = r.permutations
        options.randomEffects = r.randomEffects
        options.factors = ["subject", "item", "text"]
        let t0 = Date()
        options.progress = { [progress] step, total in
            if step > 0 { progress.progress("regression \(r.name) × \(m.name) folds", done: step, total: total, elapsed: Date().timeIntervalSince(t0)) }
        }
        let result = try ModelComparison.compare(table: table, base: try Formula.parse(r.baseline), full: try Formula.parse(full), options: options)
        progress.line(String(format: "regression %@ × %@: ΔLogLik %.3f in-sample (%.5f per row)%@, Pearson r %.4f", r.name, m.name, result.deltaLogLik,
                             result.deltaLogLikPerRow, result.cvMean.map { String(format: ", %.5f ± %.5f held-out", $0, result.cvSE ?? .nan) } ?? "", pearson))
        for w in result.warnings { progress.line("regression \(r.name) × \(m.name): warning: \(w)") }

        try recordStage("regression", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: nil) { w in
            try w.insert("correlations", ["model": .text(m.name), "measure": .text(measure.rawValue), "n": .of(pairs.count), "pearson_r": .real(pearson), "p_value": .real(pearsonP)])
            for (role, fit, formula) in [("baseline", result.baseFit, r.baseline), ("full", result.fullFit, full)] {
                try w.insert("fits", ["regression": .text(r.name), "model": .text(m.name), "role": .text(role), "formula": .text(formula),
                                      "kind": .text(fit.kind.rawValue), "n": .of(fit.n), "loglik": .real(fit.logLik), "deviance": .real(-2 * fit.logLik),
                                      "aic": .real(fit.aic), "bic": .real(fit.bic), "sigma": .real(fit.sigma), "converged": .of(fit.converged),
                                      "singular": .of(fit.singular), "evaluations": .of(fit.evaluations), "warnings": .text(fit.warnings.joined(separator: "; "))])
                for t in fit.terms {
                    try w.insert("fit_terms", ["regression": .text(r.name), "model": .text(m.name), "role": .text(role), "term": .text(t.name),
                                               "estimate": .real(t.estimate), "std_error": .real(t.standardError), "t_value": .real(t.estimate / t.standardError)])
                }
            }
            try w.insert("delta_loglik", ["regression": .text(r.name), "model": .text(m.name), "fold": .text("in-sample"), "n": .of(result.n),
                                          "delta_total": .real(result.deltaLogLik), "delta_mean": .real(result.deltaLogLikPerRow),
                                          "lrt_chisq": .real(result.lrtChiSquared), "lrt_df": .of(result.lrtDegreesOfFreedom), "lrt_p": .real(result.lrtP),
                                          "permutation_p": result.cvMean == nil ? .of(result.permutationP) : .null])
            if let mean = result.cvMean {
                try w.insert("delta_loglik", ["regression": .text(r.name), "model": .text(m.name), "fold": .text("cv"), "n": .of(result.n),
                                              "delta_total": .real(result.heldOutDelta.reduce(0, +)), "delta_mean": .real(mean), "delta_se": .of(result.cvSE),
                                              "permutation_p": .of(result.permutationP)])
                // Each held-out row's ΔLL (same rows and folds for every model of the analysis), so
                // two models can be compared word by word (StudyQuery's paired permutation test).
                let keys = try Self.rowKeys(table)
                for (i, row) in result.rows.enumerated() {
                    try w.insert("heldout_rows", ["regression": .text(r.name), "model": .text(m.name), "row_key": .text(keys[row]),
                                                  "fold": .text(result.heldOutFold[i]), "delta": .real(result.heldOutDelta[i])])
                }
                for f in result.folds {
                    try w.insert("delta_loglik", ["regression": .text(r.name), "model": .text(m.name), "fold": .text("fold \(f.label)"), "n": .of(f.n),
                                                  "delta_total": .real(f.fullLogLik - f.baseLogLik), "delta_mean": .real(f.meanDelta), "delta_se": .real(f.seDelta)])
                }
            }
        }
    }
}

extension AnalysisRunner {
    /// A row's identity in the word table: its item (`text:position`), with the subject first in
    /// per-subject tables — the same for every model of one analysis.
    static func rowKeys(_ table: DataTable) throws -> [String] {
        let items = try table.textColumn("item")
        let subjects = table.columnNames.contains("subject") ? try table.textColumn("subject") : nil
        return items.indices.map { i in (subjects.map { ($0[i] ?? "NA") + "|" } ?? "") + (items[i] ?? "NA") }
    }
}

/// Pearson's correlation coefficient and its two-sided p-value (t test with n − 2 df).
enum Correlation {
    static func pearson(_ pairs: [(Double, Double)]) -> (r: Double, p: Double) {
        let n = Double(pairs.count)
        guard n >= 3 else { return (.nan, .nan) }
        let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my) }
        guard sxx > 0, syy > 0 else { return (.nan, .nan) }
        let r = sxy / (sxx * syy).squareRoot()
        // t = r √((n−2)/(1−r²)) follows Student's t with n − 2 df under H₀: ρ = 0.
        let df = n - 2
        let t2 = r * r * df / max(1e-300, 1 - r * r)
        let p = Distributions.studentTwoSidedP(tSquared: t2, df: df)
        return (r, p)
    }
}
