/// Reads MECO word-level (interest-area) data exported to CSV (e.g. with R's `write.csv`).
///
/// Columns: `uniform_id` (participant), `lang`, `trialid` (text), `sentnum`, `ianum` (word
/// position in the trial), `ia` (the word), and the measures `firstfix.dur` → first_fixation,
/// `firstrun.dur` → gaze_duration, `firstrun.gopast` → go_past, `dur` → total_time,
/// `skip` → skip. `NA` means missing. Rows whose `lang` is not the chosen language (default
/// `en`) are removed and counted. An unnamed first column (R's row names) is ignored.
public enum MECOReader {
    static let measureColumns: [(Measure, [String])] = [
        (.firstFixation, ["firstfix.dur", "firstfix_dur"]), (.gazeDuration, ["firstrun.dur", "firstrun_dur"]),
        (.goPast, ["firstrun.gopast", "firstrun_gopast"]), (.totalTime, ["dur"]), (.skip, ["skip"]),
    ]

    /// Loads the CSV at `path` (or the first `*.csv` in the folder `path`).
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let file: String
        if CorpusFiles.isDirectory(path) {
            let csvs = try CorpusFiles.list(path, matching: ".*\\.csv")
            guard let first = csvs.first(where: { $0.lowercased().contains("meco") }) ?? csvs.first else { throw CorpusError("no .csv file in this folder", file: path) }
            file = CorpusFiles.join(path, first)
        } else {
            file = path
        }
        let table = try DelimitedFile.open(path: file, encoding: options.encoding)
        let cSubject = try table.requireColumn("uniform_id", aliases: ["subid", "subject"])
        let cText = try table.requireColumn("trialid"), cPosition = try table.requireColumn("ianum"), cWord = try table.requireColumn("ia")
        let cSentence = table.column(["sentnum"]), cLang = table.column(["lang"])
        let present = measureColumns.compactMap { m, names in table.column(names).map { (m, $0) } }
        guard !present.isEmpty else { throw CorpusError("no measure columns (looked for \(measureColumns.map { $0.1[0] }.joined(separator: ", ")))", file: file, line: 1) }
        var a = WordLevelAssembler(measures: present.map(\.0))
        if cLang == nil { a.diagnostics.note("no 'lang' column: all rows are taken as language '\(options.language)'") }
        try table.forEachRow { row in
            if let c = cLang, row.trimmed(c) != options.language {
                a.diagnostics.removed("language is not '\(options.language)' (lang column)")
                return
            }
            let text = String(try row.int(cText)), position = try row.position(cPosition)
            let sentence = try cSentence.flatMap { TableRow.missingTokens.contains(row.trimmed($0)) ? nil : try row.int($0) }
            a.word(text: text, position: position, WordSpec(form: row.string(cWord).collapsingWhitespace, sentenceKey: sentence), at: row.location())
            a.observation(subject: row.trimmed(cSubject), text: text, position: position, values: try present.map { try row.double($0.1) }, at: row.location())
        }
        return a.build(format: .meco, files: [file])
    }
}
