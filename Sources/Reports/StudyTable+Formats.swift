import Foundation
import Statistics

/// The study as text: Markdown, LaTeX, CSV (one row per cell and one per paired comparison,
/// each with a `seeds` column) and the terminal; fixed precision, so regenerating is byte-identical.
extension StudyTable {
    var title: String { "\(analysis) — study over seeds" + (regression.isEmpty ? "" : ", regression \(regression)") }

    var cellHeaders: [String] {
        ["cell", "fusion", "train sentences", "seeds", "dev perplexity (base e)", "dev 2^nats (paper)"]
            + evaluationTexts.map { "\($0.dropFirst("transfer:".count)) perplexity (base e)" }
            + ["Pearson r", "ΔLogLik in-sample", "ΔLogLik CV per row"]
    }

    var cellCells: [[String]] {
        cells.map { c in
            let dev = c.perplexities["dev"]
            // The paper's code's unit, 2^(mean nats) = e^(ln 2 · mean nats) = ppl^(ln 2), of the
            // seeds' mean perplexity (METHODS §1: its 16.74 is e^(4.07) ≈ 58 per token in base e).
            let paper = dev.map { pow($0.mean, log(2)) }
            return [c.cell, c.fusion, c.trainSentences.map(String.init) ?? "–", String(c.seeds), pm(dev, 2), Cell.num(paper, 2)]
                + evaluationTexts.map { pm(c.perplexities[$0], 2) }
                + [pm(c.pearsonR, 4), pm(c.deltaInSample, 3), pm(c.deltaCV, 5)]
        }
    }

    var pairHeaders: [String] {
        ["fused cell", "baseline cell", "seeds", "Δ dev perplexity (95% CI)", "paired t p"]
            + evaluationTexts.flatMap { ["Δ \($0.dropFirst("transfer:".count)) perplexity (95% CI)", "paired t p"] }
            + ["Δ Pearson r (95% CI, Zou)", "Williams p", "Steiger p", "Δ held-out LogLik per word (95% bootstrap CI)", "words × seeds", "permutation p"]
    }

    var pairCells: [[String]] {
        pairs.map { p in
            let c = p.correlation, h = p.heldOut
            func difference(_ split: String) -> [String] {
                let t = p.perplexities[split]
                return [t.map { "\(Cell.num($0.meanDifference, 2)) [\(Cell.num($0.lower, 2)), \(Cell.num($0.upper, 2))]" } ?? "–", Cell.p(t?.p)]
            }
            return [p.cell, p.baseline, String(p.seeds)] + (["dev"] + evaluationTexts).flatMap(difference) + [
                    c.map { "\(Cell.num($0.difference, 4)) [\(Cell.num($0.lower, 4)), \(Cell.num($0.upper, 4))]" } ?? "–", Cell.p(c?.williamsP), Cell.p(c?.steigerP),
                    h.map { "\(Cell.num($0.meanDifference, 5)) [\(Cell.num($0.lower, 5)), \(Cell.num($0.upper, 5))]" } ?? "–",
                    h.map { String($0.rows) } ?? "–", Cell.p(h?.permutationP)]
        }
    }

    func pm(_ m: MeanWithError?, _ digits: Int) -> String { Cell.pm(m?.mean, m.map { $0.count > 1 ? $0.standardError : .nan }, digits) }

    static let note = """
        Cells: mean ± SE over seeds. Perplexity is exp(mean nats per BPE token) (base e); "2^nats" is the paper's unit, 2^(mean nats), for comparison with its 16.74 → 15.80. \
        Pairs: fused − baseline cell of the same training size, paired by seed; Δ perplexity with a paired t test; Δ Pearson r with Williams' t and Steiger's z for \
        dependent correlations sharing the reading times (correlations averaged over seeds in Fisher's z) and Zou's interval; Δ held-out LogLik: each word's \
        cross-validated log-likelihood under the fused model's regression minus the baseline model's (same words, same folds), pooled over seeds, with a \
        sign-flip permutation test and a seed-stratified bootstrap interval.
        """

