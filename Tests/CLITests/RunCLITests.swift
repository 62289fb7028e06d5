import Foundation
import XCTest

/// `rtpipe run` end to end on a tiny analysis: results, caching, interruption and resumption,
/// and analysis-file validation.
final class RunCLITests: XCTestCase {
    var encoderDirectory: URL {
        if let e = ProcessInfo.processInfo.environment["RTPIPE_ENCODER_DIR"] { return URL(fileURLWithPath: e) }
        return CLIRunner.packageRoot.appendingPathComponent(".rtpipe/models/all-MiniLM-L6-v2")
    }

    /// A fresh folder with a small training text and an analysis file that uses it.
    func makeProject(fusion: Bool = true, models grid: String? = nil) throws -> (dir: URL, analysis: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A text of our own: short, varied sentences from a few templates.
        let subjects = ["the miller", "a young clerk", "her brother", "the old captain", "my neighbour", "the baker's wife", "a tired soldier", "the small girl"]
        let verbs = ["walked to", "looked at", "spoke of", "waited near", "thought about", "laughed at", "sailed past", "painted"]
        let objects = ["the river", "a quiet house", "the market square", "the northern hills", "an empty church", "the long road", "the harbour", "a green field"]
        let tails = ["before the rain came.", "in the evening.", "with some surprise.", "and said nothing.", "for an hour or two.", "as the bells rang.", "without a word.", "at dawn."]
        var text = ""
        for i in 0..<900 {
            let s = "\(subjects[i % 8].capitalized) \(verbs[(i / 8) % 8]) \(objects[(i * 5 + i / 3) % 8]) \(tails[(i * 7 + i / 11) % 8])"
            text += s + (i % 5 == 4 ? "\n\n" : " ")
        }
        let textURL = dir.appendingPathComponent("text.txt")
        try text.write(to: textURL, atomically: true, encoding: .utf8)
        let models = grid ?? """
            [[model]]
            name = "lstm"
            steps = 40
            batch_size = 16
            """ + (fusion ? """

            [[model]]
            name = "lstm+concat"
            fusion = "late_concat"
            context = "stride:4"
            steps = 40
            batch_size = 16
            """ : "")
        let analysis = """
            [analysis]
            name = "tiny"
            seed = 3

            [corpus]
            format = "simulated"
            measure = "rt"
            aggregate = "mean"

            [training_text]
            source = "\(textURL.path)"
            sentences = 600
            dev_sentences = 100
            test_sentences = 100
            vocab_size = 400

            \(models)

            [predictors]
            frequency = "training-text"
            spillover = 1

            [[regression]]
            name = "ols"
            baseline = "rt ~ length + log_freq"
            add = ["surprisal"]
            folds = 4
            permutations = 100

            [report]
            directory = "\(dir.appendingPathComponent("Reports").path)"
            database = "\(dir.appendingPathComponent("results.sqlite").path)"
            """
        let url = dir.appendingPathComponent("tiny.toml")
        try analysis.write(to: url, atomically: true, encoding: .utf8)
        return (dir, url)
    }

    func env(_ dir: URL) -> [String: String?] {
        ["RTPIPE_CACHE": dir.appendingPathComponent("cache").path, "RTPIPE_ENCODER_DIR": encoderDirectory.path]
    }

    /// The result rows of the store without run-specific columns (run id, times, paths).
    func storeContents(_ dir: URL) throws -> String {
        let db = dir.appendingPathComponent("results.sqlite").path
        var out: [String] = []
        for (table, columns) in [("corpora", "corpus, format, measure, texts, words, subjects, rows_read, rows_kept"),
                                 ("models", "model, fusion, context, preset, parameters, train_sentences, steps, tokenizer_hash"),
                                 ("perplexities", "model, split, tokens, words, nats_per_token"),
                                 ("surprisals", "model, word_index, word, surprisal_bits, aligned"),
                                 ("correlations", "model, measure, n, pearson_r"),
                                 ("fit_terms", "regression, model, role, term, estimate, std_error"),
                                 ("delta_loglik", "regression, model, fold, n, delta_total, delta_mean, delta_se, lrt_p, permutation_p")] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = [db, "SELECT \(columns) FROM \(table) ORDER BY \(columns)"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            out.append("## \(table)\n" + String(decoding: data, as: UTF8.self))
        }
        return out.joined(separator: "\n")
    }

    func requireEncoder() throws {
        guard FileManager.default.fileExists(atPath: encoderDirectory.appendingPathComponent("model.safetensors").path) else {
            throw XCTSkip("encoder weights not found at \(encoderDirectory.path); run scripts/setup")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("sqlite3 (Debian package sqlite3) is needed to compare stores") }
    }

