import Foundation
import XCTest

/// Issue 12, items 1 and 14: `rtpipe fit --json` with several random-effect terms on one
/// grouping factor, colliding fixed-effect names, and non-finite numbers.
final class FitJSONCLITests: XCTestCase {
    var sleepstudy: URL {
        CLIRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/lmm-reference/sleepstudy.csv")
    }

    func tempFile(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-fitjson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func fitJSON(_ data: URL, _ formula: String, _ extra: [String] = []) throws -> (object: [String: Any], stderr: String) {
        let r = try CLIRunner.run(["fit", "--data", data.path, "--formula", formula, "--json"] + extra)
        XCTAssertEqual(r.status, 0, "\(formula): \(r.stderr)")
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(formula): \(r.stdout)")
        return (o, r.stderr)
    }

    /// A table with nested and crossed factors and two covariates.
    func groupedTable() throws -> URL {
        var csv = "y,x,z,g,h\n"
        for i in 0..<240 {
            let g = i % 8, h = i % 24, x = Double(i % 7) - 3, z = Double((i * 5) % 11) / 3
            let y = 10 + 2 * x - z + Double(g) * 1.3 + Double(h % 5) * 0.7 + x * Double(g % 3) * 0.4 + Double((i * 37) % 17) / 4
            csv += "\(y),\(x),\(z),g\(g),h\(h)\n"
        }
        return try tempFile("grouped.csv", csv)
    }

    func testTwoTermsOnOneGroupingFactorPrintTheirFit() throws {
        let data = try groupedTable()
        for (formula, terms) in [("y ~ x + (1|g) + (1|g)", 2), ("y ~ x + z + (x|g) + (z|g)", 2), ("y ~ x + (1|g/h) + (x||h)", 4),
                                 ("y ~ x + (x||g)", 2)] {
            let (o, _) = try fitJSON(data, formula)
            XCTAssertEqual((o["varcorr"] as? [[String: Any]])?.count, terms, formula)
            let groups = try XCTUnwrap(o["groups"] as? [String: Int], formula)
            XCTAssertEqual(groups["g"], 8, formula)
            XCTAssertTrue((o["deviance"] as? Double)?.isFinite == true, formula)
        }
    }

    func testUncorrelatedSleepstudyMatchesLme4() throws {
        guard FileManager.default.fileExists(atPath: sleepstudy.path) else { throw XCTSkip("../shared/lmm-reference absent") }
        let (o, _) = try fitJSON(sleepstudy, "Reaction ~ Days + (Days||Subject)")
        // lme4: anova(fm2, fm1) gives deviance 1752.0 for the uncorrelated ML fit.
        XCTAssertEqual(try XCTUnwrap(o["deviance"] as? Double), 1752.0033, accuracy: 0.01)
        XCTAssertEqual(o["groups"] as? [String: Int], ["Subject": 18])
        // (Days||Subject) is (1|Subject) + (0 + Days|Subject): the same model.
        let (split, _) = try fitJSON(sleepstudy, "Reaction ~ Days + (1|Subject) + (0 + Days|Subject)")
        XCTAssertEqual(try XCTUnwrap(split["deviance"] as? Double), try XCTUnwrap(o["deviance"] as? Double), accuracy: 1e-6)
    }

    func testFixedEffectNameCollisionIsMadeUnique() throws {
        var csv = "y,x,x2\n"
        for i in 0..<30 { csv += "\(Double(i % 3) * 2 + Double(i * 7 % 5)),\(i % 3 + 1),\(Double(i * 7 % 5) / 2)\n" }
        let data = try tempFile("clash.csv", csv)
        let (o, _) = try fitJSON(data, "y ~ x + x2", ["--factors", "x"])
        XCTAssertEqual(o["fixef_names"] as? [String], ["(Intercept)", "x2", "x3", "x2.1"])
        XCTAssertEqual((o["fixef"] as? [String: Any])?.count, 4)
        XCTAssertEqual((o["stderr"] as? [String: Any])?.count, 4)
    }

    func testNonFiniteNumbersAreNullWithAWarning() throws {
        let data = try tempFile("flat.csv", "y,x\n1,1\n1,2\n1,3\n1,5\n")
        let (o, stderr) = try fitJSON(data, "y ~ x")
        XCTAssertTrue(o["r_squared"] is NSNull, "\(o["r_squared"] ?? "absent")")
        XCTAssertTrue(stderr.contains("warning") && stderr.contains("r_squared"), stderr)
    }
}
