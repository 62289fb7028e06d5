/// What a reader (or a later step) noticed without failing: counted warnings, rows removed by a
/// corpus's own processing rules, and plain notes. Nothing a reader skips goes unrecorded.
///
/// Each warning or removal has a category (a short fixed phrase), a count, and the first few
/// examples with their file and line, so a report can say "312 × fixation on a word that does
/// not exist (e.g. sa03ma2p.dat:41)".
public struct Diagnostics: Sendable, Equatable {
    /// One counted kind of problem or removal.
    public struct Entry: Sendable, Equatable {
        /// A short fixed phrase naming the kind.
        public let category: String
        /// How many times it happened (rows, words or files, as the category says).
        public internal(set) var count: Int
        /// Up to `Diagnostics.exampleLimit` examples, each usually `file:line: detail`.
        public internal(set) var examples: [String]
    }

    /// How many examples are kept per category.
    public static let exampleLimit = 3

    /// Problems in the input that were worked around (the row or value was set aside).
    public private(set) var warnings: [Entry] = []
    /// Rows removed by the corpus's own documented processing (e.g. Natural Stories: correct ≤ 4).
    public private(set) var removals: [Entry] = []
    /// Facts worth stating: the encoding used, an alignment chosen automatically.
    public private(set) var notes: [String] = []

    public init() {}

    /// Counts one (or `count`) problem(s) of `category`, keeping `detail` (prefixed with the
    /// location, if given) as an example.
    public mutating func warn(_ category: String, at location: SourceLocation? = nil, _ detail: String = "", count: Int = 1) {
        Self.add(&warnings, category, Self.example(location, detail), count)
    }

    /// Counts rows removed by a documented rule of the corpus.
    public mutating func removed(_ category: String, count: Int = 1, example: String? = nil) {
        guard count > 0 else { return }
        Self.add(&removals, category, example, count)
    }

    /// Records a note.
    public mutating func note(_ text: String) { notes.append(text) }

    /// Adds everything from `other`.
    public mutating func merge(_ other: Diagnostics) {
        for e in other.warnings { Self.add(&warnings, e) }
        for e in other.removals { Self.add(&removals, e) }
        notes += other.notes
    }

    /// The count of warnings of one category (0 if none).
    public func warningCount(_ category: String) -> Int { warnings.first { $0.category == category }?.count ?? 0 }
    /// The count of removals of one category (0 if none).
    public func removalCount(_ category: String) -> Int { removals.first { $0.category == category }?.count ?? 0 }
    /// All warnings added up.
    public var totalWarnings: Int { warnings.reduce(0) { $0 + $1.count } }

    /// Human-readable lines: one per warning, removal and note.
    public var lines: [String] {
        var out: [String] = []
        for r in removals { out.append("removed \(r.count) × \(r.category)" + (r.examples.isEmpty ? "" : " (e.g. \(r.examples.joined(separator: "; ")))")) }
        for w in warnings { out.append("warning: \(w.count) × \(w.category)" + (w.examples.isEmpty ? "" : " (e.g. \(w.examples.joined(separator: "; ")))")) }
        for n in notes { out.append("note: \(n)") }
        return out
    }

    private static func example(_ location: SourceLocation?, _ detail: String) -> String? {
        switch (location, detail.isEmpty) {
        case (nil, true): return nil
        case (nil, false): return detail
        case let (loc?, true): return loc.description
        case let (loc?, false): return "\(loc): \(detail)"
        }
    }

    private static func add(_ list: inout [Entry], _ entry: Entry) {
        add(&list, entry.category, nil, entry.count)
        let i = list.firstIndex { $0.category == entry.category }!
        list[i].examples += entry.examples.prefix(max(0, exampleLimit - list[i].examples.count))
    }

    private static func add(_ list: inout [Entry], _ category: String, _ example: String?, _ count: Int) {
        if let i = list.firstIndex(where: { $0.category == category }) {
            list[i].count += count
            if let example, list[i].examples.count < exampleLimit { list[i].examples.append(example) }
        } else {
            list.append(Entry(category: category, count: count, examples: example.map { [$0] } ?? []))
        }
    }
}
