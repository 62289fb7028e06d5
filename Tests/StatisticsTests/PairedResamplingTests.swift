import XCTest
@testable import Statistics

final class PairedResamplingTests: XCTestCase {
    func testExactSignFlipByHand() throws {
        // d = [1, 2, 3, 4]: of the 16 sign patterns only all-plus and all-minus reach |Σ| ≥ 10, so p = 2/16.
        let r = try PairedResampling.compare(differences: [7: [1, 2, 3, 4]], permutations: 16, bootstrapResamples: 100, seed: 1)
        XCTAssertTrue(r.exact)
        XCTAssertEqual(r.permutations, 16)
        XCTAssertEqual(r.permutationP, 0.125)
        XCTAssertEqual(r.meanDifference, 2.5)
    }

    func testExactSignFlipPooledOverSeedsMatchesScipy() throws {
        // Seeds 1 and 2 pooled: d = [0.8, -0.2, 1.1, 0.5] + [0.3, -0.1, 0.9] (7 rows, 128 sign patterns).
        // scipy.stats.permutation_test((d,), np.mean, permutation_type='samples', alternative='two-sided')
        //   → exact, p = 0.078125 (= 10/128); mean 0.4714285714285714.
        let a: [Int: [Double]] = [1: [1.8, 0.8, 2.1, 1.5], 2: [1.3, 0.9, 1.9]]
        let b: [Int: [Double]] = [1: [1.0, 1.0, 1.0, 1.0], 2: [1.0, 1.0, 1.0]]
        let r = try PairedResampling.compare(a, b, permutations: 1_000, bootstrapResamples: 100, seed: 3)
        XCTAssertTrue(r.exact)
        XCTAssertEqual(r.seeds, [1, 2])
        XCTAssertEqual(r.rowsPerSeed, [4, 3])
        XCTAssertEqual(r.permutationP, 0.078125, accuracy: 1e-15)
        XCTAssertEqual(r.meanDifference, 0.4714285714285714, accuracy: 1e-14)
    }

    func testMonteCarloSignFlipApproximatesExact() throws {
        // 25 rows: too many to enumerate at 20 000 permutations, so random sign patterns are drawn. The reference is the
        // exact p, computed independently below from the distribution of Σ ±d (integers, so counting is exact).
        let d: [Double] = [3, -1, 2, 4, -2, 1, -1, 5, -3, 2, 0, 1, -2, -1, 3, 1, -2, 2, -1, 0, 4, -1, 1, -2, 1]
        // Exact two-sided p by counting sign patterns with |Σ ±d| ≥ |Σ d| (dynamic programming over sums).
        var counts: [Int: Double] = [0: 1]
        for x in d.map({ Int($0) }) {
            var next: [Int: Double] = [:]
            for (s, c) in counts { next[s + x, default: 0] += c; next[s - x, default: 0] += c }
            counts = next
        }
        let observed = abs(Int(d.reduce(0, +)))
        let exactP = counts.filter { abs($0.key) >= observed }.values.reduce(0, +) / pow(2, Double(d.count))
        // The same count in Python (collections.Counter over sums) gives 0.24555349349975586.
        XCTAssertEqual(exactP, 0.24555349349975586, accuracy: 1e-15)
        let r = try PairedResampling.compare(differences: [0: d], permutations: 20_000, bootstrapResamples: 100, seed: 11)
        XCTAssertFalse(r.exact)
        // Binomial SE of the Monte Carlo p̂: √(p(1−p)/20 000) ≈ 0.003; allow 5 SE.
        XCTAssertEqual(r.permutationP, exactP, accuracy: 5 * (exactP * (1 - exactP) / 20_000).squareRoot() + 1e-4)
        XCTAssertGreaterThan(r.permutationP, 0)
    }

    func testStratifiedBootstrapAgreesWithExactBootstrapDistribution() throws {
        // Seeds 1 (4 rows) and 2 (5 rows), resampled within seed. Exact bootstrap distribution enumerated in Python over all
        // 4^4 · 5^5 equally likely resamples: SD of the mean 0.13434799111281984 (= √Σ_s (n_s/N)² σ̂_s²/n_s with plug-in σ̂²),
        // 2.5% quantile 0.1666666667, 97.5% quantile 0.6888888889, mean of the data 0.43333333333333335.
        let differences: [Int: [Double]] = [1: [0.8, -0.2, 1.1, 0.5], 2: [0.3, -0.1, 0.9, 0.4, 0.2]]
        let r = try PairedResampling.compare(differences: differences, permutations: 512, bootstrapResamples: 40_000, seed: 2024)
        XCTAssertEqual(r.meanDifference, 0.43333333333333335, accuracy: 1e-14)
        // SE of a sample SD from 40 000 draws ≈ 0.1343/√80 000 ≈ 0.0005.
        XCTAssertEqual(r.bootstrapStandardError, 0.13434799111281984, accuracy: 0.003)
        // The bootstrap means live on a grid of step 1/180; Monte Carlo quantiles land within a step or two.
        XCTAssertEqual(r.lower, 0.1666666667, accuracy: 0.012)
        XCTAssertEqual(r.upper, 0.6888888889, accuracy: 0.012)
    }

    func testDeterministicForASeedAndDifferentAcrossSeeds() throws {
        let d: [Int: [Double]] = [1: (0..<300).map { sin(Double($0)) + 0.05 }, 2: (0..<200).map { cos(Double($0) * 1.3) }]
        let a = try PairedResampling.compare(differences: d, permutations: 500, bootstrapResamples: 500, seed: 42)
        let b = try PairedResampling.compare(differences: d, permutations: 500, bootstrapResamples: 500, seed: 42)
        let c = try PairedResampling.compare(differences: d, permutations: 500, bootstrapResamples: 500, seed: 43)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.lower, c.lower)
        XCTAssertLessThan(a.lower, a.meanDifference)
        XCTAssertGreaterThan(a.upper, a.meanDifference)
    }

    func testRejectsMismatchedInput() {
        XCTAssertThrowsError(try PairedResampling.compare([1: [1, 2]], [1: [1]], seed: 0)) {
            XCTAssertEqual("\($0)", "paired resampling: seed 1: the models have 2 and 1 rows; they must be scored on the same rows")
        }
        XCTAssertThrowsError(try PairedResampling.compare([1: [1], 2: [1]], [1: [1]], seed: 0)) {
            XCTAssertTrue("\($0)".contains("different seeds"))
        }
        XCTAssertThrowsError(try PairedResampling.compare([1: [1, .nan]], [1: [1, 2]], seed: 0)) {
            XCTAssertTrue("\($0)".contains("seed 1, first model's row 1 is nan"))
        }
        XCTAssertThrowsError(try PairedResampling.compare(differences: [3: []], seed: 0)) { XCTAssertTrue("\($0)".contains("seed 3 has no rows")) }
        XCTAssertThrowsError(try PairedResampling.compare(differences: [:], seed: 0))
    }
}