    public var terminalText: String {
        func table(_ headers: [String], _ rows: [[String]]) -> [String] {
            let all = [headers] + rows
            let widths = headers.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
            var out: [String] = []
            for (k, row) in all.enumerated() {
                out.append(row.enumerated().map { c, s in s.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  "))
                if k == 0 { out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
            }
            return out
        }
        return ([title] + table(cellHeaders, cellCells) + ["", "Paired by seed:"] + table(pairHeaders, pairCells)).joined(separator: "\n")
    }

    public var markdown: String {
        func table(_ headers: [String], _ rows: [[String]]) -> [String] {
            ["| " + headers.joined(separator: " | ") + " |", "|" + headers.map { _ in "---" }.joined(separator: "|") + "|"] + rows.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        return (["## \(title)", "", "### Cells", ""] + table(cellHeaders, cellCells) + ["", "### Fused vs baseline, paired by seed", ""]
                + table(pairHeaders, pairCells) + ["", StudyTable.note]).joined(separator: "\n") + "\n"
    }

    public var latex: String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\textbackslash{}").replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "&", with: "\\&").replacingOccurrences(of: "#", with: "\\#").replacingOccurrences(of: "^", with: "\\^{}")
                .replacingOccurrences(of: "±", with: "$\\pm$").replacingOccurrences(of: "–", with: "--").replacingOccurrences(of: "Δ", with: "$\\Delta$")
        }
        func table(_ headers: [String], _ rows: [[String]]) -> [String] {
            ["\\begin{tabular}{" + String(repeating: "l", count: headers.count) + "}", "\\toprule", headers.map(esc).joined(separator: " & ") + " \\\\", "\\midrule"]
                + rows.map { $0.map(esc).joined(separator: " & ") + " \\\\" } + ["\\bottomrule", "\\end{tabular}"]
        }
        return (["% \(esc(title))"] + table(cellHeaders, cellCells) + [""] + table(pairHeaders, pairCells)).joined(separator: "\n") + "\n"
    }

    /// One row per cell (`kind = cell`) and one per paired comparison (`kind = pair`), full precision.
    public var csv: String {
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? String($0) : "" } ?? "" }
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        let splits = ["dev"] + evaluationTexts
        var header = ["kind", "analysis", "regression", "cell", "baseline", "fusion", "train_sentences", "seeds"]
        header += splits.flatMap { ["perplexity_\($0)_mean", "perplexity_\($0)_se"] }
        header += ["pearson_r_mean", "pearson_r_se", "delta_loglik_in_sample_mean", "delta_loglik_in_sample_se", "delta_loglik_cv_mean", "delta_loglik_cv_se",
                   "d_perplexity", "d_perplexity_lower", "d_perplexity_upper", "d_perplexity_t_p"]
        header += evaluationTexts.flatMap { t in ["d_perplexity_\(t)", "d_perplexity_\(t)_lower", "d_perplexity_\(t)_upper", "d_perplexity_\(t)_t_p"] }
        header += ["d_pearson_r", "d_pearson_r_lower", "d_pearson_r_upper", "williams_p", "steiger_p",
                   "d_heldout_loglik_per_word", "d_heldout_loglik_lower", "d_heldout_loglik_upper", "heldout_words", "d_heldout_loglik_permutation_p"]
        var lines = [header.map(q).joined(separator: ",")]
        for c in cells {
            var v = ["cell", analysis, regression, c.cell, "", c.fusion, c.trainSentences.map(String.init) ?? "", String(c.seeds)].map(q)
            v += splits.flatMap { [f(c.perplexities[$0]?.mean), f(c.perplexities[$0]?.standardError)] }
            v += [f(c.pearsonR?.mean), f(c.pearsonR?.standardError), f(c.deltaInSample?.mean), f(c.deltaInSample?.standardError), f(c.deltaCV?.mean), f(c.deltaCV?.standardError)]
            v += Array(repeating: "", count: 4 * splits.count + 10)
            lines.append(v.joined(separator: ","))
        }
        for p in pairs {
            var v = ["pair", analysis, regression, p.cell, p.baseline, "", "", String(p.seeds)].map(q)
            v += Array(repeating: "", count: 2 * splits.count + 6)
            for split in splits {
                let t = p.perplexities[split]
                v += [f(t?.meanDifference), f(t?.lower), f(t?.upper), f(t?.p)]
            }
            v += [f(p.correlation?.difference), f(p.correlation?.lower), f(p.correlation?.upper), f(p.correlation?.williamsP), f(p.correlation?.steigerP),
                  f(p.heldOut?.meanDifference), f(p.heldOut?.lower), f(p.heldOut?.upper), p.heldOut.map { String($0.rows) } ?? "", f(p.heldOut?.permutationP)]
            lines.append(v.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The study's figures (file name, SVG): perplexity against training sentences per evaluation
    /// text, and Pearson r and CV ΔLogLik against dev perplexity, each model a point.
    public var figures: [(String, String)] {
        var out: [(String, String)] = []
        let sized = cells.filter { $0.trainSentences != nil }
        if !sized.isEmpty {
            for split in ["dev"] + evaluationTexts {
                var series: [String] = []
                for c in sized where !series.contains(c.fusion) { series.append(c.fusion) }
                let fig = PerplexityBySizeFigure(analysis: analysis, evaluationText: split, series: series.map { s in
                    FigureSeries(name: s, points: sized.filter { $0.fusion == s }.compactMap { c in
                        c.perplexities[split].map { SeedMeanPoint(x: Double(c.trainSentences!), mean: $0.mean, standardError: $0.count > 1 ? $0.standardError : nil, seeds: $0.count) }
                    })
                })
                out.append(("perplexity_by_size-\(split.replacingOccurrences(of: ":", with: "_")).svg", StudyFigures.perplexityBySize(fig)))
            }
        }
        for (measure, value) in [(ScatterMeasure.pearsonR, \ModelSummary.pearsonR), (.deltaLogLik, \ModelSummary.cvMean)] {
            let points = models.compactMap { m in m.perplexities["dev"].flatMap { p in m[keyPath: value].map { ModelPoint(model: m.model, group: m.fusion, perplexity: p, value: $0) } } }
            out.append(("\(measure == .pearsonR ? "pearson_r" : "delta_loglik")_vs_perplexity.svg",
                        StudyFigures.perplexityScatter(PerplexityScatterFigure(analysis: analysis, evaluationText: "dev", measure: measure, points: points))))
        }
        return out
    }
}
