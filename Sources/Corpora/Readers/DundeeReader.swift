/// Reads the Dundee eye-tracking corpus (Kennedy & Pynte 2005).
///
/// - Text files `txNNwrdp.dat` (whitespace-separated, no header, Latin-1/cp1252), one row per
///   word with 14 fields: word, text number, screen, line, position on line, serial number on
///   screen, initial letter position, length with punctuation, length without punctuation,
///   punctuation code, characters before, characters after, WNUM (word number in text), local
///   frequency. The word's position is WNUM; screen and line come from fields 3 and 4.
///   Sentences are inferred from final punctuation.
/// - Fixation files `sXNNma2p.dat` (or `ma1p`; X = reader letter, NN = text), one header row,
///   one row per fixation in temporal order; the columns used are `WORD`, `WNUM` and `FDUR`.
///   `WNUM ≤ 0` or a `WORD` starting with `*` (`*Blink`, `*Off-screen`) is a non-word event.
///   A WNUM beyond the text's words is a counted warning (the fixation becomes a non-word
///   event). Readers are named `sa`, `sb`, … as in the literature.
///
/// Measures are computed per reader × text by `EyeMeasures.compute` (see there for the
/// definitions); every word of a text a reader has a fixation file for gets a row.
public enum DundeeReader {
    /// Loads all texts and fixation files in the folder `path`.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        guard CorpusFiles.isDirectory(path) else { throw CorpusError("the Dundee reader needs the folder holding tx*wrdp.dat and s*ma*p.dat", file: path) }
        let textFiles = try CorpusFiles.list(path, matching: "tx[0-9]+wrdp\\.dat")
        guard !textFiles.isEmpty else { throw CorpusError("no text files tx*wrdp.dat in this folder", file: path) }
        var diagnostics = Diagnostics()
        var builder = CorpusBuilder()
        var textIDs: [Int] = []
        var files: [String] = []
        for name in textFiles {
            guard let number = Int(name.dropFirst(2).prefix(while: \.isNumber)) else {
                diagnostics.warn("text file name with an unreadable text number (file not read)", at: SourceLocation(file: CorpusFiles.join(path, name)))
                continue
            }
            let file = CorpusFiles.join(path, name)
            builder.addText(id: textID(number), words: try readText(file, encoding: options.encoding, diagnostics: &diagnostics))
            textIDs.append(number)
            files.append(file)
        }
        let corpus = builder.build(name: "dundee")

        // Fixation files: prefer ma2p over ma1p for the same reader and text.
        let fixationNames = try CorpusFiles.list(path, matching: "s[a-z][0-9]+ma[12]p\\.dat")
        var chosen: [String: String] = [:]
        var ignored = 0
        for name in fixationNames {
            let key = String(name.prefix(2) + name.dropFirst(2).prefix(while: \.isNumber))   // reader + text number, e.g. "sm07"
            if let existing = chosen[key] {
                if name.contains("ma2p") && existing.contains("ma1p") { chosen[key] = name }
                ignored += 1
            } else {
                chosen[key] = name
            }
        }
        if ignored > 0 { diagnostics.note("\(ignored) fixation file(s) not read because the other variant (ma2p preferred over ma1p) exists for the same reader and text") }
        if chosen.isEmpty { diagnostics.warn("no fixation files s*ma1p.dat / s*ma2p.dat in the folder (no measurements)") }
        var m = Measurements(measures: Measure.eyeTracking)
        for key in chosen.keys.sorted() {
            let name = chosen[key]!
            let reader = String(key.prefix(2))
            let file = CorpusFiles.join(path, name)
            guard let number = Int(key.dropFirst(2)), let t = corpus.textIndex(textID(number)) else {
                diagnostics.warn("fixation file for a text that has no tx file (file not read)", at: SourceLocation(file: file))
                continue
            }
            files.append(file)
            let text = corpus.texts[t]
            let fixations = try readFixations(file, text: text, corpus: corpus, encoding: options.encoding, diagnostics: &diagnostics)
            let measures = EyeMeasures.compute(fixations, wordCount: text.wordIDs.count, nonWord: options.nonWord)
            let s = m.subjectID(reader)
            for (i, w) in text.wordIDs.enumerated() {
                m.append(subject: s, word: w, values: Measure.eyeTracking.map { measures[i].value($0) })
            }
        }
        return CorpusData(format: .dundee, corpus: corpus, measurements: m, diagnostics: diagnostics, files: files)
    }

    /// The corpus's text id for text number `n` ("tx03").
    public static func textID(_ n: Int) -> String { n < 10 ? "tx0\(n)" : "tx\(n)" }

    /// Reads one `txNNwrdp.dat` file into word specs.
    static func readText(_ file: String, encoding: TextEncoding, diagnostics: inout Diagnostics) throws -> [WordSpec] {
        let table = try DelimitedFile.open(path: file, separator: .whitespace, quoting: false, encoding: encoding, hasHeader: false)
        if table.encoding != .utf8 { diagnostics.note("\(file.split(separator: "/").last!): decoded as \(table.encoding.rawValue)") }
        var specs: [WordSpec] = []
        var seen = Set<Int>()
        try table.forEachRow(expectedFields: 14) { row in
            let screen = try row.int(2), line = try row.int(3), wnum = try row.int(12)
            guard wnum >= 1 else { throw CorpusError("WNUM (field 13) must be 1 or more, found \(wnum)", at: row.location(12)) }
            guard seen.insert(wnum).inserted else { throw CorpusError("WNUM \(wnum) appears twice in the text", at: row.location(12)) }
            if let last = specs.last?.position, wnum < last {
                throw CorpusError("WNUM \(wnum) comes after \(last): words must be in reading order", at: row.location(12))
            }
            specs.append(WordSpec(form: row.string(0), position: wnum, screen: screen, line: line))
        }
        return specs
    }

    /// Reads one fixation file into events over the text's words (0-based indices).
    static func readFixations(_ file: String, text: CorpusText, corpus: Corpus, encoding: TextEncoding, diagnostics: inout Diagnostics) throws -> [Fixation] {
        let table = try DelimitedFile.open(path: file, separator: .whitespace, quoting: false, encoding: encoding)
        let cWord = try table.requireColumn("WORD"), cWnum = try table.requireColumn("WNUM"), cDur = try table.requireColumn("FDUR")
        var indexOfPosition: [Int: Int] = [:]
        for (i, w) in text.wordIDs.enumerated() { indexOfPosition[corpus.words[w].positionInText] = i }
        var out: [Fixation] = []
        try table.forEachRow { row in
            let word = row.string(cWord), wnum = try row.int(cWnum)
            let duration = try row.requiredDouble(cDur)
            guard duration >= 0 else { throw CorpusError("negative fixation duration \(duration)", at: row.location(cDur)) }
            if word.hasPrefix("*") || wnum <= 0 {
                let lower = word.lowercased()
                out.append(Fixation(lower.contains("blink") ? .blink : lower.contains("off") ? .offScreen : .nonWord, duration))
                return
            }
            guard let i = indexOfPosition[wnum] else {
                diagnostics.warn("fixation on a word that does not exist (treated as a non-word event)", at: row.location(cWnum),
                                 "WNUM \(wnum) but \(text.id) has \(text.wordIDs.count) words")
                out.append(Fixation(.nonWord, duration))
                return
            }
            let expected = corpus.words[text.wordIDs.lowerBound + i].form
            if word != expected {
                diagnostics.warn("fixation file's WORD differs from the text's word at WNUM", at: row.location(cWord), "'\(word)' vs '\(expected)'")
            }
            out.append(.on(i, duration))
        }
        return out
    }
}
