import XCTest
@testable import Numerics

/// NLopt wrapper on functions with known minima.
final class MinimizerTests: XCTestCase {
    func rosenbrock(_ x: [Double]) -> Double {
        let a = 1 - x[0], b = x[1] - x[0] * x[0]
        return a * a + 100 * b * b
    }

    func testBOBYQAMinimisesBoundedRosenbrock() throws {
        var opt = DerivativeFreeMinimizer(algorithm: .bobyqa)
        opt.lowerBounds = [-2, -2]
        opt.upperBounds = [2, 2]
        opt.xtolAbsolute = 1e-10; opt.xtolRelative = 0; opt.ftolAbsolute = 1e-14
        let r = try opt.minimize(from: [-1.2, 1], rosenbrock)
        XCTAssertEqual(r.x[0], 1, accuracy: 1e-6)
        XCTAssertEqual(r.x[1], 1, accuracy: 1e-6)
        XCTAssertLessThan(r.value, 1e-10)
        XCTAssertTrue(r.stopReason.converged)
        XCTAssertGreaterThan(r.evaluations, 10)
    }

    func testBOBYQAStopsAtActiveBound() throws {
        var opt = DerivativeFreeMinimizer()
        opt.lowerBounds = [0.5, -2]; opt.upperBounds = [2, 2]
        let r = try opt.minimize(from: [1.5, 0]) { x in (x[0] + 1) * (x[0] + 1) + (x[1] - 0.3) * (x[1] - 0.3) }
        XCTAssertEqual(r.x[0], 0.5, accuracy: 1e-8)   // unconstrained minimum −1 is outside
        XCTAssertEqual(r.x[1], 0.3, accuracy: 1e-4)
    }

    func testNEWUOAMinimisesQuadratic() throws {
        let opt = DerivativeFreeMinimizer(algorithm: .newuoa)
        let r = try opt.minimize(from: [3, -4, 1]) { x in
            (x[0] - 1) * (x[0] - 1) + 2 * (x[1] + 2) * (x[1] + 2) + 3 * (x[2] - 0.5) * (x[2] - 0.5)
        }
        XCTAssertEqual(r.x[0], 1, accuracy: 1e-3); XCTAssertEqual(r.x[1], -2, accuracy: 1e-3); XCTAssertEqual(r.x[2], 0.5, accuracy: 1e-3)
    }

    func testEvaluationCapReported() throws {
        var opt = DerivativeFreeMinimizer()
        opt.maxEvaluations = 15
        opt.xtolRelative = 0; opt.xtolAbsolute = 0; opt.ftolAbsolute = 0
        let r = try opt.minimize(from: [-1.2, 1], rosenbrock)
        XCTAssertEqual(r.stopReason, .maxEvaluations)
        XCTAssertEqual(r.evaluations, 15)
    }

    func testNonFiniteObjectiveIsSurvivable() throws {
        var opt = DerivativeFreeMinimizer()
        opt.lowerBounds = [-3]; opt.upperBounds = [3]
        let r = try opt.minimize(from: [2]) { x in x[0] < 0 ? .nan : (x[0] - 1) * (x[0] - 1) }
        XCTAssertEqual(r.x[0], 1, accuracy: 1e-4)
    }

    func testBadSetupThrows() {
        var opt = DerivativeFreeMinimizer()
        opt.lowerBounds = [0]
        XCTAssertThrowsError(try opt.minimize(from: [1, 2]) { _ in 0 })
        opt.lowerBounds = [0, 0]; opt.upperBounds = [1, 1]
        XCTAssertThrowsError(try opt.minimize(from: [2, 0.5]) { _ in 0 })
        XCTAssertThrowsError(try DerivativeFreeMinimizer().minimize(from: []) { _ in 0 })
        XCTAssertThrowsError(try DerivativeFreeMinimizer().minimize(from: [.nan]) { _ in 0 })
    }
}
