import Foundation
import XCTest

/// `rtpipe run` must never print a stale or wrong table: reports show the stages of the current
/// plan, damaged artefacts and stores are noticed, problems are found before training, and
/// concurrent runs neither clash nor leave runs marked `running`.
extension RunCLITests {
    func edit(_ url: URL, _ from: String, _ to: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(from), "\(from) not in \(url.path)")
        try text.replacingOccurrences(of: from, with: to).write(to: url, atomically: true, encoding: .utf8)
    }

    /// `sqlite(dir, query)` without the trailing newline.
    func sql(_ dir: URL, _ query: String) throws -> String {
        try sqlite(dir, query).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func folders(_ dir: URL, prefix: String) -> [URL] {
        let artifacts = dir.appendingPathComponent("cache/artifacts")
        return ((try? FileManager.default.contentsOfDirectory(atPath: artifacts.path)) ?? []).filter { $0.hasPrefix(prefix) }.map { artifacts.appendingPathComponent($0) }
    }

    func testTableShowsTheCurrentSettingsNotTheNewestRows() throws {
        try requireEncoder()
        let (dir, analysis) = try makeProject(fusion: false)
        let four = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(four.status, 0, four.stderr)
        try edit(analysis, "folds = 4", "folds = 2")
        let two = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertNotEqual(two.stdout, four.stdout, "2 and 4 folds give other held-out numbers")
        try edit(analysis, "folds = 2", "folds = 4")
        let back = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertTrue(back.stderr.contains("0 stages run"), back.stderr)
        XCTAssertEqual(back.stdout, four.stdout, "every stage is cached: the table must be the 4-fold one")
        let compare = try CLIRunner.run(["compare", analysis.path], environment: env(dir))
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertEqual(compare.stdout, four.stdout)
        let byName = try CLIRunner.run(["compare", "tiny", "--db", dir.appendingPathComponent("results.sqlite").path], environment: env(dir))
        XCTAssertEqual(byName.stdout, four.stdout, "without a file: the newest finished run's stages")
        // Settings that have not run yet: compare refuses rather than show other settings' rows.
        try edit(analysis, "folds = 4", "folds = 3")
        let notRun = try CLIRunner.run(["compare", analysis.path], environment: env(dir))
        XCTAssertEqual(notRun.status, 2, notRun.stdout)
        XCTAssertTrue(notRun.stderr.contains("no results for the current settings"), notRun.stderr)
        XCTAssertEqual(try sql(dir, "SELECT COUNT(*) FROM runs WHERE analysis_file = '\(analysis.standardizedFileURL.path)' AND status = 'finished'"), "3")
    }

    func testDamagedArtefactsAreRecomputedAndCounted() throws {
        try requireEncoder()
        let (dir, analysis) = try makeProject(fusion: false)
        let first = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(first.status, 0, first.stderr)
        let reference = try storeContents(dir)
        // The simulated corpus cut in half.
        let corpus = try XCTUnwrap(folders(dir, prefix: "corpus-").first)
        let rts = try XCTUnwrap(FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String }.first { $0.hasSuffix(".tsv") })
        let file = corpus.appendingPathComponent(rts)
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 2).write(to: file)
        let again = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("does not match its recorded digest"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: file), data, "the corpus is simulated again, in full")
        XCTAssertEqual(try storeContents(dir), reference)
        XCTAssertEqual(again.stdout, first.stdout)
        // A deleted model is retrained, and the summary says so.
        for lm in folders(dir, prefix: "lm-") { try FileManager.default.removeItem(at: lm) }
        let retrained = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(retrained.status, 0, retrained.stderr)
        XCTAssertTrue(retrained.stderr.contains("lm lstm: training"), retrained.stderr)
        XCTAssertFalse(retrained.stderr.contains("0 stages run"), retrained.stderr)
        XCTAssertEqual(retrained.stdout, first.stdout)
    }

    func testDamagedStoreIsRefused() throws {
        try requireEncoder()
        let (dir, analysis) = try makeProject(fusion: false)
        XCTAssertEqual(try CLIRunner.run(["run", analysis.path], environment: env(dir)).status, 0)
        let db = dir.appendingPathComponent("results.sqlite")
        var bytes = try Data(contentsOf: db)
        let pageSize = 4096, middle = bytes.count / pageSize / 2 * pageSize
        bytes.replaceSubrange(middle..<(middle + pageSize), with: Data(repeating: 0xA5, count: pageSize))
        try bytes.write(to: db)
        let r = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("is damaged") && r.stderr.contains("quick_check") && r.stderr.contains("Move it aside"), r.stderr)
    }

    func testProblemsAreFoundBeforeTraining() throws {
        let (dir, analysis) = try makeProject(fusion: false)
        try edit(analysis, "aggregate = \"mean\"", "aggregate = \"mean\"\nexclude = [\"outside:1..2\"]")
        try edit(analysis, "baseline = \"rt ~ length + log_freq\"", "baseline = \"rt ~ length + log_freq + prev2_length\"")
        try edit(analysis, "folds = 4", "fold_column = \"half\"")
        let dry = try CLIRunner.run(["run", analysis.path, "--dry-run"], environment: env(dir))
        XCTAssertEqual(dry.status, 0, dry.stderr)
        for created in ["cache", "results.sqlite", "Reports"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(created).path), "--dry-run created \(created)")
        }
        let r = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(r.status, 2, r.stderr)
        let lines = try String(contentsOf: analysis, encoding: .utf8).components(separatedBy: "\n")
        func line(_ fragment: String) -> Int { (lines.firstIndex { $0.contains(fragment) } ?? -1) + 1 }
        for (fragment, message) in [("exclude =", "leave no rows"), ("baseline =", "prev2_length"), ("fold_column =", "'half'")] {
            XCTAssertTrue(r.stderr.contains("tiny.toml:\(line(fragment)):"), "no problem at the line of \(fragment)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "missing \(message)\n\(r.stderr)")
        }
        XCTAssertTrue(r.stderr.contains("spillover = 1"), r.stderr)
        XCTAssertTrue(folders(dir, prefix: "lm-").isEmpty && folders(dir, prefix: "tokenizer-").isEmpty, "no training may start")
    }

    func testConcurrentRunsOnAFreshStore() throws {
        try requireEncoder()
        let (dir, analysis) = try makeProject(fusion: false)
        let other = dir.appendingPathComponent("other.toml")
        try String(contentsOf: analysis, encoding: .utf8).replacingOccurrences(of: "name = \"tiny\"", with: "name = \"other\"")
            .write(to: other, atomically: true, encoding: .utf8)
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env(dir) { e[k] = v }
        var processes: [(Process, Pipe)] = []
        for file in [analysis, analysis, other] {
            let p = Process()
            p.executableURL = CLIRunner.executable
            p.arguments = ["run", file.path]
            p.environment = e
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            processes.append((p, err))
        }
        for (p, _) in processes { try p.run() }
        var messages: [String] = []
        for (p, err) in processes {
            messages.append(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, messages.last!)
        }
        XCTAssertTrue(messages.contains { $0.contains("waiting for it to finish") }, messages.joined(separator: "\n----\n"))
        XCTAssertEqual(try sql(dir, "SELECT COUNT(*) FROM runs WHERE status = 'finished'"), "3")
        XCTAssertTrue(folders(dir, prefix: ".").isEmpty, "no temporary folder is left behind")

        // A run killed mid-way stays 'running' only until the next run starts.
        let p = Process()
        p.executableURL = CLIRunner.executable
        p.arguments = ["run", analysis.path, "--force", "--quiet"]
        p.environment = e
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 3)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(try sql(dir, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), "1")
        let next = try CLIRunner.run(["run", analysis.path], environment: env(dir))
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stderr.contains("as interrupted"), next.stderr)
        XCTAssertEqual(try sql(dir, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), "0")
        XCTAssertEqual(try sql(dir, "SELECT COUNT(*) FROM runs WHERE status = 'interrupted'"), "1")
    }
}