    func testRunCachesAndSurvivesInterruption() throws {
        try requireEncoder()
        // Uninterrupted reference run.
        let (a, analysisA) = try makeProject()
        let first = try CLIRunner.run(["run", analysisA.path], environment: env(a))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("lstm+concat") && first.stdout.contains("Pearson r"), first.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: a.appendingPathComponent("Reports/tiny/comparison-ols.md").path))
        let reference = try storeContents(a)
        XCTAssertTrue(reference.contains("in-sample") && reference.contains("late_concat"))

        // Run again: everything cached, the same table.
        let again = try CLIRunner.run(["run", analysisA.path], environment: env(a))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, first.stdout)
        XCTAssertTrue(again.stderr.contains("0 stages run"), again.stderr)
        let dry = try CLIRunner.run(["run", analysisA.path, "--dry-run"], environment: env(a))
        XCTAssertTrue(dry.stdout.contains("8 of 8 stages cached"), dry.stdout)

        // Interrupted runs (SIGINT, then SIGKILL, at different moments), then a full run.
        let (b, analysisB) = try makeProject()
        var stopped = 0
        for (signal, delay) in [(SIGINT, 2.0), (SIGKILL, 6.0), (SIGKILL, 12.0)] {
            let p = Process()
            p.executableURL = CLIRunner.executable
            p.arguments = ["run", analysisB.path, "--quiet"]
            var e = ProcessInfo.processInfo.environment
            for (k, v) in env(b) { e[k] = v }
            p.environment = e
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            if p.isRunning {
                kill(p.processIdentifier, signal)
                p.waitUntilExit()
                XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the run was stopped by the signal, mid-way")
                stopped += 1
            }
            p.waitUntilExit()
        }
        XCTAssertGreaterThan(stopped, 0, "no run was stopped mid-way: the test would show nothing about interruption")
        // Every stopped run is in the store unfinished (each run marks those before it interrupted).
        let unfinished = Int(try sql(b, "SELECT COUNT(*) FROM runs WHERE status != 'finished'")) ?? -1
        XCTAssertTrue((1...stopped).contains(unfinished), "\(unfinished) unfinished runs for \(stopped) stopped")
        let resumed = try CLIRunner.run(["run", analysisB.path], environment: env(b))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try sql(b, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), "0")
        XCTAssertEqual(try sql(b, "SELECT COUNT(*) FROM runs WHERE status = 'interrupted'"), String(unfinished))
        // The resumed run kept the stages the stopped ones finished.
        let counts = resumed.stderr.firstMatch(of: #/(\d+) stages run, (\d+) cached/#)
        XCTAssertGreaterThan(counts.flatMap { Int($0.2) } ?? 0, 0, "no stage was resumed from the stopped runs:\n\(resumed.stderr)")
        XCTAssertEqual(try storeContents(b), reference, "interrupted + resumed run differs from the uninterrupted one")
        let integrity = Process()
        integrity.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        integrity.arguments = [b.appendingPathComponent("results.sqlite").path, "PRAGMA integrity_check"]
        let pipe = Pipe(); integrity.standardOutput = pipe
        try integrity.run(); integrity.waitUntilExit()
        XCTAssertEqual(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "ok")

        // compare and report work from the store alone; regenerating gives identical files.
        let compare = try CLIRunner.run(["compare", analysisA.path], environment: env(a))
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(compare.stdout.contains("lstm+concat"))
        let reportFile = a.appendingPathComponent("Reports/tiny/comparison-ols.tex")
        let before = try String(contentsOf: reportFile, encoding: .utf8)
        let report = try CLIRunner.run(["report", analysisA.path], environment: env(a))
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try String(contentsOf: reportFile, encoding: .utf8), before)
    }

    func testAnalysisErrorsAreListedBeforeAnyWork() throws {
        let (dir, _) = try makeProject(fusion: false)
        let bad = dir.appendingPathComponent("bad.toml")
        try """
            [analysis]
            name = "bad"
            colour = "blue"

            [corpus]
            format = "simulated"
            measure = "reading_time"

            [[model]]
            name = "m"
            fusion = "late_concatenate"

            [[regression]]
            name = "r"
            baseline = "rt ~ length +"
            """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["run", bad.path], environment: env(dir))
        XCTAssertEqual(r.status, 2)
        for fragment in ["bad.toml:3:", "colour", "bad.toml:7:", "reading_time", "bad.toml:11:", "late_concatenate", "bad.toml:15:"] {
            XCTAssertTrue(r.stderr.contains(fragment), "missing \(fragment) in\n\(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cache/artifacts").path), "no work may start")
    }
}
