/// Statistics: inference across seeds and between models — mean ± SE over seeds, paired t-tests,
/// tests for dependent correlations, and seeded paired permutation and bootstrap procedures.
/// Pure functions of plain arrays; nothing here reads files or the store. See docs/STATISTICS.md.
public enum StatisticsModule {}

/// Why a statistic could not be computed. Each message names the statistic and what was wrong
/// with its input, so that it can be shown to a user as it is.
public enum StatisticsError: Error, Equatable, CustomStringConvertible {
    /// The input does not meet the statistic's requirements (too few values, NaN, mismatched lengths, …).
    case invalidInput(statistic: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidInput(statistic, detail): return "\(statistic): \(detail)"
        }
    }
}

extension StatisticsError {
    /// Throws unless every value is finite, naming the first offending position (0-based).
    static func requireFinite(_ values: [Double], _ statistic: String, _ name: String = "value") throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError.invalidInput(statistic: statistic, detail: "\(name) \(i) is \(values[i]), not a finite number")
        }
    }

    /// Throws unless 0 < confidence < 1.
    static func requireConfidence(_ confidence: Double, _ statistic: String) throws {
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidInput(statistic: statistic, detail: "confidence level \(confidence) is not between 0 and 1")
        }
    }
}
