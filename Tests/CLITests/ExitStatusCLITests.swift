import Foundation
import XCTest

/// Issue 12, item 14: usage errors exit 2 (not ArgumentParser's 64) and show the usage of the
/// subcommand they belong to, never the top-level `rtpipe <subcommand>`.
final class ExitStatusCLITests: XCTestCase {
    func testUsageErrorsExit2WithTheSubcommandsUsage() throws {
        let cases: [(args: [String], usage: String)] = [
            (["fit"], "rtpipe fit "),                                                   // missing option
            (["delta", "--data", "x.csv", "--base", "y ~ 1", "--full", "y ~ x", "--folds", "1"], "rtpipe delta "),   // validate()
            (["bench", "spr-table", "--out", "/dev/null", "--subjects", "1"], "rtpipe bench spr-table "),   // ValidationError in run()
            (["lm", "train"], "rtpipe lm train "),                                      // ValidationError in run()
            (["delta", "--data", "x.csv", "--base", "y ~ 1", "--full", "y ~ x", "--permutations", "9223372036854775807"], "rtpipe delta "),
            (["no-such-command"], "rtpipe <subcommand>"),
        ]
        for c in cases {
            let r = try CLIRunner.run(c.args)
            XCTAssertEqual(r.status, 2, "\(c.args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("rtpipe: error: "), "\(c.args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("Usage: " + c.usage), "\(c.args): \(r.stderr)")
            if c.usage != "rtpipe <subcommand>" {
                XCTAssertFalse(r.stderr.contains("rtpipe <subcommand>"), "\(c.args): top-level usage for a subcommand's error: \(r.stderr)")
            }
            XCTAssertTrue(r.stdout.isEmpty, "\(c.args): \(r.stdout)")
        }
    }

    func testHelpAndVersionStillExit0AndRunTimeErrorsHaveNoUsage() throws {
        XCTAssertEqual(try CLIRunner.run(["--version"]).status, 0)
        let help = try CLIRunner.run(["fit", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: rtpipe fit"), help.stdout)
        let missing = try CLIRunner.run(["fit", "--data", "/no/such/table.csv", "--formula", "y ~ x"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertFalse(missing.stderr.contains("Usage:"), missing.stderr)
    }

    func testFileErrorsNeverShowRawNSErrorText() throws {
        let runs = [
            ["fit", "--data", "/no/such/table.csv", "--formula", "y ~ x"],
            ["fit", "--data", NSTemporaryDirectory(), "--formula", "y ~ x"],
            ["run", "/no/such/analysis.toml", "--dry-run"],
            ["lm", "train", "--out", NSTemporaryDirectory() + "rtpipe-lm-\(UUID().uuidString)", "--text", "/no/such/text.txt"],
        ]
        for args in runs {
            let r = try CLIRunner.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("no such file") || r.stderr.contains("is a folder"), "\(args): \(r.stderr)")
            for raw in ["could not be completed", "Domain=", "NSCocoaErrorDomain", "NSError"] {
                XCTAssertFalse(r.stderr.contains(raw), "\(args): \(r.stderr)")
            }
        }
    }
}
