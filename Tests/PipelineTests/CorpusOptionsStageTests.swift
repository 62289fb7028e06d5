import Corpora
import Foundation
import XCTest
@testable import Pipeline

/// Issue 13, item 1: a `[corpus]` table's reader options reach `CorpusLoader` when the pipeline
/// loads the corpus, and enter the corpus stage's key only when set.
final class CorpusOptionsStageTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-corpus-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Two readers, one text of three words, 0-based positions; reader "x" is filtered out.
        var csv = "reader,story,pos,token,ms,keep\n"
        for (reader, keep) in [("a", 1), ("b", 1), ("x", 0)] {
            for (i, w) in ["The", "old", "house."].enumerated() { csv += "\(reader),s1,\(i),\(w),\(300 + 10 * i),\(keep)\n" }
        }
        try csv.write(to: folder.appendingPathComponent("table.csv"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func spec(_ options: String) throws -> AnalysisSpec {
        try AnalysisSpec.parse("""
            [analysis]
            name = "generic"

            [corpus]
            format = "generic"
            path = "table.csv"
            measure = "rt"
            aggregate = "none"
            columns = { subject = "reader", text = "story", position = "pos", word = "token", rt = "ms" }
            \(options)

            [[model]]
            name = "lstm"

            [[regression]]
            name = "ols"
            baseline = "rt ~ length"
            """)
    }

    func runner(_ spec: AnalysisSpec) throws -> AnalysisRunner {
        let options = RunOptions(projectRoot: folder, cacheDirectory: folder.appendingPathComponent("cache"),
                                 encoderDirectory: folder.appendingPathComponent("encoder"), version: "test", gitRevision: "none")
        return try AnalysisRunner(spec: spec, options: options)
    }

    func testReaderOptionsReachTheReaderAndTheKey() throws {
        let filtered = try runner(try spec("position_base = 0\nwhere = [\"keep=1\"]"))
        let (data, reused) = try filtered.corpusStage(try filtered.plan()[0])
        XCTAssertFalse(reused)
        XCTAssertEqual(data.corpus.words.map(\.form), ["The", "old", "house."])
        XCTAssertEqual(data.measurements.subjects.sorted(), ["a", "b"])
        XCTAssertEqual(data.measurements.count, 6)

        // Another filter is another corpus stage.
        let unfiltered = try runner(try spec("position_base = 0"))
        XCTAssertNotEqual(unfiltered.corpusKey.hex, filtered.corpusKey.hex)
        XCTAssertEqual(try unfiltered.corpusStage(try unfiltered.plan()[0]).0.measurements.count, 9)
    }
}
