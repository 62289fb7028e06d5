/// One event of an eye-movement record, in temporal order: a fixation on a word, or a non-word
/// event (a blink, a sample off the screen, a fixation outside every word's region).
public struct Fixation: Sendable, Equatable {
    /// What the eyes were doing.
    public enum Target: Sendable, Equatable {
        /// A fixation on the word with this 0-based index in its text.
        case word(Int)
        /// A blink (Dundee's `*Blink`).
        case blink
        /// Eyes off the screen (Dundee's `*Off-screen`).
        case offScreen
        /// A fixation that landed on no word (Dundee's `WNUM ≤ 0`: margins, between lines).
        case nonWord
    }

    /// Where the eyes were.
    public var target: Target
    /// Duration in ms.
    public var duration: Double

    public init(_ target: Target, _ duration: Double) {
        self.target = target
        self.duration = duration
    }

    /// A fixation on word `index` (0-based) lasting `duration` ms.
    public static func on(_ index: Int, _ duration: Double) -> Fixation { Fixation(.word(index), duration) }

    /// The word index, or nil for a non-word event.
    public var wordIndex: Int? { if case let .word(i) = target { return i } else { return nil } }
}

/// What a non-word event (blink, off-screen sample, fixation on no word) does to the pass
/// structure. Its own duration never counts towards any word.
public enum NonWordPolicy: String, Sendable, CaseIterable {
    /// The event is passed over: fixations on the same word before and after it belong to one
    /// pass (a blink is a gap in the signal, not an eye movement). The default.
    case passOver = "pass-over"
    /// The event ends the current pass, as leaving the word would: fixations after it on the
    /// same word no longer count towards first fixation or gaze duration.
    case endsPass = "ends-pass"
}
