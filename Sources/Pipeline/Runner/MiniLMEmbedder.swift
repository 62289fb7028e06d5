import Encoders
import Foundation
import LanguageModels

/// all-MiniLM-L6-v2 (module `Encoders`) as the `SentenceEmbedder` of fused language models.
public struct MiniLMEmbedder: SentenceEmbedder {
    public let encoder: SentenceEncoder
    public let pooling: Pooling

    public init(encoder: SentenceEncoder, pooling: Pooling? = nil) {
        self.encoder = encoder
        self.pooling = pooling ?? encoder.defaultPooling
    }

    public var dimension: Int { encoder.dimension }
    /// Changes whenever the embeddings would: the model folder's name and the pooling.
    public var identifier: String { "\(encoder.directory.lastPathComponent):\(pooling.rawValue)" }
    public func embed(_ texts: [String]) throws -> [[Float]] { try encoder.embed(texts, pooling: pooling) }
}
