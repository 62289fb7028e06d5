/// Which columns of a caller's CSV/TSV hold what, for the `generic` (word-level) and
/// `fixations` (fixation-level) readers.
///
/// Spelled `key=column,key=column,…`. Keys:
/// - `subject`: the reader (optional; one anonymous reader if absent);
/// - `text`: the text id (optional; one text if absent);
/// - `position`: the word's 1-based position in the text (required);
/// - `word`: the word as displayed (optional for word-level tables; forms are then `w<N>`);
/// - `sentence`, `screen`, `line`: layout (optional; sentences are otherwise inferred);
/// - `duration`: fixation duration — its presence makes the table fixation-level;
/// - `order`: a column to sort fixations by within subject × text (optional; file order otherwise);
/// - any other key names a measure: `rt=RT`, `gaze_duration=GD`, `total_time=TRT`, …
///
/// For fixation-level tables, `words=PATH` (a file with the same text/position/word columns)
/// supplies the text's words, so words nobody fixated are known too; otherwise a text's words
/// are those that were fixated (gaps are counted).
public struct GenericTableMapping: Sendable, Equatable {
    public var subject: String?
    public var text: String?
    public var position: String
    public var word: String?
    public var sentence: String?
    public var screen: String?
    public var line: String?
    public var duration: String?
    public var order: String?
    public var wordsFile: String?
    /// Measure name → column.
    public var measures: [(Measure, String)]

    public init(subject: String? = nil, text: String? = nil, position: String, word: String? = nil, sentence: String? = nil,
                screen: String? = nil, line: String? = nil, duration: String? = nil, order: String? = nil, wordsFile: String? = nil,
                measures: [(Measure, String)] = []) {
        self.subject = subject; self.text = text; self.position = position; self.word = word; self.sentence = sentence
        self.screen = screen; self.line = line; self.duration = duration; self.order = order; self.wordsFile = wordsFile
        self.measures = measures
    }

    public static func == (a: GenericTableMapping, b: GenericTableMapping) -> Bool {
        a.spelling == b.spelling
    }

    /// Parses `key=column,…` (see the type's documentation).
    public static func parse(_ spec: String) throws -> GenericTableMapping {
        var fields: [String: String] = [:]
        var measures: [(Measure, String)] = []
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw CorpusError("column mapping '\(part)' is not key=column (e.g. subject=WorkerId,text=item,position=zone,rt=RT)")
            }
            switch kv[0] {
            case "subject", "text", "position", "word", "sentence", "screen", "line", "duration", "order", "words":
                guard fields[kv[0]] == nil else { throw CorpusError("column mapping names '\(kv[0])' twice") }
                fields[kv[0]] = kv[1]
            default:
                guard !measures.contains(where: { $0.0.rawValue == kv[0] }) else { throw CorpusError("column mapping names measure '\(kv[0])' twice") }
                measures.append((Measure(kv[0]), kv[1]))
            }
        }
        guard let position = fields["position"] else { throw CorpusError("column mapping needs position=COLUMN (the word's position in its text)") }
        let m = GenericTableMapping(subject: fields["subject"], text: fields["text"], position: position, word: fields["word"], sentence: fields["sentence"],
                                    screen: fields["screen"], line: fields["line"], duration: fields["duration"], order: fields["order"],
                                    wordsFile: fields["words"], measures: measures)
        if m.duration == nil && measures.isEmpty { throw CorpusError("column mapping names no measure (e.g. rt=RT) and no fixation duration (duration=COLUMN)") }
        if m.duration != nil && !measures.isEmpty { throw CorpusError("a fixation-level mapping (duration=…) computes its measures; drop \(measures.map { $0.0.rawValue }.joined(separator: ", "))") }
        return m
    }

    /// The mapping spelled back as `key=column,…`.
    public var spelling: String {
        var parts: [String] = []
        for (k, v) in [("subject", subject), ("text", text), ("position", Optional(position)), ("word", word), ("sentence", sentence),
                       ("screen", screen), ("line", line), ("duration", duration), ("order", order), ("words", wordsFile)] {
            if let v { parts.append("\(k)=\(v)") }
        }
        parts += measures.map { "\($0.0.rawValue)=\($0.1)" }
        return parts.joined(separator: ",")
    }
}
