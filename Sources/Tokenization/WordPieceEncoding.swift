/// The result of WordPiece tokenisation: token ids with their place in the input text.
///
/// Offsets count **Unicode scalars** of the input (`text.unicodeScalars`), as half-open ranges —
/// the same numbers Python's `tokenizers` reports (Python string indices are code points).
/// A token made from a character that normalisation expanded ("ﬁ" → "fi") points at that whole
/// character. `[CLS]` and `[SEP]` have the empty range `0..<0`. Use
/// `WordPieceEncoding.stringRange(_:in:)` to turn an offset into a `Range<String.Index>`.
public struct WordPieceEncoding: Sendable, Equatable {
    /// Token ids, starting with `[CLS]` and ending with `[SEP]`.
    public var ids: [Int32]
    /// Token strings (`"##"` marks a word-internal piece).
    public var tokens: [String]
    /// Per token, the range of input Unicode scalars it covers (`0..<0` for special tokens).
    public var offsets: [Range<Int>]
    /// Per token, the index of the pre-tokenised word it belongs to (nil for special tokens).
    public var wordIndices: [Int?]
    /// How many word-piece tokens (without `[CLS]`/`[SEP]`) the text had before truncation.
    public var untruncatedPieceCount: Int

    /// Whether tokens were cut off to respect the maximum length.
    public var isTruncated: Bool { untruncatedPieceCount > ids.count - 2 }
    /// Number of tokens, special tokens included.
    public var count: Int { ids.count }

    /// Converts a Unicode-scalar offset range of this encoding into string indices of `text`
    /// (the text that was encoded). Returns nil when the range does not fit the text.
    public static func stringRange(_ range: Range<Int>, in text: String) -> Range<String.Index>? {
        let scalars = text.unicodeScalars
        guard range.lowerBound >= 0,
              let lo = scalars.index(scalars.startIndex, offsetBy: range.lowerBound, limitedBy: scalars.endIndex),
              let hi = scalars.index(lo, offsetBy: range.count, limitedBy: scalars.endIndex) else { return nil }
        return lo..<hi
    }
}
