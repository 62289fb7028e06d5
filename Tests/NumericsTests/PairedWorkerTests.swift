import XCTest
@testable import Numerics

final class PairedWorkerTests: XCTestCase {
    func testRunsBothPiecesEveryTimeAndAfterSleeping() throws {
        let worker = try makeWorker(idleSpin: 0.001)
        var first = [Int](repeating: 0, count: 1000), second = first
        for i in 0..<1000 {
            worker.run({ first[i] = i }, alongside: { second[i] = 2 * i })
        }
        XCTAssertEqual(first, Array(0..<1000))
        XCTAssertEqual(second, (0..<1000).map { 2 * $0 })
        // Past idleSpin the worker sleeps; posting work wakes it.
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: 0.005)
            var done = false
            worker.run({}, alongside: { done = true })
            XCTAssertTrue(done)
        }
    }

    func testPiecesRunOnDifferentThreadsAndWithoutAWorkerInOrder() throws {
        let worker = try makeWorker()
        var threads: [Thread?] = [nil, nil]
        worker.run({ threads[0] = Thread.current }, alongside: { threads[1] = Thread.current })
        XCTAssertFalse(threads[0] === threads[1], "the second piece runs on the worker")
        var order: [Int] = []
        PairedWorker.run(nil, { order.append(1) }, alongside: { order.append(2) })
        XCTAssertEqual(order, [1, 2])
    }

    /// A worker, or a skip where there is none (one core, or RTPIPE_NO_WORKER set).
    func makeWorker(idleSpin: Double = 0.02) throws -> PairedWorker {
        guard let worker = PairedWorker(idleSpin: idleSpin) else {
            throw XCTSkip("no paired worker here (one core, or RTPIPE_NO_WORKER is set)")
        }
        return worker
    }

    /// Threads of this process (Linux: /proc/self/task).
    func threadCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).count
    }

    /// Waits up to `seconds` for `condition`.
    func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { if condition() { return true }; Thread.sleep(forTimeInterval: 0.005) }
        return condition()
    }

    func testManyWorkersComeAndGo() throws {
        // Each worker's thread ends when the worker is released: no hang, and no spinning
        // threads left behind. Counted in /proc/self/task: a live worker adds a thread; after
        // 50 workers come and go the count is back near where it was (a little slack for the
        // test runner's own threads; a leak would leave 50).
        _ = try makeWorker()
        guard threadCount() > 0 else { throw XCTSkip("no /proc/self/task to count threads in") }
        // Let the first worker's thread end, then count.
        var before = threadCount()
        for _ in 0..<40 {
            Thread.sleep(forTimeInterval: 0.05)
            let now = threadCount()
            if now == before { break }
            before = now
        }
        do {
            let worker = try makeWorker()
            var x = 0
            worker.run({}, alongside: { x = 1 })
            XCTAssertEqual(x, 1)
            XCTAssertGreaterThanOrEqual(threadCount(), before + 1, "a live worker has its own thread")
        }
        for _ in 0..<50 {
            let worker = try makeWorker()
            var x = 0
            worker.run({}, alongside: { x = 1 })
            XCTAssertEqual(x, 1)
        }
        XCTAssertTrue(eventually(5) { threadCount() <= before + 5 }, "\(threadCount() - before) more threads than before 50 workers came and went")
    }
}
