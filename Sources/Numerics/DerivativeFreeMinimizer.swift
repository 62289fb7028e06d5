import CNLopt

/// Derivative-free local minimisation through NLopt (Powell's BOBYQA and NEWUOA).
///
/// BOBYQA is the optimiser lme4 uses (`nloptwrap`) for the profiled deviance over θ.
/// The objective is a Swift closure; a non-finite return value is passed on to NLopt as a
/// large finite number (`nonFiniteReplacement`), as lme4 does for a failed Cholesky.
public struct DerivativeFreeMinimizer {
    /// Which of Powell's methods to run.
    public enum Algorithm: Sendable {
        /// Bound-constrained quadratic-model trust region (NLOPT_LN_BOBYQA).
        case bobyqa
        /// Unconstrained quadratic-model method (NLOPT_LN_NEWUOA); bounds use NEWUOA_BOUND.
        case newuoa
    }

    /// Why the search stopped.
    public enum StopReason: String, Sendable {
        case success, stopValueReached, relativeOrAbsoluteFunctionTolerance, parameterTolerance
        case maxEvaluations, maxTime, roundoffLimited, forcedStop, failure
        /// True for the outcomes that count as convergence.
        public var converged: Bool {
            switch self {
            case .success, .stopValueReached, .relativeOrAbsoluteFunctionTolerance, .parameterTolerance: return true
            default: return false
            }
        }
    }

    /// The result of a minimisation.
    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        public let evaluations: Int
        public let stopReason: StopReason
    }

    public var algorithm: Algorithm = .bobyqa
    /// Lower and upper bounds per coordinate (`-infinity`/`infinity` for none).
    public var lowerBounds: [Double]?
    public var upperBounds: [Double]?
    public var xtolAbsolute: Double = 1e-8
    public var xtolRelative: Double = 1e-4
    public var ftolAbsolute: Double = 1e-8
    public var ftolRelative: Double = 0
    public var maxEvaluations: Int = 100_000
    /// Initial trust-region radius per coordinate; nil lets NLopt choose.
    public var initialStep: [Double]?
    /// Value handed to NLopt when the objective returns NaN or ±infinity.
    public var nonFiniteReplacement: Double = 1e300

    public init(algorithm: Algorithm = .bobyqa) { self.algorithm = algorithm }

    /// Minimises `objective` from `start`. Throws `NumericsError` for invalid setup (bounds of
    /// the wrong length, a start outside the bounds, NLopt rejecting the arguments).
    public func minimize(from start: [Double], _ objective: ([Double]) -> Double) throws -> Result {
        let n = start.count
        guard n > 0 else { throw NumericsError.invalidArgument(operation: "minimize", detail: "no parameters to optimise") }
        if let lb = lowerBounds, lb.count != n {
            throw NumericsError.dimensionMismatch(operation: "minimize", detail: "\(lb.count) lower bounds for \(n) parameters")
        }
        if let ub = upperBounds, ub.count != n {
            throw NumericsError.dimensionMismatch(operation: "minimize", detail: "\(ub.count) upper bounds for \(n) parameters")
        }
        for i in 0..<n {
            if !start[i].isFinite { throw NumericsError.invalidArgument(operation: "minimize", detail: "start[\(i)] is not finite") }
            if let lb = lowerBounds, start[i] < lb[i] {
                throw NumericsError.invalidArgument(operation: "minimize", detail: "start[\(i)] = \(start[i]) is below its lower bound \(lb[i])")
            }
            if let ub = upperBounds, start[i] > ub[i] {
                throw NumericsError.invalidArgument(operation: "minimize", detail: "start[\(i)] = \(start[i]) is above its upper bound \(ub[i])")
            }
        }
        let bounded = lowerBounds != nil || upperBounds != nil
        let alg: nlopt_algorithm
        switch algorithm {
        case .bobyqa: alg = NLOPT_LN_BOBYQA
        case .newuoa: alg = bounded ? NLOPT_LN_NEWUOA_BOUND : NLOPT_LN_NEWUOA
        }
        guard let opt = nlopt_create(alg, UInt32(n)) else {
            throw NumericsError.optimizerFailure(detail: "nlopt_create failed")
        }
        defer { nlopt_destroy(opt) }

        final class Box {
            let f: ([Double]) -> Double
            let replacement: Double
            var count = 0
            init(_ f: @escaping ([Double]) -> Double, _ r: Double) { self.f = f; self.replacement = r }
        }
        return try withoutActuallyEscaping(objective) { escapable in
            let box = Box(escapable, nonFiniteReplacement)
            let context = Unmanaged.passUnretained(box).toOpaque()
            let callback: nlopt_func = { dim, xp, _, data in
                let b = Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue()
                b.count += 1
                let x = Array(UnsafeBufferPointer(start: xp!, count: Int(dim)))
                let v = b.f(x)
                return v.isFinite ? v : b.replacement
            }
            func ok(_ r: nlopt_result, _ what: String) throws {
                if r.rawValue < 0 { throw NumericsError.optimizerFailure(detail: "\(what) failed (NLopt code \(r.rawValue))") }
            }
            try ok(nlopt_set_min_objective(opt, callback, context), "set objective")
            if let lb = lowerBounds { try ok(nlopt_set_lower_bounds(opt, lb), "set lower bounds") }
            if let ub = upperBounds { try ok(nlopt_set_upper_bounds(opt, ub), "set upper bounds") }
            try ok(nlopt_set_xtol_abs1(opt, xtolAbsolute), "xtol_abs")
            try ok(nlopt_set_xtol_rel(opt, xtolRelative), "xtol_rel")
            try ok(nlopt_set_ftol_abs(opt, ftolAbsolute), "ftol_abs")
            try ok(nlopt_set_ftol_rel(opt, ftolRelative), "ftol_rel")
            try ok(nlopt_set_maxeval(opt, Int32(clamping: maxEvaluations)), "maxeval")
            if let step = initialStep {
                guard step.count == n else {
                    throw NumericsError.dimensionMismatch(operation: "minimize", detail: "\(step.count) initial steps for \(n) parameters")
                }
                try ok(nlopt_set_initial_step(opt, step), "initial step")
            }
            var x = start
            var f = 0.0
            let code = nlopt_optimize(opt, &x, &f)
            let reason: StopReason
            switch code {
            case NLOPT_SUCCESS: reason = .success
            case NLOPT_STOPVAL_REACHED: reason = .stopValueReached
            case NLOPT_FTOL_REACHED: reason = .relativeOrAbsoluteFunctionTolerance
            case NLOPT_XTOL_REACHED: reason = .parameterTolerance
            case NLOPT_MAXEVAL_REACHED: reason = .maxEvaluations
            case NLOPT_MAXTIME_REACHED: reason = .maxTime
            case NLOPT_ROUNDOFF_LIMITED: reason = .roundoffLimited
            case NLOPT_FORCED_STOP: reason = .forcedStop
            case NLOPT_INVALID_ARGS:
                throw NumericsError.optimizerFailure(detail: "NLopt rejected the arguments (invalid bounds or tolerances)")
            default: reason = .failure
            }
            return Result(x: x, value: f, evaluations: box.count, stopReason: reason)
        }
    }

    /// The NLopt library version, e.g. "2.7.1".
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, bugfix: Int32 = 0
        nlopt_version(&major, &minor, &bugfix)
        return "\(major).\(minor).\(bugfix)"
    }
}
