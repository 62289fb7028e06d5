import Foundation
import XCTest
@testable import MixedModels

/// Every model in lme4's reference.json, ML and REML: objective within 1e-6 relative, fixed
/// effects and standard errors within 1e-4 relative, θ within 1e-3 absolute (unless rtpipe
/// finds a strictly better optimum, which is reported) — of lme4's best or default run.
final class LMMGoldenTests: XCTestCase {
    func fitReference(_ id: String) throws -> (LinearMixedModelFit, [String: Any]) {
        let models = try ReferenceData.models()
        let model = try XCTUnwrap(models[id], "no reference model \(id)")
        let dir = try ReferenceData.requireDirectory()
        let table = try DataTable.load(path: dir.appendingPathComponent(model["csv"] as! String).path)
        let formula = try Formula.parse(model["formula"] as! String)
        let levelOrders = (model["factor_levels"] as? [String: [String]]) ?? [:]
        var factors = Set(levelOrders.keys)
        for g in ((model["ngroups"] as? [String: Any]) ?? [:]).keys { for part in g.split(separator: ":") { factors.insert(String(part)) } }
        let frame = try ModelFrame.build(formula: formula, table: table, factors: factors, levelOrders: levelOrders)
        var options = LMMOptions(reml: (model["method"] as! String) == "REML")
        options.maxEvaluations = 100_000
        let fit = try LinearMixedModel.fit(frame, options: options)
        return (fit, model)
    }

    /// Objective against lme4's best run; θ, β, SEs and σ against lme4's best run or, failing
    /// that, lme4's default run (rtpipe starts and stops as lme4's default does, so on weakly
    /// identified models — InstEval's 14-level dept term — it may sit on lme4's default optimum
    /// rather than the polished one; both are lme4's answers).
    func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (fit, model) = try fitReference(id)
        let best = try XCTUnwrap(model["best"] as? [String: Any])
        let refObjective = best["objective"] as! Double
        XCTAssertEqual(fit.n, model["n"] as? Int, file: file, line: line)
        let relObjective = (fit.objective - refObjective) / abs(refObjective)
        XCTAssertLessThan(relObjective, 1e-6, "\(id): objective \(fit.objective) vs lme4 \(refObjective)", file: file, line: line)
        let better = relObjective < -1e-9
        if better { print("\(id): rtpipe's optimum \(fit.objective) is better than lme4's best \(refObjective)") }
        XCTAssertEqual(fit.thetaNames, best["theta_names"] as? [String], file: file, line: line)
        XCTAssertEqual(fit.fixedEffectNames, best["beta_names"] as? [String], "\(id) fixed-effect names", file: file, line: line)
        XCTAssertTrue(fit.converged, file: file, line: line)

        /// Differences from one lme4 run beyond the tolerances (empty when it agrees).
        func mismatches(_ ref: [String: Any]) -> [String] {
            var out: [String] = []
            let (refTheta, refBeta, refSE) = (ref["theta"] as! [Double], ref["beta"] as! [Double], ref["beta_se"] as! [Double])
            let names = best["beta_names"] as! [String]
            if fit.theta.count != refTheta.count { return ["θ has \(fit.theta.count) entries, lme4 \(refTheta.count)"] }
            if !better {
                for (a, b) in zip(fit.theta, refTheta) where abs(a - b) > 1e-3 { out.append("θ \(a) vs \(b)") }
            }
            for (i, (a, b)) in zip(fit.beta, refBeta).enumerated() where abs(a - b) >= 1e-4 * max(abs(b), 1e-8) + 1e-10 {
                out.append("β[\(names[i])] \(a) vs \(b)")
            }
            for (i, (a, b)) in zip(fit.standardErrors, refSE).enumerated() where abs(a - b) >= 1e-4 * abs(b) {
                out.append("SE[\(names[i])] \(a) vs \(b)")
            }
            let sigma = ref["sigma"] as! Double
            if abs(fit.sigma - sigma) > 1e-4 * sigma { out.append("σ \(fit.sigma) vs \(sigma)") }
            return out
        }
        let againstBest = mismatches(best)
        guard !againstBest.isEmpty else { return }
        let fallback = (model["fits"] as? [String: Any])?["default"] as? [String: Any]
        let againstDefault = fallback.map(mismatches) ?? ["no default run in the reference"]
        XCTAssertTrue(againstDefault.isEmpty, "\(id): vs lme4's best run: \(againstBest); vs its default run: \(againstDefault)", file: file, line: line)
    }

    func testSleepstudyCorrelated() throws { try check("sleepstudy_corr_ML"); try check("sleepstudy_corr_REML") }
    func testSleepstudyUncorrelated() throws { try check("sleepstudy_uncorr_ML"); try check("sleepstudy_uncorr_REML") }
    func testSleepstudyNoFixedSlope() throws { try check("sleepstudy_nofix_ML"); try check("sleepstudy_nofix_REML") }
    func testDyestuff() throws { try check("dyestuff_ML"); try check("dyestuff_REML") }
    func testPenicillinCrossed() throws { try check("penicillin_ML"); try check("penicillin_REML") }
    func testPastesNested() throws { try check("pastes_ML"); try check("pastes_REML") }
    func testInstEvalAdditive() throws { try check("insteval_additive_ML") }
    func testInstEvalInteraction() throws { try check("insteval_interact_ML"); try check("insteval_interact_REML") }

    func testVarianceComponentsAndLogLik() throws {
        let (fit, model) = try fitReference("sleepstudy_corr_ML")
        let best = model["best"] as! [String: Any]
        XCTAssertEqual(fit.logLik, best["logLik"] as! Double, accuracy: 1e-6 * 900)
        let re = (best["random_effects"] as! [[String: Any]])[0]
        let sd = re["sd"] as! [Double]
        XCTAssertEqual(fit.varianceComponents[0].sd[0], sd[0], accuracy: 1e-3 * sd[0])
        XCTAssertEqual(fit.varianceComponents[0].sd[1], sd[1], accuracy: 1e-3 * sd[1])
        let corr = try XCTUnwrap((re["correlations"] as? [[String: Any]])?.first?["corr"] as? Double, "the reference has the correlation")
        XCTAssertEqual(fit.varianceComponents[0].correlations[1][0], corr, accuracy: 1e-3)
        XCTAssertEqual(fit.varianceComponents[0].correlations[0][1], corr, accuracy: 1e-3)
        XCTAssertEqual(fit.conditionalModes[0].levels.count, 18)
        XCTAssertFalse(fit.singular)
    }
}
