import Encoders
import Foundation

/// Content-addressed stage keys: SHA-256 of the stage's name, settings, inputs' keys and fingerprints,
/// and rtpipe's version. A finished stage is reused exactly when its key is unchanged.
struct StageKey {
    private var parts: [String]

    init(_ stage: String, version: String) { parts = ["stage=\(stage)", "rtpipe=\(version)"] }

    mutating func add(_ name: String, _ value: CustomStringConvertible?) { parts.append("\(name)=\(value?.description ?? "nil")") }

    var hex: String { StageKey.sha256(parts.joined(separator: "\n")) }

    /// Hex SHA-256 of a string's UTF-8 bytes.
    static func sha256(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }
    /// Short form for folder names.
    var short: String { String(hex.prefix(16)) }

    /// Fingerprint of a file or a folder's files: names, sizes and the SHA-256 of their first and
    /// last MiB (fast for large corpora; any edit of a real corpus changes size or these bytes).
    static func fingerprint(path: String) -> String {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return "missing:\(path)" }
        var files: [String] = []
        if isDir.boolValue {
            files = ((try? fm.subpathsOfDirectory(atPath: path)) ?? []).sorted().map { (path as NSString).appendingPathComponent($0) }
                .filter { var d: ObjCBool = false; return fm.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue }
        } else {
            files = [path]
        }
        var h = SHA256()
        for f in files {
            let size = ((try? fm.attributesOfItem(atPath: f))?[.size] as? Int) ?? -1
            h.update(Array("\((f as NSString).lastPathComponent):\(size)\n".utf8))
            if let handle = FileHandle(forReadingAtPath: f) {
                h.update(handle.readData(ofLength: 1 << 20))
                if size > 2 << 20 { handle.seek(toFileOffset: UInt64(size - (1 << 20))); h.update(handle.readData(ofLength: 1 << 20)) }
                try? handle.close()
            }
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
