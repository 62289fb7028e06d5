/// Consistency checks of eye-tracking measures, whatever reader produced them.
///
/// Every row: a self-paced reading time is more than 0 ms. For one reader's observation of one
/// word (rows that are means over readers are not checked here: means of different subsets need
/// not obey the order), with the standard definitions (`Measure`, `docs/MEASURES.md`):
/// - a word read in first pass has a first fixation of more than 0 ms;
/// - first fixation ≤ gaze duration ≤ right-bounded time ≤ go-past time;
/// - gaze duration ≤ total time;
/// - skip = 1 (not fixated in first pass) ⇔ no first-pass measures (missing, or 0 where a
///   corpus writes 0 for "not fixated").
/// Each rule's violations are counted as warnings (`measure sanity: …`) with examples
/// (subject, text, position), and a note says how many rows were checked.
public enum MeasureSanity {
    /// The category prefix of the warnings this check adds.
    public static let prefix = "measure sanity: "

    /// Checks `data`'s rows and returns the warnings and the note to add to its diagnostics.
    public static func check(_ data: CorpusData) -> Diagnostics {
        var d = Diagnostics()
        let m = data.measurements
        func column(_ measure: Measure) -> [Double?]? { m.values(measure) }
        let first = column(.firstFixation), gaze = column(.gazeDuration), goPast = column(.goPast)
        let total = column(.totalTime), skip = column(.skip), right = column(.rightBounded), rt = column(.rt)
        var checked = 0, violations = 0
        for r in 0..<m.count {
            checked += 1
            func example() -> String {
                let w = data.corpus.words[m.word[r]]
                return "subject \(m.subjects[m.subject[r]]), text \(data.corpus.texts[w.text].id), position \(w.positionInText)"
            }
            func flag(_ rule: String) { d.warn(prefix + rule, example()); violations += 1 }
            if let v = rt?[r] ?? nil, v <= 0 { flag("reading time of 0 ms or less") }
            guard m.readers[r] == 1 else { continue }
            /// A duration that stands for "fixated": present and above 0.
            func fixated(_ c: [Double?]?) -> Bool? { c.map { ($0[r] ?? 0) > 0 } }
            let ff = first?[r] ?? nil, gd = gaze?[r] ?? nil, gp = goPast?[r] ?? nil, tt = total?[r] ?? nil, rb = right?[r] ?? nil
            let skipped = (skip?[r] ?? nil).map { $0 != 0 }
            if let ff, ff <= 0, skipped == false { flag("first fixation of 0 ms or less on a word read in first pass") }
            if let ff, let gd, gd < ff { flag("gaze duration shorter than the first fixation") }
            if let gd, let rb, rb < gd { flag("right-bounded time shorter than the gaze duration") }
            if let rb, let gp, gp < rb { flag("go-past time shorter than the right-bounded time") }
            if let gd, let gp, gp < gd { flag("go-past time shorter than the gaze duration") }
            if let gd, let tt, tt < gd { flag("total time shorter than the gaze duration") }
            if let skipped {
                let firstPass = fixated(first) ?? fixated(gaze)
                if skipped, firstPass == true { flag("skip = 1 but the word has a first-pass duration") }
                if !skipped, firstPass == false { flag("skip = 0 but the word has no first-pass duration") }
            }
        }
        let rules = [rt != nil ? "rt > 0 ms" : nil,
                     first != nil || gaze != nil ? "first fixation > 0 ms when read in first pass; first fixation ≤ gaze ≤ right-bounded ≤ go-past; gaze ≤ total time; skip agrees with the durations" : nil]
        d.note("measure sanity: \(checked) rows checked (\(rules.compactMap { $0 }.joined(separator: "; ").nonEmpty ?? "no measure with a rule")): \(violations) violation(s)")
        return d
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
