import XCTest
import Numerics
@testable import LanguageModels

/// Finite-difference checks of every backward pass (LSTM cell, each fusion mode, dense layer,
/// softmax cross-entropy, projection, dropout, embeddings), in Double: the analytic gradient of
/// the summed loss must match central differences (f(θ+ε) − f(θ−ε)) / 2ε for every parameter,
/// to 1e-6 relative (with an absolute floor of 1e-9 for near-zero gradients).
final class GradientCheckTests: XCTestCase {
    /// A small random micro-batch: `rows` sequences of `steps` positions, some without a target.
    static func microBatch(config c: LMConfig, steps: Int = 4, rows: Int = 3, columns: Int = 4, seed: UInt64 = 7) -> MicroBatch {
        var rng = SeededGenerator(seed: seed)
        var mb = MicroBatch(steps: steps, rows: rows)
        for n in 0..<(steps * rows) {
            mb.inputs[n] = Int32(rng.next() % UInt64(c.vocabularySize))
            mb.targets[n] = rng.nextUnit() < 0.2 ? -1 : Int32(rng.next() % UInt64(c.vocabularySize))
        }
        if c.fusion.usesEmbeddings {
            mb.tableColumns = columns
            mb.fusionTable = (0..<(c.fusionWidth * columns)).map { _ in Float(rng.nextUnit() * 2 - 1) }
            mb.fusionColumns = (0..<(steps * rows)).map { _ in Int32(rng.next() % UInt64(columns)) }
            mb.initialColumns = (0..<rows).map { _ in Int32(rng.next() % UInt64(columns)) }
        }
        return mb
    }

    /// Compares analytic and numeric gradients for every parameter; returns the worst relative error.
    @discardableResult
    static func check(_ c: LMConfig, dropout: Double = 0, carried: Bool = false, ragged: Bool = false,
                      file: StaticString = #filePath, line: UInt = #line) -> Double {
        let core = LSTMCore<Double>(config: c)
        core.initialize(seed: 3)
        // Make biases non-zero so their gradients are exercised in general position.
        var rng = SeededGenerator(seed: 11)
        for i in 0..<core.layout.count { core.params.p[i] += (rng.nextUnit() - 0.5) * 0.2 }
        let mb = ragged ? raggedMicroBatch(config: c) : microBatch(config: c)
        var state: RecurrentState<Double>? = nil
        if carried {
            let n = c.hiddenSize * mb.rows
            state = RecurrentState(h: (0..<c.layers).map { _ in (0..<n).map { _ in rng.nextUnit() - 0.5 } },
                                   c: (0..<c.layers).map { _ in (0..<n).map { _ in rng.nextUnit() - 0.5 } })
        }
        func loss() -> Double {
            var r = SeededGenerator(seed: 99)   // the same dropout masks every time
            return core.run(mb, dropout: dropout, rng: &r, state: state).lossSum
        }
        core.grads.zero()
        var r = SeededGenerator(seed: 99)
        let base = core.run(mb, gradientScale: 1, dropout: dropout, rng: &r, state: state)
        XCTAssertGreaterThan(base.count, 0, file: file, line: line)
        let analytic = core.grads.array
        var worst = 0.0
        let eps = 1e-5
        for i in 0..<core.layout.count {
            let saved = core.params.p[i]
            core.params.p[i] = saved + eps; let fp = loss()
            core.params.p[i] = saved - eps; let fm = loss()
            core.params.p[i] = saved
            let numeric = (fp - fm) / (2 * eps)
            // Rounding noise of the difference quotient is ~1e-10 here; a wrong formula is off by
            // the size of the gradient itself.
            let err = abs(numeric - analytic[i]) / (abs(numeric) + abs(analytic[i]) + 1e-3)
            if err > 1e-6 {
                let slot = core.layout.slots.last { $0.offset <= i }!
                XCTFail("\(c.fusion.rawValue): parameter \(i) (\(slot.name)) analytic \(analytic[i]) numeric \(numeric)", file: file, line: line)
                return err
            }
            worst = max(worst, err)
        }
        return worst
    }

