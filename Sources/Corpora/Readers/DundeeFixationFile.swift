/// The two layouts of Dundee's fixation files (see `docs/CORPORA.md` of the project's shared
/// notes and `DundeeReader`).
enum DundeeFixationLayout: Hashable, Sendable {
    /// `sXNNma1p.dat`: one row per fixation in temporal order; 11th column LAUN (launch distance).
    case temporal
    /// `sXNNma2p.dat`: rows in word order (by WNUM), one per fixation on the word, FXNO its
    /// temporal index; a placeholder row (TEXT = −99, FDUR = 0) for each word never fixated.
    case wordOrder
}

/// Reads one Dundee fixation file into the temporal sequence of events over one text's words.
enum DundeeFixationFile {
    /// The TEXT value that marks ma2p's placeholder rows for words never fixated.
    static let placeholderText = -99

    /// One row as read, before ordering.
    private struct Row {
        let word: String, wnum: Int, duration: Double, screen: Int?, order: Int
        let at: SourceLocation, wordAt: SourceLocation, screenAt: SourceLocation?
    }

    /// The events of `file` in temporal order: ma1p in file order, ma2p sorted by FXNO with its
    /// placeholder rows dropped. Problems are counted in `diagnostics`.
    static func read(_ file: String, layout: DundeeFixationLayout, text: CorpusText, corpus: Corpus, encoding: TextEncoding,
                     diagnostics: inout Diagnostics) throws -> [Fixation] {
        let table = try DelimitedFile.open(path: file, separator: .whitespace, quoting: false, encoding: encoding)
        let cWord = try table.requireColumn("WORD"), cWnum = try table.requireColumn("WNUM"), cDur = try table.requireColumn("FDUR")
        let cScreen = table.column(["TEXT"])
        var cOrder: Int? = nil
        if layout == .wordOrder {
            guard let c = table.column(["FXNO"]) else {
                throw CorpusError("an ma2p file is in word order and needs its FXNO column (the fixations' temporal order); this one has none (columns: \(table.header.joined(separator: " ")))",
                                  file: file, line: 1)
            }
            cOrder = c
        }
        var rows: [Row] = []
        var placeholders = Set<Int>()
        try table.forEachRow { row in
            let screen = try cScreen.map { try row.int($0) }
            let wnum = try row.int(cWnum)
            let duration = try row.requiredDouble(cDur)
            guard duration >= 0 else { throw CorpusError("negative fixation duration \(duration)", at: row.location(cDur)) }
            if layout == .wordOrder && screen == placeholderText {
                // A word this reader never fixated: a placeholder, not a fixation.
                if duration != 0 { diagnostics.warn("ma2p placeholder row (TEXT = −99) with a non-zero FDUR (not read as a fixation)", at: row.location(cDur)) }
                placeholders.insert(wnum)
                return
            }
            var order = rows.count
            if let c = cOrder {
                order = try row.int(c)
                guard order >= 1 else {
                    diagnostics.warn("ma2p fixation without a temporal index (FXNO < 1; row set aside)", at: row.location(c))
                    return
                }
            }
            rows.append(Row(word: row.string(cWord), wnum: wnum, duration: duration, screen: screen, order: order,
                            at: row.location(), wordAt: row.location(cWord), screenAt: cScreen.map { row.location($0) }))
        }
        if layout == .wordOrder {
            rows.sort { $0.order < $1.order }   // stable: ties keep file order
            for (a, b) in zip(rows, rows.dropFirst()) where a.order == b.order {
                diagnostics.warn("two ma2p rows with the same FXNO (file order kept)", at: b.at, "FXNO \(b.order)")
            }
        }

        var indexOfPosition: [Int: Int] = [:]
        for (i, w) in text.wordIDs.enumerated() { indexOfPosition[corpus.words[w].positionInText] = i }
        var out: [Fixation] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            if r.word.hasPrefix("*") || r.wnum <= 0 {
                let lower = r.word.lowercased()
                out.append(Fixation(lower.contains("blink") ? .blink : lower.contains("off") ? .offScreen : .nonWord, r.duration))
                continue
            }
            guard let i = indexOfPosition[r.wnum] else {
                diagnostics.warn("fixation on a word that does not exist (treated as a non-word event)", at: r.at,
                                 "WNUM \(r.wnum) but \(text.id) has \(text.wordIDs.count) words")
                out.append(Fixation(.nonWord, r.duration))
                continue
            }
            let word = corpus.words[text.wordIDs.lowerBound + i]
            if r.word != word.form {
                diagnostics.warn("fixation file's WORD differs from the text's word at WNUM", at: r.wordAt, "'\(r.word)' vs '\(word.form)'")
            }
            if let screen = r.screen, let expected = word.screen, screen != expected {
                diagnostics.warn("fixation file's TEXT (the screen number) differs from the text file's screen of the word", at: r.screenAt,
                                 "WNUM \(r.wnum): \(screen) vs \(expected)")
            }
            if r.duration == 0 { diagnostics.warn("fixation of 0 ms on a word (kept; it counts as a fixation)", at: r.at, "WNUM \(r.wnum)") }
            if placeholders.contains(r.wnum) {
                diagnostics.warn("ma2p placeholder row (never fixated) for a word that has fixations", at: r.at, "WNUM \(r.wnum)")
            }
            out.append(.on(i, r.duration))
        }
        return out
    }

    /// Where two records' word fixations (word and duration, in order) first differ, described
    /// for a message; nil when they agree. Non-word events are left out of the comparison: the
    /// two layouts need not place blinks the same way.
    static func firstDifference(_ a: [Fixation], _ b: [Fixation]) -> String? {
        let wa = a.filter { $0.wordIndex != nil }, wb = b.filter { $0.wordIndex != nil }
        for (k, (x, y)) in zip(wa, wb).enumerated() where x != y {
            return "word fixation \(k + 1): word \(x.wordIndex! + 1), \(x.duration) ms in ma1p vs word \(y.wordIndex! + 1), \(y.duration) ms in ma2p"
        }
        if wa.count != wb.count { return "\(wa.count) word fixations in ma1p, \(wb.count) in ma2p" }
        return nil
    }
}
