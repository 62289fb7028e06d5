/// A loaded corpus: its words, its measurements, and what the reader noticed.
public struct CorpusData: Sendable {
    /// The format it was read as.
    public var format: CorpusFormat
    /// Texts, sentences and words.
    public var corpus: Corpus
    /// Subject × word × measure values.
    public var measurements: Measurements
    /// Counted warnings, removals by the corpus's own rules, notes.
    public var diagnostics: Diagnostics
    /// The files that were read.
    public var files: [String]

    public init(format: CorpusFormat, corpus: Corpus, measurements: Measurements, diagnostics: Diagnostics, files: [String]) {
        self.format = format
        self.corpus = corpus
        self.measurements = measurements
        self.diagnostics = diagnostics
        self.files = files
    }

    /// A multi-line summary: texts, words, subjects, measures, problems.
    public var summary: String {
        var lines = [
            "format: \(format.rawValue)",
            "files: \(files.count) (\(files.prefix(4).joined(separator: ", "))\(files.count > 4 ? ", …" : ""))",
            "texts: \(corpus.texts.count)",
            "sentences: \(corpus.sentenceCount)",
            "words: \(corpus.words.count)",
            "subjects: \(measurements.subjects.count)\(measurements.isAggregate ? " (rows are means over readers)" : "")",
            "rows: \(measurements.count)",
            "measures: \(measurements.measures.map(\.rawValue).joined(separator: ", "))",
        ]
        for m in measurements.measures {
            let vals = measurements.values(m)!
            let missing = vals.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            let zeros = vals.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            lines.append("  \(m.rawValue): \(vals.count - missing) values, \(missing) missing, \(zeros) zero")
        }
        let problems = diagnostics.lines
        lines.append("problems: \(diagnostics.totalWarnings) warnings")
        lines += problems.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}
