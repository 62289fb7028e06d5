import ArgumentParser
import Foundation
import MixedModels

/// `rtpipe fit`: one regression, OLS or a linear mixed model, on a CSV/TSV table.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a regression (OLS, or a linear mixed model when the formula has (… | group) terms) to a table.",
        discussion: """
            The formula uses lme4's syntax, e.g. "rt ~ length * log_freq + (1 + surprisal | subject) + (1 | item)". \
            Text columns are factors with treatment contrasts and R's level order; rows with a missing value \
            (empty, NA or .) in a used column are dropped and counted. Mixed models are fitted as lme4 does \
            (profiled deviance, NLopt BOBYQA, lme4's tolerances).
            """)

    @Option(help: "CSV or TSV file with a header row (delimiter detected).") var data: String
    @Option(help: "Model formula in lme4 syntax.") var formula: String
    @Flag(help: "Fit by REML instead of maximum likelihood (mixed models only).") var reml = false
    @Option(help: "Comma-separated columns to treat as categorical even if numeric.") var factors: String?
    @Option(help: "Level order of a factor, COLUMN=l1,l2,… (first level is the reference); repeatable.") var levels: [String] = []
    @Flag(help: "Print one JSON object instead of the summary.") var json = false

    func run() throws {
        try reportingErrors {
            let started = DispatchTime.now()
            let table = try DataTable.load(path: data)
            let loaded = DispatchTime.now()
            // Seconds spent reading the file and fitting (model frame included, as lme4's lmer()
            // builds its own), reported with --json so benchmarks can compare like with like.
            func seconds() -> FitSeconds {
                let now = DispatchTime.now().uptimeNanoseconds
                return FitSeconds(read: Double(loaded.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9,
                                  fit: Double(now - loaded.uptimeNanoseconds) / 1e9)
            }
            let parsed = try Formula.parse(formula)
            let factorSet = Set((factors ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let frame = try ModelFrame.build(formula: parsed, table: table, factors: factorSet, levelOrders: try parseLevelOrders(levels))
            let fit = try RegressionModels.for(parsed, options: LMMOptions(reml: reml)).fit(frame)
            if json {
                try printJSON(try fitJSON(fit, droppedRows: frame.droppedForMissing, seconds: seconds()))
            } else {
                print(fit.summary(formula: formula, data: data, droppedRows: frame.droppedForMissing))
            }
        }
    }
}
