// The objects `rtpipe embed --json` prints.

/// Embeddings of whole texts, or of every word's prefix (`--prefixes`).
struct EmbedJSON<Item: Encodable>: Encodable {
    let model, pooling: String
    var strategy: String? = nil
    let dimension: Int
    let maxLength: Int
    let items: [Item]

    enum CodingKeys: String, CodingKey { case model, pooling, strategy, dimension, maxLength = "max_length", items }
}

/// One text's embedding.
struct TextEmbeddingJSON: Encodable {
    let text: String
    let tokens: Int
    let truncated: Bool
    let vector: [JSONNumber]
}

/// One text's per-word embeddings.
struct PrefixTextJSON: Encodable {
    /// The embedding word `index` gets, and the text it is the embedding of (null: the empty text).
    struct Prefix: Encodable {
        let word: String
        let index: Int
        let prefix: String?
        let vector: [JSONNumber]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(word, forKey: .word)
            try c.encode(index, forKey: .index)
            try c.encode(prefix, forKey: .prefix)   // null, not absent
            try c.encode(vector, forKey: .vector)
        }
        enum CodingKeys: String, CodingKey { case word, index, prefix, vector }
    }
    let text: String
    let prefixes: [Prefix]
}

/// The `--benchmark` summary (text or prefix mode: the other mode's fields are absent).
struct EmbedBenchmarkJSON: Encodable {
    let texts: Int
    var words: Int? = nil
    var strategy: String? = nil
    var distinctPrefixes: Int? = nil
    let cacheHits, computed, tokens: Int
    var seconds = JSONNumber(0), loadSeconds = JSONNumber(0)
    var threads = 0
    var textsPerSecond = JSONNumber(0), tokensPerSecond = JSONNumber(0)

    enum CodingKeys: String, CodingKey {
        case texts, words, strategy, distinctPrefixes = "distinct_prefixes", cacheHits = "cache_hits", computed, tokens, seconds
        case loadSeconds = "load_seconds", threads, textsPerSecond = "texts_per_second", tokensPerSecond = "tokens_per_second"
    }
}
