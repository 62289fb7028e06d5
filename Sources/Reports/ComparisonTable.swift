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
    ///
    /// Only rows of the stages `stageKeys` names are read: a run passes the keys of its own plan,
    /// so its table shows exactly the results of the current settings, never rows that a run with
    /// other settings wrote later. With `stageKeys` nil, each analysis's newest finished run
    /// decides (the keys it recorded in `run_stages`); only a store written before runs recorded
    /// their stages falls back to the newest rows. `models` limits and orders the models.
    public static func tables(_ store: ResultsStore, analysis: String? = nil, models only: [String]? = nil, stageKeys: [String]? = nil) throws -> [ComparisonTable] {
        let db = store.db
        let analyses = try analysis.map { [$0] } ?? db.query("SELECT DISTINCT analysis FROM models ORDER BY analysis").rows.compactMap { $0[0].string }
        var out: [ComparisonTable] = []
        for a in analyses {
            let keys = try stageKeys ?? store.stageKeysOfLastFinishedRun(analysis: a)
            // "AND stage_key IN (?, …)" and its parameters, or nothing when no keys are known.
            let keyFilter = keys.map { " AND stage_key IN (\(Array(repeating: "?", count: $0.count).joined(separator: ", ")))" } ?? ""
            let keyParams: [SQLValue] = keys?.map { .text($0) } ?? []
            func query(_ sql: String, _ params: [SQLValue], tail: String = "") throws -> [[SQLValue]] {
                try db.query(sql + keyFilter + tail, params + keyParams).rows
            }
            var models = try query("SELECT model, fusion FROM models WHERE analysis = ?", [.text(a)], tail: " GROUP BY model ORDER BY (fusion <> 'none'), model")
            if let only { models = only.compactMap { name in models.first { $0[0].string == name } } }
            let measure = try query("SELECT measure FROM corpora WHERE analysis = ?", [.text(a)], tail: " LIMIT 1").first?.first?.string ?? ""
            var regressions = try query("SELECT DISTINCT regression FROM delta_loglik WHERE analysis = ?", [.text(a)], tail: " ORDER BY regression").compactMap { $0[0].string }
            if regressions.isEmpty { regressions = [""] }
            let newest = " ORDER BY created_at DESC, rowid DESC LIMIT 1"
            for reg in regressions {
                var rows: [ComparisonRow] = []
                for m in models {
                    let name = m[0].string ?? "", fusion = m[1].string ?? ""
                    var row = ComparisonRow(model: name, fusion: fusion)
                    if let p = try query("SELECT perplexity_per_token, bits_per_word FROM perplexities WHERE analysis = ? AND model = ? AND split = 'dev'", [.text(a), .text(name)], tail: newest).first {
                        row.perplexity = p[0].double; row.bitsPerWord = p[1].double
                    }
                    if let c = try query("SELECT pearson_r, n FROM correlations WHERE analysis = ? AND model = ?", [.text(a), .text(name)], tail: newest).first {
                        row.pearsonR = c[0].double; row.correlationN = c[1].int
                    }
                    if let d = try query("SELECT n, delta_total, delta_mean, lrt_p, permutation_p FROM delta_loglik WHERE analysis = ? AND regression = ? AND model = ? AND fold = 'in-sample'", [.text(a), .text(reg), .text(name)], tail: newest).first {
                        row.n = d[0].int; row.deltaInSample = d[1].double; row.deltaPerRow = d[2].double; row.lrtP = d[3].double; row.permutationP = d[4].double
                    }
                    if let d = try query("SELECT delta_mean, delta_se, permutation_p FROM delta_loglik WHERE analysis = ? AND regression = ? AND model = ? AND fold = 'cv'", [.text(a), .text(reg), .text(name)], tail: newest).first {
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
