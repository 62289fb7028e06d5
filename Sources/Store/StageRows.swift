import Foundation

/// The rows one stage produced, collected away from the store (by `StageWriter(collecting:)`)
/// and imported later by `ResultsStore.importStage` in one transaction. Serialised exactly
/// (reals by their bit pattern) so that an imported row equals one written directly.
public final class StageRows: @unchecked Sendable {
    /// One result row: its table and column values, without the provenance columns.
    public struct Row: Sendable, Equatable {
        public let table: String
        public let columns: [String]
        public let values: [SQLValue]
    }

    private let lock = NSLock()
    private var collected: [Row] = []

    public init(_ rows: [Row] = []) { collected = rows }

    /// The rows in the order they were written.
    public var rows: [Row] { lock.withLock { collected } }

    func append(_ row: Row) { lock.withLock { collected.append(row) } }

    // MARK: Text form

    /// One line per row: `table<TAB>column=cell<TAB>…`, cells `n` (null), `i<integer>`,
    /// `r<hex bit pattern>` (exact), `t<text with \\t, \\n, \\\\ escaped>`.
    public func serialized() -> String {
        var out = ""
        for row in rows {
            out += row.table
            for (c, v) in zip(row.columns, row.values) { out += "\t" + c + "=" + StageRows.cell(v) }
            out += "\n"
        }
        return out
    }

    /// Parses `serialized()` text; `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> StageRows {
        var rows: [Row] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            var columns: [String] = [], values: [SQLValue] = []
            for f in fields.dropFirst() {
                guard let eq = f.firstIndex(of: "="), let v = value(f[f.index(after: eq)...]) else {
                    throw StoreError(message: "\(source):\(n + 1): damaged stage result (cell '\(f.prefix(40))')")
                }
                columns.append(String(f[..<eq])); values.append(v)
            }
            guard let table = fields.first, Schema.resultTables.contains(String(table)) else {
                throw StoreError(message: "\(source):\(n + 1): damaged stage result (unknown table '\(fields.first ?? "")')")
            }
            rows.append(Row(table: String(table), columns: columns, values: values))
        }
        return StageRows(rows)
    }

    public static func cell(_ v: SQLValue) -> String {
        switch v {
        case .null: return "n"
        case .integer(let i): return "i\(i)"
        case .real(let d): return "r" + String(d.bitPattern, radix: 16)
        case .text(let s):
            return "t" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    public static func value(_ s: Substring) -> SQLValue? {
        guard let tag = s.first else { return nil }
        let body = s.dropFirst()
        switch tag {
        case "n": return .null
        case "i": return Int64(body).map { .integer($0) }
        case "r": return UInt64(body, radix: 16).map { .real(Double(bitPattern: $0)) }
        case "t":
            var out = "", escaped = false
            for ch in body {
                if escaped { out.append(ch == "t" ? "\t" : ch == "n" ? "\n" : ch); escaped = false } else if ch == "\\" { escaped = true } else { out.append(ch) }
            }
            return .text(out)
        default: return nil
        }
    }
}

extension ResultsStore {
    /// Imports a stage's collected rows with its completion mark in one transaction. A stage the
    /// store already has is left as it is (imported exactly once); returns whether it imported.
    @discardableResult
    public func importStage(_ stage: String, _ p: Provenance, seconds: Double, summary: String?, rows: StageRows, replacing: Bool = false) throws -> Bool {
        if !replacing, try isFinished(stageKey: p.stageKey) { return false }
        try writeStage(stage, p, seconds: seconds, summary: summary) { w in
            for row in rows.rows { try w.insert(row) }
        }
        return true
    }

    /// The rows a finished stage wrote (without provenance), e.g. to hand them to a remote stage.
    public func exportStage(stageKey: String) throws -> StageRows {
        var rows: [StageRows.Row] = []
        let provenance = Set(["run_id", "analysis", "config_hash", "stage_key", "rtpipe_version", "git_revision", "seed", "created_at"])
        for table in Schema.resultTables {
            let result = try db.query("SELECT * FROM \(table) WHERE stage_key = ? ORDER BY rowid", [.text(stageKey)])
            let keep = result.columns.indices.filter { !provenance.contains(result.columns[$0]) }
            for r in result.rows { rows.append(StageRows.Row(table: table, columns: keep.map { result.columns[$0] }, values: keep.map { r[$0] })) }
        }
        return StageRows(rows)
    }
}
