import Foundation

/// Open-vocabulary byte-pair encoding (Sennrich, Haddow & Birch 2016) with word-end marking, for
/// the LSTM language models.
///
/// Text is normalised (optional lowercasing) and cut into pre-tokens (`BPEPreTokenizer`); each
/// pre-token starts as characters (bytes for characters outside the alphabet) and the learned
/// merges are applied, lowest rank first, as in training. Every word (whitespace-delimited chunk)
/// ends in exactly one word-ending token, so a word's probability under a left-to-right model is
/// the product of its tokens' probabilities.
public struct BPETokenizer: Sendable, Equatable {
    public let vocabulary: BPEVocabulary
    public let preTokenizer: BPEPreTokenizer

    public init(vocabulary: BPEVocabulary, lowercase: Bool) {
        self.vocabulary = vocabulary
        self.preTokenizer = BPEPreTokenizer(lowercase: lowercase)
    }

    /// Vocabulary size (the language model's output width).
    public var vocabularySize: Int { vocabulary.count }
    /// Whether text is lowercased first.
    public var lowercase: Bool { preTokenizer.lowercase }

    /// Tokenises `text`; words are its whitespace-delimited chunks.
    public func encode(_ text: String) -> BPEEncoding {
        var cache: [String: [Int32]] = [:]
        return encode(text, cache: &cache)
    }

    /// Tokenises `text`, reusing and filling a cache from pre-token (with its end flag) to ids.
    /// Use one cache across many sentences of the same text to tokenise a corpus quickly.
    public func encode(_ text: String, cache: inout [String: [Int32]]) -> BPEEncoding {
        let norm = preTokenizer.normalize(text)
        var out = BPEEncoding()
        var lastChunk = -1
        for piece in BPEPreTokenizer.pieces(norm.scalars) {
            lastChunk = piece.chunk
            append(piece, of: norm, word: piece.chunk, offsetBase: 0, into: &out, cache: &cache)
        }
        out.wordCount = lastChunk + 1
        return out
    }

    /// Tokenises a list of words (as a reading-time corpus has them, punctuation attached), as if
    /// they were written with single spaces between them. `wordIndices` are indices into `words`;
    /// offsets count scalars of `words.joined(separator: " ")`. A word without any non-space
    /// character gets no tokens (its token range is empty).
    public func encode(words: [String]) -> BPEEncoding {
        var cache: [String: [Int32]] = [:]
        var out = BPEEncoding()
        out.wordCount = words.count
        var base = 0
        for (w, word) in words.enumerated() {
            let norm = preTokenizer.normalize(word)
            for piece in BPEPreTokenizer.pieces(norm.scalars) {
                append(piece, of: norm, word: w, offsetBase: base, into: &out, cache: &cache)
            }
            base += word.unicodeScalars.count + 1
        }
        return out
    }

    private func append(_ piece: BPEPreTokenizer.Piece, of norm: BPEPreTokenizer.Normalized, word: Int, offsetBase: Int,
                        into out: inout BPEEncoding, cache: inout [String: [Int32]]) {
        let slice = norm.scalars[piece.range]
        let (ids, sources) = tokenize(slice, endsWord: piece.endsChunk, cache: &cache)
        var end = 0
        for (t, id) in ids.enumerated() {
            let range: Range<Int>
            if let src = sources[t] {
                range = (offsetBase + norm.origin[src.lowerBound])..<(offsetBase + norm.origin[src.upperBound - 1] + 1)
            } else {
                range = end..<end
            }
            end = range.upperBound
            out.ids.append(id); out.offsets.append(range); out.wordIndices.append(word)
        }
    }

    /// Ids for one pre-token and, per id, the normalised-scalar range it came from (nil for a bare `</w>`).
    func tokenize(_ scalars: ArraySlice<Unicode.Scalar>, endsWord: Bool, cache: inout [String: [Int32]]) -> ([Int32], [Range<Int>?]) {
        let key = String(String.UnicodeScalarView(scalars)) + (endsWord ? "\u{1}" : "\u{2}")
        let ids: [Int32]
        if let hit = cache[key] {
            ids = hit
        } else {
            ids = applyMerges(vocabulary.initialSymbols(scalars, endsWord: endsWord).ids)
            cache[key] = ids
        }
        // Recover each token's scalar range from the bytes it stands for.
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(ids.count)
        var scalarIndex = scalars.startIndex
        var bytesLeftInScalar = scalars.isEmpty ? 0 : String(scalars[scalarIndex]).utf8.count
        for id in ids {
            var need = vocabulary.bytes[Int(id)].count
            if need == 0 { ranges.append(nil); continue }
            let start = scalarIndex
            var endIndex = scalarIndex
            while need > 0 {
                let take = min(need, bytesLeftInScalar)
                need -= take; bytesLeftInScalar -= take
                endIndex = scalarIndex + 1
                if bytesLeftInScalar == 0 {
                    scalarIndex += 1
                    bytesLeftInScalar = scalarIndex < scalars.endIndex ? String(scalars[scalarIndex]).utf8.count : 0
                }
            }
            ranges.append(start..<endIndex)
        }
        return (ids, ranges)
    }

    /// Applies the merges to initial symbols: repeatedly joins every occurrence (left to right) of
    /// the adjacent pair with the lowest merge rank, until no learned pair is left.
    func applyMerges(_ start: [Int32]) -> [Int32] {
        var symbols = start
        while symbols.count > 1 {
            var best = Int32.max
            for j in 0..<(symbols.count - 1) {
                if let m = vocabulary.merged(symbols[j], symbols[j + 1]), m < best { best = m }
            }
            if best == Int32.max { break }
            let pair = vocabulary.merges[Int(best - vocabulary.firstMerge)]
            var next: [Int32] = []
            next.reserveCapacity(symbols.count)
            var j = 0
            while j < symbols.count {
                if j + 1 < symbols.count, symbols[j] == pair.left, symbols[j + 1] == pair.right {
                    next.append(best); j += 2
                } else {
                    next.append(symbols[j]); j += 1
                }
            }
            symbols = next
        }
        return symbols
    }

    /// The text of token ids: their bytes, with a space after every word-ending token (trailing
    /// space dropped); `<s>` and `</s>` are skipped. Invalid UTF-8 (a partial byte sequence)
    /// decodes as U+FFFD.
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        for id in ids where id >= BPEVocabulary.bareWordEnd && Int(id) < vocabulary.count {
            bytes += vocabulary.bytes[Int(id)]
            if vocabulary.endsWord[Int(id)] { bytes.append(0x20) }
        }
        if bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Readable token strings for ids (`the</w>`, `<0xE2>`).
    public func tokens(_ ids: [Int32]) -> [String] {
        ids.map { Int($0) < vocabulary.count && $0 >= 0 ? vocabulary.tokens[Int($0)] : "<invalid \($0)>" }
    }
}
