import MixedModels

// The objects `rtpipe fit --json` prints. Struct fields cannot repeat, and the per-name maps
// (fixef, stderr, groups) are built so that a repeated name is an error, never a trap.

/// Seconds spent reading the table and fitting (model frame included, as lme4's lmer() builds its own).
struct FitSeconds: Encodable {
    let read: Double
    let fit: Double
}

/// `rtpipe fit --json` for an OLS fit.
struct OLSFitJSON: Encodable {
    let model = "ols"
    let n: Int
    let droppedRows: Int
    let logLik, deviance, sigma, sigmaML, aic, bic, rSquared: JSONNumber
    let theta: [JSONNumber] = []
    let fixef, stderr: [String: JSONNumber]
    let fixefNames, droppedColumns: [String]
    let converged = true
    let singular = false
    let evaluations = 0
    let warnings: [String]
    let seconds: FitSeconds

    enum CodingKeys: String, CodingKey {
        case model, n, droppedRows = "dropped_rows", logLik, deviance, sigma, sigmaML = "sigma_ml", aic, bic
        case rSquared = "r_squared", theta, fixef, stderr, fixefNames = "fixef_names", droppedColumns = "dropped_columns"
        case converged, singular, evaluations, warnings, seconds
    }

    init(_ fit: OLSFit, droppedRows: Int, seconds: FitSeconds) throws {
        n = fit.n
        self.droppedRows = droppedRows
        logLik = JSONNumber(fit.logLik)
        deviance = JSONNumber(fit.deviance)
        sigma = JSONNumber(fit.sigma)
        sigmaML = JSONNumber(fit.sigmaML)
        aic = JSONNumber(fit.aic)
        bic = JSONNumber(fit.bic)
        rSquared = JSONNumber(fit.rSquared)
        fixef = try jsonObject(names: fit.fixedEffectNames, values: fit.beta.json, of: "the fixed effects")
        stderr = try jsonObject(names: fit.fixedEffectNames, values: fit.standardErrors.json, of: "the standard errors")
        fixefNames = fit.fixedEffectNames
        droppedColumns = fit.droppedColumns
        warnings = fit.warnings
        self.seconds = seconds
    }
}

/// `rtpipe fit --json` for a linear mixed model.
struct LMMFitJSON: Encodable {
    /// One random-effect term's standard deviations and correlations (a list: a grouping
    /// factor may have several terms, as in `(1|g) + (0 + x|g)`).
    struct VarCorr: Encodable {
        let group: String
        let terms: [String]
        let sd: [JSONNumber]
        let correlations: [[JSONNumber]]
    }

    let model = "lmm"
    let reml: Bool
    let n: Int
    let droppedRows: Int
    let logLik, deviance, sigma, aic, bic: JSONNumber
    let theta: [JSONNumber]
    let thetaNames: [String]
    let fixef, stderr: [String: JSONNumber]
    let fixefNames, droppedColumns: [String]
    let converged, singular: Bool
    let evaluations: Int
    let optimizerMessage: String
    let warnings: [String]
    /// Levels per grouping factor (once per factor, however many terms it has).
    let groups: [String: Int]
    let varcorr: [VarCorr]
    let seconds: FitSeconds

    enum CodingKeys: String, CodingKey {
        case model, reml, n, droppedRows = "dropped_rows", logLik, deviance, sigma, theta, thetaNames = "theta_names", aic, bic
        case fixef, stderr, fixefNames = "fixef_names", droppedColumns = "dropped_columns", converged, singular, evaluations
        case optimizerMessage = "optimizer_message", warnings, groups, varcorr, seconds
    }

    init(_ fit: LinearMixedModelFit, droppedRows: Int, seconds: FitSeconds) throws {
        reml = fit.reml
        n = fit.n
        self.droppedRows = droppedRows
        logLik = JSONNumber(fit.logLik)
        deviance = JSONNumber(fit.deviance)
        sigma = JSONNumber(fit.sigma)
        aic = JSONNumber(fit.aic)
        bic = JSONNumber(fit.bic)
        theta = fit.theta.json
        thetaNames = fit.thetaNames
        fixef = try jsonObject(names: fit.fixedEffectNames, values: fit.beta.json, of: "the fixed effects")
        stderr = try jsonObject(names: fit.fixedEffectNames, values: fit.standardErrors.json, of: "the standard errors")
        fixefNames = fit.fixedEffectNames
        droppedColumns = fit.droppedColumns
        converged = fit.converged
        singular = fit.singular
        evaluations = fit.evaluations
        optimizerMessage = fit.optimizerMessage
        warnings = fit.warnings
        // Terms on one grouping factor share its level count.
        groups = Dictionary(fit.groupSizes.map { ($0.0, $0.1) }) { first, _ in first }
        varcorr = fit.varianceComponents.map {
            VarCorr(group: $0.group, terms: $0.terms, sd: $0.sd.json, correlations: $0.correlations.map(\.json))
        }
        self.seconds = seconds
    }
}

/// A fit that `rtpipe fit --json` can print.
protocol FitJSONConvertible {
    func json(droppedRows: Int, seconds: FitSeconds) throws -> any Encodable
}

extension OLSFit: FitJSONConvertible {
    func json(droppedRows: Int, seconds: FitSeconds) throws -> any Encodable { try OLSFitJSON(self, droppedRows: droppedRows, seconds: seconds) }
}

extension LinearMixedModelFit: FitJSONConvertible {
    func json(droppedRows: Int, seconds: FitSeconds) throws -> any Encodable { try LMMFitJSON(self, droppedRows: droppedRows, seconds: seconds) }
}

/// The JSON object of any regression fit.
func fitJSON(_ fit: any RegressionFit, droppedRows: Int, seconds: FitSeconds) throws -> any Encodable {
    guard let convertible = fit as? FitJSONConvertible else { throw CLIError("internal error: no JSON form for \(type(of: fit))") }
    return try convertible.json(droppedRows: droppedRows, seconds: seconds)
}
