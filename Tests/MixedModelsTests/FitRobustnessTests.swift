import Foundation
import XCTest
@testable import MixedModels
import Numerics

/// Issue 12, items 1 and 10: unique model-matrix column names, shape bugs that throw instead
/// of being skipped, and fits with no defined estimate or df.resid < 0 that are errors.
final class FitRobustnessTests: XCTestCase {
    func testUniqueNamesFollowsRsMakeUnique() {
        XCTAssertEqual(ModelFrame.uniqueNames(["(Intercept)", "x2", "x3", "x2"]), ["(Intercept)", "x2", "x3", "x2.1"])
        XCTAssertEqual(ModelFrame.uniqueNames(["a", "a", "a.1", "a"]), ["a", "a.2", "a.1", "a.3"])
        XCTAssertEqual(ModelFrame.uniqueNames(["a", "b"]), ["a", "b"])
    }

    /// Level `2` of factor `x` and the numeric column `x2` are both `x2` in R's model.matrix.
    func testFactorLevelNameCollidingWithAColumnIsRenamed() throws {
        var csv = "y,x,x2\n"
        for i in 0..<12 { csv += "\(Double(i) * 1.5 + Double(i % 3)),\(i % 3 + 1),\(Double(i * 7 % 5) / 2)\n" }
        let table = try DataTable(text: csv)
        let frame = try ModelFrame.build(formula: try Formula.parse("y ~ x + x2"), table: table, factors: ["x"])
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "x2", "x3", "x2.1"])
        let fit = try OrdinaryLeastSquares.fit(frame)
        XCTAssertEqual(Set(fit.fixedEffectNames).count, fit.fixedEffectNames.count)
        // The renamed column is the numeric x2: its estimate equals the one of a fit without the clash.
        let plain = try ModelFrame.build(formula: try Formula.parse("y ~ x + z"),
                                         table: try DataTable(text: csv.replacingOccurrences(of: "y,x,x2", with: "y,x,z")), factors: ["x"])
        let reference = try OrdinaryLeastSquares.fit(plain)
        XCTAssertEqual(fit.beta[3], reference.beta[3], accuracy: 1e-12)
    }

    func testGroupedSumsWithMismatchedShapesThrow() throws {
        let stacked = Matrix<Double>(rows: 4, cols: 3)
        XCTAssertThrowsError(try GroupedTermZero.combine(stacked, [1, 2], rows: 2, cols: 2))      // w too short
        XCTAssertThrowsError(try GroupedTermZero.combine(stacked, [1, 2, 3], rows: 3, cols: 2))   // result size ≠ rows
        XCTAssertEqual(try GroupedTermZero.combine(stacked, [1, 2, 3], rows: 2, cols: 2).rows, 2)
    }

    func testEveryEstimateUndefinedIsAnError() throws {
        let table = try DataTable(text: "y,z,g\n1,0,a\n2,0,b\n4,0,a\n3,0,b\n5,0,a\n7,0,b\n")
        let frame = try ModelFrame.build(formula: try Formula.parse("y ~ 0 + z"), table: table)
        XCTAssertThrowsError(try OrdinaryLeastSquares.fit(frame)) { error in
            guard case RegressionError.noEstimableCoefficients(let dropped, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dropped, ["z"])
        }
        let mixed = try ModelFrame.build(formula: try Formula.parse("y ~ 0 + z + (1|g)"), table: table)
        XCTAssertThrowsError(try LinearMixedModel.fit(mixed)) { error in
            XCTAssertTrue("\(error)".contains("no fixed-effect coefficient"), "\(error)")
        }
        // No columns at all (y ~ 0) is a valid, if empty, model.
        XCTAssertNoThrow(try OrdinaryLeastSquares.fit(try ModelFrame.build(formula: try Formula.parse("y ~ 0"), table: table)))
    }

    /// One "abc" in a numeric column makes it a 12-level factor: more parameters than rows.
    func testNegativeResidualDegreesNamesTheTextCell() throws {
        var csv = "y,x,g\n"
        for i in 0..<12 { csv += "\(Double(i * 5 % 7) + 0.5 * Double(i)),\(i == 3 ? "abc" : String(Double(i) * 1.5)),g\(i % 3)\n" }
        let table = try DataTable(text: csv, sourceName: "rt.csv")
        let frame = try ModelFrame.build(formula: try Formula.parse("y ~ x + (1|g)"), table: table)
        XCTAssertThrowsError(try LinearMixedModel.fit(frame)) { error in
            guard case RegressionError.negativeResidualDegrees(let n, let parameters, let cause) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(n, 12)
            XCTAssertGreaterThan(parameters, n)
            let text = "\(error)"
            XCTAssertTrue(text.contains("'x'") && text.contains("'abc'") && text.contains("rt.csv:5"), text)
            XCTAssertNotNil(cause)
        }
        let ols = try ModelFrame.build(formula: try Formula.parse("y ~ x"), table: table)
        XCTAssertThrowsError(try OrdinaryLeastSquares.fit(ols)) { XCTAssertTrue("\($0)".contains("'abc'"), "\($0)") }
    }
}
