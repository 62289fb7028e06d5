import Foundation
import Numerics

/// Comparison of two dependent correlations that share one variable: r(y,a) against r(y,b),
/// all three computed on the same n observations, with r(a,b) known.
public struct DependentCorrelationsResult: Equatable, Sendable {
    /// Number of observations the three correlations rest on.
    public let count: Int
    public let rYA: Double
    public let rYB: Double
    public let rAB: Double
    /// r(y,a) − r(y,b).
    public let difference: Double
    /// Williams' t (Williams 1959; Steiger 1980 eq. 7), n − 3 degrees of freedom.
    public let williamsT: Double
    public let williamsDegreesOfFreedom: Double
    /// Two-sided p of Williams' t.
    public let williamsP: Double
    /// Steiger's (1980, eq. 14) Z on Fisher-transformed correlations with the pooled r̄.
    public let steigerZ: Double
    /// Two-sided normal p of Steiger's Z.
    public let steigerP: Double
    /// The confidence level of the interval (e.g. 0.95).
    public let confidence: Double
    /// Zou's (2007) interval for r(y,a) − r(y,b).
    public let lower: Double
    public let upper: Double
}

/// Tests for H₀: ρ(y,a) = ρ(y,b) when both correlations share y (the "overlapping" case), as
/// recommended by Steiger (1980, *Psychological Bulletin* 87, 245–251). Write r₁₂ = r(y,a),
/// r₁₃ = r(y,b), r₂₃ = r(a,b), and |R| = 1 − r₁₂² − r₁₃² − r₂₃² + 2r₁₂r₁₃r₂₃.
///
/// - Williams' t (Williams 1959; Steiger 1980 eq. 7), df = n − 3:
///   t = (r₁₂ − r₁₃) · √[ (n − 1)(1 + r₂₃) / ( 2|R|(n − 1)/(n − 3) + r̄²(1 − r₂₃)³ ) ], r̄ = (r₁₂ + r₁₃)/2.
/// - Steiger's Z (1980 eq. 14, Fisher z with the pooled r̄ in the covariance):
///   Z = (z₁₂ − z₁₃)·√(n − 3) / √(2 − 2c̄), z = atanh r,
///   c̄ = [r₂₃(1 − 2r̄²) − ½r̄²(1 − 2r̄² − r₂₃²)] / (1 − r̄²)².
/// - Zou's (2007, *Psychological Methods* 12, 399–413, "example 2") interval: with Fisher
///   intervals (l₁, u₁) for r₁₂ and (l₂, u₂) for r₁₃ and
///   c = [(r₂₃ − ½r₁₂r₁₃)(1 − r₁₂² − r₁₃² − r₂₃²) + r₂₃³] / [(1 − r₁₂²)(1 − r₁₃²)],
///   L = r₁₂ − r₁₃ − √[(r₁₂ − l₁)² + (u₂ − r₁₃)² − 2c(r₁₂ − l₁)(u₂ − r₁₃)],
///   U = r₁₂ − r₁₃ + √[(u₁ − r₁₂)² + (r₁₃ − l₂)² − 2c(u₁ − r₁₂)(r₁₃ − l₂)].
/// These are the formulas of R's `cocor` package (methods "williams1959", "steiger1980", "zou2007").
public enum DependentCorrelations {
    /// Compares r(y,a) with r(y,b). Throws when n ≤ 3, a correlation is not strictly between −1
    /// and 1, or the three correlations are impossible together (|R| < 0).
    public static func compare(rYA r12: Double, rYB r13: Double, rAB r23: Double, count n: Int,
                               confidence: Double = 0.95) throws -> DependentCorrelationsResult {
        let name = "dependent correlations"
        guard n > 3 else { throw StatisticsError.invalidInput(statistic: name, detail: "needs more than 3 observations, got \(n)") }
        for (label, r) in [("r(y,a)", r12), ("r(y,b)", r13), ("r(a,b)", r23)] where !(r > -1 && r < 1) {
            throw StatisticsError.invalidInput(statistic: name, detail: "\(label) = \(r) is not strictly between -1 and 1")
        }
        try StatisticsError.requireConfidence(confidence, name)
        let detR = 1 - r12 * r12 - r13 * r13 - r23 * r23 + 2 * r12 * r13 * r23
        guard detR >= 0 else {
            throw StatisticsError.invalidInput(statistic: name,
                detail: "r(y,a) = \(r12), r(y,b) = \(r13), r(a,b) = \(r23) cannot all hold at once (their correlation matrix has determinant \(detR) < 0)")
        }
        let nd = Double(n)
        let rBar = (r12 + r13) / 2

        // Williams (1959) t.
        let oneMinus = 1 - r23
        let denominator = 2 * detR * (nd - 1) / (nd - 3) + rBar * rBar * oneMinus * oneMinus * oneMinus
        let williamsT = (r12 - r13) * ((nd - 1) * (1 + r23) / denominator).squareRoot()
        let df = nd - 3
        let williamsP = Distributions.studentTwoSidedP(tSquared: williamsT * williamsT, df: df)

        // Steiger (1980) Z.
        let rBar2 = rBar * rBar
        let cBar = (r23 * (1 - 2 * rBar2) - 0.5 * rBar2 * (1 - 2 * rBar2 - r23 * r23)) / ((1 - rBar2) * (1 - rBar2))
        let steigerZ = (atanh(r12) - atanh(r13)) * (nd - 3).squareRoot() / (2 - 2 * cBar).squareRoot()
        let steigerP = erfc(abs(steigerZ) / 2.0.squareRoot())

        // Zou (2007) interval.
        let zCrit = Distributions.normalQuantile(0.5 + confidence / 2)
        func fisherInterval(_ r: Double) -> (Double, Double) {
            let half = zCrit / (nd - 3).squareRoot()
            return (tanh(atanh(r) - half), tanh(atanh(r) + half))
        }
        let (l1, u1) = fisherInterval(r12), (l2, u2) = fisherInterval(r13)
        let c = ((r23 - 0.5 * r12 * r13) * (1 - r12 * r12 - r13 * r13 - r23 * r23) + r23 * r23 * r23)
            / ((1 - r12 * r12) * (1 - r13 * r13))
        let d = r12 - r13
        let lower = d - max(0, (r12 - l1) * (r12 - l1) + (u2 - r13) * (u2 - r13) - 2 * c * (r12 - l1) * (u2 - r13)).squareRoot()
        let upper = d + max(0, (u1 - r12) * (u1 - r12) + (r13 - l2) * (r13 - l2) - 2 * c * (u1 - r12) * (r13 - l2)).squareRoot()

        return DependentCorrelationsResult(count: n, rYA: r12, rYB: r13, rAB: r23, difference: d,
                                           williamsT: williamsT, williamsDegreesOfFreedom: df, williamsP: williamsP,
                                           steigerZ: steigerZ, steigerP: steigerP,
                                           confidence: confidence, lower: lower, upper: upper)
    }
}
