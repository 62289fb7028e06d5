import XCTest
@testable import Corpora

/// Natural Stories: the real word-level files in ../shared (skipped when absent) and small
/// fixtures of our own for the per-subject layouts and the corpus's processing rules.
final class NaturalStoriesTests: XCTestCase {
    // MARK: The real corpus

    /// The export (means over readers) reproduces processed_wordinfo.tsv's meanItemRT and nItem
    /// for every token, and every word joins all_stories.tok by (item, zone) with none lost.
    func testRealCorpusExportReproducesWordInfo() throws {
        let folder = try Fixture.naturalStoriesFolder()
        let data = try NaturalStoriesReader.load(path: folder)
        XCTAssertEqual(data.corpus.texts.count, 10)
        XCTAssertEqual(data.corpus.words.count, 10_256)
        XCTAssertEqual(data.corpus.texts.map(\.id), (1...10).map(String.init))
        XCTAssertEqual(data.measurements.count, 10_256)
        XCTAssertEqual(data.diagnostics.totalWarnings, 0, data.diagnostics.lines.joined(separator: "\n"))

        // Independent reading of both files (plain splitting, no rtpipe code).
        func rows(_ name: String) throws -> [[String]] {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        let tok = try rows("all_stories.tok")
        let info = try rows("processed_wordinfo.tsv")
        XCTAssertEqual(tok.count, 10_256); XCTAssertEqual(info.count, 10_256)
        var expected: [String: (word: String, n: Int, mean: Double)] = [:]
        for r in info { expected["\(r[2]):\(r[1])"] = (r[0], Int(r[3])!, Double(r[4])!) }

        var options = ExportOptions(measure: .rt)
        options.aggregation = .mean
        let result = try CorpusExport.export(data, options: options)
        XCTAssertEqual(result.table.rows.count, 10_256)
        XCTAssertEqual(result.exclusions.rowsAfter, 10_256)
        let h = result.table.header
        let cItem = h.firstIndex(of: "item")!, cRT = h.firstIndex(of: "rt")!, cN = h.firstIndex(of: "n")!, cWord = h.firstIndex(of: "word")!
        var seen = Set<String>()
        var maxDifference = 0.0
        for row in result.table.rows {
            guard let e = expected[row[cItem]] else { XCTFail("no wordinfo row for \(row[cItem])"); continue }
            seen.insert(row[cItem])
            XCTAssertEqual(Int(row[cN]), e.n, row[cItem])
            maxDifference = max(maxDifference, abs(Double(row[cRT])! - e.mean))
            XCTAssertEqual(row[cWord], e.word)
        }
        XCTAssertEqual(maxDifference, 0, "means are written exactly")
        // Every token of all_stories.tok is in the export, by (item, zone).
        let tokKeys = Set(tok.map { "\($0[2]):\($0[1])" })
        XCTAssertEqual(tokKeys.count, 10_256)
        XCTAssertEqual(tokKeys.subtracting(seen), [], "tokens lost in the export")
        XCTAssertEqual(seen.subtracting(tokKeys), [])
        // Reading order follows the stories: the first words of story 1.
        XCTAssertEqual(data.corpus.words.prefix(3).map(\.form), ["If", "you", "were"])
        // Means over readers weighted by nItem: the grand mean equals Σ n·mean / Σ n.
        let n = info.reduce(0) { $0 + Int($1[3])! }
        XCTAssertEqual(data.measurements.readers.reduce(0, +), n)
    }

    /// Per-word means of the real corpus: spot values read from the file by hand.
    func testRealCorpusSpotValues() throws {
        let data = try NaturalStoriesReader.load(path: try Fixture.naturalStoriesFolder())
        let means = Aggregate.means(data.measurements, measure: .rt)
        let first = means.first { $0.word == data.corpus.wordID(text: "1", position: 1) }!
        XCTAssertEqual(first.readers, 84)
        XCTAssertEqual(first.mean, 369.01190476190476, accuracy: 1e-9)
        // Sentences are inferred from final punctuation; the first sentence ends with a full stop.
        let s1 = data.corpus.words(text: 0, sentence: 1)
        XCTAssertTrue(SentenceBoundaries.endsSentence(s1.last!.form))
    }

    // MARK: Fixtures

    /// A token file with items 1 (5 words) and 3 (235 words, so the item-3 shift applies).
    func tokens() -> String {
        var s = "word\tzone\titem\n"
        for (i, w) in ["The", "dog", "peeked", "in.", "Done."].enumerated() { s += "\(w)\t\(i + 1)\t1\n" }
        for z in 1...235 { s += "w\(z)\(z % 10 == 0 ? "." : "")\t\(z)\t3\n" }
        return s
    }

    /// Raw batch files: zones are shifted (+2, or +3 in item 3 after zone 228, with the blank
    /// token at raw zone 231); the corpus's processing undoes this and filters.
    func testRawBatchFilesGetTheOfficialProcessing() throws {
        let dir = try Fixture.folder()
        try Fixture.write(tokens(), "all_stories.tok", in: dir)
        var csv = "WorkerId,WorkTimeInSeconds,correct,item,zone,RT\n"
        // Worker A (correct 6): item 1 raw zones 1…7 → words −1, 0 (not in the tokens) and 1…5.
        let rtsA = [500, 510, 300, 90, 320, 3500, 330]
        for (k, rt) in rtsA.enumerated() { csv += "A,1000,6,1,\(k + 1),\(rt)\n" }
        // Item 3 raw zones 229…233 → 227, 228, (blank 231 dropped), 229, 230.
        for (z, rt) in [(229, 400), (230, 410), (231, 999), (232, 420), (233, 430)] { csv += "A,1000,6,3,\(z),\(rt)\n" }
        // Worker B answered only 4 questions correctly: all rows go.
        for z in 3...5 { csv += "B,900,4,1,\(z),350\n" }
        try Fixture.write(csv, "batch1_pro.csv", in: dir)
        let data = try NaturalStoriesReader.load(path: dir)
        let d = data.diagnostics
        XCTAssertEqual(d.removalCount("item 3 zone 231 (the blank token; official processing)"), 1)
        XCTAssertEqual(d.removalCount("no word at (item, zone) in all_stories.tok (the official join)"), 2)
        XCTAssertEqual(d.removalCount("comprehension correct ≤ 4 (official processing)"), 3)
        XCTAssertEqual(d.removalCount("RT outside 100 < RT < 3000 (official processing)"), 2)   // 90 and 3500
        XCTAssertEqual(data.measurements.count, 3 + 4)
        XCTAssertEqual(value(data, .rt, subject: "A", text: "1", position: 1), 300)
        XCTAssertEqual(value(data, .rt, subject: "A", text: "1", position: 3), 320)
        XCTAssertEqual(value(data, .rt, subject: "A", text: "3", position: 227), 400)
        XCTAssertEqual(value(data, .rt, subject: "A", text: "3", position: 229), 420)
        XCTAssertEqual(value(data, .rt, subject: "A", text: "3", position: 230), 430)
        XCTAssertTrue(d.notes.contains { $0.contains("official shift applied (batch files)") })
    }

    /// processed_RTs.tsv (zones already aligned): the word column confirms the alignment, a
    /// spelling mismatch is a counted warning, and means over subjects are computed by hand.
    func testProcessedRTsAndMeans() throws {
        let dir = try Fixture.folder()
        try Fixture.write(tokens(), "all_stories.tok", in: dir)
        let header = "WorkerId\tWorkTimeInSeconds\tcorrect\titem\tzone\tRT\tword\tnItem\tmeanItemRT\tsdItemRT\tgmeanItemRT\tgsdItemRT\n"
        var tsv = header
        let rts: [(String, Int, Int, String)] = [("A", 1, 300, "The"), ("B", 1, 340, "The"), ("C", 1, 380, "The"),
                                                  ("A", 3, 410, "peaked"), ("B", 3, 390, "peeked"), ("C", 2, 0, "dog")]
        for (w, z, rt, word) in rts { tsv += "\(w)\t1000\t6\t1\t\(z)\t\(rt)\t\(word)\t3\t0\t0\t0\t0\n" }
        try Fixture.write(tsv, "processed_RTs.tsv", in: dir)
        let data = try NaturalStoriesReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.warningCount("word differs from all_stories.tok at (item, zone)"), 1)   // peaked vs peeked
        XCTAssertEqual(data.diagnostics.removalCount("RT outside 100 < RT < 3000 (official processing)"), 1)
        XCTAssertTrue(data.diagnostics.notes.contains { $0.contains("used as given") })
        let means = Aggregate.means(data.measurements, measure: .rt)
        XCTAssertEqual(means.map(\.readers), [3, 2])
        XCTAssertEqual(means[0].mean, 340)      // (300 + 340 + 380) / 3
        XCTAssertEqual(means[1].mean, 400)      // (410 + 390) / 2
        XCTAssertEqual(data.diagnostics.warningCount("words of all_stories.tok without any reading time"), 238)
    }

