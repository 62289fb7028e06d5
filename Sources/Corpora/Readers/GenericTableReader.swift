/// Reads a word-level CSV/TSV whose columns the caller names (`GenericTableMapping`): one row
/// per subject × word with any measures. Missing values: `TableRow.missingTokens`.
///
/// Options (`LoadOptions`) for derived tables as users have them: 0-based positions
/// (`positionBase`), row filters (`rowFilters`, e.g. one language of a multilingual table),
/// rows that already are per-word means (`aggregatedCountColumn`: how many readers a row
/// stands for), and zero-as-missing measures (applied by `CorpusLoader`).
public enum GenericTableReader {
    /// Loads the table at `path`.
    public static func load(path: String, mapping: GenericTableMapping, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let table = try DelimitedFile.open(path: path, encoding: options.encoding)
        let c = try Columns(table, mapping, positionBase: options.positionBase)
        let filters = try RowFilters(table, options.rowFilters)
        let measureColumns = try mapping.measures.map { ($0.0, try table.requireColumn($0.1)) }
        let cReaders = try options.aggregatedCountColumn.map { try table.requireColumn($0) }
        var a = WordLevelAssembler(measures: measureColumns.map(\.0))
        try table.forEachRow { row in
            guard filters.keep(row, &a.diagnostics) else { return }
            let (text, position) = try c.place(row)
            a.word(text: text, position: position, try c.spec(row, position), at: row.location())
            a.observation(subject: c.subject.map { row.trimmed($0) } ?? (cReaders == nil ? "reader" : "(mean over readers)"), text: text, position: position,
                          values: try measureColumns.map { try row.double($0.1) }, readers: try cReaders.map { try row.position($0) } ?? 1, at: row.location())
        }
        if let name = options.aggregatedCountColumn { a.diagnostics.note("rows are per-word means over readers (counts from column '\(name)')") }
        if options.positionBase != 1 { a.diagnostics.note("positions in the file are \(options.positionBase)-based; here they are 1-based") }
        return a.build(format: .generic, files: [path])
    }

    /// Row filters resolved against one table's columns.
    struct RowFilters {
        let filters: [(RowFilter, Int)]

        init(_ table: TableSource, _ filters: [RowFilter]) throws {
            self.filters = try filters.map { ($0, try table.requireColumn($0.column)) }
        }

        /// Whether `row` passes every filter; a failing row is counted as removed by its first failing filter.
        func keep(_ row: TableRow, _ diagnostics: inout Diagnostics) -> Bool {
            for (f, c) in filters where row.trimmed(c) != f.value {
                diagnostics.removed("row filter \(f) (\(f.column) is something else)")
                return false
            }
            return true
        }
    }

    /// The column indices of a mapping in one table, and how to read a row's place and word.
    struct Columns {
        let subject: Int?, text: Int?, position: Int, word: Int?, sentence: Int?, screen: Int?, line: Int?
        /// The number of a text's first word in the position column (1 or 0).
        let positionBase: Int

        init(_ table: TableSource, _ m: GenericTableMapping, positionBase: Int = 1) throws {
            self.positionBase = positionBase
            subject = try m.subject.map { try table.requireColumn($0) }
            text = try m.text.map { try table.requireColumn($0) }
            position = try table.requireColumn(m.position)
            word = try m.word.map { try table.requireColumn($0) }
            sentence = try m.sentence.map { try table.requireColumn($0) }
            screen = try m.screen.map { try table.requireColumn($0) }
            line = try m.line.map { try table.requireColumn($0) }
        }

        /// The row's text id and 1-based position.
        func place(_ row: TableRow) throws -> (String, Int) {
            let p = try row.position(position, base: positionBase)
            return (text.map { row.trimmed($0) } ?? "1", p - positionBase + 1)
        }

        /// The row's word spec.
        func spec(_ row: TableRow, _ position: Int) throws -> WordSpec {
            WordSpec(form: word.map { row.string($0).collapsingWhitespace } ?? "w\(position)",
                     sentenceKey: try sentence.map { try row.int($0) }, screen: try screen.map { try row.int($0) }, line: try line.map { try row.int($0) })
        }
    }
}

