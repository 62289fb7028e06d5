import Foundation
import XCTest
@testable import LanguageModels
import Tokenization

/// A model file whose header asks for an impossible architecture (found by reading the code
/// behind the `checkpoint` fuzz target): the parameter layout was computed from the header's
/// sizes before any check, so a huge width overflowed `4 * H` and a negative layer count made
/// an invalid range — both traps. They must be refused as damaged files.
final class CheckpointConfigurationTests: XCTestCase {
    /// A valid tiny model file (E = H = D = 2).
    private func tinyModelFile() throws -> URL {
        var options = BPETrainingOptions(vocabularySize: 300)
        options.minCharacterFrequency = 1
        options.minPairFrequency = 1
        options.allowSmallerVocabulary = true
        let tokenizer = try BPETokenizer.train(sentences: ["the cat sat on the mat.", "a dog ran."], options: options)
        let model = try LanguageModel(config: LMConfig(vocabularySize: tokenizer.vocabularySize, embeddingSize: 2, hiddenSize: 2, denseSize: 2),
                                      tokenizer: tokenizer)
        let url = ToyText.tempDirectory().appendingPathComponent("tiny.rtlm")
        addTeardownBlock { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try model.save(to: url)
        return url
    }

    /// Rewrites the header JSON of `url` with `edit` and stores the file with a correct checksum,
    /// so only the header's content is wrong.
    private func rewriteHeader(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: url).dropLast(8))
        let lengthAt = 12   // "RTPIPELM" + u32 version
        let length = bytes[lengthAt..<(lengthAt + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let jsonRange = (lengthAt + 8)..<(lengthAt + 8 + length)
        var header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes[jsonRange])) as? [String: Any])
        edit(&header)
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        bytes.replaceSubrange(jsonRange, with: json)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.replaceSubrange(lengthAt..<(lengthAt + 8), with: $0) }
        withUnsafeBytes(of: fnv1a(bytes[...]).littleEndian) { bytes += $0 }
        try Data(bytes).write(to: url)
    }

    private func assertRefused(_ key: String, _ value: Any, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try tinyModelFile()
        XCTAssertNoThrow(try LanguageModel.load(from: url), "the unmodified file loads", file: file, line: line)
        try rewriteHeader(url) { header in
            var model = header["model"] as! [String: Any]
            model[key] = value
            header["model"] = model
        }
        for read in [{ _ = try LanguageModel.load(from: url) }, { _ = try LanguageModel.header(of: url) }] {
            XCTAssertThrowsError(try read(), file: file, line: line) { error in
                guard case LMError.invalidCheckpoint(let path, let reason) = error else {
                    return XCTFail("expected invalidCheckpoint, got \(error)", file: file, line: line)
                }
                XCTAssertEqual(path, url.path, file: file, line: line)
                XCTAssertTrue(reason.contains("model configuration"), reason, file: file, line: line)
            }
        }
    }

    func testHugeWidthIsRefusedNotOverflowed() throws {
        try assertRefused("hiddenSize", 1 << 62)
        try assertRefused("embeddingSize", Int.max)
        try assertRefused("vocabularySize", 1 << 40)
    }

    func testImpossibleLayerCountsAreRefused() throws {
        try assertRefused("layers", -1)
        try assertRefused("layers", 1_000_000_000)
    }

    func testNegativeOrZeroSizesAreRefused() throws {
        try assertRefused("denseSize", 0)
        try assertRefused("fusionWidth", -5)
    }

    func testOrdinaryConfigurationsStillValidate() throws {
        for preset in LMConfig.Preset.allCases {
            XCTAssertNoThrow(try LMConfig.preset(preset, vocabularySize: 8192).validate())
            XCTAssertNoThrow(try LMConfig.preset(preset, vocabularySize: 8192, fusion: .lateConcat, fusionWidth: 384).validate())
        }
    }
}
