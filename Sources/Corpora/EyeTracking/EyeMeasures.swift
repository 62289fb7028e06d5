/// Word-level eye-tracking measures of one reader on one text, computed from the fixation
/// sequence. The definitions (Rayner 1998; as in the Dundee, GECO and Provo literature):
///
/// - **First pass.** A word is read in first pass if its first fixation comes before any
///   fixation on a word to its right. Otherwise it was **skipped** (`skip` = 1) — including
///   words fixated only later, after a regression back to them.
/// - **First fixation duration**: the duration of that first fixation. Missing if skipped.
/// - **Gaze duration** (first-pass reading time): the sum of the consecutive fixations on the
///   word starting with the first one, until the eyes move to another word. Missing if skipped.
/// - **Go-past time** (regression-path duration): the sum of all fixations from the first
///   fixation on the word until the first fixation on a word to its right — fixations on
///   earlier words during regressions count too. Missing if skipped.
/// - **Total reading time**: the sum of all fixations on the word, in any pass; 0 if the word
///   was never fixated (a real zero, not a missing value).
/// - **Regression out**: 1 if the first pass ended with a fixation on an earlier word, 0 if it
///   ended by moving right or at the end of the record. Missing if skipped.
/// - **Right-bounded time**: the sum of fixations on the word from its first fixation until
///   the first fixation on a word to its right. Missing if skipped.
///
/// Non-word events (blinks, off-screen samples) never add duration to a word; whether they
/// break a pass is `NonWordPolicy` (default: passed over).
public struct EyeMeasures: Sendable, Equatable {
    public var firstFixation: Double?
    public var gazeDuration: Double?
    public var goPast: Double?
    public var totalTime: Double
    public var skip: Bool
    public var regressionOut: Bool?
    public var rightBounded: Double?
    /// Number of fixations on the word (all passes).
    public var fixationCount: Int

    public init(firstFixation: Double?, gazeDuration: Double?, goPast: Double?, totalTime: Double, skip: Bool,
                regressionOut: Bool?, rightBounded: Double? = nil, fixationCount: Int = 0) {
        self.firstFixation = firstFixation
        self.gazeDuration = gazeDuration
        self.goPast = goPast
        self.totalTime = totalTime
        self.skip = skip
        self.regressionOut = regressionOut
        self.rightBounded = rightBounded
        self.fixationCount = fixationCount
    }

    /// A word that was never fixated.
    public static let neverFixated = EyeMeasures(firstFixation: nil, gazeDuration: nil, goPast: nil, totalTime: 0, skip: true, regressionOut: nil, rightBounded: nil, fixationCount: 0)

    /// The value of `measure` (one of `Measure.eyeTracking` or `right_bounded`), flags as 0/1.
    public func value(_ measure: Measure) -> Double? {
        switch measure {
        case .firstFixation: return firstFixation
        case .gazeDuration: return gazeDuration
        case .goPast: return goPast
        case .totalTime: return totalTime
        case .skip: return skip ? 1 : 0
        case .regressionOut: return regressionOut.map { $0 ? 1 : 0 }
        case .rightBounded: return rightBounded
        default: return nil
        }
    }

    /// Computes the measures of the `wordCount` words of one text from one reader's fixations.
    /// Fixations whose word index is outside `0..<wordCount` must have been removed (and
    /// counted) by the caller; here they are treated as non-word events.
    public static func compute(_ fixations: [Fixation], wordCount: Int, nonWord: NonWordPolicy = .passOver) -> [EyeMeasures] {
        // Events: a word index, or nil for a non-word event that ends a pass.
        var events: [(word: Int?, duration: Double)] = []
        events.reserveCapacity(fixations.count)
        for f in fixations {
            if let w = f.wordIndex, w >= 0, w < wordCount {
                events.append((w, f.duration))
            } else if nonWord == .endsPass {
                events.append((nil, 0))
            }
        }
        var out = Array(repeating: neverFixated, count: wordCount)
        var firstIndex = Array(repeating: -1, count: wordCount)
        var furthest = -1                                   // rightmost word fixated so far
        var firstPass = Array(repeating: false, count: wordCount)
        for (i, e) in events.enumerated() {
            guard let w = e.word else { continue }
            out[w].totalTime += e.duration
            out[w].fixationCount += 1
            if firstIndex[w] < 0 {
                firstIndex[w] = i
                firstPass[w] = w > furthest
            }
            furthest = max(furthest, w)
        }
        for w in 0..<wordCount where firstPass[w] {
            let start = firstIndex[w]
            var m = out[w]
            m.skip = false
            m.firstFixation = events[start].duration
            // Gaze: the run of consecutive events on w.
            var gaze = 0.0, j = start
            while j < events.count, events[j].word == w { gaze += events[j].duration; j += 1 }
            m.gazeDuration = gaze
            // What ended the first pass: the next word event after the run (skipping pass-ending
            // non-word events, which end the run but are not a direction).
            var k = j
            while k < events.count, events[k].word == nil { k += 1 }
            m.regressionOut = k < events.count ? events[k].word! < w : false
            // Go-past and right-bounded: everything until the first fixation right of w.
            var goPast = 0.0, rightBounded = 0.0
            j = start
            while j < events.count {
                if let x = events[j].word {
                    if x > w { break }
                    goPast += events[j].duration
                    if x == w { rightBounded += events[j].duration }
                }
                j += 1
            }
            m.goPast = goPast
            m.rightBounded = rightBounded
            out[w] = m
        }
        return out
    }
}
