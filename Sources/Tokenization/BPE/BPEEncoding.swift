/// The result of BPE tokenisation: token ids with their place in the input.
///
/// Offsets count **Unicode scalars** of the input (as `WordPieceEncoding` does). A byte-fallback
/// token points at the whole character it is a byte of; the bare `</w>` has an empty range at the
/// end of its word. No `<s>`/`</s>` are added: language models add them.
public struct BPEEncoding: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int32]
    /// Per token, the range of input scalars it covers.
    public var offsets: [Range<Int>]
    /// Per token, the word it belongs to: the whitespace-delimited chunk of the text, or the
    /// index in the word list for `BPETokenizer.encode(words:)`.
    public var wordIndices: [Int]
    /// Number of words (chunks, or the length of the word list).
    public var wordCount: Int

    public init(ids: [Int32] = [], offsets: [Range<Int>] = [], wordIndices: [Int] = [], wordCount: Int = 0) {
        self.ids = ids; self.offsets = offsets; self.wordIndices = wordIndices; self.wordCount = wordCount
    }

    /// Number of tokens.
    public var count: Int { ids.count }

    /// For each word, the range of token positions that belong to it (empty for a word without tokens).
    public var tokenRangesByWord: [Range<Int>] {
        var ranges = [Range<Int>](repeating: 0..<0, count: wordCount)
        var t = 0
        while t < ids.count {
            let w = wordIndices[t]
            var e = t + 1
            while e < ids.count, wordIndices[e] == w { e += 1 }
            ranges[w] = t..<e
            t = e
        }
        return ranges
    }
}
