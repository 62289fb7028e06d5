import Foundation

/// The mean of one quantity over independent replicates (seeds), with its standard error.
public struct MeanWithError: Equatable, Sendable {
    /// How many values (seeds) the mean rests on.
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (denominator n − 1); NaN when `count` is 1.
    public let standardDeviation: Double
    /// Standard error of the mean, s/√n; NaN when `count` is 1.
    public let standardError: Double
}

/// Summaries over seeds.
public enum SeedSummary {
    /// Mean ± SE of `values`: x̄ = Σx/n, s² = Σ(x − x̄)²/(n − 1), SE = s/√n (the usual unbiased
    /// variance estimate, e.g. Rice, *Mathematical Statistics and Data Analysis*, §7.3).
    /// Throws on an empty list or a non-finite value. One value gives SD and SE of NaN.
    public static func meanWithError(_ values: [Double]) throws -> MeanWithError {
        let name = "mean ± SE over seeds"
        guard !values.isEmpty else { throw StatisticsError.invalidInput(statistic: name, detail: "no values") }
        try StatisticsError.requireFinite(values, name)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return MeanWithError(count: 1, mean: mean, standardDeviation: .nan, standardError: .nan) }
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sd = (ss / (n - 1)).squareRoot()
        return MeanWithError(count: values.count, mean: mean, standardDeviation: sd, standardError: sd / n.squareRoot())
    }

    /// Pairs two per-seed quantities by seed: returns the seeds in increasing order with the
    /// matching values of `a` and `b`. Throws, naming the seeds, when one side has a seed the
    /// other lacks — a comparison never silently drops a seed.
    public static func pairBySeed(_ a: [Int: Double], _ b: [Int: Double]) throws -> (seeds: [Int], a: [Double], b: [Double]) {
        let onlyA = Set(a.keys).subtracting(b.keys).sorted(), onlyB = Set(b.keys).subtracting(a.keys).sorted()
        if !onlyA.isEmpty || !onlyB.isEmpty {
            var parts: [String] = []
            if !onlyA.isEmpty { parts.append("seeds \(onlyA.map(String.init).joined(separator: ", ")) only in the first") }
            if !onlyB.isEmpty { parts.append("seeds \(onlyB.map(String.init).joined(separator: ", ")) only in the second") }
            throw StatisticsError.invalidInput(statistic: "pairing by seed", detail: parts.joined(separator: "; "))
        }
        let seeds = a.keys.sorted()
        return (seeds, seeds.map { a[$0]! }, seeds.map { b[$0]! })
    }
}
