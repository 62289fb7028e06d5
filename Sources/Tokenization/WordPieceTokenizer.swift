import Foundation

/// BERT's WordPiece tokenizer, identical in output to the model's own `tokenizer.json`
/// (Hugging Face `tokenizers`): normalise (`BertNormalizer`), split into words at whitespace
/// and around each punctuation character, cut each word into the longest vocabulary pieces
/// from the left (`##` marks pieces inside a word), then add `[CLS]` … `[SEP]` and truncate.
///
/// A word longer than `maxInputCharsPerWord` scalars, or one that cannot be cut into vocabulary
/// pieces, becomes a single `[UNK]`. Texts with more than `maxLength − 2` pieces keep the first
/// `maxLength − 2` (`WordPieceEncoding.isTruncated` tells). The empty text gives `[CLS] [SEP]`.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: WordPieceVocabulary
    public let settings: TokenizerSettings
    public let normalizer: BertNormalizer
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    /// Longest vocabulary entry in scalars (longer candidate pieces are never looked up).
    private let longestToken: Int

    /// A tokenizer over `vocabulary` with `settings`. Throws if a special token is missing.
    public init(vocabulary: WordPieceVocabulary, settings: TokenizerSettings = TokenizerSettings()) throws {
        func need(_ t: String) throws -> Int32 {
            guard let id = vocabulary.id(of: t) else {
                throw TokenizationError.invalidVocabulary(path: "(vocabulary)", reason: "special token \(t) is missing")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.settings = settings
        self.normalizer = BertNormalizer(cleanText: settings.cleanText, handleChineseChars: settings.handleChineseChars,
                                         stripAccents: settings.stripAccents ?? settings.lowercase, lowercase: settings.lowercase)
        unknownID = try need(settings.unknownToken)
        classifierID = try need(settings.classifierToken)
        separatorID = try need(settings.separatorToken)
        longestToken = vocabulary.tokens.reduce(0) { max($0, $1.unicodeScalars.count) }
    }

    /// Loads `vocab.txt` and the settings (`TokenizerSettings.load`) from a model folder.
    public init(directory: URL) throws {
        let vocabURL = directory.appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocabURL.path) else {
            throw TokenizationError.unreadableFile(path: vocabURL.path, reason: "the vocabulary file is missing")
        }
        do {
            try self.init(vocabulary: WordPieceVocabulary(contentsOf: vocabURL), settings: TokenizerSettings.load(from: directory))
        } catch TokenizationError.invalidVocabulary(_, let reason) {
            throw TokenizationError.invalidVocabulary(path: vocabURL.path, reason: reason)
        }
    }

    /// Tokenises `text`, truncating to `maxLength` tokens (default: the settings' maximum).
    public func encode(_ text: String, maxLength: Int? = nil) -> WordPieceEncoding {
        let limit = max(2, maxLength ?? settings.maxLength)
        let norm = normalizer.normalize(text)
        var ids: [Int32] = [classifierID]
        var tokens: [String] = [settings.classifierToken]
        var offsets: [Range<Int>] = [0..<0]
        var words: [Int?] = [nil]
        var pieceCount = 0
        var wordIndex = 0
        forEachWord(norm.scalars) { range in
            let pieces = wordPieces(norm.scalars, range)
            for p in pieces {
                pieceCount += 1
                guard ids.count < limit - 1 else { continue }
                ids.append(p.id)
                tokens.append(p.token)
                offsets.append(norm.origin[p.range.lowerBound]..<(norm.origin[p.range.upperBound - 1] + 1))
                words.append(wordIndex)
            }
            wordIndex += 1
        }
        ids.append(separatorID)
        tokens.append(settings.separatorToken)
        offsets.append(0..<0)
        words.append(nil)
        return WordPieceEncoding(ids: ids, tokens: tokens, offsets: offsets, wordIndices: words, untruncatedPieceCount: pieceCount)
    }

    /// The word-piece ids of `text` alone: no `[CLS]`/`[SEP]`, no truncation. Because words never
    /// span whitespace, the pieces of "a b" are the pieces of "a" followed by those of "b" —
    /// which lets prefix embeddings tokenise each word once.
    public func wordPieceIDs(_ text: String) -> [Int32] {
        let norm = normalizer.normalize(text)
        var ids: [Int32] = []
        forEachWord(norm.scalars) { range in
            for p in wordPieces(norm.scalars, range) { ids.append(p.id) }
        }
        return ids
    }

    /// The pre-tokenizer: calls `body` with the range of each word of the normalised text —
    /// maximal runs of non-whitespace, non-punctuation scalars, and each punctuation scalar alone.
    private func forEachWord(_ s: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        var start = -1
        for (i, c) in s.enumerated() {
            if BertCharacterClasses.isWhitespace(c) {
                if start >= 0 { body(start..<i); start = -1 }
            } else if BertCharacterClasses.isPunctuation(c) {
                if start >= 0 { body(start..<i); start = -1 }
                body(i..<(i + 1))
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { body(start..<s.count) }
    }

    /// Greedy longest-match-first WordPiece of one word (`range` of normalised scalars).
    private func wordPieces(_ s: [Unicode.Scalar], _ range: Range<Int>) -> [(id: Int32, token: String, range: Range<Int>)] {
        if range.count > settings.maxInputCharsPerWord {
            return [(unknownID, settings.unknownToken, range)]
        }
        var pieces: [(id: Int32, token: String, range: Range<Int>)] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = min(range.upperBound, start + longestToken)
            var found: (Int32, String)?
            while end > start {
                var candidate = String.UnicodeScalarView()
                if start > range.lowerBound { candidate.append(contentsOf: settings.continuingSubwordPrefix.unicodeScalars) }
                candidate.append(contentsOf: s[start..<end])
                let str = String(candidate)
                if let id = vocabulary.id(of: str) { found = (id, str); break }
                end -= 1
            }
            guard let (id, token) = found else { return [(unknownID, settings.unknownToken, range)] }
            pieces.append((id, token, start..<end))
            start = end
        }
        return pieces
    }
}
