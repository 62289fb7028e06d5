import Corpora
import Foundation
import MixedModels

extension AnalysisRunner {
    /// What can be checked once the corpus is loaded, before any training: the measure, that the
    /// exclusions leave rows, that the frequency source can be read, and that every column the
    /// regressions name (response, predictors incl. `prevK_…`, grouping factors, fold column) is
    /// in the word table the regressions will get. All problems are reported together, each at
    /// its line of the analysis file.
    func checkBeforeTraining(_ data: CorpusData) throws {
        let where_ = spec.locations
        let measure = spec.corpus.measure
        guard data.measurements.values(measure) != nil else {
            throw AnalysisFileError(problems: [where_.problem("corpus.measure", "the corpus has no measure '\(measure)'; it has: \(data.measurements.measures.map(\.rawValue).joined(separator: ", "))")])
        }
        var problems: [AnalysisProblem] = []
        let frequency: FrequencyTable
        do {
            frequency = try frequencyTable()
        } catch {
            problems.append(where_.problem("predictors.frequency", "the word frequencies '\(spec.predictors.frequency)' cannot be read: \(error)"))
            frequency = FrequencyTable(source: "stand-in", counts: [:])  // so the column checks below still run
        }
        let export = exportOptions(frequency: frequency, surprisal: [Double?](repeating: nil, count: data.corpus.words.count))
        let exported = try CorpusExport.export(data, options: export)
        if exported.exclusions.rowsAfter == 0 {
            let steps = exported.exclusions.steps.map { "\($0.rule) removed \($0.removed)" }.joined(separator: ", ")
            problems.append(where_.problem("corpus.exclude", "the exclusions leave no rows of the \(exported.exclusions.rowsBefore) read (\(steps.isEmpty ? "no rules" : steps))"))
        }
        let columns = Set(exported.table.header)
        for (i, r) in spec.regressions.enumerated() {
            let base = try Formula.parse(r.baseline)
            let full = try Formula.parse(r.full)
            for c in full.columns where !columns.contains(c) {
                let key = base.columns.contains(c) ? "baseline" : "add"
                problems.append(where_.problem("regression.\(i).\(key)", "[[regression]] '\(r.name)': the word table has no column '\(c)'\(hint(for: c))"))
            }
            if let fc = r.foldColumn, !columns.contains(fc) {
                problems.append(where_.problem("regression.\(i).fold_column", "[[regression]] '\(r.name)': fold_column '\(fc)' is not a column of the word table\(hint(for: fc))"))
            }
        }
        if !problems.isEmpty { throw AnalysisFileError(problems: problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }

        func hint(for column: String) -> String {
            let s = spec.predictors.spillover
            if column.hasPrefix("prev"), let k = Int(column.dropFirst(4).prefix { $0.isNumber }), k > s {
                return " ([predictors] spillover = \(s) gives \(s == 0 ? "no prevK_… columns" : s == 1 ? "prev1_… only" : "prev1_… to prev\(s)_… only"); set spillover = \(k) or more)"
            }
            return "; it has: \(exported.table.header.joined(separator: ", "))"
        }
    }
}

extension AnalysisRunner {
    /// The word frequencies the analysis names (`training-text`: counts over the training text).
    func frequencyTable() throws -> FrequencyTable {
        let name = spec.predictors.frequency == "training-text" ? "text:\(trainingTextPath)" : spec.predictors.frequency
        return try FrequencyTable.named(name, cacheDirectory: options.cacheDirectory)
    }

    /// How the corpus becomes the regressions' word table: the analysis's measure, exclusions,
    /// aggregation and spillover, with `frequency` and the `surprisal` column (one per corpus word).
    func exportOptions(frequency: FrequencyTable, surprisal: [Double?]) -> ExportOptions {
        var export = ExportOptions(measure: spec.corpus.measure)
        export.exclusions = spec.corpus.exclude
        export.aggregation = spec.corpus.aggregate
        export.spillover = spec.predictors.spillover
        export.frequency = frequency
        var extra = PredictorTable()
        extra.set("surprisal", surprisal)
        export.extraPredictors = extra
        return export
    }
}