    /// A ragged micro-batch (as early fusion's prefixes are batched): 3 rows of lengths 4, 3, 1.
    static func raggedMicroBatch(config c: LMConfig) -> MicroBatch {
        let uniform = microBatch(config: c)
        var mb = MicroBatch(stepRows: [3, 2, 2, 1])
        for n in 0..<mb.positionCount {
            mb.inputs[n] = uniform.inputs[n]
            mb.targets[n] = n % 3 == 1 ? -1 : uniform.targets[n] >= 0 ? uniform.targets[n] : 2
        }
        if c.fusion.usesEmbeddings {
            mb.tableColumns = uniform.tableColumns; mb.fusionTable = uniform.fusionTable
            mb.fusionColumns = Array(uniform.fusionColumns.prefix(mb.positionCount)); mb.initialColumns = uniform.initialColumns
        }
        return mb
    }

    /// A ragged batch computes exactly what the same rows padded to full length compute (the
    /// padding has no targets), loss and gradients.
    func testRaggedBatchEqualsPaddedBatch() {
        let c = Self.config(.earlyBoth, layers: 2)
        let ragged = Self.raggedMicroBatch(config: c)
        var padded = MicroBatch(steps: 4, rows: 3)
        padded.tableColumns = ragged.tableColumns; padded.fusionTable = ragged.fusionTable
        padded.initialColumns = ragged.initialColumns
        padded.fusionColumns = [Int32](repeating: 0, count: 12)
        let offsets = ragged.stepOffsets
        for t in 0..<4 { for r in 0..<ragged.rowsPerStep[t] {
            padded.inputs[t * 3 + r] = ragged.inputs[offsets[t] + r]
            padded.targets[t * 3 + r] = ragged.targets[offsets[t] + r]
        } }
        func run(_ mb: MicroBatch) -> (Double, [Double]) {
            let core = LSTMCore<Double>(config: c)
            core.initialize(seed: 3)
            var rng = SeededGenerator(seed: 1)
            let r = core.run(mb, gradientScale: 1, rng: &rng)
            return (r.lossSum, core.grads.array)
        }
        let (lr, gr) = run(ragged), (lp, gp) = run(padded)
        XCTAssertEqual(lr, lp, accuracy: 1e-12)
        XCTAssertGreaterThan(gr.map(abs).max()!, 0)
        for (a, b) in zip(gr, gp) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testRaggedEarlyBoth() { Self.check(Self.config(.earlyBoth, layers: 2), ragged: true) }
    func testRaggedEarlyC0WithDropout() { Self.check(Self.config(.earlyC0), dropout: 0.2, ragged: true) }

    static func config(_ fusion: FusionMode, width: Int = 5, layers: Int = 1) -> LMConfig {
        LMConfig(vocabularySize: 9, embeddingSize: 3, hiddenSize: 4, layers: layers, denseSize: 3, fusion: fusion, fusionWidth: width)
    }

    func testNoFusionTwoLayers() { Self.check(Self.config(.none, layers: 2)) }
    func testNoFusionWithDropout() { Self.check(Self.config(.none, layers: 2), dropout: 0.3) }
    func testCarriedState() { Self.check(Self.config(.none, layers: 2), carried: true) }
    func testLateConcat() { Self.check(Self.config(.lateConcat)) }
    func testLateAddProjected() { Self.check(Self.config(.lateAdd)) }
    func testLateAddSameWidth() { Self.check(Self.config(.lateAdd, width: 4)) }
    func testLateMultiplyProjected() { Self.check(Self.config(.lateMultiply, layers: 2), dropout: 0.2) }
    func testLateMultiplySameWidth() { Self.check(Self.config(.lateMultiply, width: 4)) }
    func testEarlyH0() { Self.check(Self.config(.earlyH0, layers: 2)) }
    func testEarlyC0() { Self.check(Self.config(.earlyC0)) }
    func testEarlyBothSameWidth() { Self.check(Self.config(.earlyBoth, width: 4, layers: 2)) }
    func testEarlyBothProjected() { Self.check(Self.config(.earlyBoth), dropout: 0.25) }
}
