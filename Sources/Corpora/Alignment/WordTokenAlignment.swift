/// A token of any tokenizer: its character range in the same string the words' ranges refer
/// to (`CorpusText.content`, Unicode-scalar offsets) and a value (e.g. surprisal in bits).
public struct AlignedToken: Sendable, Equatable {
    public var range: Range<Int>
    public var value: Double
    public init(_ range: Range<Int>, _ value: Double) { self.range = range; self.value = value }
}

/// Why a word got no value.
public enum AlignmentProblem: Sendable, Equatable {
    /// No token overlaps the word.
    case noToken
    /// A token overlaps this word and another one, so its value cannot be split.
    case tokenCrossesWordBoundary(token: Int)
}

/// The result of aligning tokens to words.
public struct WordAlignment: Sendable, Equatable {
    /// Per word: the sum of its tokens' values, or nil if it could not be aligned.
    public var sums: [Double?]
    /// Per word: the indices of the tokens assigned to it.
    public var tokens: [[Int]]
    /// Every word that could not be aligned, with the reason (never dropped silently).
    public var unaligned: [(word: Int, problem: AlignmentProblem)]
    /// Tokens that lie only in white space after the last word (their values are not used).
    public var unusedTokens: [Int]

    public static func == (a: WordAlignment, b: WordAlignment) -> Bool {
        a.sums == b.sums && a.tokens == b.tokens && a.unusedTokens == b.unusedTokens
            && a.unaligned.map(\.word) == b.unaligned.map(\.word) && a.unaligned.map(\.problem) == b.unaligned.map(\.problem)
    }
}

/// Maps tokens of any tokenizer to corpus words through character offsets — the words keep
/// their punctuation ("owners." may be the tokens "owners" + "."), and a word's value is the sum
/// of its tokens' values (surprisal of a word = sum of its tokens' surprisals).
///
/// Rules: a token belongs to the word its characters overlap. A token that lies wholly in the
/// white space between words (a tokenizer's separate space token) belongs to the next word,
/// as a leading space does in GPT-2-style tokens. A token overlapping two words makes both
/// unalignable (reported). A word no token overlaps is reported. Word ranges must be sorted and
/// must not overlap; token ranges may come in any order.
public enum WordTokenAlignment {
    /// Aligns `tokens` to `words` (character ranges).
    public static func align(words: [Range<Int>], tokens: [AlignedToken]) -> WordAlignment {
        var assigned = Array(repeating: [Int](), count: words.count)
        var broken = Array(repeating: Int?.none, count: words.count)
        var unused: [Int] = []
        for (t, token) in tokens.enumerated() {
            // Words whose ranges overlap the token (binary search for the first word ending after its start).
            var lo = 0, hi = words.count
            while lo < hi { let mid = (lo + hi) / 2; if words[mid].upperBound <= token.range.lowerBound { lo = mid + 1 } else { hi = mid } }
            var overlapping: [Int] = []
            var k = lo
            while k < words.count && words[k].lowerBound < token.range.upperBound {
                if words[k].overlaps(token.range) || (token.range.isEmpty && words[k].contains(token.range.lowerBound)) { overlapping.append(k) }
                k += 1
            }
            switch overlapping.count {
            case 0:
                // In white space: goes to the next word (lo is the first word ending after the token's start).
                if lo < words.count { assigned[lo].append(t) } else { unused.append(t) }
            case 1:
                assigned[overlapping[0]].append(t)
            default:
                for w in overlapping where broken[w] == nil { broken[w] = t }
            }
        }
        var sums: [Double?] = []
        var unaligned: [(Int, AlignmentProblem)] = []
        for w in words.indices {
            if let t = broken[w] {
                sums.append(nil)
                unaligned.append((w, .tokenCrossesWordBoundary(token: t)))
            } else if !assigned[w].contains(where: { tokens[$0].range.overlaps(words[w]) || (tokens[$0].range.isEmpty && words[w].contains(tokens[$0].range.lowerBound)) }) {
                sums.append(nil)
                unaligned.append((w, .noToken))
            } else {
                sums.append(assigned[w].reduce(0) { $0 + tokens[$1].value })
            }
        }
        return WordAlignment(sums: sums, tokens: assigned, unaligned: unaligned, unusedTokens: unused)
    }

    /// Aligns tokens over one text of a corpus; `sums` is indexed like `text.wordIDs`.
    public static func align(text: CorpusText, corpus: Corpus, tokens: [AlignedToken]) -> WordAlignment {
        align(words: text.wordIDs.map { corpus.words[$0].characterRange }, tokens: tokens)
    }
}
