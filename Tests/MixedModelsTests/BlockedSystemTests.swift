import Foundation
import XCTest
@testable import MixedModels
@testable import Numerics

/// The evaluation strategies of the blocked Cholesky (sparse, dense, grouped) agree with each
/// other and with a dense reference computed directly from Λ, Z, X and y.
final class BlockedSystemTests: XCTestCase {
    /// Crossed subjects × items with a by-subject slope; items read by varying numbers of subjects.
    func frame() throws -> ModelFrame {
        var rng = SeededGenerator(seed: 21)
        var csv = "rt,x,subject,item\n"
        for s in 0..<7 { for i in 0..<40 where rng.nextUnit() < 0.6 {
            let x = rng.nextUnit() * 4
            csv += "\(300 + 10 * x + Double(s * 7 % 5) * 8 + Double(i % 9) * 3 + rng.nextUnit() * 20),\(x),s\(s),w\(i)\n"
        } }
        return try ModelFrame.build(formula: try Formula.parse("rt ~ x + (1 + x | subject) + (1 | item)"), table: try DataTable(text: csv))
    }

    func blocks(_ f: ModelFrame) -> [RandomEffectBlock] {
        f.randomTerms.indices.sorted { f.randomTerms[$0].levels.count > f.randomTerms[$1].levels.count }.map { RandomEffectBlock(f.randomTerms[$0]) }
    }

    /// −2 log-likelihood (ML) from dense matrices: log|ΛᵀZᵀZΛ + I| + n(1 + log(2π r²/n)),
    /// r² = min over β, u of ‖y − Xβ − ZΛu‖² + ‖u‖², by solving the full normal equations.
    func denseDeviance(_ f: ModelFrame, _ b: [RandomEffectBlock], theta: [Double]) throws -> Double {
        let n = f.n, p = f.X.cols
        let q = b.reduce(0) { $0 + $1.width }
        var zl = Matrix<Double>(rows: n, cols: q)   // Z Λ
        var col0 = 0, k = 0
        for t in b {
            let lam = t.lambda(theta[k..<(k + t.thetaCount)]); k += t.thetaCount
            for r in 0..<n {
                let l = Int(t.levelIndex[r])
                for j in 0..<t.q { var s = 0.0; for i in 0..<t.q { s += t.z[r * t.q + i] * lam[i + j * t.q] }; zl[r, col0 + l * t.q + j] = s }
            }
            col0 += t.width
        }
        var w = Matrix<Double>(rows: n, cols: q + p)   // [ZΛ X]
        for j in 0..<q { for r in 0..<n { w[r, j] = zl[r, j] } }
        for j in 0..<p { for r in 0..<n { w[r, q + j] = f.X[r, j] } }
        var a = try BLAS.multiply(w, w, transA: .transpose)
        for j in 0..<q { a[j, j] += 1 }
        let rhs = try BLAS.multiply(w, try Matrix(rows: n, cols: 1, columnMajor: f.y), transA: .transpose)
        let chol = try LAPACK.cholesky(a)
        let sol = try LAPACK.choleskySolve(factor: chol, rhs)
        var fitted = [Double](repeating: 0, count: n)
        try BLAS.gemv(.none, w, sol.storage, into: &fitted)
        var r2 = 0.0
        for r in 0..<n { r2 += (f.y[r] - fitted[r]) * (f.y[r] - fitted[r]) }
        for j in 0..<q { r2 += sol[j, 0] * sol[j, 0] }
        let az = try LAPACK.cholesky(Matrix(rows: q, cols: q, columnMajor: (0..<(q * q)).map { a[$0 % q, $0 / q] }))
        var logDet = 0.0
        for j in 0..<q { logDet += 2 * log(az[j, j]) }
        return logDet + Double(n) * (1 + log(2 * Double.pi * r2 / Double(n)))
    }

    func deviance(_ s: BlockedSystem, _ theta: [Double], full: Bool) -> Double {
        XCTAssertTrue(try s.update(theta: theta, fullFactor: full))
        return s.logDetL2 + Double(s.n) * (1 + log(2 * Double.pi * s.pwrss / Double(s.n)))
    }

