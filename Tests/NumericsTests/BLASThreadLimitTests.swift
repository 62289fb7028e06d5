import Numerics
import XCTest

/// `BLASThreadLimit`: the count in force is the newest limit still held, else the configured
/// count, whatever order the limits are released in.
final class BLASThreadLimitTests: XCTestCase {
    func testOverlappingLimitsReleasedOutOfOrder() throws {
        let before = BLASRuntime.threads
        defer { BLASRuntime.setThreads(before) }
        try XCTSkipIf(BLASRuntime.cores < 2, "needs two cores to tell counts apart")
        BLASRuntime.setThreads(2)
        let outer = BLASThreadLimit(1)
        XCTAssertEqual(BLASRuntime.threads, 1)
        let inner = BLASThreadLimit(2)
        XCTAssertEqual(BLASRuntime.threads, 2, "the newest limit is in force")
        outer.release()  // released first: the inner one still holds
        XCTAssertEqual(BLASRuntime.threads, 2)
        inner.release()
        XCTAssertEqual(BLASRuntime.threads, 2, "back to the configured count")
        inner.release()  // a second release does nothing
        XCTAssertEqual(BLASRuntime.threads, 2)
    }

    func testConfiguringWhileALimitIsHeldAppliesOnRelease() throws {
        let before = BLASRuntime.threads
        defer { BLASRuntime.setThreads(before) }
        try XCTSkipIf(BLASRuntime.cores < 2, "needs two cores to tell counts apart")
        BLASRuntime.setThreads(1)
        do {
            let limit = BLASThreadLimit(1)
            BLASRuntime.setThreads(2)
            XCTAssertEqual(BLASRuntime.threads, 1, "the limit stays in force")
            withExtendedLifetime(limit) {}
        }
        XCTAssertEqual(BLASRuntime.threads, 2, "dropping the last reference releases it")
    }

    func testWithThreadsRestoresAfterThrowing() {
        let before = BLASRuntime.threads
        struct Stop: Error {}
        XCTAssertThrowsError(
            try BLASRuntime.withThreads(1) {
                XCTAssertEqual(BLASRuntime.threads, 1); throw Stop()
            })
        XCTAssertEqual(BLASRuntime.threads, before)
    }
}
