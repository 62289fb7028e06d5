/// Reads the Dundee eye-tracking corpus (Kennedy & Pynte 2005).
///
/// - Text files `txNNwrdp.dat` (whitespace-separated, no header, Latin-1/cp1252), one row per
///   word with 14 fields: word, text number, screen, line, position on line, serial number on
///   screen, initial letter position, length with punctuation, length without punctuation,
///   punctuation code, characters before, characters after, WNUM (word number in text), local
///   frequency. The word's position is WNUM; screen and line come from fields 3 and 4.
///   Sentences are inferred from final punctuation (`SentenceBoundaries`).
/// - Fixation files, one header row, one per reader × text (X = reader letter, NN = text), in
///   two variants holding the same fixations (`DundeeFixationLayout`):
///   `sXNNma1p.dat` in temporal order (11th column LAUN, the launch distance), and
///   `sXNNma2p.dat` in word order with FXNO, the fixation's temporal index, and one placeholder
///   row (TEXT = −99, FDUR = 0) for every word never fixated. ma1p is read when both exist, and
///   the two are then checked to give the same sequence of word fixations. The TEXT column is
///   the screen number within the text (checked against the text file's screen).
///   `WNUM ≤ 0` or a `WORD` starting with `*` (`*Blink`, `*Off-screen`) is a non-word event.
///   A WNUM beyond the text's words is a counted warning (the fixation becomes a non-word
///   event); so is a fixation of 0 ms. Readers are named `sa`, `sb`, … as in the literature.
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
        var files: [String] = []
        for name in textFiles {
            guard let number = Int(name.dropFirst(2).prefix(while: \.isNumber)) else {
                diagnostics.warn("text file name with an unreadable text number (file not read)", at: SourceLocation(file: CorpusFiles.join(path, name)))
                continue
            }
            let file = CorpusFiles.join(path, name)
            builder.addText(id: textID(number), words: try readText(file, encoding: options.encoding, diagnostics: &diagnostics))
            files.append(file)
        }
        let corpus = builder.build(name: "dundee")

        // Fixation files, grouped by reader + text number (e.g. "sa07"): ma1p and/or ma2p.
        let fixationNames = try CorpusFiles.list(path, matching: "s[a-z][0-9]+ma[12]p\\.dat")
        var variants: [String: [DundeeFixationLayout: String]] = [:]
        for name in fixationNames {
            let key = String(name.prefix(2) + name.dropFirst(2).prefix(while: \.isNumber))
            variants[key, default: [:]][name.contains("ma1p") ? .temporal : .wordOrder] = name
        }
        if variants.isEmpty { diagnostics.warn("no fixation files s*ma1p.dat / s*ma2p.dat in the folder (no measurements)") }
        var m = Measurements(measures: Measure.eyeTracking)
        var bothAgree = 0
        for key in variants.keys.sorted() {
            let present = variants[key]!
            let reader = String(key.prefix(2))
            guard let number = Int(key.dropFirst(2)), let t = corpus.textIndex(textID(number)) else {
                for name in present.values.sorted() { diagnostics.warn("fixation file for a text that has no tx file (file not read)", at: SourceLocation(file: CorpusFiles.join(path, name))) }
                continue
            }
            let text = corpus.texts[t]
            // ma1p (temporal) is the primary record; ma2p is read through FXNO.
            let primaryLayout: DundeeFixationLayout = present[.temporal] != nil ? .temporal : .wordOrder
            let primaryFile = CorpusFiles.join(path, present[primaryLayout]!)
            files.append(primaryFile)
            let fixations = try DundeeFixationFile.read(primaryFile, layout: primaryLayout, text: text, corpus: corpus,
                                                        encoding: options.encoding, diagnostics: &diagnostics)
            if primaryLayout == .temporal, let other = present[.wordOrder] {
                let otherFile = CorpusFiles.join(path, other)
                files.append(otherFile)
                var scratch = Diagnostics()   // the second variant's own warnings repeat the first's
                let check = try DundeeFixationFile.read(otherFile, layout: .wordOrder, text: text, corpus: corpus, encoding: options.encoding, diagnostics: &scratch)
                if let difference = DundeeFixationFile.firstDifference(fixations, check) {
                    diagnostics.warn("ma1p and ma2p files of one reader and text give different fixation sequences (ma1p used)",
                                     at: SourceLocation(file: otherFile), difference)
                } else {
                    bothAgree += 1
                }
            }
            let measures = EyeMeasures.compute(fixations, wordCount: text.wordIDs.count, nonWord: options.nonWord)
            let s = m.subjectID(reader)
            for (i, w) in text.wordIDs.enumerated() {
                m.append(subject: s, word: w, values: Measure.eyeTracking.map { measures[i].value($0) })
            }
        }
        if bothAgree > 0 {
            diagnostics.note("\(bothAgree) reader × text pair(s) have both ma1p and ma2p files: ma1p read, and ma2p (through FXNO) gives the same word fixations")
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
            let screen = try row.int(2), line = try row.int(3), wnum = try row.position(12)
            guard seen.insert(wnum).inserted else { throw CorpusError("WNUM \(wnum) appears twice in the text", at: row.location(12)) }
            if let last = specs.last?.position, wnum < last {
                throw CorpusError("WNUM \(wnum) comes after \(last): words must be in reading order", at: row.location(12))
            }
            specs.append(WordSpec(form: row.string(0), position: wnum, screen: screen, line: line))
        }
        return specs
    }
}
