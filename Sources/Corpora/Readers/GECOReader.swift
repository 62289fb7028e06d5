/// Reads the English monolingual part of GECO (Cop et al. 2017).
///
/// - `MonolingualReadingData.xlsx` (or a `.csv` export): one row per participant × word with
///   `PP_NR` (participant), `PART` (1–4, the text), `TRIAL` (screen), `WORD_ID` (`part-trial-word`,
///   e.g. `1-5-3`), `WORD`, and the measures `WORD_FIRST_FIXATION_DURATION` → first_fixation,
///   `WORD_GAZE_DURATION` → gaze_duration, `WORD_GO_PAST_TIME` → go_past,
///   `WORD_TOTAL_READING_TIME` → total_time, `WORD_SKIP` → skip. `.` means missing.
/// - `EnglishMaterial.xlsx` (sheet `ALL`, or a `.csv` export), optional: `WORD_ID`,
///   `SENTENCE_ID`, `WORD` — the words and their sentences. Without it, words come from the
///   reading data and sentences from final punctuation.
///
/// Texts are the four parts; a word's position is its rank in (trial, word) order within the
/// part, its screen is the trial, and its source id is WORD_ID.
///
/// GECO's known error: in part 1 of the material, the SENTENCE_ID column slipped up by one cell
/// from WORD_ID 1-41-87 ("better") on — that word is coded with the next sentence's id, and so
/// is the last word of every later sentence of part 1. It is detected from the ids (the word at
/// 1-41-87 opens a new sentence id, and the part's last word has no id of its own: missing, or
/// an id of another part) and repaired by moving the ids back down one word; the number of
/// words that changed sentence is reported (`SentenceIDRepair`). Missing markers in SENTENCE_ID
/// (`#N/A`, empty, `NA`, …) are missing values, never ids. Sentences are then numbered afresh
/// from the runs of equal ids.
public enum GECOReader {
    static let measureColumns: [(Measure, String)] = [
        (.firstFixation, "WORD_FIRST_FIXATION_DURATION"), (.gazeDuration, "WORD_GAZE_DURATION"),
        (.goPast, "WORD_GO_PAST_TIME"), (.totalTime, "WORD_TOTAL_READING_TIME"), (.skip, "WORD_SKIP"),
    ]

    /// A parsed WORD_ID.
    struct WordID: Hashable, Comparable {
        let part: Int, trial: Int, word: Int
        static func < (a: WordID, b: WordID) -> Bool { (a.part, a.trial, a.word) < (b.part, b.trial, b.word) }
        var text: String { "\(part)-\(trial)-\(word)" }
    }

    /// Loads from a folder holding the reading data (and optionally the material), or from the
    /// reading-data file itself.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let folder = CorpusFiles.folder(of: path)
        let dataFile = try CorpusFiles.locate(path, ["MonolingualReadingData.xlsx", "MonolingualReadingData.csv"], what: "GECO reading data")
        let materialFile = ["EnglishMaterial.xlsx", "EnglishMaterial.csv"].map { CorpusFiles.join(folder, $0) }.first(where: CorpusFiles.exists)
        var diagnostics = Diagnostics()
        let data = try openTable(dataFile, sheet: nil, options: options)
        let cSubject = try data.requireColumn("PP_NR"), cID = try data.requireColumn("WORD_ID"), cWord = data.column(["WORD"])
        let present = measureColumns.compactMap { m, c in data.column([c]).map { (m, $0) } }
        guard !present.isEmpty else { throw CorpusError("no measure columns (looked for \(measureColumns.map(\.1).joined(separator: ", ")))", file: data.file, line: 1) }

