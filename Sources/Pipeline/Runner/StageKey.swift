import Hashing
import Foundation

/// Content-addressed stage keys: SHA-256 of the stage's name, settings, inputs' keys and whole-file
/// fingerprints (`FileDigests`), and rtpipe's version. A finished stage is reused exactly when its key is unchanged.
struct StageKey {
    private var parts: [String]

    init(_ stage: String, version: String) { parts = ["stage=\(stage)", "rtpipe=\(version)"] }

    mutating func add(_ name: String, _ value: CustomStringConvertible?) { parts.append("\(name)=\(value?.description ?? "nil")") }

    var hex: String { StageKey.sha256(parts.joined(separator: "\n")) }

    /// Hex SHA-256 of a string's UTF-8 bytes.
    static func sha256(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }
    /// Short form for folder names.
    var short: String { String(hex.prefix(16)) }
}
