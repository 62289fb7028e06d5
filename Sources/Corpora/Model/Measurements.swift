/// Measurements: one row per subject × word, with a value (or a missing value) per measure.
///
/// Stored column-wise. A missing value is `nil` and stays distinct from 0 (a total time of 0 ms
/// for a word that was never fixated is a value; a gaze duration for a skipped word is missing).
/// A row may also stand for a mean over several readers, as in corpora distributed as per-word
/// means (Natural Stories `processed_wordinfo.tsv`); `readers` then holds how many.
public struct Measurements: Sendable {
    /// The measures, in column order.
    public private(set) var measures: [Measure]
    /// Subject (reader) names; rows refer to them by index.
    public private(set) var subjects: [String]
    /// Per row: index into `subjects`.
    public private(set) var subject: [Int] = []
    /// Per row: the word (`CorpusWord.id`).
    public private(set) var word: [Int] = []
    /// Per row: how many readers the row's values stand for (1 for one reader's observation).
    public private(set) var readers: [Int] = []
    /// Per measure (same order as `measures`), per row: the value, or nil when missing.
    public private(set) var columns: [[Double?]]
    private var subjectIndex: [String: Int] = [:]

    /// An empty table with the given measures.
    public init(measures: [Measure]) {
        self.measures = measures
        subjects = []
        columns = Array(repeating: [], count: measures.count)
    }

    /// Number of rows.
    public var count: Int { word.count }

    /// Whether rows are means over readers (some row stands for more than one reader).
    public var isAggregate: Bool { readers.contains { $0 != 1 } }

    /// The index of subject `name`, adding it if new.
    public mutating func subjectID(_ name: String) -> Int {
        if let i = subjectIndex[name] { return i }
        subjects.append(name)
        subjectIndex[name] = subjects.count - 1
        return subjects.count - 1
    }

    /// Appends a row; `values` follows `measures`.
    public mutating func append(subject s: Int, word w: Int, values: [Double?], readers n: Int = 1) {
        precondition(values.count == measures.count, "one value per measure")
        subject.append(s)
        word.append(w)
        readers.append(n)
        for i in values.indices { columns[i].append(values[i]) }
    }

    /// The column of `measure`, if the table has it.
    public func values(_ measure: Measure) -> [Double?]? {
        measures.firstIndex(of: measure).map { columns[$0] }
    }

    /// Adds (or replaces) a measure column; `values` has one entry per row.
    public mutating func setColumn(_ measure: Measure, _ values: [Double?]) {
        precondition(values.count == count, "one value per row")
        if let i = measures.firstIndex(of: measure) { columns[i] = values } else { measures.append(measure); columns.append(values) }
    }

    /// The rows for which `keep(row)` is true, in order (subjects are kept as they are).
    public func filtered(_ keep: (Int) -> Bool) -> Measurements {
        var out = self
        let rows = (0..<count).filter(keep)
        out.subject = rows.map { subject[$0] }
        out.word = rows.map { word[$0] }
        out.readers = rows.map { readers[$0] }
        out.columns = columns.map { c in rows.map { c[$0] } }
        return out
    }
}
