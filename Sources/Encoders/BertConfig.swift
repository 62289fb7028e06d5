import Foundation

/// The sizes of a BERT encoder, read from the checkpoint's `config.json`.
public struct BertConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float
    /// The feed-forward activation (`hidden_act`).
    public var activation: Activation

    /// Feed-forward activations rtpipe implements.
    public enum Activation: String, Sendable {
        /// x·Φ(x) with the exact normal CDF Φ(x) = (1 + erf(x/√2))/2 (BERT's "gelu").
        case gelu
        /// The tanh approximation x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) ("gelu_new", "gelu_pytorch_tanh").
        case geluTanh
        case relu
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, vocabularySize: Int,
                maxPositions: Int, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12, activation: Activation = .gelu) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.activation = activation
    }

    /// Reads `config.json`. Throws `EncoderError.missingFile` / `.invalidConfig`.
    public static func load(_ url: URL) throws -> BertConfig {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EncoderError.missingFile(path: url.path, hint: "run scripts/setup to fetch the encoder weights")
        }
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EncoderError.invalidConfig(path: url.path, reason: "not a JSON object")
        }
        func int(_ key: String, default d: Int? = nil) throws -> Int {
            if let v = (json[key] as? NSNumber)?.intValue { return v }
            if let d { return d }
            throw EncoderError.invalidConfig(path: url.path, reason: "missing \(key)")
        }
        if let type = json["model_type"] as? String, type != "bert" {
            throw EncoderError.invalidConfig(path: url.path, reason: "model_type \(type) is not a BERT encoder")
        }
        if let pos = json["position_embedding_type"] as? String, pos != "absolute" {
            throw EncoderError.invalidConfig(path: url.path, reason: "position_embedding_type \(pos) is not supported (only absolute)")
        }
        let act: Activation
        switch json["hidden_act"] as? String ?? "gelu" {
        case "gelu": act = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": act = .geluTanh
        case "relu": act = .relu
        case let other: throw EncoderError.invalidConfig(path: url.path, reason: "hidden_act \(other) is not supported")
        }
        let c = BertConfig(
            hiddenSize: try int("hidden_size"), layerCount: try int("num_hidden_layers"),
            headCount: try int("num_attention_heads"), intermediateSize: try int("intermediate_size"),
            vocabularySize: try int("vocab_size"), maxPositions: try int("max_position_embeddings"),
            typeVocabularySize: try int("type_vocab_size", default: 2),
            layerNormEpsilon: (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12, activation: act)
        guard c.hiddenSize > 0, c.layerCount > 0, c.headCount > 0, c.hiddenSize % c.headCount == 0,
              c.intermediateSize > 0, c.vocabularySize > 0, c.maxPositions > 2, c.typeVocabularySize > 0 else {
            throw EncoderError.invalidConfig(path: url.path, reason: "sizes are inconsistent (hidden \(c.hiddenSize), heads \(c.headCount), …)")
        }
        return c
    }
}
