import XCTest
@testable import Numerics

final class PairedWorkerTests: XCTestCase {
    func testRunsBothPiecesEveryTimeAndAfterSleeping() throws {
        let worker = try XCTUnwrap(PairedWorker(idleSpin: 0.001), "the test machine has two cores")
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
        let worker = try XCTUnwrap(PairedWorker())
        var threads: [Thread?] = [nil, nil]
        worker.run({ threads[0] = Thread.current }, alongside: { threads[1] = Thread.current })
        XCTAssertFalse(threads[0] === threads[1], "the second piece runs on the worker")
        var order: [Int] = []
        PairedWorker.run(nil, { order.append(1) }, alongside: { order.append(2) })
        XCTAssertEqual(order, [1, 2])
    }

    func testManyWorkersComeAndGo() {
        // Each worker's thread ends when the worker is released (no hang, no leak of spinning threads).
        for _ in 0..<50 {
            let worker = PairedWorker()
            var x = 0
            worker?.run({}, alongside: { x = 1 })
            XCTAssertEqual(x, worker == nil ? 0 : 1)
        }
    }
}