    /// Official processing can be switched off; then nothing is filtered.
    func testOfficialProcessingOff() throws {
        let dir = try Fixture.folder()
        try Fixture.write(tokens(), "all_stories.tok", in: dir)
        try Fixture.write("WorkerId\tcorrect\titem\tzone\tRT\nA\t2\t1\t1\t50\n", "processed_RTs.tsv", in: dir)
        var options = LoadOptions()
        options.officialProcessing = false
        XCTAssertEqual(try NaturalStoriesReader.load(path: dir, options: options).measurements.count, 1)
        XCTAssertEqual(try NaturalStoriesReader.load(path: dir).measurements.count, 0)
    }

    func testMalformedFiles() throws {
        let dir = try Fixture.folder()
        assertCorpusError(["no all_stories.tok found"]) { _ = try NaturalStoriesReader.load(path: dir) }
        try Fixture.write("word\tzone\titem\nThe\t1\t1\ndog\tx\t1\n", "all_stories.tok", in: dir)
        try Fixture.write("WorkerId\titem\tzone\tRT\nA\t1\t1\t300\n", "processed_RTs.tsv", in: dir)
        assertCorpusError(["all_stories.tok:3:2:", "column 'zone'", "'x'"]) { _ = try NaturalStoriesReader.load(path: dir) }
        try Fixture.write("word\tzone\titem\nThe\t1\t1\n", "all_stories.tok", in: dir)
        try Fixture.write("WorkerId\titem\tzone\nA\t1\t1\n", "processed_RTs.tsv", in: dir)
        assertCorpusError(["processed_RTs.tsv:1:", "missing column 'RT'"]) { _ = try NaturalStoriesReader.load(path: dir) }
        try Fixture.write("WorkerId\titem\tzone\tRT\nA\t1\t1\t300\nA\t1\n", "processed_RTs.tsv", in: dir)
        assertCorpusError(["processed_RTs.tsv:3:", "truncated row"]) { _ = try NaturalStoriesReader.load(path: dir) }
        // A zone out of range is counted (the official join drops it), never silently.
        try Fixture.write("WorkerId\titem\tzone\tRT\nA\t1\t1\t300\nA\t1\t99\t300\n", "processed_RTs.tsv", in: dir)
        let data = try NaturalStoriesReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.removalCount("no word at (item, zone) in all_stories.tok (the official join)"), 1)
        XCTAssertTrue(data.diagnostics.removals[0].examples[0].contains("processed_RTs.tsv:3"))
    }
}
