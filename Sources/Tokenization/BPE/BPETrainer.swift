/// Settings for learning a BPE vocabulary.
public struct BPETrainingOptions: Sendable, Equatable {
    /// Total vocabulary size, specials and byte fallback included (the paper uses 8192).
    public var vocabularySize = 8192
    /// Lowercase the text first (the paper does).
    public var lowercase = true
    /// Characters seen fewer times than this get no token of their own (they use byte fallback).
    public var minCharacterFrequency = 2
    /// Pairs seen fewer times than this are never merged.
    public var minPairFrequency = 2
    /// Return a smaller vocabulary instead of throwing `vocabularyTooLarge` when the text runs out of pairs.
    public var allowSmallerVocabulary = false

    public init(vocabularySize: Int = 8192, lowercase: Bool = true) {
        self.vocabularySize = vocabularySize
        self.lowercase = lowercase
    }
}

extension BPETokenizer {
    /// Learns merges from training sentences (Sennrich et al. 2016): count pre-tokens, start from
    /// characters, and repeatedly merge the most frequent adjacent pair (ties: the pair with the
    /// smaller left id, then the smaller right id — so the result is deterministic) until the
    /// vocabulary has `vocabularySize` tokens.
    ///
    /// Throws `BPEError.emptyTrainingText`, `.vocabularyTooSmall` (the fixed part does not fit),
    /// or `.vocabularyTooLarge` (no pair occurs `minPairFrequency` times any more) unless
    /// `allowSmallerVocabulary` is set.
    public static func train<S: Sequence>(sentences: S, options: BPETrainingOptions = BPETrainingOptions()) throws -> BPETokenizer
    where S.Element == String {
        let pre = BPEPreTokenizer(lowercase: options.lowercase)
        // 1. Pre-token types with counts (the end flag is part of the type).
        var typeCounts: [String: Int] = [:]
        var scalarCounts: [UInt32: Int] = [:]
        for sentence in sentences {
            let norm = pre.normalize(sentence)
            for p in BPEPreTokenizer.pieces(norm.scalars) {
                let s = norm.scalars[p.range]
                for c in s { scalarCounts[c.value, default: 0] += 1 }
                typeCounts[String(String.UnicodeScalarView(s)) + (p.endsChunk ? "\u{1}" : "\u{2}"), default: 0] += 1
            }
        }
        guard !typeCounts.isEmpty else { throw BPEError.emptyTrainingText }

        // 2. The alphabet: characters seen often enough (sorted, so ids do not depend on hashing).
        let alphabet = scalarCounts.filter { $0.value >= options.minCharacterFrequency }.keys.sorted().compactMap(Unicode.Scalar.init)
        let base = try BPEVocabulary(alphabet: alphabet, merges: [])
        guard options.vocabularySize >= base.count else {
            throw BPEError.vocabularyTooSmall(requested: options.vocabularySize, minimum: base.count)
        }

        // 3. Words as symbol sequences, in a fixed order.
        let types = typeCounts.keys.sorted()
        var words: [[Int32]] = types.map { key in
            let endsWord = key.unicodeScalars.last == "\u{1}"
            let scalars = Array(key.unicodeScalars.dropLast())
            return base.initialSymbols(scalars[...], endsWord: endsWord).ids
        }
        let freq = types.map { typeCounts[$0]! }

        // 4. Pair statistics and the merge loop.
        var stats = PairStatistics()
        for (w, symbols) in words.enumerated() { stats.add(symbols, count: freq[w], word: w) }
        var merges: [(left: Int32, right: Int32)] = []
        var nextID = base.firstMerge
        let wanted = options.vocabularySize - base.count
        while merges.count < wanted {
            guard let (pair, count) = stats.popBest(), count >= options.minPairFrequency else { break }
            let (a, b) = (Int32(truncatingIfNeeded: pair >> 32), Int32(truncatingIfNeeded: pair & 0xFFFF_FFFF))
            for w in stats.words(containing: pair) {
                let old = words[w]
                guard old.count > 1 else { continue }
                var new: [Int32] = []
                new.reserveCapacity(old.count)
                var j = 0
                var changed = false
                while j < old.count {
                    if j + 1 < old.count, old[j] == a, old[j + 1] == b { new.append(nextID); j += 2; changed = true } else { new.append(old[j]); j += 1 }
                }
                guard changed else { continue }
                stats.remove(old, count: freq[w])
                stats.add(new, count: freq[w], word: w)
                words[w] = new
            }
            stats.forget(pair)
            merges.append((a, b))
            nextID += 1
        }
        if merges.count < wanted && !options.allowSmallerVocabulary {
            throw BPEError.vocabularyTooLarge(requested: options.vocabularySize, reachable: base.count + merges.count)
        }
        return BPETokenizer(vocabulary: try BPEVocabulary(alphabet: alphabet, merges: merges), lowercase: options.lowercase)
    }
}

/// Counts of adjacent symbol pairs over weighted words, with a max-heap for the most frequent pair
/// (stale heap entries are skipped when popped) and, per pair, the words that may contain it.
struct PairStatistics {
    private var counts: [UInt64: Int] = [:]
    private var where_: [UInt64: [Int]] = [:]
    private var heap: [(count: Int, pair: UInt64)] = []

    private static func better(_ x: (count: Int, pair: UInt64), _ y: (count: Int, pair: UInt64)) -> Bool {
        x.count != y.count ? x.count > y.count : x.pair < y.pair
    }

    mutating func add(_ symbols: [Int32], count: Int, word: Int) {
        guard symbols.count > 1 else { return }
        for j in 0..<(symbols.count - 1) {
            let k = BPEVocabulary.key(symbols[j], symbols[j + 1])
            let c = counts[k, default: 0] + count
            counts[k] = c
            where_[k, default: []].append(word)
            push((c, k))
        }
    }

    mutating func remove(_ symbols: [Int32], count: Int) {
        guard symbols.count > 1 else { return }
        for j in 0..<(symbols.count - 1) {
            let k = BPEVocabulary.key(symbols[j], symbols[j + 1])
            let c = counts[k, default: 0] - count
            counts[k] = c
            if c > 0 { push((c, k)) }
        }
    }

    /// Distinct words that were ever recorded with `pair`, ascending.
    func words(containing pair: UInt64) -> [Int] {
        Array(Set(where_[pair] ?? [])).sorted()
    }

    mutating func forget(_ pair: UInt64) {
        counts[pair] = 0
        where_[pair] = nil
    }

    /// The most frequent pair with its current count (removed from the heap), or nil when none is left.
    mutating func popBest() -> (UInt64, Int)? {
        while let top = popHeap() {
            if let c = counts[top.pair], c == top.count, c > 0 { return (top.pair, c) }
        }
        return nil
    }

    private mutating func push(_ e: (count: Int, pair: UInt64)) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if Self.better(heap[i], heap[p]) { heap.swapAt(i, p); i = p } else { break }
        }
    }

    private mutating func popHeap() -> (count: Int, pair: UInt64)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Self.better(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.better(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m); i = m
            }
        }
        return top
    }
}
