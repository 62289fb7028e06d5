import Foundation
import XCTest
@testable import MixedModels

/// Every model in lme4's reference.json, ML and REML: objective within 1e-6 relative, fixed
/// effects and standard errors within 1e-4 relative, θ within 1e-3 absolute (unless rtpipe
/// finds a strictly better optimum, which is reported).
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

    func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (fit, model) = try fitReference(id)
        let best = try XCTUnwrap(model["best"] as? [String: Any])
        let refObjective = best["objective"] as! Double
        let refTheta = best["theta"] as! [Double]
        let refBeta = best["beta"] as! [Double]
        let refSE = best["beta_se"] as! [Double]
        let refNames = best["beta_names"] as! [String]
        XCTAssertEqual(fit.n, model["n"] as? Int, file: file, line: line)
        let relObjective = (fit.objective - refObjective) / abs(refObjective)
        XCTAssertLessThan(relObjective, 1e-6, "\(id): objective \(fit.objective) vs lme4 \(refObjective)", file: file, line: line)
        let better = relObjective < -1e-9
        if better { print("\(id): rtpipe's optimum \(fit.objective) is better than lme4's best \(refObjective)") }
        XCTAssertEqual(fit.thetaNames, best["theta_names"] as? [String], file: file, line: line)
        XCTAssertEqual(fit.theta.count, refTheta.count, file: file, line: line)
        if !better {
            for (a, b) in zip(fit.theta, refTheta) { XCTAssertEqual(a, b, accuracy: 1e-3, "\(id) θ", file: file, line: line) }
        }
        XCTAssertEqual(fit.fixedEffectNames, refNames, "\(id) fixed-effect names", file: file, line: line)
        for (i, (a, b)) in zip(fit.beta, refBeta).enumerated() {
            XCTAssertLessThan(abs(a - b), 1e-4 * max(abs(b), 1e-8) + 1e-10, "\(id) β[\(refNames[i])] \(a) vs \(b)", file: file, line: line)
        }
        for (i, (a, b)) in zip(fit.standardErrors, refSE).enumerated() {
            XCTAssertLessThan(abs(a - b), 1e-4 * abs(b), "\(id) SE[\(refNames[i])] \(a) vs \(b)", file: file, line: line)
        }
        XCTAssertEqual(fit.sigma, best["sigma"] as! Double, accuracy: 1e-4 * (best["sigma"] as! Double), file: file, line: line)
        XCTAssertTrue(fit.converged, file: file, line: line)
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
        let corr = ((re["correlations"] as! [[String: Any]])[0]["corr"] as? Double)
        if let corr { XCTAssertEqual(fit.varianceComponents[0].correlations[1][0], corr, accuracy: 1e-3) }
        XCTAssertEqual(fit.conditionalModes[0].levels.count, 18)
        XCTAssertFalse(fit.singular)
    }
}
