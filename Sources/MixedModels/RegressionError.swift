/// Errors of model fitting and comparison, with messages a user can act on.
public enum RegressionError: Error, CustomStringConvertible, Equatable {
    case noRandomEffects
    case noRows
    case groupingFactorTooFewLevels(String, Int)
    /// No more rows than fixed-effect coefficients; `cause` is a likely reason.
    case tooFewRows(n: Int, p: Int, cause: String? = nil)
    case fitFailed(String)
    case invalidOption(String)
    case mismatchedRows(String)
    /// The model has more parameters than rows (lme4's df.resid < 0); `cause` is a likely reason.
    case negativeResidualDegrees(n: Int, parameters: Int, cause: String?)
    /// Every fixed-effect column was dropped as constant or collinear: no estimate is defined.
    case noEstimableCoefficients(dropped: [String], cause: String?)

    public var description: String {
        switch self {
        case .noRandomEffects: return "the formula has no random-effect term like (1 | group); use OLS for a fixed-effects model"
        case .noRows: return "no rows left to fit"
        case let .groupingFactorTooFewLevels(g, k): return "grouping factor '\(g)' has \(k) level(s) in the data; a random effect needs at least 2"
        case let .tooFewRows(n, p, cause): return "\(n) rows are too few for \(p) fixed-effect coefficients" + Self.because(cause)
        case let .fitFailed(why): return "fit failed: \(why)"
        case let .invalidOption(why): return "invalid option: \(why)"
        case let .mismatchedRows(why): return "models are not fitted to the same rows: \(why)"
        case let .negativeResidualDegrees(n, parameters, cause):
            return "the model has \(parameters) parameters but only \(n) rows (df.resid = \(n - parameters) < 0)" + Self.because(cause)
        case let .noEstimableCoefficients(dropped, cause):
            return "no fixed-effect coefficient can be estimated: every column (\(dropped.joined(separator: ", "))) is constant zero or collinear" + Self.because(cause)
        }
    }

    private static func because(_ cause: String?) -> String {
        cause.map { "; likely cause: \($0)" } ?? ""
    }
}
