import Foundation
import Store

/// One language model's line in the baseline-vs-fusion comparison.
public struct ComparisonRow: Sendable, Equatable {
    public var model: String
    public var fusion: String
    /// Dev perplexity per token, natural-log base (exp of mean nats per token).
    public var perplexity: Double?
    public var bitsPerWord: Double?
    /// Pearson r between word surprisal and the reading measure (the paper's measure).
    public var pearsonR: Double?
    public var correlationN: Int?
    /// ΔLogLik of the regression with surprisal over the baseline regression.
    public var n: Int?
    public var deltaInSample: Double?
    public var deltaPerRow: Double?
    public var cvMean: Double?
    public var cvSE: Double?
    public var lrtP: Double?
    public var permutationP: Double?
}

/// The comparison for one regression of one analysis.
public struct ComparisonTable: Sendable, Equatable {
    public var analysis: String
    public var regression: String
    public var measure: String
    public var rows: [ComparisonRow]
}

/// Reads comparison tables from the store (no recomputation).
public enum ComparisonQuery {
    /// All comparison tables, for one analysis or for every analysis in the store, in a stable order.
    /// When a stage was recomputed (new settings or inputs), the most recently written rows are
    /// used; `models` limits and orders the models (e.g. those of the current analysis file).
    public static func tables(_ store: ResultsStore, analysis: String? = nil, models only: [String]? = nil) throws -> [ComparisonTable] {
        let db = store.db
        let analyses = try analysis.map { [$0] } ?? db.query("SELECT DISTINCT analysis FROM models ORDER BY analysis").rows.compactMap { $0[0].string }
        var out: [ComparisonTable] = []
        for a in analyses {
            var models = try db.query("SELECT model, fusion FROM models WHERE analysis = ? GROUP BY model ORDER BY (fusion <> 'none'), model", [.text(a)]).rows
            if let only { models = only.compactMap { name in models.first { $0[0].string == name } } }
            let measure = try db.query("SELECT measure FROM corpora WHERE analysis = ? LIMIT 1", [.text(a)]).rows.first?.first?.string ?? ""
            var regressions = try db.query("SELECT DISTINCT regression FROM delta_loglik WHERE analysis = ? ORDER BY regression", [.text(a)]).rows.compactMap { $0[0].string }
            if regressions.isEmpty { regressions = [""] }
            for reg in regressions {
                var rows: [ComparisonRow] = []
                for m in models {
                    let name = m[0].string ?? "", fusion = m[1].string ?? ""
                    var row = ComparisonRow(model: name, fusion: fusion)
                    if let p = try db.query("SELECT perplexity_per_token, bits_per_word FROM perplexities WHERE analysis = ? AND model = ? AND split = 'dev' ORDER BY created_at DESC, rowid DESC LIMIT 1", [.text(a), .text(name)]).rows.first {
                        row.perplexity = p[0].double; row.bitsPerWord = p[1].double
                    }
                    if let c = try db.query("SELECT pearson_r, n FROM correlations WHERE analysis = ? AND model = ? ORDER BY created_at DESC, rowid DESC LIMIT 1", [.text(a), .text(name)]).rows.first {
                        row.pearsonR = c[0].double; row.correlationN = c[1].int
                    }
                    if let d = try db.query("SELECT n, delta_total, delta_mean, lrt_p, permutation_p FROM delta_loglik WHERE analysis = ? AND regression = ? AND model = ? AND fold = 'in-sample' ORDER BY created_at DESC, rowid DESC LIMIT 1", [.text(a), .text(reg), .text(name)]).rows.first {
                        row.n = d[0].int; row.deltaInSample = d[1].double; row.deltaPerRow = d[2].double; row.lrtP = d[3].double; row.permutationP = d[4].double
                    }
                    if let d = try db.query("SELECT delta_mean, delta_se, permutation_p FROM delta_loglik WHERE analysis = ? AND regression = ? AND model = ? AND fold = 'cv' ORDER BY created_at DESC, rowid DESC LIMIT 1", [.text(a), .text(reg), .text(name)]).rows.first {
                        row.cvMean = d[0].double; row.cvSE = d[1].double
                        if let p = d[2].double { row.permutationP = p }
                    }
                    rows.append(row)
                }
                out.append(ComparisonTable(analysis: a, regression: reg, measure: measure, rows: rows))
            }
        }
        return out
    }
}
