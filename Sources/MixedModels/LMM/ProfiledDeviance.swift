import Foundation

/// The objective the LMM optimiser minimises: the profiled deviance (ML) or REML criterion of θ,
/// from the blocked system's factor L(θ) (Bates et al. 2015, eqs. 34 and 41). Remembers the
/// last θ evaluated (the system holds L of it) and the first internal error, which ends the fit.
final class ProfiledDeviance {
    let system: BlockedSystem
    let n: Int, p: Int
    let reml: Bool
    /// The θ the system's factor belongs to, and the criterion there.
    private(set) var lastTheta: [Double] = []
    private(set) var lastValue = Double.infinity
    /// A thrown error (a product whose shapes do not fit: a bug).
    private var failure: Error?

    init(system: BlockedSystem, n: Int, p: Int, reml: Bool) {
        self.system = system
        self.n = n
        self.p = p
        self.reml = reml
    }

    /// The criterion from the system's current factor.
    func criterion() -> Double {
        let r2 = system.pwrss
        if reml {
            let df = Double(n - p)
            return system.logDetL2 + system.logDetRX2 + df * (1 + log(2 * Double.pi * r2 / df))
        }
        return system.logDetL2 + Double(n) * (1 + log(2 * Double.pi * r2 / Double(n)))
    }

    /// The criterion at θ (+∞ where L(θ) is not positive definite, as lme4 does, or after an error).
    func evaluate(_ theta: [Double]) -> Double {
        lastTheta = theta
        guard failure == nil else { lastValue = .infinity; return lastValue }
        do {
            lastValue = try system.update(theta: theta) ? criterion() : .infinity
        } catch {
            failure = error
            lastValue = .infinity
        }
        return lastValue
    }

    /// Throws the first internal error of an evaluation, if any.
    func checkFailure() throws {
        if let failure { throw RegressionError.fitFailed("internal error: \(failure)") }
    }
}
