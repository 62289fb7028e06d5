import Foundation

/// Readable summaries in the layout of R's `summary(lmer(...))` and `summary(lm(...))`.
public enum FitSummary {
    static func fmt(_ x: Double, _ digits: Int = 4) -> String {
        if x.isNaN { return "NA" }
        return String(format: "%.\(digits)f", x)
    }

    static func table(_ header: [String], _ rows: [[String]], leftAligned: Int = 1) -> String {
        let all = [header] + rows
        let widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in c < leftAligned ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - cell.count) + cell }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Summary of a linear mixed model.
    public static func text(_ fit: LinearMixedModelFit, formula: String, data: String, droppedRows: Int) -> String {
        var out: [String] = []
        out.append("Linear mixed model fit by \(fit.reml ? "REML" : "maximum likelihood")")
        out.append("Formula: \(formula)")
        out.append("   Data: \(data)" + (droppedRows > 0 ? " (\(droppedRows) rows with missing values dropped)" : ""))
        out.append("")
        let crit = fit.reml ? "REML criterion" : "deviance"
        out.append(table(["", "AIC", "BIC", "logLik", crit, "df.resid"],
                         [["", fmt(fit.aic, 2), fmt(fit.bic, 2), fmt(fit.logLik, 3), fmt(fit.objective, 3), "\(fit.n - fit.parameterCount)"]]))
        out.append("")
        out.append("Random effects:")
        var rows: [[String]] = []
        for vc in fit.varianceComponents {
            for (i, term) in vc.terms.enumerated() {
                let corr = (0..<i).map { fmt(vc.correlations[i][$0], 3) }.joined(separator: " ")
                rows.append([i == 0 ? vc.group : "", term, fmt(vc.sd[i] * vc.sd[i], 4), fmt(vc.sd[i], 4), corr])
            }
        }
        rows.append(["Residual", "", fmt(fit.sigma * fit.sigma, 4), fmt(fit.sigma, 4), ""])
        out.append(table(["Groups", "Name", "Variance", "Std.Dev.", "Corr"], rows, leftAligned: 2))
        out.append("Number of obs: \(fit.n), groups: " + fit.groupSizes.map { "\($0.0), \($0.1)" }.joined(separator: "; "))
        out.append("")
        out.append("Fixed effects:")
        out.append(table(["", "Estimate", "Std. Error", "t value"],
                         fit.fixedEffectNames.indices.map { [fit.fixedEffectNames[$0], fmt(fit.beta[$0]), fmt(fit.standardErrors[$0]), fmt(fit.tValues[$0], 3)] }))
        out.append("")
        out.append("θ (\(fit.thetaNames.joined(separator: ", "))): " + fit.theta.map { fmt($0, 6) }.joined(separator: " "))
        out.append("Optimiser: BOBYQA, \(fit.evaluations) evaluations, \(fit.converged ? "converged" : "NOT converged") (\(fit.optimizerMessage))")
        for w in fit.warnings { out.append("warning: \(w)") }
        return out.joined(separator: "\n")
    }

    /// Summary of an OLS fit.
    public static func text(_ fit: OLSFit, formula: String, data: String, droppedRows: Int) -> String {
        var out: [String] = []
        out.append("Linear model fit by least squares")
        out.append("Formula: \(formula)")
        out.append("   Data: \(data)" + (droppedRows > 0 ? " (\(droppedRows) rows with missing values dropped)" : ""))
        out.append("")
        out.append("Coefficients:")
        var rows = fit.fixedEffectNames.indices.map { [fit.fixedEffectNames[$0], fmt(fit.beta[$0]), fmt(fit.standardErrors[$0]), fmt(fit.tValues[$0], 3)] }
        rows += fit.droppedColumns.map { [$0, "NA", "NA", "NA"] }
        out.append(table(["", "Estimate", "Std. Error", "t value"], rows))
        out.append("")
        out.append("Residual standard error: \(fmt(fit.sigma)) on \(fit.n - fit.beta.count) degrees of freedom")
        out.append("R²: \(fmt(fit.rSquared)), logLik: \(fmt(fit.logLik, 3)) (df=\(fit.parameterCount)), AIC: \(fmt(fit.aic, 2)), BIC: \(fmt(fit.bic, 2))")
        for w in fit.warnings { out.append("warning: \(w)") }
        return out.joined(separator: "\n")
    }
}
