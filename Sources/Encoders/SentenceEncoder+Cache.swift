import Foundation

extension EmbeddingCache {
    /// Opens the cache in `directory` for `encoder`'s weights (fingerprinted by `ModelFingerprint`),
    /// `pooling` and maximum length.
    public convenience init(directory: URL, encoder: SentenceEncoder, pooling: Pooling) throws {
        let fingerprint = try ModelFingerprint.of(encoder.model.weightsFile.url)
        try self.init(directory: directory, modelFingerprint: fingerprint, pooling: pooling,
                      maxLength: encoder.maxLength, dimension: encoder.dimension)
    }
}

extension SentenceEncoder {
    /// Embeds texts, taking those already in `cache` from it and adding the others to it.
    /// Returns the vectors (input order) and how many came from the cache.
    public func embed(_ texts: [String], pooling: Pooling? = nil, cache: EmbeddingCache?) throws -> (vectors: [[Float]], cacheHits: Int) {
        let pooling = pooling ?? defaultPooling
        guard let cache else { return (try embed(texts, pooling: pooling), 0) }
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        var missing: [Int] = []
        var firstIndex: [String: Int] = [:]
        for (i, t) in texts.enumerated() {
            if let v = cache.lookup(t) { vectors[i] = v } else if firstIndex[t] == nil { firstIndex[t] = i; missing.append(i) }
        }
        let hits = vectors.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        if !missing.isEmpty {
            let fresh = try embed(tokenIDs: missing.map { tokenize(texts[$0]).ids }, pooling: pooling)
            try cache.store(zip(missing, fresh).map { (texts[$0.0], .keepStart, $0.1) })
            var byText: [String: [Float]] = [:]
            for (i, v) in zip(missing, fresh) { byText[texts[i]] = v }
            for i in vectors.indices where vectors[i] == nil { vectors[i] = byText[texts[i]] }
        }
        return (vectors.map { $0! }, hits)
    }
}
