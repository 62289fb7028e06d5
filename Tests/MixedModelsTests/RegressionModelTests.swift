import Foundation
import Numerics
import XCTest
@testable import MixedModels

/// Issue 13, item 5: one `RegressionModel` protocol serves OLS and mixed models, and
/// `ModelComparison` works through it for any family.
final class RegressionModelTests: XCTestCase {
    /// Counts the fits it is asked for (an OLS family in disguise).
    final class Counter: @unchecked Sendable { var fits = 0 }
    struct CountingOLS: RegressionModel {
        let counter: Counter
        var kind: MixedModels.ComparisonResult.Kind { .ols }
        func fit(_ frame: ModelFrame) throws -> OLSFit { counter.fits += 1; return try OLSRegression().fit(frame) }
        func heldOutLogLik(_ fit: OLSFit, test: ModelFrame, options: ComparisonOptions) throws -> [Double] {
            try OLSRegression().heldOutLogLik(fit, test: test, options: options)
        }
    }

    func table() throws -> DataTable {
        var csv = "y,x,z,g\n"
        var rng = SeededGenerator(seed: 4)
        for i in 0..<60 {
            let x = rng.nextUnit(), z = rng.nextUnit(), g = i % 5
            csv += "\(1 + 2 * x + 0.5 * z + 0.3 * Double(g) + rng.nextUnit()),\(x),\(z),g\(g)\n"
        }
        return try DataTable(text: csv)
    }

    func testTheFormulaPicksTheFamily() throws {
        XCTAssertEqual(RegressionModels.for(try Formula.parse("y ~ x")).kind, .ols)
        XCTAssertEqual(RegressionModels.for(try Formula.parse("y ~ x + (1|g)")).kind, .lmm)
    }

    func testAComparisonRunsThroughAnyFamily() throws {
        let t = try table()
        var options = ComparisonOptions()
        options.folds = 3
        options.permutations = 10
        let (base, full) = (try Formula.parse("y ~ x"), try Formula.parse("y ~ x + z"))
        let counter = Counter()
        let viaProtocol = try ModelComparison.compare(table: t, base: base, full: full, model: CountingOLS(counter: counter), options: options)
        XCTAssertEqual(counter.fits, 2 + 2 * 3, "two in-sample fits and two per fold")
        let standard = try ModelComparison.compare(table: t, base: base, full: full, options: options)
        XCTAssertEqual(viaProtocol.deltaLogLik, standard.deltaLogLik)
        XCTAssertEqual(viaProtocol.heldOutDelta, standard.heldOutDelta)
        XCTAssertEqual(viaProtocol.permutationP, standard.permutationP)
        XCTAssertEqual(viaProtocol.lrtDegreesOfFreedom, 1)
    }

    func testFitsReportLogLikAndParameters() throws {
        let t = try table()
        let frame = try ModelFrame.build(formula: try Formula.parse("y ~ x + (1|g)"), table: t)
        let fit: any RegressionFit = try RegressionModels.for(try Formula.parse("y ~ x + (1|g)")).fit(frame)
        XCTAssertEqual(fit.parameterCount, 2 + 1 + 1, "β₀, β₁, θ and σ")
        XCTAssertEqual(fit.n, 60)
        XCTAssertTrue(fit.logLik.isFinite)
        XCTAssertEqual(fit.record.kind, .lmm)
        XCTAssertEqual(try fit.rowLogLik(frame).count, 60)
    }
}
