import Encoders
import Foundation
import XCTest

/// The append-only embedding cache survives interruption and refuses foreign files.
final class EmbeddingCacheTests: XCTestCase {
    private func open(_ dir: URL, pooling: Pooling = .mean, dimension: Int = 4, fingerprint: String = "abcdef0123456789abcdef") throws -> EmbeddingCache {
        try EmbeddingCache(directory: dir, modelFingerprint: fingerprint, pooling: pooling, maxLength: 128, dimension: dimension)
    }

    func testRoundTripAndTruncationTag() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let c = try open(dir)
        try c.store([("hello", .keepStart, [1, 2, 3, 4]), ("héllo wörld 😀", .keepStart, [-1, 0.5, 0, 1e-30]), ("hello", .keepEnd, [9, 9, 9, 9])])
        let d = try open(dir)
        XCTAssertEqual(d.loadedCount, 3)
        XCTAssertEqual(d.lookup("hello"), [1, 2, 3, 4])
        XCTAssertEqual(d.lookup("hello", truncation: .keepEnd), [9, 9, 9, 9])
        XCTAssertEqual(d.lookup("héllo wörld 😀"), [-1, 0.5, 0, 1e-30])
        XCTAssertNil(d.lookup("hello "), "keys are exact texts")
        XCTAssertEqual(d.discardedBytes, 0)
    }

    /// Two writers of one file (as two stages of `rtpipe run --jobs 2` are): each append goes to
    /// the file's current end, so neither overwrites the other's records.
    func testTwoWritersOfOneFileKeepEachOthersRecords() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let a = try open(dir), b = try open(dir)
        try a.store([("first", .keepStart, [1, 1, 1, 1])])
        try b.store([("second", .keepStart, [2, 2, 2, 2]), ("third", .keepStart, [3, 3, 3, 3])])
        try a.store([("fourth", .keepStart, [4, 4, 4, 4])])
        try b.store([("first", .keepStart, [1, 1, 1, 1])])  // b never saw a's record: stored again, read back once
        let c = try open(dir)
        XCTAssertEqual(c.discardedBytes, 0)
        XCTAssertEqual(c.count, 4)
        for (text, v) in [("first", 1), ("second", 2), ("third", 3), ("fourth", 4)] as [(String, Float)] {
            XCTAssertEqual(c.lookup(text), [v, v, v, v], text)
        }
    }

    func testTornLastRecordIsIgnoredAndOverwritten() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let c = try open(dir)
        try c.store([("one", .keepStart, [1, 1, 1, 1])])
        try c.store([("two", .keepStart, [2, 2, 2, 2])])
        let url = c.url
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        // Simulate a crash in the middle of writing the second record.
        let h = try FileHandle(forUpdating: url)
        try h.truncate(atOffset: UInt64(size - 7))
        try h.close()
        let d = try open(dir)
        XCTAssertEqual(d.loadedCount, 1)
        XCTAssertGreaterThan(d.discardedBytes, 0)
        XCTAssertEqual(d.lookup("one"), [1, 1, 1, 1])
        XCTAssertNil(d.lookup("two"))
        try d.store([("three", .keepStart, [3, 3, 3, 3])])
        let e = try open(dir)
        XCTAssertEqual(e.loadedCount, 2, "new records follow the last good one")
        XCTAssertEqual(e.lookup("three"), [3, 3, 3, 3])
    }

    func testCorruptRecordFailsItsChecksum() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let c = try open(dir)
        try c.store([("one", .keepStart, [1, 1, 1, 1]), ("two", .keepStart, [2, 2, 2, 2])])
        var bytes = try Data(contentsOf: c.url)
        bytes[bytes.count - 6] ^= 0x40  // flip a bit in the last vector
        try bytes.write(to: c.url)
        let d = try open(dir)
        XCTAssertEqual(d.loadedCount, 1)
        XCTAssertNil(d.lookup("two"))
    }

    func testSeparateFilesPerPoolingAndForeignFilesIgnored() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let mean = try open(dir, pooling: .mean), cls = try open(dir, pooling: .cls)
        XCTAssertNotEqual(mean.url, cls.url)
        try mean.store([("x", .keepStart, [1, 2, 3, 4])])
        XCTAssertNil(try open(dir, pooling: .cls).lookup("x"))
        // Same file name, different dimension in the header: not used, started afresh.
        let other = try open(dir, dimension: 5)
        XCTAssertEqual(other.loadedCount, 0)
        XCTAssertNil(other.lookup("x"))
        try Data("garbage".utf8).write(to: mean.url)
        XCTAssertEqual(try open(dir).loadedCount, 0)
    }

    func testUnwritableFolderIsAClearError() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let blocker = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        XCTAssertThrowsError(try open(blocker.appendingPathComponent("sub"))) { e in
            guard case EncoderError.cache = e else { return XCTFail("\(e)") }
        }
    }
}
