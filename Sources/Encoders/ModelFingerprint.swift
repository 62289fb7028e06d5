import Foundation
import Hashing

/// A weights file's identity for the embedding cache: the SHA-256 of `model.safetensors`.
///
/// Hashing 90 MB takes a moment, so the digest is computed once and stored beside the file as
/// `model.safetensors.sha256` ("<hex digest> <size> <mtime>"); it is reused while the weights
/// file keeps that size and modification time. If the folder is read-only the digest is simply
/// recomputed each time.
public enum ModelFingerprint {
    /// The SHA-256 (lower-case hex) of `weights`.
    public static func of(_ weights: URL) throws -> String {
        let fm = FileManager.default
        guard let attrs = try? fm.attributesOfItem(atPath: weights.path), let size = (attrs[.size] as? NSNumber)?.int64Value else {
            throw EncoderError.missingFile(path: weights.path, hint: "run scripts/setup to fetch the encoder weights")
        }
        let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let stamp = "\(size) \(String(format: "%.3f", mtime))"
        let sidecar = weights.appendingPathExtension("sha256")
        if let saved = try? String(contentsOf: sidecar, encoding: .utf8) {
            let parts = saved.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0].count == 64, parts[1].trimmingCharacters(in: .whitespacesAndNewlines) == stamp {
                return parts[0]
            }
        }
        let file = try MappedFile(url: weights)
        var hasher = SHA256()
        var offset = 0
        while offset < file.count {  // in 8 MB slices so the mapping is read sequentially
            let end = min(file.count, offset + 8 << 20)
            hasher.update(file.bytes(offset..<end))
            offset = end
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        try? "\(hex) \(stamp)\n".write(to: sidecar, atomically: true, encoding: .utf8)
        return hex
    }
}
