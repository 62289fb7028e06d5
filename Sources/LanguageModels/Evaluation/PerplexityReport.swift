import Foundation

/// Perplexity with explicit bases (METHODS §1 warns that the paper's code reported
/// 2^(mean cross-entropy in nats), which is not a perplexity in any base).
///
/// With N predictions (every BPE token and one `</s>` per sentence), W words, S sentences and
/// total negative log-likelihood NLL = −Σ ln p (natural log, nats):
/// - per-token perplexity = exp(NLL / N) = 2^(NLL / ln 2 / N) — the same number in any base;
/// - per-word perplexity = exp(NLL / (W + S)): `</s>` counts as a word (Mikolov et al. 2010's
///   convention), and because the tokenizer marks word ends, the product of a word's token
///   probabilities is that word's probability, so this is an exact word-level perplexity;
/// - bits per token = NLL / ln 2 / N, bits per word = NLL / ln 2 / (W + S).
public struct PerplexityReport: Codable, Equatable, Sendable {
    public var sentences: Int
    public var words: Int
    /// Predictions (tokens + `</s>`).
    public var predictions: Int
    /// Total negative log-likelihood in nats.
    public var nats: Double

    public init(sentences: Int, words: Int, predictions: Int, nats: Double) {
        self.sentences = sentences; self.words = words; self.predictions = predictions; self.nats = nats
    }

    /// Mean cross-entropy per prediction, in nats.
    public var natsPerToken: Double { nats / Double(max(1, predictions)) }
    /// exp(NLL / N).
    public var tokenPerplexity: Double { exp(natsPerToken) }
    /// NLL / ln 2 / N.
    public var bitsPerToken: Double { natsPerToken / M_LN2 }
    /// exp(NLL / (W + S)).
    public var wordPerplexity: Double { exp(nats / Double(max(1, words + sentences))) }
    /// NLL / ln 2 / (W + S).
    public var bitsPerWord: Double { nats / M_LN2 / Double(max(1, words + sentences)) }
    /// 2^(NLL / N) — the formula of the paper's code, for comparison with its numbers only.
    public var paperStylePerplexity: Double { pow(2, natsPerToken) }

    /// Merges reports of disjoint parts.
    public static func + (a: PerplexityReport, b: PerplexityReport) -> PerplexityReport {
        PerplexityReport(sentences: a.sentences + b.sentences, words: a.words + b.words,
                         predictions: a.predictions + b.predictions, nats: a.nats + b.nats)
    }
}