/// Reads a fixation-level CSV/TSV (one row per fixation, in temporal order within each
/// subject × text, or sorted by an `order` column) and computes the eye-tracking measures of
/// every word with `EyeMeasures.compute`. A row whose position is not a word of its text is a
/// counted warning and becomes a non-word event; a missing position (empty, NA) or a position
/// ≤ 0 is a non-word event (blink, off-screen) too.
public enum FixationTableReader {
    /// Loads the table at `path`.
    public static func load(path: String, mapping: GenericTableMapping, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        guard let durationName = mapping.duration else { throw CorpusError("a fixation table needs duration=COLUMN in its mapping") }
        let table = try DelimitedFile.open(path: path, encoding: options.encoding)
        // With a word file, the words' forms and layout come from there only.
        var fixationMapping = mapping
        if mapping.wordsFile != nil { fixationMapping.word = nil; fixationMapping.sentence = nil; fixationMapping.screen = nil; fixationMapping.line = nil }
        let c = try GenericTableReader.Columns(table, fixationMapping, positionBase: options.positionBase)
        let filters = try GenericTableReader.RowFilters(table, options.rowFilters)
        let cDuration = try table.requireColumn(durationName)
        let cOrder = try mapping.order.map { try table.requireColumn($0) }
        var a = WordLevelAssembler(measures: [])
        var files = [path]

        // The words: from the word file, or from the fixated rows.
        if let wordsFile = mapping.wordsFile {
            files.append(wordsFile)
            let words = try DelimitedFile.open(path: wordsFile, encoding: options.encoding)
            var wordMapping = mapping
            wordMapping.subject = nil
            let wc = try GenericTableReader.Columns(words, wordMapping, positionBase: options.positionBase)
            try words.forEachRow { row in
                let (text, position) = try wc.place(row)
                a.word(text: text, position: position, try wc.spec(row, position), at: row.location())
            }
        }
        struct Event { let subject: String; let text: String; let position: Int?; let duration: Double; let order: Double; let at: SourceLocation }
        var events: [Event] = []
        try table.forEachRow { row in
            guard filters.keep(row, &a.diagnostics) else { return }
            let text = c.text.map { row.trimmed($0) } ?? "1"
            let rawPosition = row.trimmed(c.position)
            // A missing position, or one before the first word, is a non-word event.
            let position: Int? = TableRow.missingTokens.contains(rawPosition) ? nil : try row.int(c.position) - options.positionBase + 1
            let duration = try row.requiredDouble(cDuration)
            guard duration >= 0 else { throw CorpusError("negative fixation duration \(duration)", at: row.location(cDuration)) }
            if mapping.wordsFile == nil, let p = position, p >= 1 {
                a.word(text: text, position: p, try c.spec(row, p), at: row.location())
            }
            events.append(Event(subject: c.subject.map { row.trimmed($0) } ?? "reader", text: text, position: position, duration: duration,
                                order: try cOrder.map { try row.requiredDouble($0) } ?? Double(events.count), at: row.location()))
        }
        var data = a.build(format: .fixations, files: files)
        var m = Measurements(measures: Measure.eyeTracking)
        // Group by subject × text in first-seen order.
        var groups: [String: [Event]] = [:], groupOrder: [String] = []
        for e in events {
            let key = e.subject + "\u{1F}" + e.text
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(e)
        }
        for key in groupOrder {
            let group = groups[key]!.sorted { $0.order < $1.order }
            let first = group[0]
            guard let t = data.corpus.textIndex(first.text) else {
                data.diagnostics.warn("fixations on a text that is not in the word file (set aside)", at: first.at, "text \(first.text)", count: group.count)
                continue
            }
            let text = data.corpus.texts[t]
            var fixations: [Fixation] = []
            for e in group {
                guard let p = e.position, p >= 1 else { fixations.append(Fixation(.nonWord, e.duration)); continue }
                guard let w = data.corpus.wordID(text: e.text, position: p) else {
                    data.diagnostics.warn("fixation on a word that does not exist (treated as a non-word event)", at: e.at, "text \(e.text) position \(p)")
                    fixations.append(Fixation(.nonWord, e.duration))
                    continue
                }
                fixations.append(.on(w - text.wordIDs.lowerBound, e.duration))
            }
            let measures = EyeMeasures.compute(fixations, wordCount: text.wordIDs.count, nonWord: options.nonWord)
            let s = m.subjectID(first.subject)
            for (i, w) in text.wordIDs.enumerated() { m.append(subject: s, word: w, values: Measure.eyeTracking.map { measures[i].value($0) }) }
        }
        let withData = Set(groupOrder.compactMap { groups[$0]?.first?.text })
        let idle = data.corpus.texts.filter { !withData.contains($0.id) }
        if !idle.isEmpty {
            data.diagnostics.warn("text with no fixation data (no reader has rows for it; it has no measurements)",
                                  "text(s) \(idle.prefix(5).map(\.id).joined(separator: ", "))\(idle.count > 5 ? ", …" : "")", count: idle.count)
        }
        data.measurements = m
        return data
    }
}
