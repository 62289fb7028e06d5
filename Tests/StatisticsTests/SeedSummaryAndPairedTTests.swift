import XCTest
@testable import Statistics

final class SeedSummaryAndPairedTTests: XCTestCase {
    func testMeanWithErrorByHand() throws {
        // [1, 2.5, 3.25]: mean 6.75/3 = 2.25; squared deviations 1.5625 + 0.0625 + 1 = 2.625, s² = 1.3125,
        // s = 1.14564392373896, SE = s/√3 = 0.6614378277661477 (= scipy.stats.sem).
        let m = try SeedSummary.meanWithError([1, 2.5, 3.25])
        XCTAssertEqual(m.count, 3)
        XCTAssertEqual(m.mean, 2.25, accuracy: 1e-15)
        XCTAssertEqual(m.standardDeviation, 1.14564392373896, accuracy: 1e-14)
        XCTAssertEqual(m.standardError, 0.6614378277661477, accuracy: 1e-14)
        let one = try SeedSummary.meanWithError([4])
        XCTAssertEqual(one.mean, 4)
        XCTAssertTrue(one.standardError.isNaN)
    }

    func testMeanWithErrorRejectsBadInput() {
        XCTAssertThrowsError(try SeedSummary.meanWithError([])) { XCTAssertTrue("\($0)".contains("no values")) }
        XCTAssertThrowsError(try SeedSummary.meanWithError([1, .nan])) { XCTAssertTrue("\($0)".contains("value 1 is nan")) }
    }

    func testPairedTTestMatchesScipy() throws {
        // scipy.stats.ttest_rel([116.30, 114.92, 117.85], [118.64, 117.10, 118.02])
        //   → t = -2.239103540443817, p = 0.1545184115356558, confidence_interval(0.95) = (-4.567428638743694, 1.4407619720770284)
        let r = try PairedTTest.test([116.30, 114.92, 117.85], [118.64, 117.10, 118.02])
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(r.degreesOfFreedom, 2)
        XCTAssertEqual(r.t, -2.239103540443817, accuracy: 1e-12)
        XCTAssertEqual(r.p, 0.1545184115356558, accuracy: 1e-12)
        XCTAssertEqual(r.lower, -4.567428638743694, accuracy: 1e-10)
        XCTAssertEqual(r.upper, 1.4407619720770284, accuracy: 1e-10)
        // scipy.stats.ttest_rel([10.2, 11.5, 9.8, 12.0, 10.9], [9.9, 11.0, 9.9, 11.2, 10.1])
        //   → t = 2.7200370215497784, p = 0.05298483856510247, confidence_interval(0.90) = (0.09947199470413065, 0.8205280052958694)
        let s = try PairedTTest.test([10.2, 11.5, 9.8, 12.0, 10.9], [9.9, 11.0, 9.9, 11.2, 10.1], confidence: 0.90)
        XCTAssertEqual(s.t, 2.7200370215497784, accuracy: 1e-11)
        XCTAssertEqual(s.p, 0.05298483856510247, accuracy: 1e-12)
        XCTAssertEqual(s.lower, 0.09947199470413065, accuracy: 1e-11)
        XCTAssertEqual(s.upper, 0.8205280052958694, accuracy: 1e-11)
    }

    func testPairingBySeedOrdersAndRefusesToDropSeeds() throws {
        // Same pairs as the first scipy case above, given out of order and keyed by seed.
        let r = try PairedTTest.testBySeed([3: 117.85, 1: 116.30, 2: 114.92], [2: 117.10, 3: 118.02, 1: 118.64])
        XCTAssertEqual(r.t, -2.239103540443817, accuracy: 1e-12)
        XCTAssertThrowsError(try PairedTTest.testBySeed([1: 1, 2: 2, 4: 3], [1: 1, 2: 2, 3: 5])) {
            XCTAssertEqual("\($0)", "pairing by seed: seeds 4 only in the first; seeds 3 only in the second")
        }
    }

    func testPairedTTestRejectsBadInput() {
        XCTAssertThrowsError(try PairedTTest.test([1, 2], [1])) { XCTAssertTrue("\($0)".contains("2 and 1 values")) }
        XCTAssertThrowsError(try PairedTTest.test([1], [2])) { XCTAssertTrue("\($0)".contains("at least 2 pairs")) }
        XCTAssertThrowsError(try PairedTTest.test([1, .infinity], [2, 3])) { XCTAssertTrue("\($0)".contains("first sample's value 1")) }
        XCTAssertThrowsError(try PairedTTest.test([1, 2], [2, 3], confidence: 1)) { XCTAssertTrue("\($0)".contains("confidence level")) }
    }

    func testConstantDifferenceGivesInfiniteT() throws {
        // Every difference is 1: SE = 0, so t = +∞ and p = 0; the interval collapses onto 1.
        let r = try PairedTTest.test([2, 3, 4], [1, 2, 3])
        XCTAssertEqual(r.t, .infinity)
        XCTAssertEqual(r.p, 0)
        XCTAssertEqual(r.lower, 1, accuracy: 1e-12)
    }
}
