/// Reads the Brown self-paced reading corpus (Smith & Levy 2013), `brown_spr.csv`.
///
/// Columns: `subject`, `text_id` and `text_pos` (both 0-based in the file; texts and positions
/// here are 1-based: text_id + 1, text_pos + 1), `word`, `time` → rt. Other columns (`code`,
/// `word_in_exp`, an unnamed row-number column) are ignored. Some cells hold several
/// space-separated tokens that were shown as one region ("N. Y."); each such cell is kept as
/// one word (its tokens merged with single spaces) and the count is noted. Sentences are
/// inferred from final punctuation.
public enum BrownReader {
    /// The corpus's file name.
    public static let fileName = "brown_spr.csv"

    /// Loads the CSV at `path` (or `brown_spr.csv` in the folder `path`).
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let file = try CorpusFiles.locate(path, [fileName], what: "brown_spr.csv")
        let table = try DelimitedFile.open(path: file, encoding: options.encoding)
        let cSubject = try table.requireColumn("subject"), cText = try table.requireColumn("text_id")
        let cPosition = try table.requireColumn("text_pos"), cWord = try table.requireColumn("word"), cTime = try table.requireColumn("time")
        var a = WordLevelAssembler(measures: [.rt])
        var merged = Set<String>()
        try table.forEachRow { row in
            let text = try row.position(cText, base: 0), position = try row.position(cPosition, base: 0)   // 0-based in the file
            let raw = row.string(cWord)
            let form = raw.collapsingWhitespace
            if form.contains(" ") { merged.insert("\(text + 1):\(position + 1)") }
            a.word(text: String(text + 1), position: position + 1, WordSpec(form: form), at: row.location())
            a.observation(subject: row.trimmed(cSubject), text: String(text + 1), position: position + 1, values: [try row.double(cTime)], at: row.location())
        }
        if !merged.isEmpty { a.diagnostics.note("\(merged.count) word(s) are cells holding several space-separated tokens (e.g. 'N. Y.'); each is kept as one word") }
        a.diagnostics.note("text_id and text_pos are 0-based in brown_spr.csv; texts and positions here are 1-based")
        return a.build(format: .brown, files: [file])
    }
}
