/// Errors of model fitting and comparison, with messages a user can act on.
public enum RegressionError: Error, CustomStringConvertible, Equatable {
    case noRandomEffects
    case noRows
    case groupingFactorTooFewLevels(String, Int)
    case tooFewRows(n: Int, p: Int)
    case fitFailed(String)
    case invalidOption(String)
    case mismatchedRows(String)

    public var description: String {
        switch self {
        case .noRandomEffects: return "the formula has no random-effect term like (1 | group); use OLS for a fixed-effects model"
        case .noRows: return "no rows left to fit"
        case let .groupingFactorTooFewLevels(g, k): return "grouping factor '\(g)' has \(k) level(s) in the data; a random effect needs at least 2"
        case let .tooFewRows(n, p): return "\(n) rows are too few for \(p) fixed-effect coefficients"
        case let .fitFailed(why): return "fit failed: \(why)"
        case let .invalidOption(why): return "invalid option: \(why)"
        case let .mismatchedRows(why): return "models are not fitted to the same rows: \(why)"
        }
    }
}
