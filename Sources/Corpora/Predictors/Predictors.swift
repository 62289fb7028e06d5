/// Per-word predictor columns, indexed by `CorpusWord.id`. Missing values are nil.
public struct PredictorTable: Sendable {
    /// Column names in output order.
    public private(set) var names: [String] = []
    /// Name → one value per corpus word.
    public private(set) var columns: [String: [Double?]] = [:]

    public init() {}

    /// Adds (or replaces) a column; `values` has one entry per corpus word.
    public mutating func set(_ name: String, _ values: [Double?]) {
        if columns[name] == nil { names.append(name) }
        columns[name] = values
    }
}

/// What the frequency look-up met.
public struct FrequencyReport: Sendable, Equatable {
    /// The source's description.
    public var source: String
    /// Corpus words (tokens) looked up.
    public var words = 0
    /// Tokens not in the source, and their distinct keys.
    public var unknownTokens = 0
    public var unknownTypes = 0
    /// Tokens found through their contraction stem.
    public var contractionStems = 0
    /// Tokens with no letters or digits (pure punctuation), which get no frequency.
    public var noWordCharacters = 0
    /// The policy for unknown words.
    public var policy: UnknownWordPolicy

    /// A one-line summary.
    public var line: String {
        "log frequency from \(source): \(words) words, \(unknownTokens) unknown (\(unknownTypes) types; \(policy == .addOne ? "add-one smoothed" : "left missing")), \(contractionStems) by contraction stem, \(noWordCharacters) without letters (missing)"
    }
}

/// The standard baseline predictors and spillover.
public enum Predictors {
    /// `length` (characters without surrounding punctuation, `WordForm.length`),
    /// `position_in_sentence` and `position_in_text`, and — with a frequency table —
    /// `log_freq` (`FrequencyTable.logFrequency`, unknown words per `policy`).
    public static func baseline(_ corpus: Corpus, frequency: FrequencyTable?, policy: UnknownWordPolicy = .addOne) -> (PredictorTable, FrequencyReport?) {
        var t = PredictorTable()
        t.set("length", corpus.words.map { Double(WordForm.length($0.form)) })
        t.set("position_in_sentence", corpus.words.map { Double($0.positionInSentence) })
        t.set("position_in_text", corpus.words.map { Double($0.positionInText) })
        guard let frequency else { return (t, nil) }
        var report = FrequencyReport(source: frequency.source, policy: policy)
        var unknownKeys = Set<String>()
        var values: [Double?] = []
        for w in corpus.words {
            report.words += 1
            if FrequencyTable.key(w.form).isEmpty { report.noWordCharacters += 1; values.append(nil); continue }
            switch frequency.lookup(w.form) {
            case let .found(c): values.append(frequency.logFrequency(count: c))
            case let .contractionStem(c): report.contractionStems += 1; values.append(frequency.logFrequency(count: c))
            case .unknown:
                report.unknownTokens += 1
                unknownKeys.insert(FrequencyTable.key(w.form))
                values.append(policy == .addOne ? frequency.logFrequency(count: 0) : nil)
            }
        }
        report.unknownTypes = unknownKeys.count
        t.set("log_freq", values)
        return (t, report)
    }

    /// Adds `prevK_<name>` for K = 1…`lags` for each of `names`: the value of the word K
    /// positions earlier in the same text. Lags never cross a text boundary (the first K words
    /// of a text get a missing value) and a missing value stays missing.
    public static func addSpillover(_ table: inout PredictorTable, names: [String], lags: Int, corpus: Corpus) {
        guard lags > 0 else { return }
        for name in names {
            guard let values = table.columns[name] else { continue }
            for k in 1...lags {
                var lagged: [Double?] = Array(repeating: nil, count: values.count)
                for text in corpus.texts {
                    for w in text.wordIDs where w - k >= text.wordIDs.lowerBound { lagged[w] = values[w - k] }
                }
                table.set("prev\(k)_\(name)", lagged)
            }
        }
    }
}
