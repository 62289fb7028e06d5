import Foundation
import XCTest

/// `rtpipe simulate` and `rtpipe corpus check|export|list` end to end: simulated corpora in the
/// Natural Stories and Dundee layouts are exported and `rtpipe fit` recovers the planted effects.
final class CorpusCLITests: XCTestCase {
    func tempFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-corpus-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    func run(_ args: [String]) throws -> CLIRunner.Output {
        let r = try CLIRunner.run(args)
        XCTAssertEqual(r.status, 0, "rtpipe \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// The fitted coefficients of `formula` on `table`.
    func fixef(_ table: String, _ formula: String) throws -> [String: Double] {
        let r = try run(["fit", "--data", table, "--formula", formula, "--json"])
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        return try XCTUnwrap(o["fixef"] as? [String: Double])
    }

    /// Planted (defaults of SimulationModel): length 6, log_freq −12, surprisal 8 ms.
    func assertRecovered(_ b: [String: Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(b["length"]!, 6, accuracy: 2.5, "length", file: file, line: line)
        XCTAssertEqual(b["log_freq"]!, -12, accuracy: 5, "log_freq", file: file, line: line)
        XCTAssertEqual(b["surprisal"]!, 8, accuracy: 1.5, "surprisal", file: file, line: line)
    }

    func testSimulatedNaturalStoriesRecoversPlantedEffects() throws {
        let dir = try tempFolder() + "/ns"
        let sim = try run(["simulate", "--format", "naturalstories", "--out", dir, "--subjects", "40", "--seed", "7"])
        XCTAssertTrue(sim.stdout.contains("simulated 40 readers"), sim.stdout)
        let check = try run(["corpus", "check", "--format", "naturalstories", "--path", dir, "--json"])
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(o["subjects"] as? Int, 40)
        XCTAssertEqual((o["warnings"] as? [Any])?.count, 0)
        let table = dir + "/table.tsv"
        let export = try run(["corpus", "export", "--format", "naturalstories", "--path", dir, "--measure", "rt", "--exclude", "outside:100..3000",
                              "--frequency", "counts:\(dir)/frequencies.tsv", "--predictors", "\(dir)/surprisal.tsv", "--spillover", "2", "--out", table])
        XCTAssertTrue(export.stdout.contains("outside:100..3000: removed"), export.stdout)
        let header = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n")[0]
        XCTAssertTrue(header.contains("prev2_surprisal"), String(header))
        assertRecovered(try fixef(table, "rt ~ length + log_freq + surprisal"))
        // Means over readers (the SPR convention) recover them too.
        let means = dir + "/means.tsv"
        _ = try run(["corpus", "export", "--format", "naturalstories", "--path", dir, "--aggregate", "mean",
                     "--frequency", "counts:\(dir)/frequencies.tsv", "--predictors", "\(dir)/surprisal.tsv", "--out", means])
        assertRecovered(try fixef(means, "rt ~ length + log_freq + surprisal"))
    }

    func testSimulatedDundeeRecoversPlantedEffectsOnGazeDuration() throws {
        let dir = try tempFolder() + "/dundee"
        _ = try run(["simulate", "--format", "dundee", "--out", dir, "--subjects", "26", "--seed", "3"])
        let table = dir + "/gaze.tsv"
        let export = try run(["corpus", "export", "--format", "dundee", "--path", dir, "--measure", "gaze_duration",
                              "--exclude", "skipped", "--exclude", "first_or_last_in_line", "--exclude", "drop_readers:sg",
                              "--frequency", "counts:\(dir)/frequencies.tsv", "--predictors", "\(dir)/surprisal.tsv", "--out", table])
        XCTAssertTrue(export.stdout.contains("skipped: removed"), export.stdout)
        XCTAssertTrue(export.stdout.contains("drop_readers:sg: removed "), export.stdout)
        assertRecovered(try fixef(table, "gaze_duration ~ length + log_freq + surprisal"))
    }

    func testCheckListAndErrors() throws {
        let list = try run(["corpus", "list"])
        for name in ["naturalstories", "dundee", "provo", "geco", "meco", "brown", "ucl"] { XCTAssertTrue(list.stdout.contains(name + ":"), name) }
        let bad = try CLIRunner.run(["corpus", "check", "--format", "nosuch", "--path", "/tmp"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("rtpipe: error: unknown format 'nosuch'"), bad.stderr)
        let missing = try CLIRunner.run(["corpus", "check", "--format", "provo", "--path", "/no/such/folder"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("rtpipe: error: /no/such/folder"), missing.stderr)
        let dir = try tempFolder()
        _ = try run(["simulate", "--format", "naturalstories", "--out", dir, "--subjects", "2"])
        let rule = try CLIRunner.run(["corpus", "export", "--format", "naturalstories", "--path", dir, "--exclude", "outside:9..1", "--out", dir + "/t.tsv"])
        XCTAssertNotEqual(rule.status, 0)
        XCTAssertTrue(rule.stderr.contains("rtpipe: error: exclusion 'outside:9..1'"), rule.stderr)
        try "WorkerId\titem\tzone\tRT\nA\t1\t1\n".write(toFile: dir + "/processed_RTs.tsv", atomically: true, encoding: .utf8)
        let truncated = try CLIRunner.run(["corpus", "check", "--format", "naturalstories", "--path", dir])
        XCTAssertNotEqual(truncated.status, 0)
        XCTAssertTrue(truncated.stderr.contains("processed_RTs.tsv:2: truncated row"), truncated.stderr)
        XCTAssertFalse(truncated.stderr.contains("Fatal"), truncated.stderr)
    }

    func testRealNaturalStoriesCheck() throws {
        let folder = CLIRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/naturalstories").path
        guard FileManager.default.fileExists(atPath: folder + "/all_stories.tok") else { throw XCTSkip("../shared/corpora/naturalstories absent") }
        let r = try run(["corpus", "check", "--format", "naturalstories", "--path", folder])
        XCTAssertTrue(r.stdout.contains("words: 10256"), r.stdout)
        XCTAssertTrue(r.stdout.contains("texts: 10"), r.stdout)
    }

    /// `corpus check` prints the measure sanity counts, and the generic reader's options for
    /// derived tables work from the command line.
    func testCheckPrintsSanityAndTakesTableOptions() throws {
        let dir = try tempFolder()
        let dundee = dir + "/dundee"
        _ = try run(["simulate", "--format", "dundee", "--out", dundee, "--subjects", "2", "--seed", "3"])
        let check = try run(["corpus", "check", "--format", "dundee", "--path", dundee])
        XCTAssertTrue(check.stdout.contains("measure sanity: "), check.stdout)
        XCTAssertTrue(check.stdout.contains(": 0 violation(s)"), check.stdout)
        XCTAssertTrue(check.stdout.contains("have both ma1p and ma2p files"), check.stdout)
        let table = dir + "/t.tsv"
        try "lang\tstory\tidx\tword\tgd\tff\nen\t1\t0\tThe\t300\t310\nen\t1\t1\tdog\t0\t0\nde\t1\t0\tDer\t250\t250\n".write(toFile: table, atomically: true, encoding: .utf8)
        let generic = try run(["corpus", "check", "--format", "generic", "--path", table, "--columns", "text=story,position=idx,word=word,gaze_duration=gd,first_fixation=ff",
                               "--position-base", "0", "--where", "lang=en", "--zero-missing", "gaze_duration,first_fixation"])
        XCTAssertTrue(generic.stdout.contains("words: 2"), generic.stdout)
        XCTAssertTrue(generic.stdout.contains("removed 1 × row filter lang=en"), generic.stdout)
        // first fixation 310 > gaze 300: one violation, counted with its place.
        XCTAssertTrue(generic.stdout.contains("1 × measure sanity: gaze duration shorter than the first fixation (e.g. subject reader, text 1, position 1)"), generic.stdout)
        let bad = try CLIRunner.run(["corpus", "check", "--format", "dundee", "--path", dundee, "--where", "lang=en"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("are for the generic and fixations formats"), bad.stderr)
    }
}
