import XCTest
@testable import Numerics

/// Normal and Student-t CDFs and quantiles against scipy 1.17 (`scipy.stats.norm`, `scipy.stats.t`).
final class DistributionQuantileTests: XCTestCase {
    func testStudentTQuantileMatchesScipy() {
        // scipy.stats.t.ppf(0.975, 2) → 4.302652729749462; (0.975, 4) → 2.7764451051977934;
        // (0.995, 2.5) → 7.163728138948783; (0.001, 7) → -4.785289628638334; (0.9, 30) → 1.3104150253913955
        XCTAssertEqual(Distributions.studentTQuantile(0.975, df: 2), 4.302652729749462, accuracy: 1e-11)
        XCTAssertEqual(Distributions.studentTQuantile(0.975, df: 4), 2.7764451051977934, accuracy: 1e-11)
        XCTAssertEqual(Distributions.studentTQuantile(0.995, df: 2.5), 7.163728138948783, accuracy: 1e-10)
        XCTAssertEqual(Distributions.studentTQuantile(0.001, df: 7), -4.785289628638334, accuracy: 1e-10)
        XCTAssertEqual(Distributions.studentTQuantile(0.9, df: 30), 1.3104150253913955, accuracy: 1e-11)
        // df = 1 is the Cauchy distribution: quantile tan(π(p − ½)), worked by hand.
        XCTAssertEqual(Distributions.studentTQuantile(0.8, df: 1), tan(Double.pi * 0.3), accuracy: 1e-11)
        XCTAssertEqual(Distributions.studentTQuantile(0.5, df: 3), 0)
        XCTAssertEqual(Distributions.studentTQuantile(1, df: 3), .infinity)
        XCTAssertTrue(Distributions.studentTQuantile(1.5, df: 3).isNaN)
        XCTAssertTrue(Distributions.studentTQuantile(0.5, df: 0).isNaN)
    }

    func testStudentTCDFMatchesScipy() {
        // scipy.stats.t.cdf(-2.5, 3) → 0.04385332350403278; t.cdf(1.3, 7.5) → 0.8839366105921956
        XCTAssertEqual(Distributions.studentTCDF(-2.5, df: 3), 0.04385332350403278, accuracy: 1e-13)
        XCTAssertEqual(Distributions.studentTCDF(1.3, df: 7.5), 0.8839366105921956, accuracy: 1e-13)
        XCTAssertEqual(Distributions.studentTCDF(0, df: 4), 0.5, accuracy: 1e-15)
        // Quantile and CDF are inverse to each other.
        for p in [0.01, 0.2, 0.5, 0.77, 0.999] {
            XCTAssertEqual(Distributions.studentTCDF(Distributions.studentTQuantile(p, df: 5.5), df: 5.5), p, accuracy: 1e-13)
        }
    }

    func testNormalCDFAndQuantileMatchScipy() {
        // scipy.stats.norm.ppf(0.975) → 1.959963984540054; norm.ppf(1e-10) → -6.361340902404056;
        // norm.ppf(0.3) → -0.5244005127080409; norm.cdf(-3.1) → 0.0009676032132183563
        XCTAssertEqual(Distributions.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(Distributions.normalQuantile(1e-10), -6.361340902404056, accuracy: 1e-11)
        XCTAssertEqual(Distributions.normalQuantile(0.3), -0.5244005127080409, accuracy: 1e-12)
        XCTAssertEqual(Distributions.normalCDF(-3.1), 0.0009676032132183563, accuracy: 1e-17)
        XCTAssertEqual(Distributions.normalQuantile(0), -.infinity)
        XCTAssertTrue(Distributions.normalQuantile(-0.1).isNaN)
    }
}
