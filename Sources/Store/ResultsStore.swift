import Foundation

/// Who and what produced a row: written into every result row.
public struct Provenance: Sendable {
    public let runID: String
    public let analysis: String
    public let configHash: String
    public let stageKey: String
    public let rtpipeVersion: String
    public let gitRevision: String
    public let seed: Int

    public init(runID: String, analysis: String, configHash: String, stageKey: String, rtpipeVersion: String, gitRevision: String, seed: Int) {
        self.runID = runID; self.analysis = analysis; self.configHash = configHash; self.stageKey = stageKey
        self.rtpipeVersion = rtpipeVersion; self.gitRevision = gitRevision; self.seed = seed
    }

    var columns: [String] { ["run_id", "analysis", "config_hash", "stage_key", "rtpipe_version", "git_revision", "seed", "created_at"] }
    func values(_ createdAt: String) -> [SQLValue] {
        [.text(runID), .text(analysis), .text(configHash), .text(stageKey), .text(rtpipeVersion), .text(gitRevision), .integer(Int64(seed)), .text(createdAt)]
    }
}

/// rtpipe's results database: the schema, finished stages, and transactional stage writes.
public final class ResultsStore {
    public let db: SQLiteDatabase

    /// Opens the store at `path`, creating the schema if needed.
    public init(path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = try SQLiteDatabase(path: path)
        try db.transaction {
            for s in Schema.statements { try db.execute(s) }
            let v = try db.query("PRAGMA user_version").rows.first?.first?.int ?? 0
            if v < Schema.version { try db.execute("PRAGMA user_version = \(Schema.version)") }
            if v > Schema.version { throw StoreError(message: "\(path) was written by a newer rtpipe (schema \(v) > \(Schema.version))") }
        }
    }

    /// ISO-8601 time in UTC (second resolution).
    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    /// True if the stage with this key finished (its rows are complete).
    public func isFinished(stageKey: String) throws -> Bool {
        try !db.query("SELECT 1 FROM stages WHERE stage_key = ?", [.text(stageKey)]).rows.isEmpty
    }

    /// The stored one-line summary of a finished stage.
    public func summary(stageKey: String) throws -> String? {
        try db.query("SELECT summary FROM stages WHERE stage_key = ?", [.text(stageKey)]).rows.first?.first?.string
    }

    public func beginRun(_ p: Provenance, analysisFile: String?) throws {
        try db.run("INSERT OR REPLACE INTO runs (run_id, analysis, config_hash, analysis_file, rtpipe_version, git_revision, seed, started_at, status) VALUES (?,?,?,?,?,?,?,?, 'running')",
                   [.text(p.runID), .text(p.analysis), .text(p.configHash), analysisFile.map { .text($0) } ?? .null, .text(p.rtpipeVersion), .text(p.gitRevision), .integer(Int64(p.seed)), .text(ResultsStore.now())])
    }

    public func finishRun(_ runID: String, status: String) throws {
        try db.run("UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?", [.text(ResultsStore.now()), .text(status), .text(runID)])
    }

    /// A stage's rows, collected by `body` and written in one transaction together with the
    /// stage's completion mark: either all of them are in the store afterwards, or none.
    public func writeStage(_ stage: String, _ p: Provenance, seconds: Double, summary: String?, _ body: (StageWriter) throws -> Void) throws {
        let createdAt = ResultsStore.now()
        try db.transaction {
            for t in Schema.resultTables { try db.run("DELETE FROM \(t) WHERE stage_key = ?", [.text(p.stageKey)]) }
            try body(StageWriter(db: db, provenance: p, createdAt: createdAt))
            try db.run("INSERT OR REPLACE INTO stages (stage_key, stage, analysis, run_id, config_hash, rtpipe_version, git_revision, seed, seconds, finished_at, summary) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       [.text(p.stageKey), .text(stage), .text(p.analysis), .text(p.runID), .text(p.configHash), .text(p.rtpipeVersion), .text(p.gitRevision), .integer(Int64(p.seed)), .real(seconds), .text(createdAt), summary.map { .text($0) } ?? .null])
        }
    }
}

/// Inserts rows of one stage (only inside `ResultsStore.writeStage`).
public struct StageWriter {
    let db: SQLiteDatabase
    let provenance: Provenance
    let createdAt: String

    /// Inserts one row into `table`; `values` maps column names to values.
    public func insert(_ table: String, _ values: KeyValuePairs<String, SQLValue>) throws {
        precondition(Schema.resultTables.contains(table), "unknown result table \(table)")
        let cols = provenance.columns + values.map(\.key)
        let params = provenance.values(createdAt) + values.map(\.value)
        let sql = "INSERT INTO \(table) (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
        try db.run(sql, params)
    }
}

extension SQLValue {
    /// Convenience constructors for optional values.
    public static func of(_ v: Double?) -> SQLValue { v.map { .real($0) } ?? .null }
    public static func of(_ v: Int?) -> SQLValue { v.map { .integer(Int64($0)) } ?? .null }
    public static func of(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    public static func of(_ v: Bool) -> SQLValue { .integer(v ? 1 : 0) }
}
