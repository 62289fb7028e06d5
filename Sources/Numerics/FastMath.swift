/// Fast single-precision elementwise maths for the hot loops of the encoder and the LSTM: one
/// home for both families, so a kernel is written once.
///
/// **Scalar, for the encoder** (`expNonPositive`, `erf`): straight-line arithmetic without
/// library calls, so the compiler vectorises the loops that use them (and unoptimised debug
/// builds stay reasonably fast). Measured in Float32: exp within 3e-7 relative, erf within 2e-6
/// absolute — far below the 1e-4 tolerance the embeddings are tested at.
///
/// **SIMD, for the language models** (`exp`, `sigmoid`, `tanh`, `softmaxColumn`, `scale` on
/// 16-lane vectors): exp follows Cephes' `expf` (Moshier 1989): clamp x to [−87.34, 88.38],
/// split x = n·ln2 + r with n = round(x·log₂e) (ln 2 in two parts for accuracy), approximate
/// e^r by a degree-6 polynomial, and scale by 2ⁿ through the exponent bits. Relative error
/// ≈ 2 ulp. σ(x) = 1/(1 + e^(−x)) and tanh x = 2σ(2x) − 1 are built on it. They compute the same
/// formulas as the generic scalar kernels of `LanguageModels` (which the Double gradient checks
/// use); the tests compare the two.
///
/// The two exp functions are different approximations on purpose: each is the one its model's
/// reference numbers were produced with, and no printed number may change.
public enum FastMath {
    /// e^y for y ≤ 0 (larger y is clamped to 0; y < −87 gives ≈ 1.6e-38).
    ///
    /// Range reduction: y = n·ln 2 + r with n = round(y/ln 2) and |r| ≤ ln2/2, so e^y = 2ⁿ·e^r;
    /// e^r by its degree-6 Taylor polynomial (relative error < 2e-7 on that interval); 2ⁿ is
    /// built directly as the float bit pattern (n + 127)·2²³. ln 2 is split into a high and a
    /// low part so that r is exact to Float32 precision.
    @inlinable @inline(__always)
    public static func expNonPositive(_ y: Float) -> Float {
        let y = Swift.max(Swift.min(y, 0), -87)
        // Adding 1.5·2²³ rounds y·log₂e to an integer n, which then sits in the low mantissa bits.
        let t = y * 1.442_695_04 + 12_582_912
        let n = t - 12_582_912
        let r = (y - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)  // 2ⁿ
        return p * scale
    }

    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt.
    ///
    /// Abramowitz & Stegun 7.1.28: for x ≥ 0, erf(x) ≈ 1 − 1/(1 + a₁x + a₂x² + … + a₆x⁶)¹⁶,
    /// absolute error ≤ 3e-7 in exact arithmetic (≤ 2e-6 after Float32 rounding); erf(−x) = −erf(x). No exponential and one division, so it is
    /// cheap; |x| is capped at 6, where erf(x) = 1 in Float32.
    @inlinable @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let ax = Swift.min(Swift.abs(x), 6)
        var p: Float = 0.000_043_063_8
        p = p * ax + 0.000_276_567_2
        p = p * ax + 0.000_152_014_3
        p = p * ax + 0.009_270_527_2
        p = p * ax + 0.042_282_012_3
        p = p * ax + 0.070_523_078_4
        p = p * ax + 1
        let p2 = p * p, p4 = p2 * p2, p8 = p4 * p4
        let y = 1 - 1 / (p8 * p8)
        return Float(bitPattern: y.bitPattern | (x.bitPattern & 0x8000_0000))
    }

    // MARK: SIMD kernels (16 lanes)

    /// The SIMD vector the vectorised kernels work on: 16 Float lanes.
    public typealias V = SIMD16<Float>
    /// Lanes per vector.
    public static let lanes = 16

    /// 16 values at p (no alignment needed).
    @inlinable @inline(__always) public static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    /// Stores 16 values at p (no alignment needed).
    @inlinable @inline(__always) public static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
    /// The first n (< 16) values at p, the rest `fill`.
    @inlinable @inline(__always) public static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int, fill: Float = 0) -> V {
        var v = V(repeating: fill)
        for k in 0..<n { v[k] = p[k] }
        return v
    }
    /// Stores the first n (< 16) lanes at p.
    @inlinable @inline(__always) public static func storePartial(_ v: V, _ p: UnsafeMutablePointer<Float>, _ n: Int) { for k in 0..<n { p[k] = v[k] } }

    /// eˣ per lane (Cephes `expf`, see the type's notes).
    @inlinable @inline(__always) public static func exp(_ x0: V) -> V {
        // Clamp with masked replacement (the stdlib's pointwiseMin/Max are not vectorised).
        var x = x0
        x.replace(with: V(repeating: -87.33654), where: x .< V(repeating: -87.33654))
        x.replace(with: V(repeating: 88.37626), where: x .> V(repeating: 88.37626))
        // n = round(x·log₂e) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
        let shifted = x * 1.442_695_04 + 12_582_912
        let fx = shifted - 12_582_912
        x = x - fx * 0.693_359_375 + fx * 2.121_944_4e-4
        let z = x * x
        var y = V(repeating: 1.987_569_15e-4)
        y = y * x + 1.398_199_95e-3
        y = y * x + 8.333_451_9e-3
        y = y * x + 4.166_579_59e-2
        y = y * x + 1.666_666_55e-1
        y = y * x + 5.000_000_12e-1
        y = y * z + x + 1
        // 2ⁿ: exponent bits (n + 127) << 23, with n = bits(shifted) − bits(1.5·2²³).
        let n = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((n &+ 127) &<< 23, to: V.self)
    }

    /// σ(x) = 1/(1 + e⁻ˣ) per lane.
    @inlinable @inline(__always) public static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }
    /// tanh x = 2σ(2x) − 1 per lane.
    @inlinable @inline(__always) public static func tanh(_ x: V) -> V { 2 / (1 + exp(-2 * x)) - 1 }

    /// Softmax of one column in place, or only its normaliser: returns (max m, Σ e^(z−m)); with
    /// `store`, z is replaced by e^(z−m).
    @inlinable public static func softmaxColumn(_ z: UnsafeMutablePointer<Float>, count n: Int, store doStore: Bool) -> (Float, Float) {
        var mv = V(repeating: -.infinity)
        var i = 0
        while i + lanes <= n { let v = load(z + i); mv.replace(with: v, where: v .> mv); i += lanes }
        var m = mv.max()
        while i < n { m = Swift.max(m, z[i]); i += 1 }
        let mm = V(repeating: m)
        var sv = V(repeating: 0)
        i = 0
        while i + lanes <= n {
            let e = exp(load(z + i) - mm)
            if doStore { store(e, z + i) }
            sv += e
            i += lanes
        }
        var s = sv.sum()
        if i < n {
            let e = exp(loadPartial(z + i, n - i) - mm)
            for k in 0..<(n - i) { s += e[k] }
            if doStore { storePartial(e, z + i, n - i) }
        }
        return (m, s)
    }

    /// z ← r·z over n values.
    @inlinable public static func scale(_ z: UnsafeMutablePointer<Float>, count n: Int, by r: Float) {
        var i = 0
        let rv = V(repeating: r)
        while i + lanes <= n { store(load(z + i) * rv, z + i); i += lanes }
        while i < n { z[i] *= r; i += 1 }
    }
}
