import Foundation
import Tokenization

/// The surprisal of one word and of the tokens it was cut into.
public struct WordSurprisal: Codable, Equatable, Sendable {
    /// The word as given (punctuation attached).
    public var word: String
    /// −log₂ p(word | context) = Σ over its tokens of −log₂ p(token | context). Exact, because the
    /// last token of every word carries the word-end mark (METHODS §3). NaN for a word that has
    /// no tokens (empty or whitespace only).
    public var surprisal: Double
    /// Its tokens (readable form, `the</w>`) and their surprisals in bits.
    public var tokens: [String]
    public var tokenSurprisals: [Double]
    /// Per token, the range of Unicode scalars it covers: in the scored text when one was given,
    /// otherwise in the sentence's words joined by single spaces.
    public var tokenOffsets: [Range<Int>]
    /// The word's range of scalars in the scored text (nil when no text was given or the word
    /// could not be found there).
    public var offset: Range<Int>?
}

/// Scores words with a trained model: surprisal in bits per word and per token.
///
/// Sentences are given as word lists (as a reading-time corpus has them). In `.sentence` context
/// each sentence is read on its own after `<s>`; in `.document` context the sentences are read
/// in order as one text, so the preceding sentences are context too. Fused models need the
/// `SentenceEmbedder` they were trained with; the embeddings are recomputed for the scored words
/// with the model's `EmbeddingSource`.
public struct SurprisalScorer {
    public let model: LanguageModel
    public var embedder: SentenceEmbedder?
    public var context: LMContext
    public var batchSize: Int

    public init(model: LanguageModel, embedder: SentenceEmbedder? = nil, context: LMContext = .sentence, batchSize: Int = 32) {
        self.model = model; self.embedder = embedder; self.context = context; self.batchSize = batchSize
    }

    /// Surprisals of every word of every sentence.
    public func score(sentences: [[String]]) throws -> [[WordSurprisal]] {
        let tokenizer = model.tokenizer
        let encodings = sentences.map { tokenizer.encode(words: $0) }
        let lmSentences = zip(sentences, encodings).map { words, enc in
            LMSentence(tokens: enc.ids, wordOfToken: enc.wordIndices.map { Int32($0) }, words: words)
        }
        var ds = LMDataset(sentences: lmSentences)
        if model.config.fusion.usesEmbeddings {
            guard let fusion = model.fusion else {
                throw LMError.embeddingMismatch("the model file does not say how its sentence embeddings were made")
            }
            guard let embedder else {
                throw LMError.embeddingMismatch("the model fuses sentence embeddings from \(fusion.embedder); give that encoder to score")
            }
            guard embedder.identifier == fusion.embedder else {
                throw LMError.embeddingMismatch("the model was trained with embeddings from \(fusion.embedder), not \(embedder.identifier)")
            }
            ds.embeddings = try FusionEmbeddings.build(sentences: lmSentences, previousTexts: ds.previousTexts, source: fusion.source, embedder: embedder)
        }
        let logProbs = try model.logProbabilities(ds, context: context, batchSize: batchSize)
        return sentences.indices.map { s in
            let enc = encodings[s]
            let ranges = enc.tokenRangesByWord
            return sentences[s].indices.map { w in
                let r = ranges[w]
                let bits = r.map { -logProbs[s][$0] / M_LN2 }
                return WordSurprisal(word: sentences[s][w], surprisal: r.isEmpty ? .nan : bits.reduce(0, +),
                                     tokens: tokenizer.tokens(Array(enc.ids[r])), tokenSurprisals: bits,
                                     tokenOffsets: Array(enc.offsets[r]), offset: nil)
            }
        }
    }

    /// Surprisals of the words of `sentences`, located in `text` by their characters: each word
    /// is searched from where the previous one ended (skipping whitespace), and offsets refer to
    /// `text`'s Unicode scalars. Words not found in the text keep `offset == nil` and are listed
    /// in `unaligned` as (sentence, word) — they are still scored, never dropped.
    public func score(text: String, sentences: [[String]]) throws -> (words: [[WordSurprisal]], unaligned: [(sentence: Int, word: Int)]) {
        var scored = try score(sentences: sentences)
        let located = Self.locate(words: sentences.flatMap { $0 }, in: text)
        var unaligned: [(Int, Int)] = []
        var flat = 0
        for s in scored.indices {
            var base = 0
            for w in scored[s].indices {
                let wordLength = sentences[s][w].unicodeScalars.count
                if let range = located[flat] {
                    scored[s][w].offset = range
                    scored[s][w].tokenOffsets = scored[s][w].tokenOffsets.map {
                        (range.lowerBound + $0.lowerBound - base)..<(range.lowerBound + $0.upperBound - base)
                    }
                } else {
                    unaligned.append((s, w))
                }
                base += wordLength + 1
                flat += 1
            }
        }
        return (scored, unaligned)
    }

    /// Finds each word in order in `text` (scalar ranges), allowing any whitespace and up to
    /// `slack` other scalars (e.g. stray markup) before it; nil where a word is not found.
    public static func locate(words: [String], in text: String, slack: Int = 200) -> [Range<Int>?] {
        let t = Array(text.unicodeScalars)
        var cursor = 0
        return words.map { word in
            let w = Array(word.unicodeScalars)
            guard !w.isEmpty else { return nil }
            var start = cursor
            while start < t.count, t[start].properties.isWhitespace { start += 1 }
            let limit = min(t.count - w.count, start + slack)
            guard limit >= start else { return nil }
            for p in start...limit where t[p] == w[0] && Array(t[p..<(p + w.count)]) == w {
                cursor = p + w.count
                return p..<(p + w.count)
            }
            return nil
        }
    }
}
