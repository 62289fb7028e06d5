import Foundation
import Statistics
import Store

/// The seeded model-grid study of one regression (issue 15): one row per cell (fusion × size ×
/// context, mean ± SE over its seeds) and one per paired comparison of a fused cell with the
/// baseline cell of the same size, paired by seed. Computed from the store's rows alone (every
/// random draw is seeded), so `rtpipe report` regenerates it byte for byte.
public struct StudyTable: Sendable, Equatable {
    public struct CellRow: Sendable, Equatable {
        public var cell: String
        public var fusion: String
        public var context: String
        public var trainSentences: Int?
        public var seeds: Int
        /// Dev perplexity, then one per evaluation text (`transfer:NAME`), per token, base e.
        public var perplexities: [String: MeanWithError]
        public var pearsonR: MeanWithError?
        public var deltaInSample: MeanWithError?
        public var deltaCV: MeanWithError?
    }
    public struct PairRow: Sendable, Equatable {
        public var cell: String
        public var baseline: String
        public var seeds: Int
        /// Perplexity difference (fused − baseline) on the dev split (`dev`) and on each evaluation
        /// text (`transfer:NAME`), paired t over seeds.
        public var perplexities: [String: PairedTTestResult] = [:]
        /// The dev split's difference.
        public var perplexity: PairedTTestResult? { perplexities["dev"] }
        /// Pearson r difference: Williams / Steiger on the correlations averaged over seeds
        /// (Fisher z), with the rows of one seed.
        public var correlation: DependentCorrelationsResult?
        /// Held-out log-likelihood per word, fused − baseline (same rows, same folds; table
        /// `heldout_rows`), pooled over seeds: paired permutation test and bootstrap CI.
        public var heldOut: PairedResamplingResult?
    }

    public var analysis: String
    public var regression: String
    public var evaluationTexts: [String]
    public var cells: [CellRow]
    public var pairs: [PairRow]
    /// Each model as (name, cell, fusion, train sentences, dev perplexity, Pearson r, CV ΔLogLik per row) for the figures.
    public var models: [ModelSummary]

    public struct ModelSummary: Sendable, Equatable {
        public var model: String, cell: String, fusion: String, seed: Int
        public var trainSentences: Int?
        public var perplexities: [String: Double]
        public var pearsonR: Double?
        public var deltaPerRow: Double?
        public var cvMean: Double?
    }
}

public enum StudyQuery {
    /// The study table of a comparison table (same analysis, regression and stage keys); nil when
    /// no model of it belongs to a grid with more than one seed.
    public static func study(_ store: ResultsStore, _ table: ComparisonTable, stageKeys: [String]?) throws -> StudyTable? {
        let db = store.db
        let a = table.analysis
        let keys = try stageKeys ?? store.stageKeysOfLastFinishedRun(analysis: a)
        let keyFilter = keys.map { " AND stage_key IN (\(Array(repeating: "?", count: $0.count).joined(separator: ", ")))" } ?? ""
        let keyParams: [SQLValue] = keys?.map { .text($0) } ?? []
        func query(_ sql: String, _ params: [SQLValue]) throws -> [[SQLValue]] { try db.query(sql + keyFilter, params + keyParams).rows }

        var summaries: [StudyTable.ModelSummary] = []
        for row in table.rows {
            guard let m = try query("SELECT cell, model_seed, train_sentences, context FROM models WHERE analysis = ? AND model = ?", [.text(a), .text(row.model)]).first,
                  let cell = m[0].string, let seed = m[1].int else { continue }
            var ppl: [String: Double] = [:]
            for p in try query("SELECT split, perplexity_per_token FROM perplexities WHERE analysis = ? AND model = ? AND split <> 'test'", [.text(a), .text(row.model)]) {
                if let s = p[0].string, let v = p[1].double { ppl[s] = v }
            }
            summaries.append(.init(model: row.model, cell: cell, fusion: row.fusion + (m[3].string.map { row.fusion == "none" ? "" : "@\($0)" } ?? ""),
                                   seed: seed, trainSentences: m[2].int, perplexities: ppl, pearsonR: row.pearsonR, deltaPerRow: row.deltaPerRow, cvMean: row.cvMean))
        }
        var order: [String] = []
        var byCell: [String: [StudyTable.ModelSummary]] = [:]
        for s in summaries {
            if byCell[s.cell] == nil { order.append(s.cell) }
            byCell[s.cell, default: []].append(s)
        }
        guard byCell.values.contains(where: { $0.count > 1 }) else { return nil }
        let texts = Array(Set(summaries.flatMap { $0.perplexities.keys }.filter { $0.hasPrefix("transfer:") })).sorted()

        func mean(_ v: [Double?]) -> MeanWithError? {
            let x = v.compactMap { $0 }.filter(\.isFinite)
            return x.count == v.count && !x.isEmpty ? try? SeedSummary.meanWithError(x) : nil
        }
        var cells: [StudyTable.CellRow] = []
        for c in order {
            let ms = byCell[c]!
            var ppl: [String: MeanWithError] = [:]
            for split in ["dev"] + texts { ppl[split] = mean(ms.map { $0.perplexities[split] }) }
            let inSample = try ms.map { s in try query("SELECT delta_total FROM delta_loglik WHERE analysis = ? AND regression = ? AND model = ? AND fold = 'in-sample'",
                                                       [.text(a), .text(table.regression), .text(s.model)]).first?.first?.double }
            cells.append(.init(cell: c, fusion: ms[0].fusion, context: "", trainSentences: ms[0].trainSentences, seeds: ms.count,
                               perplexities: ppl, pearsonR: mean(ms.map(\.pearsonR)), deltaInSample: mean(inSample), deltaCV: mean(ms.map(\.cvMean))))
        }
        // Paired comparisons: each fused cell against the baseline cell of the same size.
        var pairs: [StudyTable.PairRow] = []
        for c in order {
            let fused = byCell[c]!
            guard !fused[0].fusion.hasPrefix("none"),
                  let base = order.first(where: { b in byCell[b]![0].fusion == "none" && byCell[b]![0].trainSentences == fused[0].trainSentences }) else { continue }
            let baseline = byCell[base]!
            let common = Set(fused.map(\.seed)).intersection(baseline.map(\.seed)).sorted()
            func bySeed(_ ms: [StudyTable.ModelSummary], _ f: (StudyTable.ModelSummary) -> Double?) -> [Int: Double] {
                var d: [Int: Double] = [:]
                for m in ms where common.contains(m.seed) { if let v = f(m) { d[m.seed] = v } }
                return d
            }
            var row = StudyTable.PairRow(cell: c, baseline: base, seeds: common.count)
            for split in ["dev"] + texts {
                row.perplexities[split] = try? PairedTTest.testBySeed(bySeed(fused) { $0.perplexities[split] }, bySeed(baseline) { $0.perplexities[split] })
            }
            row.correlation = try? pooledCorrelation(store, query: query, analysis: a, fused: fused, baseline: baseline, seeds: common)
            var differences: [Int: [Double]] = [:]
            for seed in common {
                guard let f = fused.first(where: { $0.seed == seed }), let b = baseline.first(where: { $0.seed == seed }) else { continue }
                let rows = { (model: String) throws -> [String: (fold: String, delta: Double)] in
                    var out: [String: (fold: String, delta: Double)] = [:]
                    for r in try query("SELECT row_key, fold, delta FROM heldout_rows WHERE analysis = ? AND regression = ? AND model = ?",
                                       [.text(a), .text(table.regression), .text(model)]) {
                        if let k = r[0].string, let fold = r[1].string, let v = r[2].double { out[k] = (fold, v) }
                    }
                    return out
                }
                // Same rows, held out in the same fold: the difference of the two ΔLLs is the
                // difference of the two full models' held-out log-likelihoods of that word.
                let fr = try rows(f.model), br = try rows(b.model)
                let d = fr.keys.sorted().compactMap { k -> Double? in
                    guard let x = fr[k], let y = br[k], x.fold == y.fold else { return nil }
                    return x.delta - y.delta
                }
                if !d.isEmpty { differences[seed] = d }
            }
            if !differences.isEmpty {
                row.heldOut = try? PairedResampling.compare(differences: differences, permutations: 10_000, bootstrapResamples: 2_000, seed: 15)
            }
            pairs.append(row)
        }
        return StudyTable(analysis: a, regression: table.regression, evaluationTexts: texts, cells: cells, pairs: pairs, models: summaries)
    }

