import Foundation
import XCTest

/// Issue 13, item 3: `rtpipe lm train --config` reads its `[lm]` table with the analysis files'
/// TOML reader (typed values, errors with file, line and column), and a command-line option wins
/// over the file's value.
final class LMConfigCLITests: XCTestCase {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-lmconfig-\(UUID().uuidString).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testCommandLineWinsOverTheFile() throws {
        let config = try write("""
            [analysis]
            name = "not read"
            [lm]
            text = "/no/such/text.txt"
            steps = 300
            lr = 0.01
            fusion = "late_concat"
            keep_case = true
            sizes = [5000, 8000]
            """)
        let out = try CLIRunner.run(["lm", "train", "--config", config, "--steps", "50", "--encoder", "bow", "--show-config"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any], out.stdout)
        let run = try XCTUnwrap(json["run"] as? [String: Any])
        let training = try XCTUnwrap(run["training"] as? [String: Any])
        let model = try XCTUnwrap(run["model"] as? [String: Any])
        let tokenizer = try XCTUnwrap(run["tokenizer"] as? [String: Any])
        XCTAssertEqual(training["steps"] as? Int, 50)                 // the command line's
        XCTAssertEqual(training["learningRate"] as? Double, 0.01)     // the file's
        XCTAssertEqual(model["fusion"] as? String, "late_concat")
        XCTAssertEqual(tokenizer["lowercase"] as? Bool, false)
        XCTAssertEqual(json["sizes"] as? [Int], [5000, 8000])
        XCTAssertEqual(json["encoder"] as? String, "bow")
        XCTAssertEqual((run["text"] as? [String: Any])?["path"] as? String, "/no/such/text.txt")
    }

    func testWrongTypesAndUnknownKeysNameTheirLine() throws {
        let typed = try write("[lm]\ntext = \"/t.txt\"\nsteps = \"many\"\n")
        var out = try CLIRunner.run(["lm", "train", "--config", typed, "--show-config"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(typed):3:9: [lm] steps must be an integer, not string"), out.stderr)

        let unknown = try write("[lm]\ntext = \"/t.txt\"\nstep = 10\n")
        out = try CLIRunner.run(["lm", "train", "--config", unknown, "--show-config"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(unknown):3:1: unknown key 'step' in [lm]"), out.stderr)

        let broken = try write("[lm]\nsteps = 10\nsteps = 20\n")
        out = try CLIRunner.run(["lm", "train", "--config", broken, "--show-config"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(broken):3:1:"), out.stderr)
        XCTAssertFalse(out.stderr.contains("NSError") || out.stderr.contains("Fatal"), out.stderr)
    }
}
