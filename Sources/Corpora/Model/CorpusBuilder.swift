/// What a reader knows about one word before the corpus is assembled.
public struct WordSpec: Sendable, Equatable {
    /// The word as displayed, with punctuation. Internal white space is kept as one space.
    public var form: String
    /// The corpus's identifier for the word; defaults to the position.
    public var sourceID: String?
    /// Position in the text as the corpus numbers it; defaults to order (1, 2, …).
    public var position: Int?
    /// Any value that is equal for the words of one sentence and changes between sentences;
    /// nil for every word of a text means "infer sentences from final punctuation".
    public var sentenceKey: Int?
    /// Screen (page) number, if known.
    public var screen: Int?
    /// Line number (within the screen, or within the text), if known.
    public var line: Int?

    public init(form: String, sourceID: String? = nil, position: Int? = nil, sentenceKey: Int? = nil, screen: Int? = nil, line: Int? = nil) {
        self.form = form
        self.sourceID = sourceID
        self.position = position
        self.sentenceKey = sentenceKey
        self.screen = screen
        self.line = line
    }
}

/// Assembles a `Corpus`: numbers sentences, lines and screens, sets the edge flags and
/// reconstructs each text's string with every word's character offsets.
public struct CorpusBuilder: Sendable {
    private var texts: [(id: String, words: [WordSpec])] = []

    public init() {}

    /// Adds a text with its words in reading order.
    public mutating func addText(id: String, words: [WordSpec]) { texts.append((id, words)) }

    /// The assembled corpus.
    public func build(name: String) -> Corpus {
        var outTexts: [CorpusText] = []
        var outWords: [CorpusWord] = []
        for (textIndex, t) in texts.enumerated() {
            let first = outWords.count
            let n = t.words.count
            let sentenceNumbers = Self.sentenceNumbers(t.words)
            var content = ""
            var offset = 0
            var sentences: [Range<Int>] = []
            var sentenceStart = 0
            var lineStart = 0, screenStart = 0
            var positionInSentence = 0
            for (i, spec) in t.words.enumerated() {
                if i > 0 && sentenceNumbers[i] != sentenceNumbers[i - 1] {
                    sentences.append((first + sentenceStart)..<(first + i))
                    sentenceStart = i
                }
                if i > 0 && (spec.screen != t.words[i - 1].screen) { screenStart = i; lineStart = i }
                if i > 0 && (spec.line != t.words[i - 1].line) { lineStart = i }
                positionInSentence = i - sentenceStart + 1
                let length = spec.form.unicodeScalars.count
                if i > 0 { content += " "; offset += 1 }
                content += spec.form
                var b: WordBoundaries = []
                if i == 0 { b.insert(.firstInText) }
                if i == n - 1 { b.insert(.lastInText) }
                if i == sentenceStart { b.insert(.firstInSentence) }
                if i == n - 1 || sentenceNumbers[i + 1] != sentenceNumbers[i] { b.insert(.lastInSentence) }
                if spec.line != nil {
                    if i == lineStart { b.insert(.firstInLine) }
                    if i == n - 1 || t.words[i + 1].line != spec.line || t.words[i + 1].screen != spec.screen { b.insert(.lastInLine) }
                }
                if spec.screen != nil {
                    if i == screenStart { b.insert(.firstOnScreen) }
                    if i == n - 1 || t.words[i + 1].screen != spec.screen { b.insert(.lastOnScreen) }
                }
                let position = spec.position ?? (i + 1)
                outWords.append(CorpusWord(
                    id: first + i, text: textIndex, form: spec.form, sourceID: spec.sourceID ?? String(position),
                    positionInText: position, sentence: sentenceNumbers[i], positionInSentence: positionInSentence,
                    line: spec.line, positionInLine: spec.line == nil ? nil : i - lineStart + 1,
                    screen: spec.screen, positionOnScreen: spec.screen == nil ? nil : i - screenStart + 1,
                    characterRange: offset..<(offset + length), boundaries: b))
                offset += length
            }
            if n > 0 { sentences.append((first + sentenceStart)..<(first + n)) }
            outTexts.append(CorpusText(id: t.id, wordIDs: first..<(first + n), sentences: sentences, content: content))
        }
        return Corpus(name: name, texts: outTexts, words: outWords)
    }

    /// 1-based sentence numbers: from the sentence keys where given, else from final punctuation.
    static func sentenceNumbers(_ words: [WordSpec]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(words.count)
        var current = 1
        let useKeys = words.contains { $0.sentenceKey != nil }
        for (i, w) in words.enumerated() {
            if i > 0 {
                if useKeys {
                    if w.sentenceKey != words[i - 1].sentenceKey { current += 1 }
                } else if SentenceBoundaries.endsSentence(words[i - 1].form, next: words[i].form, afterNext: i + 1 < words.count ? words[i + 1].form : nil) {
                    current += 1
                }
            }
            out.append(current)
        }
        return out
    }
}
