import Foundation

/// Cumulative distribution functions and quantiles of the standard normal and Student's t,
/// for confidence intervals (the two-sided p-values alone live in `Distributions.swift`).
extension Distributions {
    /// Φ(z) = P(Z ≤ z) for Z ~ N(0, 1), as ½·erfc(−z/√2) (Abramowitz & Stegun 26.2.29),
    /// which keeps full relative accuracy in the lower tail.
    public static func normalCDF(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        return 0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// Φ⁻¹(p), the standard normal quantile, for 0 < p < 1 (−∞ at 0, +∞ at 1, NaN outside).
    /// Solved by bisection on `normalCDF` to machine precision.
    public static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Symmetry Φ⁻¹(p) = −Φ⁻¹(1 − p): solve in the lower tail, where erfc is accurate.
        if p > 0.5 { return -normalQuantile(1 - p) }
        // Φ(−40) ≈ 4e−350 underflows, so the root lies in [−40, 0].
        return bisect(lower: -40, upper: 0) { normalCDF($0) - p }
    }

    /// P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (df need not be an integer):
    /// the lower tail is ½·I_{df/(df+t²)}(df/2, 1/2) (Abramowitz & Stegun 26.7.1 with 26.5.27).
    public static func studentTCDF(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN else { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        let tail = 0.5 * regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t < 0 ? tail : 1 - tail
    }

    /// The p-quantile of Student's t with `df` > 0 degrees of freedom, for 0 < p < 1
    /// (−∞ at 0, +∞ at 1, NaN outside). Solved by bisection on the upper tail of `studentTCDF`,
    /// so the answer is as accurate as the incomplete beta function (≈ 1e−13 relative).
    public static func studentTQuantile(_ p: Double, df: Double) -> Double {
        guard df > 0, !p.isNaN, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -studentTQuantile(1 - p, df: df) }
        let q = 1 - p   // upper-tail probability, in (0, 0.5)
        func upperTail(_ t: Double) -> Double { 0.5 * regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5) }
        var upper = 1.0
        while upperTail(upper) > q && upper < 1e300 { upper *= 2 }
        return bisect(lower: 0, upper: upper) { q - upperTail($0) }
    }

    /// The root of an increasing function `f` with f(lower) ≤ 0 ≤ f(upper), by bisection until
    /// the bracket stops shrinking in floating point.
    static func bisect(lower: Double, upper: Double, _ f: (Double) -> Double) -> Double {
        var lo = lower, hi = upper
        for _ in 0..<2_000 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if f(mid) < 0 { lo = mid } else { hi = mid }
        }
        return lo + (hi - lo) / 2
    }
}
