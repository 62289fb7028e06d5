/// Reads the UCL corpus (Frank et al. 2013): 361 (SPR) / 205 (eye tracking) independent
/// English sentences; each sentence is a text here (id = `sent_nr`).
///
/// - Self-paced reading, `selfpacedreading.RT.txt` (TAB): `subj_nr`, `sent_nr`, `sent_pos`,
///   `word_pos`, `word`, `RT` → rt, `correct`, `answer_time`.
/// - Eye tracking, `eyetracking.RT.txt` (TAB): `subj_nr`, `sent_nr`, `word_pos`, `word`,
///   `RTfirstfix` → first_fixation, `RTfirstpass` → gaze_duration, `RTrightbound` →
///   right_bounded, `RTgopast` → go_past (a file may carry only some of the four). The corpus
///   writes 0 for words not fixated in first pass; those zeros are read as missing values and
///   `skip` is set to 1 (0 otherwise), from the first of these columns present.
/// - Subject files `selfpacedreading.subj.txt` / `eyetracking.subj.txt` (`subj_nr`, `age_en`, …):
///   readers who learned English after birth (`age_en > 0`) are removed and counted, as the
///   corpus's authors recommend. Without the subject file the rule cannot be applied (noted).
/// - `stimuli.txt` (TAB, cp1252: `sent_nr`, `sentence`, …), optional: when present, each
///   sentence's words are checked against the RT file's words (differences are counted).
public enum UCLReader {
    /// Which half of the corpus.
    public enum Part: Sendable { case selfPaced, eyeTracking }

    /// Loads one part from the folder `path` (or the RT file itself).
    public static func load(path: String, part: Part, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let folder = CorpusFiles.folder(of: path)
        let stem = part == .selfPaced ? "selfpacedreading" : "eyetracking"
        let file = try CorpusFiles.locate(path, ["\(stem).RT.txt"], what: "UCL \(stem).RT.txt")
        var files = [file]
        let table = try DelimitedFile.open(path: file, separator: .tab, quoting: false, encoding: options.encoding)
        let cSubject = try table.requireColumn("subj_nr"), cSentence = try table.requireColumn("sent_nr")
        let cPosition = try table.requireColumn("word_pos"), cWord = try table.requireColumn("word")
        let columns: [(Measure, Int)]
        if part == .selfPaced {
            columns = [(.rt, try table.requireColumn("RT"))]
        } else {
            // Derived tables often carry only some of the four; at least one is needed.
            let names: [(Measure, String)] = [(.firstFixation, "RTfirstfix"), (.gazeDuration, "RTfirstpass"), (.rightBounded, "RTrightbound"), (.goPast, "RTgopast")]
            columns = names.compactMap { m, name in table.column([name]).map { (m, $0) } }
            guard !columns.isEmpty else {
                throw CorpusError("no reading-time column (looked for \(names.map(\.1).joined(separator: ", ")))", file: file, line: 1)
            }
        }
        var a = WordLevelAssembler(measures: columns.map(\.0) + (part == .eyeTracking ? [.skip] : []))

        // Native-speaker filter.
        let subjectFile = CorpusFiles.join(folder, "\(stem).subj.txt")
        var nonNative: Set<String>? = nil
        if CorpusFiles.exists(subjectFile) {
            files.append(subjectFile)
            let subjects = try DelimitedFile.open(path: subjectFile, separator: .tab, quoting: false, encoding: options.encoding)
            let sID = try subjects.requireColumn("subj_nr"), sAge = try subjects.requireColumn("age_en")
            var set = Set<String>()
            try subjects.forEachRow { row in
                guard let age = try row.double(sAge) else {
                    a.diagnostics.warn("subject without age_en (kept)", at: row.location(sAge), "subject \(row.trimmed(sID))")
                    return
                }
                if age > 0 { set.insert(row.trimmed(sID)) }
            }
            nonNative = set
        } else {
            a.diagnostics.note("no \(stem).subj.txt: the native-speaker rule (age_en > 0 removed) was not applied")
        }

        var zeros = 0
        try table.forEachRow { row in
            let subject = row.trimmed(cSubject)
            if let nonNative, nonNative.contains(subject) { a.diagnostics.removed("reader not a native speaker (age_en > 0)"); return }
            let text = String(try row.int(cSentence)), position = try row.position(cPosition)
            a.word(text: text, position: position, WordSpec(form: row.string(cWord).collapsingWhitespace, sentenceKey: 1), at: row.location())
            var values = try columns.map { try row.double($0.1) }
            if part == .eyeTracking {
                let skipped = values[0] == 0
                for i in values.indices where values[i] == 0 { values[i] = nil; zeros += 1 }
                values.append(skipped ? 1 : (values[0] == nil ? nil : 0))
            }
            a.observation(subject: subject, text: text, position: position, values: values, at: row.location())
        }
        if zeros > 0 { a.diagnostics.note("\(zeros) zero durations read as missing (the corpus writes 0 for words not fixated in first pass)") }
        var data = a.build(format: part == .selfPaced ? .uclSPR : .uclEye, files: files, name: "ucl")

        // Check the words against stimuli.txt.
        let stimuliFile = CorpusFiles.join(folder, "stimuli.txt")
        if CorpusFiles.exists(stimuliFile) {
            data.files.append(stimuliFile)
            let stimuli = try DelimitedFile.open(path: stimuliFile, separator: .tab, quoting: false, encoding: options.encoding)
            if stimuli.encoding != .utf8 { data.diagnostics.note("stimuli.txt decoded as \(stimuli.encoding.rawValue)") }
            let tID = try stimuli.requireColumn("sent_nr"), tSentence = try stimuli.requireColumn("sentence")
            try stimuli.forEachRow { row in
                let id = String(try row.int(tID))
                guard let t = data.corpus.textIndex(id) else { return }
                let expected = row.string(tSentence).collapsingWhitespace.split(separator: " ").map(String.init)
                let got = data.corpus.texts[t].wordIDs.map { data.corpus.words[$0].form }
                if expected != got {
                    let k = (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
                    func word(_ list: [String]) -> String { k < list.count ? "'\(list[k])'" : "(none)" }
                    data.diagnostics.warn("sentence's words differ from stimuli.txt", at: row.location(tSentence),
                                          "sentence \(id), word \(k + 1): \(word(got)) in the RT file, \(word(expected)) in stimuli.txt (\(got.count) vs \(expected.count) words)")
                }
            }
        }
        return data
    }
}
