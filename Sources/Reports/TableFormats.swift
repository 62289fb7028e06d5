import Foundation

/// Fixed-precision formatting, so that regenerated reports are byte-identical.
enum Cell {
    static func num(_ v: Double?, _ digits: Int) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(digits)f", v)
    }
    static func p(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        return v < 1e-4 ? String(format: "%.1e", v) : String(format: "%.4f", v)
    }
    static func pm(_ m: Double?, _ se: Double?, _ digits: Int) -> String {
        guard let m, m.isFinite else { return "–" }
        guard let se, se.isFinite else { return num(m, digits) }
        return "\(num(m, digits)) ± \(num(se, digits))"
    }
}

/// The comparison as rows of text cells, shared by every output format.
extension ComparisonTable {
    public static let headers = ["model", "fusion", "perplexity (dev, per token, base e)", "Pearson r", "ΔLogLik in-sample", "ΔLogLik per row", "ΔLogLik CV per row (mean ± SE)", "LRT p", "permutation p"]

    public var cells: [[String]] {
        rows.map { r in
            [r.model, r.fusion, Cell.num(r.perplexity, 2), Cell.num(r.pearsonR, 4), Cell.num(r.deltaInSample, 3), Cell.num(r.deltaPerRow, 5),
             Cell.pm(r.cvMean, r.cvSE, 5), Cell.p(r.lrtP), Cell.p(r.permutationP)]
        }
    }

    var title: String {
        "\(analysis)" + (regression.isEmpty ? "" : " — regression \(regression)") + (measure.isEmpty ? "" : " (measure: \(measure))")
    }

    /// An aligned plain-text table for the terminal.
    public var terminalText: String {
        let all = [ComparisonTable.headers] + cells
        let widths = ComparisonTable.headers.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        var lines = [title]
        for (k, row) in all.enumerated() {
            lines.append(row.enumerated().map { c, s in c < 2 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - s.count) + s }.joined(separator: "  "))
            if k == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }

    /// GitHub-flavoured Markdown.
    public var markdown: String {
        var lines = ["## \(title)", "", "| " + ComparisonTable.headers.joined(separator: " | ") + " |",
                     "|" + ComparisonTable.headers.indices.map { $0 < 2 ? "---" : "---:" }.joined(separator: "|") + "|"]
        lines += cells.map { "| " + $0.joined(separator: " | ") + " |" }
        lines.append("")
        lines.append("Perplexity is exp(mean cross-entropy in nats) per BPE token on the dev split. ΔLogLik is the log-likelihood (nats) of the regression with surprisal minus that of the baseline regression.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// LaTeX with booktabs rules.
    public var latex: String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\textbackslash{}").replacingOccurrences(of: "_", with: "\\_")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "&", with: "\\&").replacingOccurrences(of: "#", with: "\\#")
                .replacingOccurrences(of: "±", with: "$\\pm$").replacingOccurrences(of: "–", with: "--").replacingOccurrences(of: "Δ", with: "$\\Delta$")
        }
        var lines = ["% \(esc(title))", "\\begin{tabular}{ll" + String(repeating: "r", count: ComparisonTable.headers.count - 2) + "}", "\\toprule",
                     ComparisonTable.headers.map(esc).joined(separator: " & ") + " \\\\", "\\midrule"]
        lines += cells.map { $0.map(esc).joined(separator: " & ") + " \\\\" }
        lines += ["\\bottomrule", "\\end{tabular}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV with full-precision numbers (empty for missing).
    public var csv: String {
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? String($0) : "" } ?? "" }
        var lines = ["analysis,regression,model,fusion,perplexity_dev_per_token_base_e,bits_per_word,pearson_r,correlation_n,n,delta_loglik_in_sample,delta_loglik_per_row,delta_loglik_cv_mean,delta_loglik_cv_se,lrt_p,permutation_p"]
        for r in rows {
            lines.append([q(analysis), q(regression), q(r.model), q(r.fusion), f(r.perplexity), f(r.bitsPerWord), f(r.pearsonR), r.correlationN.map(String.init) ?? "",
                          r.n.map(String.init) ?? "", f(r.deltaInSample), f(r.deltaPerRow), f(r.cvMean), f(r.cvSE), f(r.lrtP), f(r.permutationP)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
