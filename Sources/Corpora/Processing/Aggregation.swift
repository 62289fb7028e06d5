/// How measurement rows become table rows.
public enum Aggregation: String, Sendable, CaseIterable {
    /// One row per subject × word.
    case none
    /// One row per word: the mean over the readers left after exclusions, with their count
    /// (the self-paced-reading convention). Rows that already stand for several readers (per-word
    /// means as distributed) are weighted by their reader counts.
    case mean
}

/// One aggregated value of one word.
public struct WordMean: Sendable, Equatable {
    /// The word (`CorpusWord.id`).
    public let word: Int
    /// Mean over readers.
    public let mean: Double
    /// Number of readers.
    public let readers: Int
}

/// Aggregation over readers.
public enum Aggregate {
    /// Per-word means of `measure` over the rows of `m` (rows with a missing value are left
    /// out), in word order.
    public static func means(_ m: Measurements, measure: Measure) -> [WordMean] {
        guard let values = m.values(measure) else { return [] }
        var sum: [Int: Double] = [:], n: [Int: Int] = [:]
        for i in 0..<m.count {
            guard let v = values[i] else { continue }
            sum[m.word[i], default: 0] += v * Double(m.readers[i])
            n[m.word[i], default: 0] += m.readers[i]
        }
        return sum.keys.sorted().map { WordMean(word: $0, mean: sum[$0]! / Double(n[$0]!), readers: n[$0]!) }
    }
}
