import Foundation
import Tokenization

/// A sentence as the language model sees it: BPE tokens and, per token, the word it belongs to.
///
/// Words are the sentence's whitespace-delimited chunks (punctuation attached, as reading-time
/// corpora have them). The model reads `<s>` and the tokens and predicts each token and then
/// `</s>`. For fusion, the token(s) of word k are predicted with the embedding of the text before
/// word k (position k), and `</s>` with position `wordCount` (the whole sentence).
public struct LMSentence: Sendable, Equatable {
    public var tokens: [Int32]
    /// Per token, its word (0 ..< wordCount).
    public var wordOfToken: [Int32]
    /// The words (chunks) of the sentence.
    public var words: [String]
    public var wordCount: Int { words.count }

    public init(tokens: [Int32], wordOfToken: [Int32], words: [String]) {
        self.tokens = tokens
        self.wordOfToken = wordOfToken
        self.words = words
    }

    /// Tokenises a list of words (each becomes one or more tokens ending in a word-end token).
    public init(words: [String], tokenizer: BPETokenizer, cache: inout [String: [Int32]]) {
        var tokens: [Int32] = []
        var wordOf: [Int32] = []
        var kept: [String] = []
        for w in words {
            let enc = tokenizer.encode(w, cache: &cache)
            guard !enc.ids.isEmpty else { continue }
            tokens += enc.ids
            wordOf += [Int32](repeating: Int32(kept.count), count: enc.ids.count)
            kept.append(w)
        }
        self.init(tokens: tokens, wordOfToken: wordOf, words: kept)
    }

    /// Number of predictions the model makes on this sentence (tokens and `</s>`).
    public var predictionCount: Int { tokens.count + 1 }
}

/// Tokenised sentences of one split, with the sentence embeddings fusion needs (if any).
public struct LMDataset: Sendable {
    public var sentences: [LMSentence]
    /// Per sentence, the text of the sentence before it in the same document of the source text
    /// ("" for a document's first sentence) — for the previous-sentence embedding source. It is
    /// taken from the whole text, whichever split that sentence is in (it is context, not a target).
    public var previousTexts: [String]
    /// Sentence embeddings per word position, one block per sentence (nil without fusion).
    public var embeddings: FusionEmbeddings?

    /// Sentences in order; by default each sentence's previous text is the sentence before it in the list.
    public init(sentences: [LMSentence], previousTexts: [String]? = nil, embeddings: FusionEmbeddings? = nil) {
        self.sentences = sentences
        self.previousTexts = previousTexts ?? sentences.indices.map { $0 == 0 ? "" : sentences[$0 - 1].words.joined(separator: " ") }
        self.embeddings = embeddings
    }

    /// Tokenises the given sentences of a text (in the given order).
    public init(text: TrainingText, indices: [Int], tokenizer: BPETokenizer) {
        var cache: [String: [Int32]] = [:]
        var sentences: [LMSentence] = []
        var previous: [String] = []
        for i in indices {
            let s = text.sentences[i]
            let words = s.text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            sentences.append(LMSentence(words: words, tokenizer: tokenizer, cache: &cache))
            previous.append(i > 0 && text.sentences[i - 1].document == s.document ? text.sentences[i - 1].text : "")
        }
        self.init(sentences: sentences, previousTexts: previous)
    }

    /// Total predictions (tokens + one `</s>` per sentence).
    public var predictionCount: Int { sentences.reduce(0) { $0 + $1.predictionCount } }
    /// Total words.
    public var wordCount: Int { sentences.reduce(0) { $0 + $1.wordCount } }

    /// A 64-bit FNV-1a hash of the token ids (hex), recorded in checkpoints so a run resumes on the same data.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { h = (h ^ ((v >> UInt64(s)) & 0xFF)) &* 0x100_0000_01b3 } }
        for s in sentences {
            mix(UInt64(s.tokens.count))
            for t in s.tokens { mix(UInt64(UInt32(bitPattern: t))) }
            for w in s.wordOfToken { mix(UInt64(UInt32(bitPattern: w))) }
        }
        return String(format: "%016llx", h)
    }
}
