import Foundation
import XCTest

/// Issue 15: a 2 × 2 × 2 grid (fusion × training sentences × seeds) of tiny models runs end to
/// end, shares one tokenizer, stores each model with its cell and seed, reports the statistics
/// over seeds, and a second run comes entirely from the cache.
extension RunCLITests {
    func testTwoByTwoByTwoGridRunsCachesAndReportsStatistics() throws {
        let helper = self
        try requireEncoder()
        let (dir, analysis) = try helper.makeProject(models: """
            [[model]]
            fusion = ["none", "late_concat"]
            context = "stride:4"
            train_sentences = [300, 600]
            seeds = [1, 2]
            steps = 40
            eval_every = 20
            patience = 2
            batch_size = 16

            [[evaluation_text]]
            name = "own"
            source = "corpus"
            sentences = 50
            """)
        let env = helper.env(dir)
        let dry = try CLIRunner.run(["run", analysis.path, "--dry-run"], environment: env)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("Grid: 8 models in 4 cells"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("late_concat/600") && dry.stdout.contains("trained 0/2"), dry.stdout)
        let tokenizerStages = dry.stdout.split(separator: "\n").filter { line in
            let words = line.split(separator: " ")
            return (words.first == "to" && words.dropFirst(2).first == "tokenizer") || (words.first == "cached" && words.dropFirst().first == "tokenizer")
        }
        XCTAssertEqual(tokenizerStages.count, 1, "one tokenizer stage for the whole grid: \(dry.stdout)")
        XCTAssertEqual(dry.stdout.components(separatedBy: "depends on: tokenizer").count - 1, 8, "every model reads the one tokenizer: \(dry.stdout)")

        let first = try CLIRunner.run(["run", analysis.path], environment: env)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Paired by seed"), first.stdout)
        XCTAssertTrue(first.stdout.contains("late_concat/300") && first.stdout.contains("none/600"), first.stdout)

        let models = try sqlite(dir, "SELECT model, cell, model_seed, train_sentences, steps <= max_steps, best_step IS NOT NULL FROM models ORDER BY model")
        XCTAssertEqual(models.split(separator: "\n").count, 8, models)
        XCTAssertTrue(models.contains("late_concat/600/s2|late_concat/600|2|600|1|1"), models)
        XCTAssertEqual(try sqlite(dir, "SELECT COUNT(*) FROM perplexities WHERE split = 'transfer:own'"), "8\n")
        XCTAssertEqual(try sqlite(dir, "SELECT COUNT(*) FROM stages WHERE stage = 'tokenizer'"), "1\n")

        // Every model stores each held-out word's ΔLL; all models hold out the same words in the same folds.
        let cvRows = try sqlite(dir, "SELECT model, n FROM delta_loglik WHERE fold = 'cv' ORDER BY model")
        let heldOut = try sqlite(dir, "SELECT model, COUNT(*) FROM heldout_rows GROUP BY model ORDER BY model")
        XCTAssertEqual(heldOut, cvRows)
        XCTAssertEqual(try sqlite(dir, "SELECT COUNT(DISTINCT row_key || '@' || fold) = COUNT(DISTINCT row_key) FROM heldout_rows"), "1\n")
        let wordsPerModel = Int(cvRows.split(separator: "\n")[0].split(separator: "|")[1])!

        let csv = try String(contentsOf: dir.appendingPathComponent("Reports/tiny/study-ols.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines.filter { $0.first == "cell" }.count, 4, csv)
        let pairs = lines.filter { $0.first == "pair" }
        XCTAssertEqual(pairs.count, 2, csv)
        XCTAssertTrue(lines.allSatisfy { $0.count == lines[0].count }, "every CSV row has the header's columns: \(csv)")
        // The per-word comparison pools both seeds' words; the transfer text has its own paired difference.
        let wordsColumn = lines[0].firstIndex(of: "heldout_words")!, transferColumn = lines[0].firstIndex(of: "d_perplexity_transfer:own")!
        for p in pairs {
            XCTAssertEqual(p[wordsColumn], String(2 * wordsPerModel), csv)
            XCTAssertNotNil(Double(p[transferColumn]), csv)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Reports/tiny/perplexity_by_size-dev-ols.svg").path))

        let again = try CLIRunner.run(["run", analysis.path], environment: env)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("0 stages run"), again.stderr)
        XCTAssertEqual(again.stdout, first.stdout)
        let dry2 = try CLIRunner.run(["run", analysis.path, "--dry-run"], environment: env)
        XCTAssertTrue(dry2.stdout.contains("late_concat/600") && dry2.stdout.contains("trained 2/2") && !dry2.stdout.contains("trained 0/2"), dry2.stdout)
        let compare = try CLIRunner.run(["compare", analysis.path], environment: env)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(compare.stdout.contains("Paired by seed"), compare.stdout)
        print(compare.stdout)
    }

    func sqlite(_ dir: URL, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [dir.appendingPathComponent("results.sqlite").path, sql]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
