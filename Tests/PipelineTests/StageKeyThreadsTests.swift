import XCTest
import Numerics
@testable import Pipeline

/// OpenBLAS's sums depend on its thread count, so a language model trained on another count is
/// another result: its stage key (and everything keyed on it) must differ.
final class StageKeyThreadsTests: XCTestCase {
    func testLanguageModelKeyIncludesBLASThreads() throws {
        let spec = try AnalysisSpec.parse("""
            [analysis]
            name = "keys"
            seed = 3

            [corpus]
            format = "naturalstories"
            path = "Corpora/naturalstories"
            measure = "rt"

            [[model]]
            name = "lstm"

            [[regression]]
            name = "ols"
            baseline = "rt ~ length"
            add = ["surprisal"]
            """)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = RunOptions(projectRoot: folder, cacheDirectory: folder, encoderDirectory: folder, version: "test", gitRevision: "none")
        let before = BLASRuntime.threads
        defer { BLASRuntime.setThreads(before) }
        BLASRuntime.setThreads(1)
        let one = try AnalysisRunner(spec: spec, options: options)
        let oneAgain = try AnalysisRunner(spec: spec, options: options)
        BLASRuntime.setThreads(2)
        let two = try AnalysisRunner(spec: spec, options: options)
        XCTAssertEqual(one.lmKey(spec.models[0]).hex, oneAgain.lmKey(spec.models[0]).hex, "same count, same key")
        XCTAssertNotEqual(one.lmKey(spec.models[0]).hex, two.lmKey(spec.models[0]).hex)
        XCTAssertNotEqual(one.surprisalKey(spec.models[0]).hex, two.surprisalKey(spec.models[0]).hex, "and the stages after it")
    }
}
