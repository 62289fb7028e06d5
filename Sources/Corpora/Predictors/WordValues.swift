/// Per-word values from a caller's file (e.g. surprisal from a language model), joined to a
/// corpus's words.
public enum WordValues {
    /// Reads a CSV/TSV with a text column (`text`, `item`, `text_id`; optional when the corpus
    /// has one text), a position column (`position`, `zone`, `word_in_text`, `word_pos`) and one or
    /// more numeric value columns (every other column except `word`). Returns one column per
    /// value name, indexed by word id. Rows for words the corpus lacks are counted in
    /// `diagnostics`; words without a row stay missing (counted too).
    public static func byPosition(_ path: String, corpus: Corpus, diagnostics: inout Diagnostics) throws -> PredictorTable {
        let table = try DelimitedFile.open(path: path)
        let cText = table.column(["text", "item", "text_id"])
        let cPosition = try table.requireColumn("position", aliases: ["zone", "word_in_text", "word_pos"])
        if cText == nil && corpus.texts.count > 1 { _ = try table.requireColumn("text", aliases: ["item", "text_id"]) }
        let skip: Set<Int> = Set([cText, cPosition, table.column(["word"])].compactMap { $0 })
        let valueColumns = table.header.indices.filter { !skip.contains($0) }
        guard !valueColumns.isEmpty else { throw CorpusError("no value columns besides text, position and word", file: path, line: 1) }
        var columns = valueColumns.map { _ in [Double?](repeating: nil, count: corpus.words.count) }
        var seen = Set<Int>()
        try table.forEachRow { row in
            let text = cText.map { row.trimmed($0) } ?? corpus.texts[0].id
            let position = try row.int(cPosition)
            guard let w = corpus.wordID(text: text, position: position) else {
                diagnostics.warn("value row for a word the corpus does not have (set aside)", at: row.location(), "text \(text) position \(position)")
                return
            }
            if !seen.insert(w).inserted { diagnostics.warn("repeated value row for a word (last kept)", at: row.location()) }
            for (k, c) in valueColumns.enumerated() { columns[k][w] = try row.double(c) }
        }
        let missing = corpus.words.count - seen.count
        if missing > 0 { diagnostics.warn("corpus words without a row in \(path) (values missing)", count: missing) }
        var out = PredictorTable()
        for (k, c) in valueColumns.enumerated() { out.set(table.header[c], columns[k]) }
        return out
    }

    /// Reads a two-column file `word<TAB>value` (header allowed) into a map keyed by
    /// `FrequencyTable.key` — a simple per-word-type surprisal table.
    public static func byWord(_ path: String) throws -> [String: Double] {
        let table = try DelimitedFile.open(path: path, hasHeader: true)
        guard table.header.count >= 2 else { throw CorpusError("expected two columns: word and value", file: path, line: 1) }
        var out: [String: Double] = [:]
        if let first = Double(table.header[1]) { out[FrequencyTable.key(table.header[0])] = first }
        try table.forEachRow { row in
            guard let v = try row.double(1) else { return }
            out[FrequencyTable.key(row.string(0))] = v
        }
        return out
    }
}
