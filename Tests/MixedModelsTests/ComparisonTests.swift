import Foundation
import XCTest
@testable import MixedModels
@testable import Numerics

/// ΔLogLik, cross-validation folds, LRT and the permutation test on cases checkable by hand.
final class ComparisonTests: XCTestCase {
    /// A table with a real effect of x, a nuisance z, subjects, and a fold column.
    func table(rows: Int = 120, seed: UInt64 = 3) -> DataTable {
        var rng = SeededGenerator(seed: seed)
        var cols: [(String, [String?])] = [("y", []), ("x", []), ("z", []), ("subject", []), ("split", [])]
        for i in 0..<rows {
            let x = rng.nextUnit() * 10, z = rng.nextUnit()
            let subject = i % 8
            let y = 2 + 0.5 * x + Double(subject) * 0.7 + (rng.nextUnit() - 0.5) * 3
            cols[0].1.append(String(y)); cols[1].1.append(String(x)); cols[2].1.append(String(z))
            cols[3].1.append("s\(subject)"); cols[4].1.append(["a", "b", "c"][i % 3])
        }
        return DataTable(columns: cols, sourceName: "sim")
    }

    func testInSampleDeltaEqualsDifferenceOfFits() throws {
        let t = table()
        var o = ComparisonOptions(); o.permutations = 0
        let r = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        let b = try OrdinaryLeastSquares.fit(try ModelFrame.build(formula: try Formula.parse("y ~ z"), table: t))
        let f = try OrdinaryLeastSquares.fit(try ModelFrame.build(formula: try Formula.parse("y ~ z + x"), table: t))
        XCTAssertEqual(r.deltaLogLik, f.logLik - b.logLik, accuracy: 1e-9)
        XCTAssertEqual(r.deltaLogLikPerRow, (f.logLik - b.logLik) / 120, accuracy: 1e-12)
        XCTAssertEqual(r.lrtDegreesOfFreedom, 1)
        XCTAssertEqual(r.lrtChiSquared, 2 * (f.logLik - b.logLik), accuracy: 1e-9)
        XCTAssertLessThan(r.lrtP, 1e-6)
        XCTAssertNil(r.cvMean)
    }

    func testHeldOutRowsSumAcrossFoldsAndMatchAHandFit() throws {
        let t = table()
        var o = ComparisonOptions(); o.folds = 4; o.seed = 9; o.permutations = 0
        let r = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        XCTAssertEqual(r.folds.count, 4)
        XCTAssertEqual(r.folds.map(\.n).reduce(0, +), 120)
        let foldTotal = r.folds.reduce(0.0) { $0 + ($1.fullLogLik - $1.baseLogLik) }
        XCTAssertEqual(r.heldOutDelta.reduce(0, +), foldTotal, accuracy: 1e-9)
        XCTAssertEqual(r.cvMean!, foldTotal / 120, accuracy: 1e-12)

        // Recompute fold 1 by hand: fit on the other folds, score with the training ML σ.
        let frame = try ModelFrame.build(formula: try Formula.parse("y ~ z + x"), table: t)
        var order = Array(0..<120)
        var rng = SeededGenerator(seed: 9)
        order.shuffle(using: &rng)
        var foldOf = [Int](repeating: 0, count: 120)
        for (i, row) in order.enumerated() { foldOf[row] = i % 4 }
        let test = (0..<120).filter { foldOf[$0] == 0 }, train = (0..<120).filter { foldOf[$0] != 0 }
        let fit = try OrdinaryLeastSquares.fit(frame.subset(train))
        let sigma = (fit.rss / Double(train.count)).squareRoot()
        let pred = try fit.predict(frame.subset(test).X)
        let ll = zip(test, pred).reduce(0.0) { $0 + Distributions.normalLogDensity(frame.y[$1.0], mean: $1.1, sd: sigma) }
        XCTAssertEqual(r.folds[0].fullLogLik, ll, accuracy: 1e-9)
    }

