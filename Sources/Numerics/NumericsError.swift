/// Errors thrown by the Numerics wrappers. Each names the operation and says what was wrong,
/// so that bad input surfaces as a readable message rather than a crash inside BLAS or LAPACK.
public enum NumericsError: Error, Equatable, CustomStringConvertible {
    /// Operand shapes do not fit the operation.
    case dimensionMismatch(operation: String, detail: String)
    /// A LAPACK routine returned a negative `info`: argument number `-info` was illegal.
    case illegalArgument(routine: String, info: Int32)
    /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(routine: String, minorOrder: Int32)
    /// A triangular or general factor is exactly singular at this (1-based) position.
    case singular(routine: String, position: Int32)
    /// An iterative LAPACK routine did not converge (`info` > 0).
    case noConvergence(routine: String, info: Int32)
    /// An optimiser could not be set up or failed outright.
    case optimizerFailure(detail: String)
    /// A value outside the domain of the operation (for example a negative size or NaN input).
    case invalidArgument(operation: String, detail: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(op, detail):
            return "\(op): dimension mismatch — \(detail)"
        case let .illegalArgument(routine, info):
            return "\(routine): argument \(-info) had an illegal value (LAPACK info = \(info))"
        case let .notPositiveDefinite(routine, order):
            return "\(routine): matrix is not positive definite (leading minor of order \(order) fails; LAPACK info = \(order))"
        case let .singular(routine, position):
            return "\(routine): matrix is singular (zero pivot at position \(position); LAPACK info = \(position))"
        case let .noConvergence(routine, info):
            return "\(routine): did not converge (LAPACK info = \(info))"
        case let .optimizerFailure(detail):
            return "optimiser: \(detail)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        }
    }
}
