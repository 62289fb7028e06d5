import Foundation
import XCTest
@testable import Pipeline

/// Stage keys see every byte of their inputs: a same-size edit in the middle of a corpus, and
/// new encoder weights under the same configuration, give new keys.
final class FingerprintTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-fp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func spec(fused: Bool) throws -> AnalysisSpec {
        try AnalysisSpec.parse("""
            [analysis]
            name = "keys"

            [corpus]
            format = "naturalstories"
            path = "corpus"
            measure = "rt"

            [[model]]
            name = "lstm"
            fusion = "\(fused ? "late_concat" : "none")"

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

    /// Overwrites `count` bytes at `offset` (same size) and moves the modification time on, as an editor would.
    func edit(_ url: URL, at offset: UInt64, _ bytes: [UInt8]) throws {
        let h = try FileHandle(forWritingTo: url)
        try h.seek(toOffset: offset)
        h.write(Data(bytes))
        try h.close()
        let later = Date().addingTimeInterval(5)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: url.path)
    }

    func testSameSizeEditInTheMiddleOfACorpusChangesTheKey() throws {
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let file = corpus.appendingPathComponent("processed_RTs.tsv")
        var text = "WorkerId\tWorkTimeInSeconds\tcorrect\titem\tzone\tRT\n"
        var i = 0
        while text.utf8.count < 5 << 20 { text += "w\(i % 180)\t100\t1\t\(i % 10 + 1)\t\(i % 900 + 1)\t\(300 + i % 400)\n"; i += 1 }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let spec = try spec(fused: false)
        let before = try runner(spec).corpusKey.hex
        XCTAssertEqual(try runner(spec).corpusKey.hex, before, "same bytes, same key")
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as! Int
        try edit(file, at: UInt64(size / 2), Array("999".utf8))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int, size)
        XCTAssertNotEqual(try runner(spec).corpusKey.hex, before, "an edit in the middle must change the corpus key")
    }

    func testDigestsAreRememberedByStampAndRecomputedWhenItChanges() throws {
        let file = folder.appendingPathComponent("data.txt")
        try String(repeating: "abc\n", count: 1000).write(to: file, atomically: true, encoding: .utf8)
        let table = folder.appendingPathComponent("digests.tsv")
        let first = FileDigests(cacheFile: table)
        let digest = first.digest(of: file.path)
        first.save()
        XCTAssertTrue(try String(contentsOf: table, encoding: .utf8).contains(digest ?? "none"))
        XCTAssertEqual(FileDigests(cacheFile: table).digest(of: file.path), digest)
        try edit(file, at: 2000, Array("x".utf8))
        let after = FileDigests(cacheFile: table).digest(of: file.path)
        XCTAssertNotNil(after)
        XCTAssertNotEqual(after, digest, "a changed modification time means the file is hashed again")
    }

    func testFusedModelsAreKeyedOnTheEncoderWeights() throws {
        let encoder = folder.appendingPathComponent("encoder")
        try FileManager.default.createDirectory(at: encoder, withIntermediateDirectories: true)
        try #"{"hidden_size": 384}"#.write(to: encoder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let weights = encoder.appendingPathComponent("model.safetensors")
        try Data(repeating: 1, count: 3 << 20).write(to: weights)
        let spec = try spec(fused: true)
        let before = try runner(spec).lmKey(spec.models[0]).hex
        try edit(weights, at: 3 << 19, [2, 2, 2, 2])
        let after = try runner(spec).lmKey(spec.models[0]).hex
        XCTAssertNotEqual(after, before, "new weights under the same config.json must give a new model key")
    }
}
