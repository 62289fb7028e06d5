import CSQLite
import Foundation

/// A value in an SQLite row.
public enum SQLValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let s): return s
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let v): return Int(v)
        case .real(let v): return Int(v)
        default: return nil
        }
    }

    public var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

/// Errors from SQLite: what failed, with SQLite's reason. The SQL statement is kept for
/// debugging but never shown in the message.
public struct StoreError: Error, CustomStringConvertible {
    public let message: String
    /// The statement that failed (start of it), if any.
    public var statement: String? = nil
    public var description: String { "store: \(message)" }
}

/// A thin, safe wrapper over one SQLite connection: WAL journal (several rtpipe processes may
/// read and write one database), a busy timeout instead of immediate "database is locked"
/// errors, prepared statements with bound parameters, and transactions that roll back on error.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?
    public let path: String

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw StoreError(message: "cannot open \(path): \(msg)")
        }
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit { sqlite3_close_v2(handle) }

    private func error(_ what: String, _ sql: String) -> StoreError {
        StoreError(message: "\(path): \(what): \(String(cString: sqlite3_errmsg(handle)))", statement: String(sql.prefix(200)))
    }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(err)
            throw StoreError(message: "\(path): \(msg)", statement: String(sql.prefix(200)))
        }
    }

    private func prepare(_ sql: String, _ params: [SQLValue]) throws -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let s = stmt else {
            throw error("cannot prepare a statement", sql)
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (k, p) in params.enumerated() {
            let i = Int32(k + 1)
            let rc: Int32
            switch p {
            case .null: rc = sqlite3_bind_null(s, i)
            case .integer(let v): rc = sqlite3_bind_int64(s, i, v)
            case .real(let v): rc = v.isFinite ? sqlite3_bind_double(s, i, v) : sqlite3_bind_null(s, i)
            case .text(let t): rc = sqlite3_bind_text(s, i, t, -1, transient)
            }
            guard rc == SQLITE_OK else { sqlite3_finalize(s); throw error("cannot bind parameter \(i)", sql) }
        }
        return s
    }

    /// Runs one statement with parameters (INSERT, UPDATE, DELETE, DDL).
    public func run(_ sql: String, _ params: [SQLValue] = []) throws {
        let s = try prepare(sql, params)
        defer { sqlite3_finalize(s) }
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error("cannot write", sql) }
    }

    /// Runs a query; returns the column names and the rows.
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> (columns: [String], rows: [[SQLValue]]) {
        let s = try prepare(sql, params)
        defer { sqlite3_finalize(s) }
        let n = sqlite3_column_count(s)
        let names = (0..<n).map { String(cString: sqlite3_column_name(s, $0)) }
        var rows: [[SQLValue]] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error("cannot read", sql) }
            rows.append((0..<n).map { c in
                switch sqlite3_column_type(s, c) {
                case SQLITE_INTEGER: return .integer(sqlite3_column_int64(s, c))
                case SQLITE_FLOAT: return .real(sqlite3_column_double(s, c))
                case SQLITE_NULL: return .null
                default: return .text(String(cString: sqlite3_column_text(s, c)))
                }
            })
        }
        return (names, rows)
    }

    /// Runs `body` in an IMMEDIATE transaction: committed if it returns, rolled back if it throws.
    /// An interrupted process leaves nothing of the transaction behind (SQLite's journal).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// SQLite's library version.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
