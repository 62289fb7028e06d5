/// Collects words and word-level rows (one per subject × word) as a reader goes through a
/// file, then builds the corpus and its measurements. Shared by the readers of corpora
/// distributed as word-level tables (Provo, GECO, MECO, Brown, UCL, generic).
///
/// It counts, never drops silently: a word whose form differs between rows, a repeated
/// subject × word row, positions absent from a text (Provo's missing first words and its gap
/// in text 3) are all counted warnings with an example location.
struct WordLevelAssembler {
    let measures: [Measure]
    var diagnostics = Diagnostics()
    private var words: [String: [Int: (spec: WordSpec, at: SourceLocation)]] = [:]
    private var textOrder: [String] = []
    private var rows: [(subject: String, text: String, position: Int, values: [Double?], readers: Int, at: SourceLocation)] = []

    init(measures: [Measure]) { self.measures = measures }

    /// Records word `position` of `text`. The first form seen is kept; a different form later
    /// is a counted warning.
    mutating func word(text: String, position: Int, _ spec: WordSpec, at location: SourceLocation) {
        if words[text] == nil { words[text] = [:]; textOrder.append(text) }
        if let existing = words[text]![position] {
            if existing.spec.form != spec.form {
                diagnostics.warn("word form differs between rows for the same word (first kept)", at: location,
                                 "text \(text) position \(position): '\(spec.form)' vs '\(existing.spec.form)' at \(existing.at)")
            }
            return
        }
        var s = spec
        s.position = position
        words[text]![position] = (s, location)
    }

    /// Records one subject's values for word `position` of `text` (or, with `readers` > 1, a
    /// row of means over that many readers).
    mutating func observation(subject: String, text: String, position: Int, values: [Double?], readers: Int = 1, at location: SourceLocation) {
        rows.append((subject, text, position, values, readers, location))
    }

    /// Whether a word is known.
    func hasWord(text: String, position: Int) -> Bool { words[text]?[position] != nil }

    /// Builds the corpus (texts in numeric order where ids are numbers, else first-seen order)
    /// and the measurements.
    func build(format: CorpusFormat, files: [String], name: String? = nil) -> CorpusData {
        var diagnostics = self.diagnostics
        let numeric = textOrder.allSatisfy { Int($0) != nil }
        let order = numeric ? textOrder.sorted { Int($0)! < Int($1)! } : textOrder
        var builder = CorpusBuilder()
        for t in order {
            let positions = words[t]!.keys.sorted()
            if let first = positions.first, first > 1 {
                diagnostics.warn("text has no word at its first position(s)", "text \(t) starts at position \(first)")
            }
            for (a, b) in zip(positions, positions.dropFirst()) where b > a + 1 {
                diagnostics.warn("positions absent inside a text", "text \(t): \(b - a - 1) position(s) after \(a) (next is \(b))")
            }
            builder.addText(id: t, words: positions.map { words[t]![$0]!.spec })
        }
        let corpus = builder.build(name: name ?? format.rawValue)
        var m = Measurements(measures: measures)
        var seen = Set<RowKey>()
        for r in rows {
            guard let w = corpus.wordID(text: r.text, position: r.position) else {
                diagnostics.warn("row for a word that does not exist", at: r.at, "text \(r.text) position \(r.position)")
                continue
            }
            let s = m.subjectID(r.subject)
            if !seen.insert(RowKey(subject: s, word: w)).inserted {
                diagnostics.warn("repeated subject × word row (first kept)", at: r.at, "subject \(r.subject), text \(r.text) position \(r.position)")
                continue
            }
            m.append(subject: s, word: w, values: r.values, readers: r.readers)
        }
        return CorpusData(format: format, corpus: corpus, measurements: m, diagnostics: diagnostics, files: files)
    }

    private struct RowKey: Hashable { let subject: Int; let word: Int }
}

extension String {
    /// The string with runs of white space inside it collapsed to one space and none at the ends.
    var collapsingWhitespace: String {
        split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{A0}" }).joined(separator: " ")
    }
}
