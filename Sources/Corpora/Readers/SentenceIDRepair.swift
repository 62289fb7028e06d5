/// Sentence ids of one GECO part, repaired: GECO's shifted SENTENCE_ID column, missing ids,
/// and isolated wrong ids (see `GECOReader`).
enum SentenceIDRepair {
    /// Where GECO's SENTENCE_ID column starts to be one cell off (the word coded with the next
    /// sentence's id): WORD_ID 1-41-87, as documented with the corpus's known errors.
    static let knownShiftStart = "1-41-87"

    /// Sentence keys (0, 1, 2, … by runs of equal ids) for one part's words in reading order.
    /// `ids` are the words' WORD_IDs, `sentenceIDs` their SENTENCE_IDs (nil where missing).
    static func sentenceKeys(part: Int, ids: [String], sentenceIDs: [String?], diagnostics: inout Diagnostics) -> [Int] {
        var s = sentenceIDs
        let n = s.count
        guard n > 0 else { return [] }
        repairShift(part: part, ids: ids, &s, diagnostics: &diagnostics)
        // A missing id takes the previous word's (the first word's, the next one's).
        for i in 0..<n where s[i] == nil {
            s[i] = i > 0 ? s[i - 1] : s.first { $0 != nil } ?? "0"
            diagnostics.warn("word without SENTENCE_ID (took the previous word's)", "WORD_ID \(ids[i])")
        }
        // An isolated id: differs from both neighbours, which agree.
        if n >= 3 {
            for i in 1..<(n - 1) where s[i] != s[i - 1] && s[i] != s[i + 1] && s[i - 1] == s[i + 1] {
                diagnostics.warn("SENTENCE_ID differs from both neighbouring words (corrected to theirs)", "WORD_ID \(ids[i]): \(s[i]!) → \(s[i - 1]!)")
                s[i] = s[i - 1]
            }
        }
        var keys: [Int] = []
        var k = 0
        for i in 0..<n {
            if i > 0 && s[i] != s[i - 1] { k += 1 }
            keys.append(k)
        }
        return keys
    }

    /// Detects and undoes a SENTENCE_ID column that slipped up by one cell from the known start
    /// to the end of the part. Signature, from the ids alone: the word at the start opens a new
    /// id (it differs from the word before it), and the part's last word has no id of its own
    /// (missing, or the id of another part: the cell below it moved up). A part whose last word
    /// has no id of its own but that holds no known start is reported, not changed.
    static func repairShift(part: Int, ids: [String], _ s: inout [String?], diagnostics: inout Diagnostics) {
        let n = s.count
        let lastHasOwnID = s[n - 1].map { belongs($0, to: part) } ?? false
        guard !lastHasOwnID else { return }
        guard let start = ids.firstIndex(of: knownShiftStart), start > 0, s[start] != nil, s[start] != s[start - 1] else {
            diagnostics.warn("the part's last word has no SENTENCE_ID of its own (the column may be shifted by one cell; left as it is)",
                             "WORD_ID \(ids[n - 1]): \(s[n - 1] ?? "missing")")
            return
        }
        var repaired = s
        for i in start..<n { repaired[i] = s[i - 1] }
        let moved = (start..<n).filter { repaired[$0] != s[$0] }.count
        s = repaired
        diagnostics.warn("SENTENCE_ID column shifted by one cell from WORD_ID \(knownShiftStart) to the end of the part (GECO's known error; repaired)",
                         "part \(part): \(n - start) words realigned, \(moved) moved to the sentence before them", count: moved)
    }

    /// Whether sentence id `id` (`part-sentence`) names part `part`; ids of another form are taken as belonging.
    static func belongs(_ id: String, to part: Int) -> Bool {
        guard let prefix = id.split(separator: "-").first, let p = Int(prefix), id.contains("-") else { return true }
        return p == part
    }
}
