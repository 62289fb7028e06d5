import Foundation
/// rtpipe's version, reported by `rtpipe --version` and stored with every result.
public enum RtpipeVersion {
    public static let string = "0.1.0"
}

extension RtpipeVersion {
    /// The git revision of the checkout at `root` (short hash, "+dirty" with uncommitted changes),
    /// or "unknown" outside a git checkout. Read from .git directly (no git process).
    public static func gitRevision(in root: URL) -> String {
        let git = root.appendingPathComponent(".git")
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else { return "unknown" }
        if head.hasPrefix("ref: ") {
            let ref = String(head.dropFirst(5))
            if let hash = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) { return String(hash.prefix(12)) }
            if let packed = try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8),
               let line = packed.split(separator: "\n").first(where: { $0.hasSuffix(" " + ref) }) { return String(line.prefix(12)) }
            return "unknown"
        }
        return String(head.prefix(12))
    }
}
