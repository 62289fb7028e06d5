/// Where a word stands at the edges of the units that contain it (text, sentence, line, screen).
/// Exclusion rules such as "first_or_last_in_line" read these flags.
public struct WordBoundaries: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let firstInText = WordBoundaries(rawValue: 1 << 0)
    public static let lastInText = WordBoundaries(rawValue: 1 << 1)
    public static let firstInSentence = WordBoundaries(rawValue: 1 << 2)
    public static let lastInSentence = WordBoundaries(rawValue: 1 << 3)
    public static let firstInLine = WordBoundaries(rawValue: 1 << 4)
    public static let lastInLine = WordBoundaries(rawValue: 1 << 5)
    public static let firstOnScreen = WordBoundaries(rawValue: 1 << 6)
    public static let lastOnScreen = WordBoundaries(rawValue: 1 << 7)
}

/// One word of a corpus as the readers saw it.
///
/// Positions are 1-based. `form` is the word as displayed, with its attached punctuation
/// ("owners.", "'Ah"). `characterRange` locates the word in its text's reconstructed string
/// (`CorpusText.content`, the words joined by single spaces), counted in Unicode scalars — the
/// same units as Python string indices, so token offsets from most tokenizers line up.
public struct CorpusWord: Sendable, Hashable {
    /// Index of this word in `Corpus.words` (0-based, reading order over all texts).
    public let id: Int
    /// Index of the word's text in `Corpus.texts`.
    public let text: Int
    /// The word as displayed, with punctuation.
    public let form: String
    /// The corpus's own identifier of the word (Natural Stories zone, Dundee WNUM, GECO WORD_ID…).
    public let sourceID: String
    /// Position in the text as the corpus numbers it (1-based; may have gaps, e.g. Provo lacks word 1).
    public let positionInText: Int
    /// Sentence number within the text (1-based).
    public let sentence: Int
    /// Position within the sentence (1-based).
    public let positionInSentence: Int
    /// Line number within the screen as the corpus gives it, if the corpus records lines.
    public let line: Int?
    /// Position within its line (1-based), if lines are known.
    public let positionInLine: Int?
    /// Screen (page) number within the text, if the corpus records screens.
    public let screen: Int?
    /// Position on its screen (1-based), if screens are known.
    public let positionOnScreen: Int?
    /// Unicode-scalar offsets of `form` in the text's reconstructed content.
    public let characterRange: Range<Int>
    /// Edge flags (first/last in text, sentence, line, screen).
    public let boundaries: WordBoundaries
}

/// One text (story, article, trial sentence) of a corpus: its words, sentences and the string
/// reconstructed from its words.
public struct CorpusText: Sendable, Hashable {
    /// The corpus's name for the text (Natural Stories item "3", Dundee "tx03", UCL sentence "17").
    public let id: String
    /// The ids (`CorpusWord.id`) of its words, in reading order.
    public let wordIDs: Range<Int>
    /// Word-id ranges of its sentences, in order.
    public let sentences: [Range<Int>]
    /// The words joined by single spaces; `CorpusWord.characterRange` points into it.
    public let content: String
}
