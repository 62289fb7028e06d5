import XCTest
@testable import Statistics

/// Expected numbers: a separate numpy/scipy transcription of the published formulas
/// (Steiger 1980 eq. 7 for Williams' t, eq. 14 for Z; Zou 2007 example 2 for the interval),
/// run with `python3` and scipy 1.17 (p from `stats.t.sf` / `stats.norm.sf`, critical value
/// from `stats.norm.ppf`). The script is in docs/STATISTICS.md.
final class DependentCorrelationsTests: XCTestCase {
    func testSmallDifferenceNotSignificant() throws {
        // r(y,a) = .4, r(y,b) = .5, r(a,b) = .1, n = 103 → Williams t = -0.8912799047605414 (df 100), p = 0.3749185174912553;
        // Steiger Z = -0.8887184699558731, p = 0.37415440217200147; Zou 95% CI (-0.3201952070956023, 0.12025028977094096).
        let r = try DependentCorrelations.compare(rYA: 0.4, rYB: 0.5, rAB: 0.1, count: 103)
        XCTAssertEqual(r.difference, -0.1, accuracy: 1e-15)
        XCTAssertEqual(r.williamsT, -0.8912799047605414, accuracy: 1e-12)
        XCTAssertEqual(r.williamsDegreesOfFreedom, 100)
        XCTAssertEqual(r.williamsP, 0.3749185174912553, accuracy: 1e-12)
        XCTAssertEqual(r.steigerZ, -0.8887184699558731, accuracy: 1e-12)
        XCTAssertEqual(r.steigerP, 0.37415440217200147, accuracy: 1e-12)
        XCTAssertEqual(r.lower, -0.3201952070956023, accuracy: 1e-12)
        XCTAssertEqual(r.upper, 0.12025028977094096, accuracy: 1e-12)
    }

    func testHighlyCorrelatedPredictorsLargeSample() throws {
        // The surprisal-vs-reading-time situation: two predictors correlated .91, n = 2000.
        // r(y,a) = .62, r(y,b) = .55 → Williams t = 9.400687707540186, p = 1.431834094819906e-20;
        // Steiger Z = 9.217007084619993, p = 3.055083631187806e-20; CI (0.05506787063534482, 0.08558022928524013).
        let r = try DependentCorrelations.compare(rYA: 0.62, rYB: 0.55, rAB: 0.91, count: 2000)
        XCTAssertEqual(r.williamsT, 9.400687707540186, accuracy: 1e-10)
        XCTAssertEqual(r.williamsP, 1.431834094819906e-20, accuracy: 1e-30)
        XCTAssertEqual(r.steigerZ, 9.217007084619993, accuracy: 1e-10)
        XCTAssertEqual(r.steigerP, 3.055083631187806e-20, accuracy: 1e-30)
        XCTAssertEqual(r.lower, 0.05506787063534482, accuracy: 1e-12)
        XCTAssertEqual(r.upper, 0.08558022928524013, accuracy: 1e-12)
    }

    func testNegativeCorrelationsAndNinetyPercentInterval() throws {
        // r(y,a) = -.3, r(y,b) = .2, r(a,b) = -.4, n = 50, 90% → t = -2.15181285714172, p = 0.03658106069814246;
        // Z = -2.0979322397837437, p = 0.03591113154884273; CI (-0.8448717186222114, -0.11233440977678305).
        let r = try DependentCorrelations.compare(rYA: -0.3, rYB: 0.2, rAB: -0.4, count: 50, confidence: 0.9)
        XCTAssertEqual(r.williamsT, -2.15181285714172, accuracy: 1e-12)
        XCTAssertEqual(r.williamsP, 0.03658106069814246, accuracy: 1e-12)
        XCTAssertEqual(r.steigerZ, -2.0979322397837437, accuracy: 1e-12)
        XCTAssertEqual(r.steigerP, 0.03591113154884273, accuracy: 1e-12)
        XCTAssertEqual(r.lower, -0.8448717186222114, accuracy: 1e-12)
        XCTAssertEqual(r.upper, -0.11233440977678305, accuracy: 1e-12)
    }

    func testEqualCorrelationsByHand() throws {
        // r(y,a) = r(y,b): both statistics are exactly 0 and p = 1; swapping a and b mirrors the interval.
        let r = try DependentCorrelations.compare(rYA: 0.3, rYB: 0.3, rAB: 0.5, count: 40)
        XCTAssertEqual(r.williamsT, 0)
        XCTAssertEqual(r.steigerZ, 0)
        XCTAssertEqual(r.williamsP, 1, accuracy: 1e-12)
        XCTAssertEqual(r.steigerP, 1, accuracy: 1e-12)
        XCTAssertEqual(r.lower, -r.upper, accuracy: 1e-12)
        let swapped = try DependentCorrelations.compare(rYA: 0.62, rYB: 0.55, rAB: 0.91, count: 2000)
        let back = try DependentCorrelations.compare(rYA: 0.55, rYB: 0.62, rAB: 0.91, count: 2000)
        XCTAssertEqual(back.lower, -swapped.upper, accuracy: 1e-12)
        XCTAssertEqual(back.williamsT, -swapped.williamsT, accuracy: 1e-12)
    }

    func testRejectsImpossibleInput() {
        XCTAssertThrowsError(try DependentCorrelations.compare(rYA: 0.4, rYB: 0.5, rAB: 0.1, count: 3)) {
            XCTAssertTrue("\($0)".contains("more than 3 observations"))
        }
        XCTAssertThrowsError(try DependentCorrelations.compare(rYA: 1, rYB: 0.5, rAB: 0.1, count: 30)) {
            XCTAssertTrue("\($0)".contains("r(y,a) = 1.0 is not strictly between"))
        }
        XCTAssertThrowsError(try DependentCorrelations.compare(rYA: .nan, rYB: 0.5, rAB: 0.1, count: 30))
        // .9, -.9 and .9 cannot hold together: 1 − .81·3 − 2·.729 < 0.
        XCTAssertThrowsError(try DependentCorrelations.compare(rYA: 0.9, rYB: -0.9, rAB: 0.9, count: 30)) {
            XCTAssertTrue("\($0)".contains("cannot all hold at once"))
        }
    }
}
