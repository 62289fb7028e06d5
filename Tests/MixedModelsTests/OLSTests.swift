import Foundation
import XCTest
@testable import MixedModels
@testable import Numerics

/// Ordinary least squares against values worked out by hand.
final class OLSTests: XCTestCase {
    func frame(_ csv: String, _ formula: String) throws -> ModelFrame {
        try ModelFrame.build(formula: try Formula.parse(formula), table: try DataTable(text: csv))
    }

    func testSimpleRegressionByHand() throws {
        // x̄ = ȳ = 3, Sxy = 8, Sxx = 10 → slope 0.8, intercept 0.6; residuals −.4 .8 −1 1.2 −.6, RSS 3.6.
        let fit = try OrdinaryLeastSquares.fit(try frame("x,y\n1,1\n2,3\n3,2\n4,5\n5,4\n", "y ~ x"))
        XCTAssertEqual(fit.fixedEffectNames, ["(Intercept)", "x"])
        XCTAssertEqual(fit.beta[0], 0.6, accuracy: 1e-12)
        XCTAssertEqual(fit.beta[1], 0.8, accuracy: 1e-12)
        XCTAssertEqual(fit.rss, 3.6, accuracy: 1e-12)
        XCTAssertEqual(fit.standardErrors[1], (3.6 / 3 / 10).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fit.logLik, -2.5 * (log(2 * Double.pi * 3.6 / 5) + 1), accuracy: 1e-12)
        XCTAssertEqual(fit.rSquared, 1 - 3.6 / 10, accuracy: 1e-12)
        XCTAssertEqual(try fit.predict(try Matrix<Double>([[1, 10]]))[0], 8.6, accuracy: 1e-12)
    }

    func testCollinearColumnIsDroppedByName() throws {
        let fit = try OrdinaryLeastSquares.fit(try frame("x,z,y\n1,2,1\n2,4,3\n3,6,2\n4,8,5\n5,10,4\n", "y ~ x + z"))
        XCTAssertEqual(fit.droppedColumns, ["z"])
        XCTAssertEqual(fit.fixedEffectNames, ["(Intercept)", "x"])
        XCTAssertEqual(fit.beta[1], 0.8, accuracy: 1e-12)
        XCTAssertTrue(fit.warnings.first?.contains("z") ?? false)
    }

    func testFactorCoefficientsAreGroupMeans() throws {
        // Treatment contrasts: intercept = mean of level a (2), g b = mean(b) − mean(a) = 5 − 2.
        let fit = try OrdinaryLeastSquares.fit(try frame("g,y\na,1\na,3\nb,4\nb,6\n", "y ~ g"))
        XCTAssertEqual(fit.fixedEffectNames, ["(Intercept)", "gb"])
        XCTAssertEqual(fit.beta[0], 2, accuracy: 1e-12)
        XCTAssertEqual(fit.beta[1], 3, accuracy: 1e-12)
    }

    func testTooFewRowsThrows() {
        XCTAssertThrowsError(try OrdinaryLeastSquares.fit(try frame("x,y\n1,1\n2,2\n", "y ~ x")))
    }
}

/// χ² tail probabilities against textbook critical values.
final class DistributionTests: XCTestCase {
    func testChiSquaredCriticalValues() {
        XCTAssertEqual(Distributions.chiSquaredSurvival(3.841458820694124, df: 1), 0.05, accuracy: 1e-10)
        XCTAssertEqual(Distributions.chiSquaredSurvival(5.991464547107979, df: 2), 0.05, accuracy: 1e-10)
        XCTAssertEqual(Distributions.chiSquaredSurvival(18.30703805327515, df: 10), 0.05, accuracy: 1e-10)
        XCTAssertEqual(Distributions.chiSquaredSurvival(6.634896601021214, df: 1), 0.01, accuracy: 1e-10)
        XCTAssertEqual(Distributions.chiSquaredSurvival(2, df: 2), exp(-1), accuracy: 1e-14)   // df 2: e^{−x/2}
        XCTAssertEqual(Distributions.chiSquaredSurvival(0, df: 3), 1)
        XCTAssertEqual(Distributions.chiSquaredSurvival(400, df: 3), 0, accuracy: 1e-80)
    }

    func testStudentTCriticalValues() {
        XCTAssertEqual(Distributions.studentTwoSidedP(tSquared: pow(2.228138851986274, 2), df: 10), 0.05, accuracy: 1e-9)
        XCTAssertEqual(Distributions.studentTwoSidedP(tSquared: pow(12.70620473617471, 2), df: 1), 0.05, accuracy: 1e-9)
        XCTAssertEqual(Distributions.studentTwoSidedP(tSquared: pow(2.575829303548901, 2), df: 1e7), 0.01, accuracy: 1e-6)
        XCTAssertEqual(Distributions.studentTwoSidedP(tSquared: 0, df: 5), 1, accuracy: 1e-12)
    }

    func testNormalLogDensity() {
        XCTAssertEqual(Distributions.normalLogDensity(0, mean: 0, sd: 1), -0.5 * log(2 * Double.pi), accuracy: 1e-15)
        XCTAssertEqual(Distributions.normalLogDensity(3, mean: 1, sd: 2), -0.5 - log(2) - 0.5 * log(2 * Double.pi), accuracy: 1e-15)
    }
}
