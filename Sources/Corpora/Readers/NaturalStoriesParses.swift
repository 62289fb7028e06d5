/// Natural Stories' sentences from the corpus's own dependency parses,
/// `stories-aligned.conllx` (CoNLL-X: one token a line, a blank line after each sentence; the
/// 10th column holds `TokenId=ITEM.ZONE` or `ITEM.ZONE.PART` for a word split into several
/// tokens). The reader uses them, when present, instead of inferring sentences from
/// punctuation: the corpus has 485 sentences by its parses.
enum NaturalStoriesParses {
    /// The file's name in the corpus (`parses/ud/` in its repository).
    static let fileName = "stories-aligned.conllx"

    /// A word's place: story (item) and zone.
    struct Zone: Hashable { let item: Int, zone: Int }

    /// The parses' file in `folder`, in `folder/parses/ud/`, or in `parses/ud/` beside `folder`.
    static func locate(_ folder: String) -> String? {
        let candidates = [CorpusFiles.join(folder, fileName), CorpusFiles.join(folder, "parses/ud/" + fileName),
                          CorpusFiles.join(folder, "../parses/ud/" + fileName)]
        return candidates.first(where: CorpusFiles.exists)
    }

    /// The 0-based sentence of every (item, zone) in the parses (a word split over tokens of
    /// two sentences keeps the first).
    static func sentences(_ path: String, encoding: TextEncoding) throws -> [Zone: Int] {
        let text = try TextDecoding.read(path: path, encoding: encoding).text
        var out: [Zone: Int] = [:]
        var sentence = 0, tokensInSentence = 0, line = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let row = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if row.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if tokensInSentence > 0 { sentence += 1; tokensInSentence = 0 }
                continue
            }
            if row.hasPrefix("#") { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 10 else {
                throw CorpusError("a CoNLL-X token line has 10 tab-separated fields; this one has \(fields.count)", at: SourceLocation(file: path, line: line))
            }
            guard let id = fields[9].split(separator: "|").first(where: { $0.hasPrefix("TokenId=") }) else {
                throw CorpusError("no TokenId=ITEM.ZONE in the 10th field ('\(fields[9])')", at: SourceLocation(file: path, line: line, column: 10))
            }
            let parts = id.dropFirst("TokenId=".count).split(separator: ".")
            guard parts.count >= 2, let item = Int(parts[0]), let zone = Int(parts[1]), item >= 1, zone >= 1, item <= 1_000_000, zone <= 1_000_000_000 else {
                throw CorpusError("TokenId '\(id.dropFirst("TokenId=".count))' is not ITEM.ZONE with positive whole numbers", at: SourceLocation(file: path, line: line, column: 10))
            }
            tokensInSentence += 1
            let key = Zone(item: item, zone: zone)
            if out[key] == nil { out[key] = sentence }
        }
        return out
    }
}