    func testFoldColumnGivesExactlyItsFolds() throws {
        let t = table()
        var o = ComparisonOptions(); o.foldColumn = "split"; o.permutations = 0
        let r = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        XCTAssertEqual(r.folds.map(\.label), ["a", "b", "c"])
        XCTAssertEqual(r.folds.map(\.n), [40, 40, 40])
        o.foldColumn = "nope"
        XCTAssertThrowsError(try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o))
    }

    func testSeededFoldsAreDeterministic() throws {
        let t = table()
        var o = ComparisonOptions(); o.folds = 5; o.seed = 11; o.permutations = 200
        let a = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        let b = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        XCTAssertEqual(a.heldOutDelta, b.heldOutDelta)
        XCTAssertEqual(a.permutationP, b.permutationP)
        o.seed = 12
        let c = try ModelComparison.compare(table: t, base: try Formula.parse("y ~ z"), full: try Formula.parse("y ~ z + x"), options: o)
        XCTAssertNotEqual(a.heldOutDelta, c.heldOutDelta)
    }

    func testMixedModelDeltaMatchesFitsAndBothHeldOutModes() throws {
        let t = table()
        var o = ComparisonOptions(); o.folds = 3; o.permutations = 0
        let base = try Formula.parse("y ~ z + (1 | subject)"), full = try Formula.parse("y ~ z + x + (1 | subject)")
        let r = try ModelComparison.compare(table: t, base: base, full: full, options: o)
        XCTAssertEqual(r.kind, .lmm)
        let b = try LinearMixedModel.fit(try ModelFrame.build(formula: base, table: t))
        let f = try LinearMixedModel.fit(try ModelFrame.build(formula: full, table: t))
        XCTAssertEqual(r.deltaLogLik, f.logLik - b.logLik, accuracy: 1e-6)
        XCTAssertGreaterThan(r.cvMean!, 0)
        o.randomEffects = .integrated
        let ri = try ModelComparison.compare(table: t, base: base, full: full, options: o)
        XCTAssertNotEqual(ri.cvMean!, r.cvMean!)
        // Integrated out, the subject effects widen the predictive variance: held-out logLik is lower.
        XCTAssertLessThan(ri.folds[0].fullLogLik, r.folds[0].fullLogLik)
    }

    func testMixingOLSAndMixedModelIsRejected() throws {
        XCTAssertThrowsError(try ModelComparison.compare(table: table(), base: try Formula.parse("y ~ z"),
                                                         full: try Formula.parse("y ~ z + (1 | subject)"), options: ComparisonOptions()))
    }

    func testSignFlipTest() {
        XCTAssertEqual(ModelComparison.signFlipTest([Double](repeating: 1, count: 200), permutations: 99, seed: 1), 0.01, accuracy: 1e-12)
        let symmetric = (0..<200).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        XCTAssertGreaterThan(ModelComparison.signFlipTest(symmetric, permutations: 199, seed: 1), 0.5)
    }
}

/// Bad input to the mixed-model fitter: clear errors or reported warnings, never a crash.
final class LMMInputTests: XCTestCase {
    func testOneLevelGroupingFactorIsAnError() {
        let csv = "y,x,g\n1,1,a\n2,2,a\n3,3,a\n"
        XCTAssertThrowsError(try LinearMixedModel.fit(try ModelFrame.build(formula: try Formula.parse("y ~ x + (1|g)"), table: try DataTable(text: csv)))) { e in
            XCTAssertTrue("\(e)".contains("g"), "\(e)")
        }
    }

    func testRankDeficientXIsReportedAndFitted() throws {
        var csv = "y,x,x2,g\n"
        var rng = SeededGenerator(seed: 5)
        for i in 0..<40 { let x = Double(i % 10); csv += "\(x + rng.nextUnit() + Double(i % 4)),\(x),\(2 * x),g\(i % 4)\n" }
        let fit = try LinearMixedModel.fit(try ModelFrame.build(formula: try Formula.parse("y ~ x + x2 + (1|g)"), table: try DataTable(text: csv)))
        XCTAssertEqual(fit.droppedColumns, ["x2"])
        XCTAssertTrue(fit.warnings.contains { $0.contains("rank deficient") && $0.contains("x2") })
        XCTAssertEqual(fit.fixedEffectNames, ["(Intercept)", "x"])
    }

    func testEmptyAfterDroppingMissingIsAnError() {
        let csv = "y,x,g\nNA,1,a\n2,NA,b\n"
        XCTAssertThrowsError(try ModelFrame.build(formula: try Formula.parse("y ~ x + (1|g)"), table: try DataTable(text: csv))) { e in
            XCTAssertTrue("\(e)".contains("no rows left"), "\(e)")
        }
    }

    func testSingularFitIsFlagged() throws {
        // Every group holds the same ten values (in another order): the group means are equal,
        // so there is no between-group variance and θ goes to the boundary 0 — a singular fit.
        // With a group offset added, the same data give an interior θ: not singular.
        var rng = SeededGenerator(seed: 2)
        let values = (0..<10).map { _ in rng.nextUnit() }
        func fit(groupOffset: Double) throws -> LinearMixedModelFit {
            var csv = "y,g\n"
            for g in 0..<6 { for i in 0..<10 { csv += "\(values[(i + g) % 10] + groupOffset * Double(g)),g\(g)\n" } }
            return try LinearMixedModel.fit(try ModelFrame.build(formula: try Formula.parse("y ~ 1 + (1|g)"), table: try DataTable(text: csv)))
        }
        let singular = try fit(groupOffset: 0)
        XCTAssertLessThan(singular.theta[0], 1e-4)
        XCTAssertTrue(singular.singular)
        XCTAssertTrue(singular.warnings.contains { $0.contains("singular") }, "\(singular.warnings)")
        let interior = try fit(groupOffset: 1)
        XCTAssertGreaterThan(interior.theta[0], 0.1)
        XCTAssertFalse(interior.singular)
        XCTAssertFalse(interior.warnings.contains { $0.contains("singular") }, "\(interior.warnings)")
    }
}
