import Foundation

/// Distribution functions needed for tests of fitted models.
public enum Distributions {
    /// log density of N(mean, sd²) at x.
    @inlinable
    public static func normalLogDensity(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return -0.5 * z * z - log(sd) - 0.5 * log(2 * Double.pi)
    }

    /// Upper tail P(X > x) of a χ² distribution with `df` degrees of freedom:
    /// Q(df/2, x/2), the regularised upper incomplete gamma function.
    public static func chiSquaredSurvival(_ x: Double, df: Double) -> Double {
        guard df > 0 else { return .nan }
        if x <= 0 { return 1 }
        return regularizedGammaQ(a: df / 2, x: x / 2)
    }

    /// Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, Lentz's continued fraction otherwise
    /// (Numerical Recipes §6.2 formulas; relative accuracy ~1e-14).
    public static func regularizedGammaQ(a: Double, x: Double) -> Double {
        if x < 0 || a <= 0 { return .nan }
        if x == 0 { return 1 }
        let logPrefactor = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            // P(a, x) = e^{-x} x^a / Γ(a) Σ x^n / (a (a+1) … (a+n))
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefactor))
        }
        // Continued fraction for Q(a, x) (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefactor) * h)
    }
}
