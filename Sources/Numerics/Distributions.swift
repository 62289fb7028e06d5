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

    /// Two-sided p-value of Student's t statistic with `df` degrees of freedom, given t²:
    /// P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
    public static func studentTwoSidedP(tSquared t2: Double, df: Double) -> Double {
        guard df > 0, t2 >= 0 else { return .nan }
        return regularizedIncompleteBeta(x: df / (df + t2), a: df / 2, b: 0.5)
    }

    /// I_x(a, b), the regularised incomplete beta function, by Lentz's continued fraction
    /// (Numerical Recipes §6.4 formulas), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) for fast convergence.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a) }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnFront: Double = logGammas + a * log(x) + b * log(1 - x)
        let tiny = 1e-300
        var c = 1.0
        var d: Double = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for i in 1...300 {
            let m = Double(i)
            let a2m: Double = a + 2 * m
            var num: Double = m * (b - m) * x / ((a2m - 1) * a2m)
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            num = -(a + m) * (a + b + m) * x / (a2m * (a2m + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return exp(lnFront) * f / a
    }
}
