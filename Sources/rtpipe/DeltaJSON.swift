import MixedModels

/// A number or null in JSON output (null for nil; NaN and ±infinity as `JSONNumber` writes them).
struct NullableNumber: Encodable {
    let value: Double?

    init(_ value: Double?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        if let value { try JSONNumber(value).encode(to: encoder) } else {
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}

/// The object `rtpipe delta --json` prints.
struct DeltaJSON: Encodable {
    /// One cross-validation fold.
    struct Fold: Encodable {
        let fold: String
        let n: Int
        let meanDelta, seDelta, baseLogLik, fullLogLik: JSONNumber

        enum CodingKeys: String, CodingKey {
            case fold, n, meanDelta = "mean_delta", seDelta = "se_delta", baseLogLik = "base_loglik", fullLogLik = "full_loglik"
        }
    }

    let model: String
    let n, droppedRows: Int
    let baseLogLik, fullLogLik, deltaLogLik, deltaLogLikPerRow, lrtChiSquared: JSONNumber
    let lrtDegreesOfFreedom: Int
    let lrtP: JSONNumber
    let folds: [Fold]
    let cvMean, cvSE, cvTotal, permutationP: NullableNumber
    let permutations: Int
    let sigma: String
    let warnings: [String]
    /// Only for mixed models: how random effects entered the held-out likelihoods.
    let randomEffects: String?

    enum CodingKeys: String, CodingKey {
        case model, n, droppedRows = "dropped_rows", baseLogLik = "base_loglik", fullLogLik = "full_loglik"
        case deltaLogLik = "delta_loglik", deltaLogLikPerRow = "delta_loglik_per_row", lrtChiSquared = "lrt_chisq"
        case lrtDegreesOfFreedom = "lrt_df", lrtP = "lrt_p", folds, cvMean = "cv_mean", cvSE = "cv_se", cvTotal = "cv_total"
        case permutationP = "permutation_p", permutations, sigma, warnings, randomEffects = "random_effects"
    }

    init(_ r: ComparisonResult, sigma: String, randomEffects: String) {
        model = r.kind.rawValue
        n = r.n
        droppedRows = r.droppedRows
        baseLogLik = JSONNumber(r.baseLogLik)
        fullLogLik = JSONNumber(r.fullLogLik)
        deltaLogLik = JSONNumber(r.deltaLogLik)
        deltaLogLikPerRow = JSONNumber(r.deltaLogLikPerRow)
        lrtChiSquared = JSONNumber(r.lrtChiSquared)
        lrtDegreesOfFreedom = r.lrtDegreesOfFreedom
        lrtP = JSONNumber(r.lrtP)
        folds = r.folds.map { Fold(fold: $0.label, n: $0.n, meanDelta: JSONNumber($0.meanDelta), seDelta: JSONNumber($0.seDelta),
                                   baseLogLik: JSONNumber($0.baseLogLik), fullLogLik: JSONNumber($0.fullLogLik)) }
        cvMean = NullableNumber(r.cvMean)
        cvSE = NullableNumber(r.cvSE)
        cvTotal = NullableNumber(r.heldOutDelta.isEmpty ? nil : r.heldOutDelta.reduce(0, +))
        permutationP = NullableNumber(r.permutationP)
        permutations = r.permutations
        self.sigma = sigma
        warnings = r.warnings
        self.randomEffects = r.kind == .lmm ? randomEffects : nil
    }
}
