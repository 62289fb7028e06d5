/// Reads the Provo eye-tracking corpus (Luke & Christianson 2018):
/// `Provo_Corpus-Eyetracking_Data.csv`, ISO-8859-1, one row per participant × word.
///
/// Columns used: `Participant_ID`, `Text_ID`, `Word_Number` (position in the text),
/// `Sentence_Number`, `IA_LABEL` (the word as displayed — `Word` is mangled in places, so it is
/// only a fallback), and the measures `IA_FIRST_FIXATION_DURATION` → first_fixation,
/// `IA_FIRST_RUN_DWELL_TIME` → gaze_duration, `IA_REGRESSION_PATH_DURATION` → go_past,
/// `IA_DWELL_TIME` → total_time, `IA_SKIP` → skip. `.` means missing.
///
/// Known quirks, handled and counted: the first word of every text is absent (positions start
/// at 2; the word's form is unknown, so texts start at word 2), text 3 jumps from word 42 to
/// 44, and when `IA_FIRST_FIX_PROGRESSIVE` is 0 the first run was not first-pass reading (the
/// word was entered from the right), so first fixation, gaze and go-past are set missing and
/// skip to 1, as the standard definitions require.
public enum ProvoReader {
    /// The corpus's file name.
    public static let fileName = "Provo_Corpus-Eyetracking_Data.csv"

    static let measureColumns: [(Measure, String)] = [
        (.firstFixation, "IA_FIRST_FIXATION_DURATION"), (.gazeDuration, "IA_FIRST_RUN_DWELL_TIME"),
        (.goPast, "IA_REGRESSION_PATH_DURATION"), (.totalTime, "IA_DWELL_TIME"), (.skip, "IA_SKIP"),
    ]

    /// Loads the CSV at `path` (or `Provo_Corpus-Eyetracking_Data.csv` in the folder `path`).
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let file = try CorpusFiles.locate(path, [fileName], what: "Provo eye-tracking CSV")
        let table = try DelimitedFile.open(path: file, separator: .comma, encoding: options.encoding)
        let cSubject = try table.requireColumn("Participant_ID"), cText = try table.requireColumn("Text_ID")
        let cNumber = try table.requireColumn("Word_Number")
        let cLabel = table.column(["IA_LABEL"]), cWord = table.column(["Word"])
        let cForm = try cLabel ?? cWord ?? table.requireColumn("IA_LABEL", aliases: ["Word"])
        let cSentence = table.column(["Sentence_Number"])
        let cProgressive = table.column(["IA_FIRST_FIX_PROGRESSIVE"])
        let present = measureColumns.compactMap { m, c in table.column([c]).map { (m, $0) } }
        guard !present.isEmpty else { throw CorpusError("no measure columns (looked for \(measureColumns.map(\.1).joined(separator: ", ")))", file: file, line: 1) }
        var a = WordLevelAssembler(measures: present.map(\.0))
        if cLabel == nil { a.diagnostics.note("no IA_LABEL column: word forms taken from 'Word', which Provo mangles in places") }
        if table.encoding != .utf8 { a.diagnostics.note("decoded as \(table.encoding.rawValue)") }
        let firstPass: Set<Measure> = [.firstFixation, .gazeDuration, .goPast]
        var notProgressive = 0
        try table.forEachRow { row in
            let text = row.trimmed(cText), subject = row.trimmed(cSubject)
            if TableRow.missingTokens.contains(text) || TableRow.missingTokens.contains(subject) {
                a.diagnostics.warn("row without Participant_ID or Text_ID (set aside)", at: row.location())
                return
            }
            let number = try row.position(cNumber)
            let sentence = try cSentence.flatMap { TableRow.missingTokens.contains(row.trimmed($0)) ? nil : try row.int($0) }
            a.word(text: text, position: number, WordSpec(form: row.string(cForm).collapsingWhitespace, sentenceKey: sentence), at: row.location())
            var values = try present.map { try row.double($0.1) }
            if let c = cProgressive, try row.double(c) == 0 {
                notProgressive += 1
                for (i, (m, _)) in present.enumerated() {
                    if firstPass.contains(m) { values[i] = nil }
                    if m == .skip { values[i] = 1 }
                }
            }
            a.observation(subject: subject, text: text, position: number, values: values, at: row.location())
        }
        if notProgressive > 0 {
            a.diagnostics.note("\(notProgressive) rows with IA_FIRST_FIX_PROGRESSIVE = 0: first-pass measures set missing and skip = 1")
        }
        return a.build(format: .provo, files: [file])
    }
}
