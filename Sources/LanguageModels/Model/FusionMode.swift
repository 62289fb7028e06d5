/// How a sentence embedding e enters the LSTM language model (Zouhar, Mosbach & Klakow 2022,
/// METHODS §1). h is the top LSTM layer's output at the current position, e the embedding of
/// the text before the word being predicted (see `EmbeddingSource`).
///
/// | mode | definition |
/// |---|---|
/// | `none` | h → dense → output |
/// | `lateConcat` | [h ; e] → dense (input width H + M) → output |
/// | `lateAdd` | (h + e′) → dense → output |
/// | `lateMultiply` | (h ⊙ e′) → dense → output |
/// | `earlyH0` | every LSTM layer starts from (h₀, c₀) = (e′, 0) |
/// | `earlyC0` | every LSTM layer starts from (h₀, c₀) = (0, e′) |
/// | `earlyBoth` | h₀ = c₀ = e′ |
///
/// e′ = e when the embedding width M equals the LSTM width H (the paper's setting); otherwise
/// e′ = P·e + b_P with a learned projection P (H × M) — the natural extension for MiniLM's 384
/// dimensions. Concatenation needs no projection (the dense layer already mixes e in).
/// Early modes restart the LSTM from each word's own embedding, so each word position is its own
/// sequence and training costs grow with the square of sentence length.
public enum FusionMode: String, Codable, CaseIterable, Sendable {
    case none
    case lateConcat = "late_concat"
    case lateAdd = "late_add"
    case lateMultiply = "late_multiply"
    case earlyH0 = "early_h0"
    case earlyC0 = "early_c0"
    case earlyBoth = "early_both"

    /// Early modes set the LSTM's initial state from the embedding.
    public var isEarly: Bool { self == .earlyH0 || self == .earlyC0 || self == .earlyBoth }
    /// Late modes combine the embedding with the LSTM output.
    public var isLate: Bool { self == .lateConcat || self == .lateAdd || self == .lateMultiply }
    /// Whether the model reads sentence embeddings at all.
    public var usesEmbeddings: Bool { self != .none }
    /// Whether e is mapped to the LSTM width (when the widths differ) before use.
    func needsProjection(embeddingWidth m: Int, hidden h: Int) -> Bool {
        usesEmbeddings && self != .lateConcat && m != h
    }
}
