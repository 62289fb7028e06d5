import Foundation
import Tokenization

/// How prefix embeddings are computed — the exact one per word, or cheaper approximations.
public enum PrefixStrategy: Sendable, Equatable, CustomStringConvertible {
    /// Word i (1-based) gets e(w₁…w_{i−1}), computed for every word.
    case full
    /// Recompute every k words and reuse in between: word i gets e(w₁…w_{j−1}) with
    /// j = 1 + k·⌊(i−1)/k⌋, the latest recomputed prefix — never one that includes word i or later.
    /// `stride(1)` is `full`.
    case stride(Int)
    /// Every word of text t gets the embedding of the whole previous text t−1 (texts being the
    /// consecutive sentences of a document); the first text gets e(""), the empty-text embedding.
    case previousSentence
    /// The zero vector for every word (a control condition).
    case none

    /// Parses "full", "stride-K" (or "stride:K", "strideK"), "previous-sentence", "none".
    public init?(name: String) {
        let n = name.lowercased()
        switch n {
        case "full": self = .full
        case "previous-sentence", "previous", "prev": self = .previousSentence
        case "none", "zero": self = .none
        default:
            guard n.hasPrefix("stride"), let k = Int(n.dropFirst(6).drop(while: { $0 == "-" || $0 == ":" || $0 == "=" })), k >= 1 else { return nil }
            self = .stride(k)
        }
    }

    /// The prefix that word `i` (0-based) of text `t` gets: the first `words` words of text `text`
    /// (nil for `.none`). `previousLength` is the number of words of text t − 1.
    public func source(text t: Int, word i: Int, previousLength: Int) -> (text: Int, words: Int)? {
        switch self {
        case .full: return (t, i)
        case .stride(let k): return (t, k * (i / k))
        case .previousSentence: return t == 0 ? (0, 0) : (t - 1, previousLength)
        case .none: return nil
        }
    }

    public var description: String {
        switch self {
        case .full: return "full"
        case .stride(let k): return "stride-\(k)"
        case .previousSentence: return "previous-sentence"
        case .none: return "none"
        }
    }
}

/// Prefix embeddings of texts given as words: the vector of everything a reader has seen before
/// each word, as used by fusion language models.
///
/// The prefix text of word i is w₁ … w_{i−1} joined by single spaces (BERT tokenisation ignores
/// how much whitespace separates words, so this equals the original text up to word i when words
/// are whitespace-separated). The empty prefix of the first word is the empty text, i.e. the
/// sequence `[CLS] [SEP]`. A prefix longer than the model's maximum keeps its **last**
/// `maxLength − 2` word pieces — the most recent context — unlike plain texts, which keep their
/// first pieces. Each word is tokenised once; identical prefixes (e.g. every text's empty
/// prefix) are computed once; all prefixes are embedded together, batched by length.
public struct PrefixEmbedder: Sendable {
    public let encoder: SentenceEncoder
    public let pooling: Pooling
    /// Optional persistent cache: prefixes seen before are not recomputed.
    public let cache: EmbeddingCache?

    /// What one call did.
    public struct Stats: Sendable, Equatable {
        /// Distinct prefixes the strategy needed.
        public var distinctPrefixes = 0
        /// Of those, found in the cache.
        public var cacheHits = 0
        /// Of those, run through the model.
        public var computed = 0
        /// Tokens of the sequences run through the model.
        public var computedTokens = 0
    }

    public init(encoder: SentenceEncoder, pooling: Pooling? = nil, cache: EmbeddingCache? = nil) {
        self.encoder = encoder
        self.pooling = pooling ?? encoder.defaultPooling
        self.cache = cache
    }

    /// One vector per word of each text (`result[t][i]` for word i of text t).
    public func embeddings(texts: [[String]], strategy: PrefixStrategy) throws -> [[[Float]]] {
        try embeddingsWithStats(texts: texts, strategy: strategy).vectors
    }

    /// As `embeddings(texts:strategy:)`, with what it cost.
    public func embeddingsWithStats(texts: [[String]], strategy: PrefixStrategy) throws -> (vectors: [[[Float]]], stats: Stats) {
        let H = encoder.dimension
        if case .stride(let k) = strategy, k < 1 { throw EncoderError.invalidArgument("prefix stride must be at least 1, got \(k)") }
        if strategy == .none {
            return (texts.map { $0.map { _ in [Float](repeating: 0, count: H) } }, Stats())
        }
        let tok = encoder.tokenizer
        let pieces: [[[Int32]]] = texts.map { $0.map { tok.wordPieceIDs($0) } }

        // Distinct prefix texts, with their token ids.
        var slot: [String: Int] = [:]
        var requests: [(text: String, ids: [Int32], truncated: Bool)] = []
        var wordSlots: [[Int]] = []
        for (t, words) in texts.enumerated() {
            var row: [Int] = []
            for i in words.indices {
                let (st, n) = strategy.source(text: t, word: i, previousLength: t > 0 ? texts[t - 1].count : 0)!
                let text = texts[st].prefix(n).joined(separator: " ")
                if let s = slot[text] { row.append(s); continue }
                let (ids, truncated) = sequence(pieces[st].prefix(n))
                slot[text] = requests.count
                row.append(requests.count)
                requests.append((text, ids, truncated))
            }
            wordSlots.append(row)
        }

        // Cache look-ups, then one batched run for the rest.
        var stats = Stats(distinctPrefixes: requests.count)
        var vectors = [[Float]?](repeating: nil, count: requests.count)
        var missing: [Int] = []
        for (r, req) in requests.enumerated() {
            if let v = cache?.lookup(req.text, truncation: tag(req.truncated)) { vectors[r] = v; stats.cacheHits += 1 } else { missing.append(r) }
        }
        if !missing.isEmpty {
            let flat = try encoder.embedFlat(tokenIDs: missing.map { requests[$0].ids }, pooling: pooling)
            var fresh: [(text: String, truncation: EmbeddingCache.Truncation, vector: [Float])] = []
            for (m, r) in missing.enumerated() {
                let v = Array(flat[(m * H)..<((m + 1) * H)])
                vectors[r] = v
                fresh.append((requests[r].text, tag(requests[r].truncated), v))
                stats.computedTokens += requests[r].ids.count
            }
            stats.computed = missing.count
            try cache?.store(fresh)
        }
        return (wordSlots.map { $0.map { vectors[$0]! } }, stats)
    }

    private func tag(_ truncated: Bool) -> EmbeddingCache.Truncation { truncated ? .keepEnd : .keepStart }

    /// `[CLS]` + the last `maxLength − 2` pieces of the words + `[SEP]`.
    private func sequence(_ words: ArraySlice<[Int32]>) -> ([Int32], Bool) {
        let tok = encoder.tokenizer
        let all = words.flatMap { $0 }
        let keep = encoder.maxLength - 2
        return ([tok.classifierID] + all.suffix(keep) + [tok.separatorID], all.count > keep)
    }
}
