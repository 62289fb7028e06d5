/// How BPE sees text before any merge: normalised Unicode scalars cut into *chunks* (maximal runs
/// of non-whitespace, i.e. what a reader calls a word with its attached punctuation) and, inside
/// a chunk, *pre-tokens*: maximal runs of letters, digits and combining marks, or a single other
/// character (punctuation, symbol). Merges never cross a pre-token.
///
/// The last pre-token of a chunk carries the **word-end mark**: its last piece is a token that
/// means "…and here the word ends". Because every chunk ends in exactly one such piece, the
/// probability a left-to-right model gives a word is exactly the product of its pieces'
/// probabilities (METHODS §3: end-of-word marking makes the surprisal sum exact).
public struct BPEPreTokenizer: Sendable, Equatable {
    /// Lowercase before tokenising (the paper lowercases).
    public var lowercase: Bool

    public init(lowercase: Bool) { self.lowercase = lowercase }

    /// Text after normalisation, with the origin of every normalised scalar in the input.
    public struct Normalized: Sendable {
        /// Normalised scalars.
        public var scalars: [Unicode.Scalar]
        /// For each normalised scalar, the index of the input scalar it came from.
        public var origin: [Int]
    }

    /// One pre-token: a range of normalised scalars, the chunk it belongs to, and whether it ends that chunk.
    public struct Piece: Sendable, Equatable {
        public var range: Range<Int>
        public var chunk: Int
        public var endsChunk: Bool
    }

    /// Lowercases scalar by scalar (when asked), remembering where each output scalar came from.
    /// Lowercasing may expand a scalar ("İ" → "i̇"); every output scalar points at its input scalar.
    public func normalize(_ text: String) -> Normalized {
        var out = Normalized(scalars: [], origin: [])
        out.scalars.reserveCapacity(text.unicodeScalars.count)
        out.origin.reserveCapacity(text.unicodeScalars.count)
        for (i, s) in text.unicodeScalars.enumerated() {
            if lowercase, s.properties.changesWhenLowercased {
                for l in s.properties.lowercaseMapping.unicodeScalars { out.scalars.append(l); out.origin.append(i) }
            } else {
                out.scalars.append(s); out.origin.append(i)
            }
        }
        return out
    }

    /// Whether a scalar separates chunks.
    @inlinable public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || s == "\u{0}"
    }

    /// Whether a scalar belongs to a word-like run (letters, digits, combining marks).
    @inlinable public static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        let p = s.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Cuts normalised scalars into pre-tokens (see the type's documentation).
    public static func pieces(_ scalars: [Unicode.Scalar]) -> [Piece] {
        var out: [Piece] = []
        var chunk = -1
        var i = 0
        let n = scalars.count
        while i < n {
            if isSpace(scalars[i]) { i += 1; continue }
            chunk += 1
            // One chunk: up to the next whitespace.
            var j = i
            while j < n, !isSpace(scalars[j]) { j += 1 }
            var k = i
            while k < j {
                var e = k + 1
                if isWordScalar(scalars[k]) { while e < j, isWordScalar(scalars[e]) { e += 1 } }
                out.append(Piece(range: k..<e, chunk: chunk, endsChunk: e == j))
                k = e
            }
            i = j
        }
        return out
    }
}
