/// Which sentence embedding goes with which word position (METHODS §1 and the paper's controls).
/// Position k of a sentence w₁ … w_n is used to predict word k+1's tokens (k = 0 … n−1) and, at
/// k = n, the end of the sentence; `enc` is the sentence encoder.
///
/// | source | e at position k |
/// |---|---|
/// | `prefix` | enc(w₁ … w_k) — the paper's setting (k = 0: the empty text) |
/// | `stride(s)` | enc(w₁ … w_j) with j = s·⌊k/s⌋: re-encoded every s words (cheaper) |
/// | `previousSentence` | enc(the previous sentence of the document), constant; empty text for a first sentence |
/// | `zero` | the zero vector (control) |
/// | `shuffled` | the `prefix` embedding of another sentence of the same set (a fixed, seeded derangement) at position min(k, its length) (control) |
/// | `fullSentence` | enc(w₁ … w_n), constant: the paper's "cheat" control — it sees the future |
public enum EmbeddingSource: Equatable, Sendable, CustomStringConvertible, Codable {
    case prefix
    case stride(Int)
    case previousSentence
    case zero
    case shuffled
    case fullSentence

    /// The option spelling: `prefix`, `stride:K`, `previous`, `zero`, `shuffled`, `full`.
    public var description: String {
        switch self {
        case .prefix: return "prefix"
        case let .stride(k): return "stride:\(k)"
        case .previousSentence: return "previous"
        case .zero: return "zero"
        case .shuffled: return "shuffled"
        case .fullSentence: return "full"
        }
    }

    /// Parses the option spelling (see `description`).
    public init(parsing s: String) throws {
        switch s.lowercased() {
        case "prefix": self = .prefix
        case "previous", "previous_sentence", "previous-sentence": self = .previousSentence
        case "zero", "none": self = .zero
        case "shuffled", "shuffle", "random": self = .shuffled
        case "full", "full_sentence", "cheat": self = .fullSentence
        default:
            let parts = s.lowercased().split(separator: ":")
            if parts.count == 2, parts[0] == "stride", let k = Int(parts[1]), k >= 1 { self = .stride(k); return }
            throw LMError.invalidConfiguration("unknown embedding source '\(s)'; use prefix, stride:K, previous, zero, shuffled or full")
        }
    }

    public init(from decoder: Decoder) throws { self = try EmbeddingSource(parsing: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(description) }
}
