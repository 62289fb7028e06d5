import XCTest
import Foundation
import Numerics
@testable import LanguageModels

/// The vectorised Float kernels compute the same formulas as the generic (Double-checked) ones.
final class FastMathTests: XCTestCase {
    func testExpAccuracy() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let v = FastMath.exp(FastMath.V((0..<16).map { x + Float($0) * 0.0007 }))
            for k in 0..<16 {
                let exact = Foundation.exp(Double(x + Float(k) * 0.0007))
                worst = max(worst, abs(Double(v[k]) - exact) / exact)
            }
            x += 0.0123
        }
        XCTAssertLessThan(worst, 3e-7)
        let extremes = FastMath.exp(FastMath.V(repeating: -1000))
        XCTAssertTrue(extremes[0] >= 0 && extremes[0] < 1e-37)
    }

    func testSoftmaxColumnMatchesScalar() {
        var rng = SeededGenerator(seed: 1)
        for n in [1, 7, 16, 33, 8192] {
            let values = (0..<n).map { _ in Float(rng.nextUnit() * 40 - 20) }
            var a = values, b = values.map(Double.init)
            let (ma, sa) = a.withUnsafeMutableBufferPointer { FastMath.softmaxColumn($0.baseAddress!, count: n, store: true) }
            let (mb, sb) = b.withUnsafeMutableBufferPointer { Double.softmaxColumn($0.baseAddress!, count: n, store: true) }
            XCTAssertEqual(Double(ma), mb)
            XCTAssertEqual(Double(sa), sb, accuracy: sb * 1e-6)
            // z − m is rounded to Float first, hence 1e-5 relative.
            for i in 0..<n { XCTAssertEqual(Double(a[i]), b[i], accuracy: max(1e-30, b[i] * 1e-5)) }
        }
    }

    func testLSTMCellMatchesGenericKernel() {
        var rng = SeededGenerator(seed: 2)
        for (H, B) in [(5, 3), (16, 2), (37, 4)] {
            func rand(_ n: Int, _ s: Double = 3) -> [Double] { (0..<n).map { _ in (rng.nextUnit() * 2 - 1) * s } }
            let gates = rand(4 * H * B), bias = rand(4 * H, 0.5), cPrev = rand(H * B)
            var gd = gates, cd = [Double](repeating: 0, count: H * B), td = cd, hd = cd
            Kernels.lstmCellForward(hidden: H, batch: B, gates: &gd, bias: bias, cPrev: cPrev, c: &cd, tanhC: &td, h: &hd)
            var gf = gates.map(Float.init), cf = [Float](repeating: 0, count: H * B), tf = cf, hf = cf
            FastMath.lstmCellForward(hidden: H, batch: B, gates: &gf, bias: bias.map(Float.init), cPrev: cPrev.map(Float.init), c: &cf, tanhC: &tf, h: &hf)
            for i in 0..<(H * B) {
                XCTAssertEqual(Double(hf[i]), hd[i], accuracy: 2e-6)
                XCTAssertEqual(Double(cf[i]), cd[i], accuracy: 2e-6)
            }
            for i in 0..<(4 * H * B) { XCTAssertEqual(Double(gf[i]), gd[i], accuracy: 2e-6) }
            let dh = rand(H * B), dhn = rand(H * B)
            var dcd = rand(H * B), dcf = dcd.map(Float.init)
            var dgd = [Double](repeating: 0, count: 4 * H * B), dgf = [Float](repeating: 0, count: 4 * H * B)
            Kernels.lstmCellBackward(hidden: H, batch: B, gates: gd, tanhC: td, cPrev: cPrev, dh: dh, dhNext: dhn, dcNext: &dcd, dGates: &dgd)
            FastMath.lstmCellBackward(hidden: H, batch: B, gates: gf, tanhC: tf, cPrev: cPrev.map(Float.init), dh: dh.map(Float.init),
                                   dhNext: dhn.map(Float.init), dcNext: &dcf, dGates: &dgf)
            for i in 0..<(4 * H * B) { XCTAssertEqual(Double(dgf[i]), dgd[i], accuracy: 1e-5) }
            for i in 0..<(H * B) { XCTAssertEqual(Double(dcf[i]), dcd[i], accuracy: 1e-5) }
        }
    }

    /// The whole Float model (SIMD kernels, sgemm) agrees with the Double one on the same weights.
    func testFloatModelMatchesDoubleModel() {
        for fusion in [FusionMode.none, .lateMultiply, .earlyBoth] {
            let c = GradientCheckTests.config(fusion, layers: 2)
            let d = LSTMCore<Double>(config: c), f = LSTMCore<Float>(config: c)
            d.initialize(seed: 4)
            for i in 0..<d.layout.count { f.params.p[i] = Float(d.params.p[i]) }
            let mb = GradientCheckTests.microBatch(config: c)
            var r1 = SeededGenerator(seed: 1), r2 = SeededGenerator(seed: 1)
            d.grads.zero(); f.grads.zero()
            let ld = d.run(mb, gradientScale: 1, rng: &r1, wantLogProbs: true)
            let lf = f.run(mb, gradientScale: 1, rng: &r2, wantLogProbs: true)
            XCTAssertEqual(lf.lossSum, ld.lossSum, accuracy: 1e-4 * ld.lossSum)
            for i in 0..<d.layout.count { XCTAssertEqual(Double(f.grads.p[i]), d.grads.p[i], accuracy: 1e-4) }
        }
    }
}
