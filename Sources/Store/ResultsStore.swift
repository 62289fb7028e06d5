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

    /// Opens the store at `path`, creating the schema if needed. With `verify`, SQLite's
    /// `quick_check` runs first and a damaged store is refused with what to do. Opening and
    /// creating the schema hold the lock file `<path>.lock`, so that two processes starting on a
    /// fresh store do not race to create it.
    public init(path: String, verify: Bool = false) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lock = try? FileLock(path: path + ".lock")  // best effort: a read-only folder has none
        defer { lock?.release() }
        do {
            db = try SQLiteDatabase(path: path)
        } catch let e as StoreError where verify && ResultsStore.meansDamage(e.message) {
            throw ResultsStore.damaged(path, e.message)
        }
        if verify { try ResultsStore.quickCheck(db, path) }
        try db.transaction {
            for s in Schema.statements { try db.execute(s) }
            for added in Schema.addedColumns {
                let columns = try db.query("PRAGMA table_info(\(added.table))").rows.compactMap { $0[1].string }
                if !columns.contains(added.column) { try db.execute("ALTER TABLE \(added.table) ADD COLUMN \(added.column) \(added.type)") }
            }
            let v = try db.query("PRAGMA user_version").rows.first?.first?.int ?? 0
            if v > Schema.version { throw StoreError(message: "\(path) was written by a newer rtpipe (schema \(v) > \(Schema.version))") }
            if v < Schema.version { try db.execute("PRAGMA user_version = \(Schema.version)") }
        }
    }

    /// Runs SQLite's `quick_check` (pages, records, indexes; seconds for a large store) and
    /// refuses a store that does not pass it.
    static func quickCheck(_ db: SQLiteDatabase, _ path: String) throws {
        let findings: [String]
        do {
            findings = try db.query("PRAGMA quick_check").rows.compactMap { $0.first?.string }
        } catch let e as StoreError {
            throw damaged(path, e.message)
        }
        guard findings == ["ok"] else { throw damaged(path, findings.first ?? "no answer") }
    }

    static func meansDamage(_ message: String) -> Bool {
        message.contains("malformed") || message.contains("not a database")
    }

    static func damaged(_ path: String, _ finding: String) -> StoreError {
        StoreError(message: "the results database \(path) is damaged (SQLite's quick_check: \(finding)); nothing was run. "
                   + "Move it aside (e.g. mv \(path) \(path).damaged) and run again to recompute every stage, or restore it from a backup.")
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

    /// Records a run as `running`, with the analysis file it read.
    public func beginRun(_ p: Provenance, analysisFile: String?) throws {
        try db.run("INSERT OR REPLACE INTO runs (run_id, analysis, config_hash, analysis_file, rtpipe_version, git_revision, seed, started_at, status) VALUES (?,?,?,?,?,?,?,?, 'running')",
                   [.text(p.runID), .text(p.analysis), .text(p.configHash), analysisFile.map { .text($0) } ?? .null, .text(p.rtpipeVersion), .text(p.gitRevision), .integer(Int64(p.seed)), .text(ResultsStore.now())])
    }

    /// Sets a run's final status (`finished`, `failed: …`).
    public func finishRun(_ runID: String, status: String) throws {
        try db.run("UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?", [.text(ResultsStore.now()), .text(status), .text(runID)])
    }

    /// Marks the runs of `analysis` still `running` as `interrupted` (call it only while holding
    /// the analysis's run lock: then no such run is alive). Returns how many were marked.
    public func markInterruptedRuns(analysis: String) throws -> Int {
        try db.transaction {
            let n = try db.query("SELECT COUNT(*) FROM runs WHERE analysis = ? AND status = 'running'", [.text(analysis)]).rows.first?.first?.int ?? 0
            if n > 0 { try db.run("UPDATE runs SET status = 'interrupted' WHERE analysis = ? AND status = 'running'", [.text(analysis)]) }
            return n
        }
    }

    /// Records the stages (name, key) that a run's plan names: its results are exactly theirs.
    public func recordStages(runID: String, _ stages: [(name: String, key: String)]) throws {
        try db.transaction {
            for s in stages { try db.run("INSERT OR REPLACE INTO run_stages (run_id, stage_key, stage) VALUES (?,?,?)", [.text(runID), .text(s.key), .text(s.name)]) }
        }
    }

    /// The stage keys of the newest finished run of `analysis`; nil if no finished run recorded them.
    public func stageKeysOfLastFinishedRun(analysis: String) throws -> [String]? {
        guard let run = try db.query("SELECT run_id FROM runs WHERE analysis = ? AND status = 'finished' AND run_id IN (SELECT run_id FROM run_stages) ORDER BY finished_at DESC, rowid DESC LIMIT 1",
                                     [.text(analysis)]).rows.first?.first?.string else { return nil }
        return try db.query("SELECT stage_key FROM run_stages WHERE run_id = ? ORDER BY stage_key", [.text(run)]).rows.compactMap { $0.first?.string }
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

/// Inserts rows of one stage: into the store inside `ResultsStore.writeStage`, or into a
/// `StageRows` collection (a stage run away from the store, imported later).
public struct StageWriter {
    let db: SQLiteDatabase?
    let provenance: Provenance?
    let createdAt: String
    let collector: StageRows?

    init(db: SQLiteDatabase, provenance: Provenance, createdAt: String) {
        self.db = db; self.provenance = provenance; self.createdAt = createdAt; collector = nil
    }

    /// A writer that only collects the rows (no store, no provenance: the importer adds it).
    public init(collecting rows: StageRows) {
        db = nil; provenance = nil; createdAt = ""; collector = rows
    }

    /// Inserts one row into `table`; `values` maps column names to values.
    public func insert(_ table: String, _ values: KeyValuePairs<String, SQLValue>) throws {
        precondition(Schema.resultTables.contains(table), "unknown result table \(table)")
        if let collector {
            collector.append(StageRows.Row(table: table, columns: values.map(\.key), values: values.map(\.value)))
            return
        }
        guard let db, let provenance else { return }
        let cols = provenance.columns + values.map(\.key)
        let params = provenance.values(createdAt) + values.map(\.value)
        let sql = "INSERT INTO \(table) (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
        try db.run(sql, params)
    }

    /// Inserts a collected row.
    func insert(_ row: StageRows.Row) throws {
        guard let db, let provenance else { return }
        let cols = provenance.columns + row.columns
        let sql = "INSERT INTO \(row.table) (\(cols.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))"
        try db.run(sql, provenance.values(createdAt) + row.values)
    }
}

extension SQLValue {
    /// Convenience constructors for optional values.
    public static func of(_ v: Double?) -> SQLValue { v.map { .real($0) } ?? .null }
    public static func of(_ v: Int?) -> SQLValue { v.map { .integer(Int64($0)) } ?? .null }
    public static func of(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    public static func of(_ v: Bool) -> SQLValue { .integer(v ? 1 : 0) }
}
