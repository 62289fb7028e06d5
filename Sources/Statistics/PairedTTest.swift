import Foundation
import Numerics

/// A paired t-test of the mean difference a − b, with a t-based confidence interval.
public struct PairedTTestResult: Equatable, Sendable {
    /// Number of pairs (seeds); the test has n − 1 degrees of freedom.
    public let count: Int
    /// Mean of the differences d = a − b.
    public let meanDifference: Double
    /// Sample standard deviation of the differences (denominator n − 1).
    public let standardDeviation: Double
    /// Standard error of the mean difference, s_d/√n.
    public let standardError: Double
    /// t = d̄ / SE; ±∞ when every difference is the same non-zero number, NaN when all are 0.
    public let t: Double
    public let degreesOfFreedom: Double
    /// Two-sided p-value P(|T| ≥ |t|).
    public let p: Double
    /// The confidence level of the interval (e.g. 0.95).
    public let confidence: Double
    /// d̄ ∓ t_{1−α/2, n−1}·SE.
    public let lower: Double
    public let upper: Double
}

/// Student's paired t-test (Student 1908; e.g. Rice, *Mathematical Statistics and Data Analysis*,
/// §11.3): on the differences d_i = a_i − b_i, t = d̄/(s_d/√n) with n − 1 degrees of freedom,
/// and the CI d̄ ± t_{1−α/2, n−1} s_d/√n. Matches `scipy.stats.ttest_rel(a, b)`.
public enum PairedTTest {
    /// Tests a − b pair by pair. Throws when the lists differ in length, have fewer than two
    /// pairs, or hold a non-finite value.
    public static func test(_ a: [Double], _ b: [Double], confidence: Double = 0.95) throws -> PairedTTestResult {
        let name = "paired t-test"
        guard a.count == b.count else {
            throw StatisticsError.invalidInput(statistic: name, detail: "the two samples have \(a.count) and \(b.count) values; pairs need equal counts")
        }
        guard a.count >= 2 else { throw StatisticsError.invalidInput(statistic: name, detail: "needs at least 2 pairs, got \(a.count)") }
        try StatisticsError.requireFinite(a, name, "first sample's value")
        try StatisticsError.requireFinite(b, name, "second sample's value")
        try StatisticsError.requireConfidence(confidence, name)
        let summary = try SeedSummary.meanWithError(zip(a, b).map { $0 - $1 })
        let df = Double(summary.count - 1)
        let se = summary.standardError
        let t = summary.mean / se
        let p = t.isNaN ? Double.nan : Distributions.studentTwoSidedP(tSquared: t * t, df: df)
        let half = Distributions.studentTQuantile(0.5 + confidence / 2, df: df) * se
        return PairedTTestResult(count: summary.count, meanDifference: summary.mean, standardDeviation: summary.standardDeviation,
                                 standardError: se, t: t, degreesOfFreedom: df, p: t.isInfinite ? 0 : p,
                                 confidence: confidence, lower: summary.mean - half, upper: summary.mean + half)
    }

    /// The same test on two per-seed quantities paired by seed (see `SeedSummary.pairBySeed`).
    public static func testBySeed(_ a: [Int: Double], _ b: [Int: Double], confidence: Double = 0.95) throws -> PairedTTestResult {
        let paired = try SeedSummary.pairBySeed(a, b)
        return try test(paired.a, paired.b, confidence: confidence)
    }
}
