import Encoders
import Foundation
import LanguageModels

/// all-MiniLM-L6-v2 (module `Encoders`) as the `SentenceEmbedder` of fused language models.
public struct MiniLMEmbedder: SentenceEmbedder {
    public let encoder: SentenceEncoder
    public let pooling: Pooling
    /// Embeddings kept across models, stages and runs (one record per distinct text), or nil.
    public let cache: EmbeddingCache?

    /// `cacheDirectory`: where the persistent `EmbeddingCache` lives (nil: no cache).
    public init(encoder: SentenceEncoder, pooling: Pooling? = nil, cacheDirectory: URL? = nil) throws {
        self.encoder = encoder
        let pooling = pooling ?? encoder.defaultPooling
        self.pooling = pooling
        cache = try cacheDirectory.map { try EmbeddingCache(directory: $0, encoder: encoder, pooling: pooling) }
    }

    public var dimension: Int { encoder.dimension }
    /// Changes whenever the embeddings would: the model folder's name and the pooling.
    public var identifier: String { "\(encoder.directory.lastPathComponent):\(pooling.rawValue)" }
    /// Texts already in the cache come from it (the encoder's output does not depend on which
    /// texts share a batch, so cached and fresh vectors are the same bits).
    public func embed(_ texts: [String]) throws -> [[Float]] { try encoder.embed(texts, pooling: pooling, cache: cache).vectors }
}
