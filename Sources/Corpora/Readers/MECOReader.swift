/// Reads MECO word-level (interest-area) data exported to CSV (e.g. with R's `write.csv`).
///
/// Columns: `uniform_id` (participant), `lang`, `trialid` (text), `sentnum` (the corpus's own
/// sentence ids, used as sentences), `ianum` (word position in the trial), `ia` (the word),
/// and the measures `firstfix.dur` → first_fixation, `firstrun.dur` → gaze_duration,
/// `firstrun.gopast` → go_past, `dur` → total_time, `skip` → skip. `NA` means missing. An
/// unnamed first column (R's row names) is ignored.
///
/// **First pass.** MECO's first-run measures describe the word's first run of fixations,
/// whenever it came; first-pass measures (as the Provo and Dundee readers compute them) need
/// the first run to come before any later word was fixated. A first run entered by a
/// regression (`firstrun.reg.in` = 1) or marked as not in first pass (`firstrun.skip` = 1) is
/// therefore not first-pass reading: first fixation, gaze and go-past are set missing and skip
/// to 1. `skip` is "skipped in first pass" (MECO's own `skip` = 1, never fixated, or such a
/// late first run), not "never fixated". Without either column the first runs are taken as
/// they are and a note says so.
///
/// **Language.** Rows whose `lang` is not the chosen language (default `en`) are removed and
/// counted; if none is left, loading fails and lists the languages present. (In MECO's L2
/// files `lang` is the reader's first language, not the language of the text.)
public enum MECOReader {
    static let measureColumns: [(Measure, [String])] = [
        (.firstFixation, ["firstfix.dur", "firstfix_dur"]), (.gazeDuration, ["firstrun.dur", "firstrun_dur"]),
        (.goPast, ["firstrun.gopast", "firstrun_gopast"]), (.totalTime, ["dur"]), (.skip, ["skip"]),
    ]
    /// Measures that exist only for a first-pass first run.
    static let firstPassMeasures: Set<Measure> = [.firstFixation, .gazeDuration, .goPast]

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
        let cRegressionIn = table.column(["firstrun.reg.in", "firstrun_reg_in"]), cLateRun = table.column(["firstrun.skip", "firstrun_skip"])
        let present = measureColumns.compactMap { m, names in table.column(names).map { (m, $0) } }
        guard !present.isEmpty else { throw CorpusError("no measure columns (looked for \(measureColumns.map { $0.1[0] }.joined(separator: ", ")))", file: file, line: 1) }
        var a = WordLevelAssembler(measures: present.map(\.0))
        if cLang == nil { a.diagnostics.note("no 'lang' column: all rows are taken as language '\(options.language)'") }
        if cRegressionIn == nil && cLateRun == nil {
            a.diagnostics.note("no firstrun.reg.in or firstrun.skip column: first runs are taken as first-pass reading, and skip as MECO's (never fixated)")
        }
        var languages: [String: Int] = [:]
        var notFirstPass = 0, kept = 0
        try table.forEachRow { row in
            if let c = cLang {
                let lang = row.trimmed(c)
                languages[lang, default: 0] += 1
                if lang != options.language {
                    a.diagnostics.removed("language is not '\(options.language)' (lang column)")
                    return
                }
            }
            kept += 1
            let text = String(try row.int(cText)), position = try row.position(cPosition)
            let sentence = try cSentence.flatMap { TableRow.missingTokens.contains(row.trimmed($0)) ? nil : try row.int($0) }
            a.word(text: text, position: position, WordSpec(form: row.string(cWord).collapsingWhitespace, sentenceKey: sentence), at: row.location())
            var values = try present.map { try row.double($0.1) }
            let late = try (cRegressionIn.map { try row.double($0) == 1 } ?? false) || (cLateRun.map { try row.double($0) == 1 } ?? false)
            let neverFixated = try present.first { $0.0 == .skip }.map { try row.double($0.1) == 1 } ?? false
            if late && !neverFixated { notFirstPass += 1 }
            if late || neverFixated {
                for (i, (m, _)) in present.enumerated() where firstPassMeasures.contains(m) { values[i] = nil }
            }
            if let i = present.firstIndex(where: { $0.0 == .skip }), values[i] != nil || late {
                values[i] = late || neverFixated ? 1 : 0
            }
            a.observation(subject: row.trimmed(cSubject), text: text, position: position, values: values, at: row.location())
        }
        if kept == 0 && cLang != nil {
            let list = languages.sorted { $0.value > $1.value }.map { "\($0.key) (\($0.value) rows)" }.joined(separator: ", ")
            throw CorpusError("no rows with lang '\(options.language)'; the file has: \(list.isEmpty ? "no data rows" : list). Choose one with --language. (In MECO's L2 files the lang column is the reader's first language, not the language of the text.)",
                              file: file)
        }
        if notFirstPass > 0 {
            a.diagnostics.note("\(notFirstPass) rows whose first run was not first-pass reading (firstrun.reg.in = 1 or firstrun.skip = 1): first fixation, gaze and go-past set missing, skip = 1")
        }
        return a.build(format: .meco, files: [file])
    }
}
