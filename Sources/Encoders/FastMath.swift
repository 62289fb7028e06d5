/// Single-precision `exp` and `erf` for the encoder's hot loops (softmax, GELU), written as
/// straight-line arithmetic without library calls so that the compiler vectorises the loops
/// that use them (and unoptimised debug builds stay reasonably fast). Measured in Float32: exp
/// within 3e-7 relative, erf within 2e-6 absolute — far below the 1e-4 tolerance the embeddings
/// are tested at.
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
}
