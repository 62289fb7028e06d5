/// The architecture of an LSTM language model: one-hot token → embedding (E) → LSTM layers
/// (H) → fusion → dense (D, linear) → output (V logits) → softmax. Like the authors' code, the
/// dense and output layers are both linear (no activation between them) and input and output
/// embeddings are not tied.
public struct LMConfig: Codable, Equatable, Sendable {
    /// V: number of BPE tokens (set from the tokenizer).
    public var vocabularySize: Int
    /// E: token embedding width.
    public var embeddingSize: Int
    /// H: LSTM hidden and cell width.
    public var hiddenSize: Int
    /// Number of stacked LSTM layers.
    public var layers: Int
    /// D: width of the dense layer between the LSTM (after fusion) and the output.
    public var denseSize: Int
    /// How the sentence embedding is fused (`FusionMode`).
    public var fusion: FusionMode
    /// M: sentence-embedding width (384 for all-MiniLM-L6-v2); 0 when `fusion == .none`.
    public var fusionWidth: Int

    public init(vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, layers: Int = 1, denseSize: Int,
                fusion: FusionMode = .none, fusionWidth: Int = 0) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.denseSize = denseSize
        self.fusion = fusion
        self.fusionWidth = fusion == .none ? 0 : fusionWidth
    }

    /// Named size presets: `small` (the default: E 128, H 256, D 128, fast on two cores) and
    /// `paper` (E 512, H 768, D 512 — Zouhar et al.'s sizes, ≈ 12.7 M parameters at V = 8192).
    public enum Preset: String, CaseIterable, Sendable {
        case small, paper
        public var sizes: (embedding: Int, hidden: Int, dense: Int) {
            switch self {
            case .small: return (128, 256, 128)
            case .paper: return (512, 768, 512)
            }
        }
    }

    /// A preset's sizes with the given vocabulary and fusion.
    public static func preset(_ p: Preset, vocabularySize: Int, fusion: FusionMode = .none, fusionWidth: Int = 0) -> LMConfig {
        let s = p.sizes
        return LMConfig(vocabularySize: vocabularySize, embeddingSize: s.embedding, hiddenSize: s.hidden, layers: 1,
                        denseSize: s.dense, fusion: fusion, fusionWidth: fusionWidth)
    }

    /// Width of the dense layer's input: H, or H + M for late concatenation.
    public var denseInputSize: Int { fusion == .lateConcat ? hiddenSize + fusionWidth : hiddenSize }
    /// Whether a learned projection maps e (M) to the LSTM width (H).
    public var hasProjection: Bool { fusion.needsProjection(embeddingWidth: fusionWidth, hidden: hiddenSize) }

    /// The largest vocabulary, width or embedding size accepted: far above any real model, and
    /// small enough that the parameter count (at most 8 layers) cannot overflow an `Int`.
    public static let maxSize = 1 << 20

    /// Checks that the sizes make a model; throws `LMError.invalidConfiguration` otherwise.
    public func validate() throws {
        func need(_ ok: Bool, _ why: String) throws { if !ok { throw LMError.invalidConfiguration(why) } }
        try need(vocabularySize >= 3, "vocabulary size \(vocabularySize) is below 3")
        try need(embeddingSize > 0 && hiddenSize > 0 && denseSize > 0, "embedding, hidden and dense sizes must be positive")
        try need(fusionWidth >= 0, "the sentence-embedding width must not be negative (got \(fusionWidth))")
        try need([vocabularySize, embeddingSize, hiddenSize, denseSize, fusionWidth].allSatisfy { $0 <= Self.maxSize },
                 "sizes above \(Self.maxSize) are not supported (V \(vocabularySize), E \(embeddingSize), H \(hiddenSize), D \(denseSize), M \(fusionWidth))")
        try need(layers >= 1 && layers <= 8, "layers must be between 1 and 8 (got \(layers))")
        try need(fusion == .none || fusionWidth > 0, "fusion \(fusion.rawValue) needs a sentence-embedding width (fusionWidth > 0)")
    }
}
