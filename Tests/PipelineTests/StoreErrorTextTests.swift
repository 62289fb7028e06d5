import Foundation
import XCTest
@testable import Store

/// Issue 12, item 14: store errors say what failed and why, naming the database, without SQL.
final class StoreErrorTextTests: XCTestCase {
    func testErrorsNameTheDatabaseAndShowNoSQL() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let notADatabase = dir.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: notADatabase))
        XCTAssertThrowsError(try SQLiteDatabase(path: notADatabase)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(notADatabase) && text.contains("not a database"), text)
            XCTAssertFalse(text.contains("PRAGMA"), text)
        }

        let db = try SQLiteDatabase(path: dir.appendingPathComponent("ok.sqlite").path)
        try db.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        for attempt in [{ try db.run("INSERT INTO t (x) VALUES (?)", [.null]) },
                        { _ = try db.query("SELECT nope FROM t") },
                        { try db.execute("DROP TABLE missing") }] {
            XCTAssertThrowsError(try attempt()) { error in
                let text = "\(error)"
                for sql in ["INSERT", "SELECT", "DROP", "VALUES"] { XCTAssertFalse(text.contains(sql), text) }
                XCTAssertTrue(text.contains("ok.sqlite"), text)
                XCTAssertNotNil((error as? StoreError)?.statement, "the statement is kept for debugging")
            }
        }
    }
}
