import Foundation
import Numerics

/// A floating-point type the language-model maths runs in: `Float` for training and scoring,
/// `Double` for the finite-difference gradient checks in the tests.
public protocol LMScalar: BLASScalar {
    /// eˣ
    static func lmExp(_ x: Self) -> Self
    /// ln x
    static func lmLog(_ x: Self) -> Self
    /// tanh x
    static func lmTanh(_ x: Self) -> Self

    /// One LSTM step (see `Kernels.lstmCellForward`); Float overrides it with SIMD code.
    static func lstmCellForward(hidden H: Int, batch B: Int, gates: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>,
                                cPrev: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>,
                                tanhC: UnsafeMutablePointer<Self>, h: UnsafeMutablePointer<Self>)
    /// Its backward pass (see `Kernels.lstmCellBackward`).
    static func lstmCellBackward(hidden H: Int, batch B: Int, gates: UnsafePointer<Self>, tanhC: UnsafePointer<Self>,
                                 cPrev: UnsafePointer<Self>, dh: UnsafePointer<Self>, dhNext: UnsafePointer<Self>,
                                 dcNext: UnsafeMutablePointer<Self>, dGates: UnsafeMutablePointer<Self>)
    /// Softmax of one column: returns (max m, Σ e^(z−m)); with `store`, z becomes e^(z−m).
    static func softmaxColumn(_ z: UnsafeMutablePointer<Self>, count: Int, store: Bool) -> (Self, Self)
    /// z ← r·z.
    static func scale(_ z: UnsafeMutablePointer<Self>, count: Int, by r: Self)
}

extension LMScalar {
    public static func lstmCellForward(hidden H: Int, batch B: Int, gates: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>,
                                       cPrev: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>,
                                       tanhC: UnsafeMutablePointer<Self>, h: UnsafeMutablePointer<Self>) {
        Kernels.lstmCellForward(hidden: H, batch: B, gates: gates, bias: bias, cPrev: cPrev, c: c, tanhC: tanhC, h: h)
    }
    public static func lstmCellBackward(hidden H: Int, batch B: Int, gates: UnsafePointer<Self>, tanhC: UnsafePointer<Self>,
                                        cPrev: UnsafePointer<Self>, dh: UnsafePointer<Self>, dhNext: UnsafePointer<Self>,
                                        dcNext: UnsafeMutablePointer<Self>, dGates: UnsafeMutablePointer<Self>) {
        Kernels.lstmCellBackward(hidden: H, batch: B, gates: gates, tanhC: tanhC, cPrev: cPrev, dh: dh, dhNext: dhNext, dcNext: dcNext, dGates: dGates)
    }
    public static func softmaxColumn(_ z: UnsafeMutablePointer<Self>, count n: Int, store: Bool) -> (Self, Self) {
        var m = z[0]
        for v in 1..<n where z[v] > m { m = z[v] }
        var s: Self = 0
        for v in 0..<n { let e = lmExp(z[v] - m); if store { z[v] = e }; s += e }
        return (m, s)
    }
    public static func scale(_ z: UnsafeMutablePointer<Self>, count n: Int, by r: Self) { for v in 0..<n { z[v] *= r } }
}

extension LMScalar {
    /// The logistic function σ(x) = 1 / (1 + e⁻ˣ).
    @inline(__always) static func lmSigmoid(_ x: Self) -> Self { 1 / (1 + lmExp(-x)) }
}

extension Float: LMScalar {
    // Release builds use the SIMD kernels of `FastMath`. Debug builds (the test suite) use the
    // generic scalar kernels: unoptimised SIMD code is ~50× slower. `FastMathTests` checks the
    // SIMD kernels against the scalar ones directly.
    #if !DEBUG
    public static func lstmCellForward(hidden H: Int, batch B: Int, gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                       cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                       tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>) {
        FastMath.lstmCellForward(hidden: H, batch: B, gates: gates, bias: bias, cPrev: cPrev, c: c, tanhC: tanhC, h: h)
    }
    public static func lstmCellBackward(hidden H: Int, batch B: Int, gates: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                        cPrev: UnsafePointer<Float>, dh: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                                        dcNext: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>) {
        FastMath.lstmCellBackward(hidden: H, batch: B, gates: gates, tanhC: tanhC, cPrev: cPrev, dh: dh, dhNext: dhNext, dcNext: dcNext, dGates: dGates)
    }
    public static func softmaxColumn(_ z: UnsafeMutablePointer<Float>, count: Int, store: Bool) -> (Float, Float) {
        FastMath.softmaxColumn(z, count: count, store: store)
    }
    public static func scale(_ z: UnsafeMutablePointer<Float>, count: Int, by r: Float) { FastMath.scale(z, count: count, by: r) }
    #endif
    @inline(__always) public static func lmExp(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) public static func lmLog(_ x: Float) -> Float { Foundation.log(x) }
    @inline(__always) public static func lmTanh(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: LMScalar {
    @inline(__always) public static func lmExp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func lmLog(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func lmTanh(_ x: Double) -> Double { Foundation.tanh(x) }
}