        // Words: from the material when present, else from the reading data.
        var forms: [WordID: String] = [:]
        var sentenceIDs: [WordID: String] = [:]
        var missingSentence = Set<WordID>()
        var files = [dataFile]
        if let materialFile {
            files.append(materialFile)
            let material = try openTable(materialFile, sheet: "ALL", options: options)
            let mID = try material.requireColumn("WORD_ID"), mSentence = material.column(["SENTENCE_ID"]), mWord = try material.requireColumn("WORD")
            try material.forEachRow { row in
                let id = try parseID(row.trimmed(mID), row.location(mID))
                if forms[id] != nil { diagnostics.warn("repeated WORD_ID in the material (first kept)", at: row.location(mID), id.text); return }
                forms[id] = row.string(mWord).collapsingWhitespace
                if let c = mSentence, !TableRow.missingTokens.contains(row.trimmed(c)) { sentenceIDs[id] = row.trimmed(c) }
                else if mSentence != nil { missingSentence.insert(id) }
            }
        } else {
            diagnostics.note("no EnglishMaterial file: words come from the reading data, sentences from final punctuation")
        }
        var rows: [(subject: String, id: WordID, values: [Double?], at: SourceLocation)] = []
        try data.forEachRow { row in
            let id = try parseID(row.trimmed(cID), row.location(cID))
            if materialFile == nil {
                if forms[id] == nil { forms[id] = cWord.map { row.string($0).collapsingWhitespace } ?? "" }
            } else if forms[id] == nil {
                diagnostics.warn("reading-data row for a WORD_ID not in the material (set aside)", at: row.location(cID), id.text)
                return
            }
            rows.append((row.trimmed(cSubject), id, try present.map { try row.double($0.1) }, row.location()))
        }

        // Assemble texts (parts) with repaired sentence keys.
        var builder = CorpusBuilder()
        let ids = forms.keys.sorted()
        var positionOf: [WordID: (text: String, position: Int)] = [:]
        for part in Array(Set(ids.map(\.part))).sorted() {
            let partIDs = ids.filter { $0.part == part }
            var keys: [Int]? = nil
            if !sentenceIDs.isEmpty {
                keys = SentenceIDRepair.sentenceKeys(part: part, ids: partIDs.map(\.text), sentenceIDs: partIDs.map { sentenceIDs[$0] },
                                                     diagnostics: &diagnostics)
            }
            var specs: [WordSpec] = []
            for (i, id) in partIDs.enumerated() {
                positionOf[id] = (String(part), i + 1)
                specs.append(WordSpec(form: forms[id]!, sourceID: id.text, position: i + 1, sentenceKey: keys?[i], screen: id.trial))
            }
            builder.addText(id: String(part), words: specs)
        }
        let corpus = builder.build(name: "geco")
        var m = Measurements(measures: present.map(\.0))
        var seen = Set<[Int]>()
        for r in rows {
            let p = positionOf[r.id]!
            let w = corpus.wordID(text: p.text, position: p.position)!
            let s = m.subjectID(r.subject)
            if !seen.insert([s, w]).inserted { diagnostics.warn("repeated subject × word row (first kept)", at: r.at, "\(r.subject) \(r.id.text)"); continue }
            m.append(subject: s, word: w, values: r.values)
        }
        return CorpusData(format: .geco, corpus: corpus, measurements: m, diagnostics: diagnostics, files: files)
    }

    /// Opens an `.xlsx` sheet (the named one if present, else the first) or a CSV/TSV export.
    static func openTable(_ file: String, sheet: String?, options: LoadOptions) throws -> TableSource {
        if file.lowercased().hasSuffix(".xlsx") {
            let book = try XLSXWorkbook(path: file)
            return try book.sheet(sheet.flatMap { book.sheetNames.contains($0) ? $0 : nil })
        }
        return try DelimitedFile.open(path: file, encoding: options.encoding)
    }

    /// Parses `part-trial-word`.
    static func parseID(_ s: String, _ at: SourceLocation) throws -> WordID {
        let parts = s.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let p = parts[0], let t = parts[1], let w = parts[2] else {
            throw CorpusError("WORD_ID '\(s)' is not of the form part-trial-word (e.g. 1-5-3)", at: at)
        }
        return WordID(part: p, trial: t, word: w)
    }
}
