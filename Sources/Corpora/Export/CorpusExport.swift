/// What an export should contain.
public struct ExportOptions: Sendable {
    /// The measure to export (`rt`, `gaze_duration`, …).
    public var measure: Measure
    /// Per subject × word rows, or per-word means over readers.
    public var aggregation: Aggregation = .none
    /// Exclusion rules, applied in order before aggregation.
    public var exclusions: [ExclusionRule] = []
    /// Word frequencies for `log_freq` (none: no frequency column).
    public var frequency: FrequencyTable?
    /// What to do with words the frequency source lacks.
    public var unknownWords: UnknownWordPolicy = .addOne
    /// Number of previous words whose predictors are added (`prev1_…` … `prevN_…`).
    public var spillover = 0
    /// More per-word predictors (e.g. surprisal), indexed by word id; they get spillover too.
    public var extraPredictors = PredictorTable()

    public init(measure: Measure) { self.measure = measure }
}

/// The export's table and everything it did, counted.
public struct ExportResult: Sendable {
    public let table: WordTable
    public let exclusions: ExclusionReport
    public let frequency: FrequencyReport?

    /// Report lines: exclusions per rule, frequency look-up, rows written.
    public var reportLines: [String] {
        exclusions.lines + (frequency.map { [$0.line] } ?? []) + ["table rows: \(table.rows.count)"]
    }
}

/// Builds the word-level table for regressions: one row per subject × word (or per word with
/// `aggregation = .mean`), with the word's place, the measure, the reader count `n`, and the
/// predictors.
///
/// Columns: `subject` (not with means), `text`, `item` (`text:position`, a unique word id for
/// random effects), `sentence`, `word_in_sentence`, `word_in_text`, `screen` and `line` (when
/// the corpus has them), `word`, the measure, `n`, `length`, `log_freq` (with a frequency
/// source), the extra predictors, then `prevK_<predictor>` for K = 1…spillover (`length`,
/// `log_freq` and the extras). Predictors of every word are computed before exclusions, so a
/// spillover value is there even when the previous word's own row was excluded.
public enum CorpusExport {
    /// Exports `data` as described.
    public static func export(_ data: CorpusData, options: ExportOptions) throws -> ExportResult {
        let (kept, report) = try Exclusions.apply(options.exclusions, measure: options.measure, to: data)
        var (predictors, frequencyReport) = Predictors.baseline(data.corpus, frequency: options.frequency, policy: options.unknownWords)
        for name in options.extraPredictors.names { predictors.set(name, options.extraPredictors.columns[name]!) }
        let lagged = ["length"] + (options.frequency == nil ? [] : ["log_freq"]) + options.extraPredictors.names
        Predictors.addSpillover(&predictors, names: lagged, lags: options.spillover, corpus: data.corpus)
        let predictorNames = predictors.names.filter { !$0.hasPrefix("position_in_") }

        let corpus = data.corpus
        let hasScreens = corpus.hasScreens, hasLines = corpus.hasLines
        let layout = (hasScreens ? ["screen"] : []) + (hasLines ? ["line"] : [])
        let perSubject = options.aggregation == .none
        var header = (perSubject ? ["subject"] : []) + ["text", "item", "sentence", "word_in_sentence", "word_in_text"] + layout
        header += ["word", options.measure.rawValue, "n"] + predictorNames
        var table = WordTable(header: header)

        func wordCells(_ w: Int) -> [String] {
            let word = corpus.words[w], text = corpus.texts[word.text].id
            var cells = [text, "\(text):\(word.positionInText)", String(word.sentence), String(word.positionInSentence), String(word.positionInText)]
            if hasScreens { cells.append(word.screen.map(String.init) ?? "NA") }
            if hasLines { cells.append(word.line.map(String.init) ?? "NA") }
            cells.append(word.form)
            return cells
        }
        func predictorCells(_ w: Int) -> [String] { predictorNames.map { WordTable.cell(predictors.columns[$0]![w]) } }

        if perSubject {
            let values = kept.values(options.measure)!
            let order = (0..<kept.count).sorted { (kept.word[$0], kept.subject[$0]) < (kept.word[$1], kept.subject[$1]) }
            table.rows.reserveCapacity(order.count)
            for i in order {
                let w = kept.word[i]
                table.rows.append([kept.subjects[kept.subject[i]]] + wordCells(w) + [WordTable.cell(values[i]), String(kept.readers[i])] + predictorCells(w))
            }
        } else {
            for mean in Aggregate.means(kept, measure: options.measure) {
                table.rows.append(wordCells(mean.word) + [WordTable.cell(mean.mean), String(mean.readers)] + predictorCells(mean.word))
            }
        }
        return ExportResult(table: table, exclusions: report, frequency: frequencyReport)
    }
}
