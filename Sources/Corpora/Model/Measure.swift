/// A reading measure, named as in export tables and analysis files.
///
/// Eye-tracking measures (see `EyeMeasures` for how each is computed from fixations):
/// - `first_fixation`: duration of the first fixation on the word in first-pass reading;
/// - `gaze_duration`: first-pass reading time, the sum of fixations from first entering the
///   word (from the left, before any later word was fixated) until the eyes first leave it;
/// - `go_past`: regression-path time, the sum of all fixations from first entering the word
///   until the first fixation on a word to its right (including re-reading earlier words);
/// - `total_time`: the sum of all fixations on the word, in any pass (0 if never fixated);
/// - `skip`: 1 if the word was not fixated in first pass, else 0;
/// - `regression_out`: 1 if first-pass reading of the word ended with a regression (a fixation
///   on an earlier word), else 0;
/// - `right_bounded`: the sum of fixations on the word from first entering it until the first
///   fixation on a word to its right (UCL's RTrightbound).
///
/// Self-paced reading: `rt`, the time from the word's appearance to the key press.
/// Any other name (from a generic table) is allowed.
public struct Measure: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { rawValue = name }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Measure, b: Measure) -> Bool { a.rawValue < b.rawValue }

    /// Self-paced reading time per word (ms).
    public static let rt = Measure("rt")
    /// First fixation duration (ms).
    public static let firstFixation = Measure("first_fixation")
    /// Gaze duration, first-pass reading time (ms).
    public static let gazeDuration = Measure("gaze_duration")
    /// Go-past (regression-path) time (ms).
    public static let goPast = Measure("go_past")
    /// Total reading time (ms).
    public static let totalTime = Measure("total_time")
    /// First-pass skip flag (1 skipped, 0 fixated).
    public static let skip = Measure("skip")
    /// First-pass regression-out flag (1 the first pass ended with a regression).
    public static let regressionOut = Measure("regression_out")
    /// Right-bounded time (ms).
    public static let rightBounded = Measure("right_bounded")

    /// The measures computed from fixation sequences, in a fixed order.
    public static let eyeTracking: [Measure] = [.firstFixation, .gazeDuration, .goPast, .totalTime, .skip, .regressionOut]
    /// Every measure named above: what a fixed-format corpus can have (its files decide which).
    public static let named: [Measure] = [.rt] + eyeTracking + [.rightBounded]
}
