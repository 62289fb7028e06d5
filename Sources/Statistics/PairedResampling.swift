import Foundation
import Numerics

/// Per-row differences between two models' held-out log-likelihoods, pooled over seeds, with a
/// sign-flip permutation test and a percentile bootstrap interval of their mean.
public struct PairedResamplingResult: Equatable, Sendable {
    /// The seeds pooled, in increasing order, and how many rows each contributed.
    public let seeds: [Int]
    public let rowsPerSeed: [Int]
    /// All rows, over all seeds.
    public let rows: Int
    /// Mean of d = a − b over all pooled rows (nats per row for log-likelihoods).
    public let meanDifference: Double
    /// Sign patterns evaluated: all 2^rows when `exact`, otherwise this many random ones.
    public let permutations: Int
    /// Whether the permutation distribution was enumerated completely.
    public let exact: Bool
    /// Two-sided permutation p-value of the mean difference.
    public let permutationP: Double
    /// Bootstrap resamples drawn.
    public let bootstrapResamples: Int
    /// Standard deviation of the bootstrap means.
    public let bootstrapStandardError: Double
    /// The confidence level of the interval (e.g. 0.95).
    public let confidence: Double
    /// Percentile bootstrap interval of the mean difference.
    public let lower: Double
    public let upper: Double
}

/// Paired resampling for per-row differences d = a − b of two models scored on the same rows
/// (and the same cross-validation folds), replicated over seeds. The rows of all seeds are
/// pooled into one sample of N rows; the statistic is their mean.
///
/// - Permutation test (Fisher 1935; Good, *Permutation Tests*, 2005, §3.1): under H₀ each row's
///   two log-likelihoods are exchangeable, so each d_i keeps or flips its sign with probability ½,
///   independently. p = #{|mean(±d)| ≥ |mean(d)|} / 2^N by complete enumeration when
///   2^N ≤ `permutations`; otherwise p = (1 + #{…}) / (1 + B) over B random sign patterns
///   (Phipson & Smyth 2010), never 0. Equals `scipy.stats.permutation_test((d,), np.mean,
///   permutation_type='samples')` for the exact case.
/// - Bootstrap (Efron & Tibshirani 1993, §13.3 percentile interval; stratified, §8.5): each resample
///   draws, **within each seed**, as many rows as that seed has, with replacement, so every seed
///   keeps its share of the pooled mean. The interval is the α/2 and 1 − α/2 quantiles of the B
///   resampled means (linear interpolation between order statistics, R's type 7 / numpy's default).
///
/// Rows are treated as independent given the seed; rows of one seed that share a word or a
/// subject are not, so the interval is somewhat narrow when such clustering is strong.
/// Every random draw comes from `SeededGenerator(seed:)`, so a result is a pure function of
/// its input and seed, on every platform.
public enum PairedResampling {
    /// Compares `a` and `b`, per seed: `a[s]` and `b[s]` are the two models' held-out
    /// log-likelihoods of the same rows, in the same order. Throws when the seeds or the row
    /// counts of a seed differ, a seed has no rows, or a value is not finite.
    public static func compare(_ a: [Int: [Double]], _ b: [Int: [Double]], permutations: Int = 10_000,
                               bootstrapResamples: Int = 10_000, confidence: Double = 0.95,
                               seed: UInt64) throws -> PairedResamplingResult {
        let name = "paired resampling"
        let onlyA = Set(a.keys).subtracting(b.keys).sorted(), onlyB = Set(b.keys).subtracting(a.keys).sorted()
        guard onlyA.isEmpty, onlyB.isEmpty else {
            throw StatisticsError.invalidInput(statistic: name,
                detail: "the models were scored on different seeds (only the first: \(onlyA), only the second: \(onlyB))")
        }
        var differences: [Int: [Double]] = [:]
        for s in a.keys {
            let (x, y) = (a[s]!, b[s]!)
            guard x.count == y.count else {
                throw StatisticsError.invalidInput(statistic: name, detail: "seed \(s): the models have \(x.count) and \(y.count) rows; they must be scored on the same rows")
            }
            try StatisticsError.requireFinite(x, name, "seed \(s), first model's row")
            try StatisticsError.requireFinite(y, name, "seed \(s), second model's row")
            differences[s] = zip(x, y).map { $0 - $1 }
        }
        return try compare(differences: differences, permutations: permutations, bootstrapResamples: bootstrapResamples,
                           confidence: confidence, seed: seed)
    }

