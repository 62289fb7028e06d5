import Foundation
import XCTest

/// `rtpipe fit` and `rtpipe delta` end to end: JSON keys, values, and error exits.
final class RegressionCLITests: XCTestCase {
    var shared: URL { CLIRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/lmm-reference") }

    func tempFile(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func json(_ r: CLIRunner.Output) throws -> [String: Any] {
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    func testFitJSONMatchesLme4OnSleepstudy() throws {
        let data = shared.appendingPathComponent("sleepstudy.csv")
        guard FileManager.default.fileExists(atPath: data.path) else { throw XCTSkip("../shared/lmm-reference absent") }
        let o = try json(try CLIRunner.run(["fit", "--data", data.path, "--formula", "Reaction ~ Days + (Days|Subject)", "--json"]))
        for key in ["n", "logLik", "deviance", "sigma", "theta", "fixef", "stderr", "converged", "singular", "evaluations"] {
            XCTAssertNotNil(o[key], "missing \(key)")
        }
        XCTAssertEqual(o["n"] as? Int, 180)
        let seconds = try XCTUnwrap(o["seconds"] as? [String: Double], "timings for benchmarks")
        XCTAssertGreaterThan(seconds["fit"] ?? 0, 0)
        XCTAssertGreaterThanOrEqual(seconds["read"] ?? -1, 0)
        XCTAssertEqual(o["deviance"] as! Double, 1751.9393444632, accuracy: 1751.94 * 1e-6)
        XCTAssertEqual((o["fixef"] as! [String: Double])["Days"]!, 10.4672859595958, accuracy: 1e-3)
        let reml = try json(try CLIRunner.run(["fit", "--data", data.path, "--formula", "Reaction ~ Days + (Days|Subject)", "--reml", "--json"]))
        XCTAssertEqual(reml["deviance"] as! Double, 1743.62827195849, accuracy: 1743.6 * 1e-6)
        let text = try CLIRunner.run(["fit", "--data", data.path, "--formula", "Reaction ~ Days + (Days|Subject)"])
        XCTAssertTrue(text.stdout.contains("Random effects:") && text.stdout.contains("Fixed effects:"), text.stdout)
    }

    func testDeltaJSON() throws {
        var csv = "y,x,z,f\n"
        for i in 0..<60 { csv += "\(Double(i % 7) * 0.5 + Double((i * 37) % 11) / 5),\(i % 7),\((i * 13) % 5),\(i % 3)\n" }
        let file = try tempFile("d.csv", csv)
        let o = try json(try CLIRunner.run(["delta", "--data", file.path, "--base", "y ~ z", "--full", "y ~ z + x", "--folds", "5", "--seed", "3", "--json"]))
        for key in ["n", "delta_loglik", "delta_loglik_per_row", "folds", "cv_mean", "cv_se", "lrt_chisq", "lrt_df", "lrt_p", "permutation_p"] {
            XCTAssertNotNil(o[key], "missing \(key)")
        }
        XCTAssertEqual((o["folds"] as! [[String: Any]]).count, 5)
        XCTAssertGreaterThan(o["delta_loglik"] as! Double, 0)
        let byColumn = try json(try CLIRunner.run(["delta", "--data", file.path, "--base", "y ~ z", "--full", "y ~ z + x", "--fold-column", "f", "--json"]))
        XCTAssertEqual((byColumn["folds"] as! [[String: Any]]).map { $0["fold"] as! String }, ["0", "1", "2"])
    }

    func testBadInputGivesClearErrors() throws {
        let file = try tempFile("bad.csv", "y,x,g\n1,2,a\n2,oops,b\n3,4,a\n")
        let nonNumeric = try CLIRunner.run(["fit", "--data", file.path, "--formula", "y ~ log(x)"])
        XCTAssertEqual(nonNumeric.status, 2)
        XCTAssertTrue(nonNumeric.stderr.contains("bad.csv") && nonNumeric.stderr.contains("3") && nonNumeric.stderr.contains("oops"), nonNumeric.stderr)
        let malformed = try CLIRunner.run(["fit", "--data", file.path, "--formula", "y ~ x +"])
        XCTAssertEqual(malformed.status, 2)
        XCTAssertTrue(malformed.stderr.contains("^"), malformed.stderr)
        let unknown = try CLIRunner.run(["fit", "--data", file.path, "--formula", "y ~ w"])
        XCTAssertTrue(unknown.stderr.contains("'w'"), unknown.stderr)
        let missing = try CLIRunner.run(["fit", "--data", "/no/such/file.csv", "--formula", "y ~ 1"])
        XCTAssertEqual(missing.status, 2)
        let both = try CLIRunner.run(["delta", "--data", file.path, "--base", "y ~ 1", "--full", "y ~ g", "--folds", "2", "--fold-column", "g"])
        XCTAssertNotEqual(both.status, 0)
    }
}