    /// Williams / Steiger for r(rt, fused) vs r(rt, baseline): each of r(y,a), r(y,b), r(a,b) is
    /// averaged over seeds in Fisher's z, with the smallest n of the seeds; r(a,b) is the
    /// correlation of the two models' surprisals over the words both scored.
    static func pooledCorrelation(_ store: ResultsStore, query: (String, [SQLValue]) throws -> [[SQLValue]], analysis a: String,
                                  fused: [StudyTable.ModelSummary], baseline: [StudyTable.ModelSummary], seeds: [Int]) throws -> DependentCorrelationsResult? {
        var zYA: [Double] = [], zYB: [Double] = [], zAB: [Double] = [], ns: [Int] = []
        func surprisal(_ model: String) throws -> [Int: Double] {
            var out: [Int: Double] = [:]
            for r in try query("SELECT word_index, surprisal_bits FROM surprisals WHERE analysis = ? AND model = ?", [.text(a), .text(model)]) {
                if let i = r[0].int, let v = r[1].double { out[i] = v }
            }
            return out
        }
        for seed in seeds {
            guard let f = fused.first(where: { $0.seed == seed }), let b = baseline.first(where: { $0.seed == seed }),
                  let rf = f.pearsonR, let rb = b.pearsonR,
                  let n = try query("SELECT n FROM correlations WHERE analysis = ? AND model = ?", [.text(a), .text(f.model)]).first?.first?.int else { continue }
            let sf = try surprisal(f.model), sb = try surprisal(b.model)
            let common = sf.keys.filter { sb[$0] != nil }.sorted()
            guard common.count > 3 else { continue }
            let x = common.map { sf[$0]! }, y = common.map { sb[$0]! }
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for k in x.indices { sxy += (x[k] - mx) * (y[k] - my); sxx += (x[k] - mx) * (x[k] - mx); syy += (y[k] - my) * (y[k] - my) }
            zYA.append(atanh(rf)); zYB.append(atanh(rb)); zAB.append(atanh(min(0.999999, sxy / (sxx * syy).squareRoot()))); ns.append(n)
        }
        guard !ns.isEmpty else { return nil }
        func avg(_ z: [Double]) -> Double { tanh(z.reduce(0, +) / Double(z.count)) }
        return try DependentCorrelations.compare(rYA: avg(zYA), rYB: avg(zYB), rAB: avg(zAB), count: ns.min()!)
    }
}
