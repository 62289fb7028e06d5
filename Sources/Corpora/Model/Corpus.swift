/// A reading-time corpus's text side: texts → sentences → words. Measurements refer to words by
/// `CorpusWord.id`. Build one with `CorpusBuilder`.
public struct Corpus: Sendable {
    /// A short name (the format, or what the caller chose).
    public let name: String
    /// The texts in reading order.
    public let texts: [CorpusText]
    /// All words of all texts in reading order; `words[i].id == i`.
    public let words: [CorpusWord]
    private let byPosition: [PositionKey: Int]
    private let byTextID: [String: Int]

    private struct PositionKey: Hashable, Sendable { let text: String; let position: Int }

    init(name: String, texts: [CorpusText], words: [CorpusWord]) {
        self.name = name
        self.texts = texts
        self.words = words
        var index: [PositionKey: Int] = [:]
        index.reserveCapacity(words.count)
        for w in words { index[PositionKey(text: texts[w.text].id, position: w.positionInText)] = w.id }
        byPosition = index
        byTextID = Dictionary(texts.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of the word at `position` (as the corpus numbers it) in the text named `text`.
    public func wordID(text: String, position: Int) -> Int? { byPosition[PositionKey(text: text, position: position)] }

    /// The index in `texts` of the text named `id`.
    public func textIndex(_ id: String) -> Int? { byTextID[id] }

    /// The words of one sentence of a text.
    public func words(text: Int, sentence: Int) -> ArraySlice<CorpusWord> { words[texts[text].sentences[sentence - 1]] }

    /// Whether any word records a line (eye-tracking layouts do; SPR corpora usually not).
    public var hasLines: Bool { words.contains { $0.line != nil } }
    /// Whether any word records a screen.
    public var hasScreens: Bool { words.contains { $0.screen != nil } }
    /// Number of sentences over all texts.
    public var sentenceCount: Int { texts.reduce(0) { $0 + $1.sentences.count } }
}