    func testStrategiesAgreeWithDenseReference() throws {
        let f = try frame()
        let b = blocks(f)
        XCTAssertEqual(b[0].groupingName, "item")
        let theta = [0.7, 1.3, 0.2, 0.4]
        let reference = try denseDeviance(f, b, theta: theta)
        for strategy in [BlockedSystem.Strategy(denseOuter: false, allowGrouping: false),
                         BlockedSystem.Strategy(denseOuter: true, allowGrouping: false),
                         BlockedSystem.Strategy(denseOuter: nil, allowGrouping: true)] {
            let s = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: strategy)
            XCTAssertEqual(deviance(s, theta, full: false), reference, accuracy: 1e-8 * abs(reference), "\(strategy)")
            XCTAssertEqual(deviance(s, theta, full: true), reference, accuracy: 1e-8 * abs(reference), "\(strategy)")
        }
    }

    /// Two crossed scalar terms with many levels each (students × lecturers, as in InstEval):
    /// the sparse supernodal factor of the lecturer block gives the dense reference's deviance,
    /// REML pieces and, after the full update, the same solution.
    /// 120 students rating ~8 of 180 lecturers each, mostly within a "department" of 30.
    private func crossedRatings() throws -> (ModelFrame, [RandomEffectBlock]) {
        var rng = SeededGenerator(seed: 5)
        var csv = "y,x,s,d\n"
        for st in 0..<120 {
            let dept = st % 6
            for _ in 0..<8 {
                let d = rng.nextUnit() < 0.8 ? dept * 30 + Int(rng.nextUnit() * 30) : Int(rng.nextUnit() * 180)
                csv += "\(2 + rng.nextUnit() * 3 + Double(d % 7) * 0.2),\(rng.nextUnit()),s\(st),d\(d)\n"
            }
        }
        let f = try ModelFrame.build(formula: try Formula.parse("y ~ x + (1 | s) + (1 | d)"), table: try DataTable(text: csv))
        return (f, blocks(f))
    }

    /// The sparse path runs its own second thread: OpenBLAS's are parked (one BLAS thread)
    /// while the system lives and the count comes back when it is released; without the sparse
    /// path nothing changes.
    func testSparseSystemParksBLASThreadsAndHandsThemBack() throws {
        let (f, b) = try crossedRatings()
        let before = BLASRuntime.threads
        try XCTSkipIf(BLASRuntime.cores < 2 || before < 2, "needs two cores and two BLAS threads")
        do {
            let sparse = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: false, sparseSchur: true))
            XCTAssertEqual(BLASRuntime.threads, 1)
            XCTAssertTrue(try sparse.update(theta: [0.6, 0.9]))
            XCTAssertEqual(BLASRuntime.threads, 1, "an evaluation leaves the count alone")
        }
        XCTAssertEqual(BLASRuntime.threads, before, "handed back on release")
        let dense = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: false, sparseSchur: false))
        XCTAssertTrue(try dense.update(theta: [0.6, 0.9]))
        XCTAssertEqual(BLASRuntime.threads, before, "the dense path keeps the BLAS threads")
    }

    func testSparseLecturerBlockAgreesWithDense() throws {
        let (f, b) = try crossedRatings()
        let theta = [0.6, 0.9]
        let reference = try denseDeviance(f, b, theta: theta)
        let sparse = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: false, sparseSchur: true))
        let dense = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: false, sparseSchur: false))
        XCTAssertTrue(sparse.evaluation is SparseTermOneEvaluation)
        XCTAssertTrue(dense.evaluation is DenseBlocksEvaluation)
        XCTAssertEqual(deviance(sparse, theta, full: false), reference, accuracy: 1e-9 * abs(reference))
        XCTAssertTrue(sparse.sparseFactorCurrent, "the lecturer block was factored sparsely")
        XCTAssertFalse(dense.sparseFactorCurrent)
        XCTAssertEqual(deviance(dense, theta, full: false), reference, accuracy: 1e-9 * abs(reference))
        XCTAssertEqual(sparse.logDetRX2, dense.logDetRX2, accuracy: 1e-9 * abs(dense.logDetRX2))
        XCTAssertEqual(sparse.pwrss, dense.pwrss, accuracy: 1e-9 * dense.pwrss)
        // A θ where the block is not positive definite cannot occur (S ⪰ I), but a failed step must
        // not poison the next one: evaluate again at another θ.
        XCTAssertEqual(deviance(sparse, [1.4, 0.3], full: false), try denseDeviance(f, b, theta: [1.4, 0.3]), accuracy: 1e-8 * abs(reference))
        XCTAssertTrue(try sparse.update(theta: theta, fullFactor: true))
        XCTAssertTrue(sparse.sparseFactorCurrent, "the solution goes through the sparse factor")
        XCTAssertTrue(try dense.update(theta: theta, fullFactor: true))
        let (bs, us) = try sparse.solution(), (bd, ud) = try dense.solution()
        for (a, c) in zip(bs, bd) { XCTAssertEqual(a, c, accuracy: 1e-9 * max(1, abs(c))) }
        for (a, c) in zip(us[1], ud[1]) { XCTAssertEqual(a, c, accuracy: 1e-9 * max(1, abs(c))) }
    }

    /// Three scalar terms (items, subjects, lists): the grouped sums of term 0 through BLAS
    /// (syrk for a term with itself, gemm between subjects and lists) give the reference deviance.
    func testGroupedScalarTermsAgreeWithDenseReference() throws {
        var rng = SeededGenerator(seed: 8)
        var csv = "rt,subject,item,list\n"
        for sub in 0..<9 { for i in 0..<60 where rng.nextUnit() < 0.7 {
            csv += "\(300 + Double(sub * 5 % 7) * 6 + Double(i % 11) * 2 + rng.nextUnit() * 25),s\(sub),w\(i),l\((sub + i) % 4)\n"
        } }
        let f = try ModelFrame.build(formula: try Formula.parse("rt ~ 1 + (1 | subject) + (1 | item) + (1 | list)"), table: try DataTable(text: csv))
        let b = blocks(f)
        XCTAssertEqual(b.map(\.groupingName), ["item", "subject", "list"])
        let theta = [0.8, 0.5, 0.3]
        let reference = try denseDeviance(f, b, theta: theta)
        let grouped = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: true))
        XCTAssertEqual(deviance(grouped, theta, full: false), reference, accuracy: 1e-9 * abs(reference))
        XCTAssertTrue(grouped.blocksStale, "items with few distinct counts take the grouped path")
        XCTAssertTrue(grouped.evaluation is GroupedSumsEvaluation)
        let plain = try BlockedSystem(X: f.X, y: f.y, terms: b, strategy: .init(allowGrouping: false))
        XCTAssertEqual(deviance(plain, theta, full: false), reference, accuracy: 1e-9 * abs(reference))
        XCTAssertTrue(plain.evaluation is DenseBlocksEvaluation)
        // A full factor forms the term-0 blocks the grouped evaluation skips.
        XCTAssertTrue(try grouped.update(theta: theta, fullFactor: true))
        XCTAssertFalse(grouped.blocksStale)
    }

    func testGroupedPathIsUsedAndFitsMatchUngrouped() throws {
        let f = try frame()
        let fit = try LinearMixedModel.fit(f)
        // The same optimum from the ungrouped, sparse system.
        let s = try BlockedSystem(X: f.X, y: f.y, terms: blocks(f), strategy: .init(denseOuter: false, allowGrouping: false))
        XCTAssertEqual(deviance(s, fit.theta, full: true), fit.objective, accuracy: 1e-9 * abs(fit.objective))
        let g = try BlockedSystem(X: f.X, y: f.y, terms: blocks(f))
        _ = try g.update(theta: fit.theta)
        XCTAssertTrue(g.blocksStale, "a scalar item term with few distinct counts takes the grouped path")
    }
}