    /// The same on ready-made per-row differences d = a − b, keyed by seed.
    public static func compare(differences: [Int: [Double]], permutations: Int = 10_000, bootstrapResamples: Int = 10_000,
                               confidence: Double = 0.95, seed: UInt64) throws -> PairedResamplingResult {
        let name = "paired resampling"
        guard !differences.isEmpty else { throw StatisticsError.invalidInput(statistic: name, detail: "no seeds") }
        guard permutations >= 1, bootstrapResamples >= 2 else {
            throw StatisticsError.invalidInput(statistic: name, detail: "needs at least 1 permutation and 2 bootstrap resamples, got \(permutations) and \(bootstrapResamples)")
        }
        try StatisticsError.requireConfidence(confidence, name)
        let seeds = differences.keys.sorted()
        let strata = seeds.map { differences[$0]! }
        for (s, d) in zip(seeds, strata) {
            guard !d.isEmpty else { throw StatisticsError.invalidInput(statistic: name, detail: "seed \(s) has no rows") }
            try StatisticsError.requireFinite(d, name, "seed \(s), row")
        }
        let pooled = strata.flatMap { $0 }
        let mean = pooled.reduce(0, +) / Double(pooled.count)

        // Both procedures get their own generator, derived from `seed`, so neither depends on the other's draw count.
        var permutationRNG = SeededGenerator(seed: seed)
        var bootstrapRNG = SeededGenerator(seed: seed ^ 0xB007_57A9_B007_57A9)
        let permutation = signFlipTest(pooled, permutations: permutations, rng: &permutationRNG)
        let means = bootstrapMeans(strata, resamples: bootstrapResamples, rng: &bootstrapRNG).sorted()
        let se = try SeedSummary.meanWithError(means).standardDeviation
        let alpha = 1 - confidence
        return PairedResamplingResult(seeds: seeds, rowsPerSeed: strata.map(\.count), rows: pooled.count, meanDifference: mean,
                                      permutations: permutation.count, exact: permutation.exact, permutationP: permutation.p,
                                      bootstrapResamples: bootstrapResamples, bootstrapStandardError: se, confidence: confidence,
                                      lower: quantile(sorted: means, alpha / 2), upper: quantile(sorted: means, 1 - alpha / 2))
    }

    /// Two-sided sign-flip test of mean(d) = 0 (see the type's documentation).
    static func signFlipTest(_ d: [Double], permutations: Int, rng: inout SeededGenerator) -> (p: Double, count: Int, exact: Bool) {
        let observed = abs(d.reduce(0, +))
        // Sums that differ from the observed one by rounding alone count as ties.
        let tolerance = 1e-12 * d.reduce(0) { $0 + abs($1) }
        var extreme = 0
        if d.count < 63, (1 << d.count) <= permutations {
            let total = 1 << d.count
            for mask in 0..<total {
                var sum = 0.0
                for (i, x) in d.enumerated() { sum += (mask >> i) & 1 == 1 ? -x : x }
                if abs(sum) >= observed - tolerance { extreme += 1 }
            }
            return (Double(extreme) / Double(total), total, true)
        }
        for _ in 0..<permutations {
            var sum = 0.0, bits: UInt64 = 0
            for (i, x) in d.enumerated() {
                if i % 64 == 0 { bits = rng.next() }
                sum += bits & 1 == 1 ? -x : x
                bits >>= 1
            }
            if abs(sum) >= observed - tolerance { extreme += 1 }
        }
        return (Double(1 + extreme) / Double(1 + permutations), permutations, false)
    }

    /// Means of `resamples` stratified bootstrap samples: within each stratum, as many draws with
    /// replacement as it has rows.
    static func bootstrapMeans(_ strata: [[Double]], resamples: Int, rng: inout SeededGenerator) -> [Double] {
        let total = Double(strata.reduce(0) { $0 + $1.count })
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for stratum in strata {
                let n = UInt64(stratum.count)
                // A uniform index in 0..<n from the high word of a 64×64-bit product (bias ≤ n/2⁶⁴).
                for _ in 0..<stratum.count { sum += stratum[Int(rng.next().multipliedFullWidth(by: n).high)] }
            }
            means.append(sum / total)
        }
        return means
    }

    /// The q-quantile of sorted values, interpolating linearly between order statistics
    /// (Hyndman & Fan 1996 type 7: h = (n − 1)q).
    static func quantile(sorted x: [Double], _ q: Double) -> Double {
        let h = Double(x.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }
}
