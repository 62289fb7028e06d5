import Hashing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file SHA-256 digests for stage keys and artefact checks. Every byte is hashed (an edit
/// anywhere in a corpus changes its digest); the digest is remembered in a small table keyed by
/// path, size, modification time (ns) and inode, so a large corpus is read once, not every run.
/// The table is a TSV file (`path, size, mtime, inode, sha256`), replaced atomically; with no
/// file (a dry run) digests are only remembered in memory.
final class FileDigests {
    private struct Stamp: Equatable { let size: Int64, mtimeNanoseconds: Int64, inode: UInt64 }
    private let cacheFile: URL?
    private var known: [String: (stamp: Stamp, digest: String)] = [:]
    private var changed = false
    private let lock = NSLock()

    init(cacheFile: URL?) {
        self.cacheFile = cacheFile
        guard let cacheFile, let text = try? String(contentsOf: cacheFile, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let size = Int64(f[1]), let mtime = Int64(f[2]), let inode = UInt64(f[3]), f[4].count == 64 else { continue }
            known[f[0]] = (Stamp(size: size, mtimeNanoseconds: mtime, inode: inode), f[4])
        }
    }

    private static func stamp(_ path: String) -> Stamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Stamp(size: Int64(st.st_size), mtimeNanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), inode: UInt64(st.st_ino))
    }

    /// The SHA-256 (hex) of a file's bytes; nil if it cannot be read.
    func digest(of path: String) -> String? {
        guard let stamp = FileDigests.stamp(path) else { return nil }
        lock.lock()
        if let k = known[path], k.stamp == stamp { lock.unlock(); return k.digest }
        lock.unlock()
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var h = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 8 << 20)
            if chunk.isEmpty { break }
            h.update(chunk)
        }
        let hex = h.finalize().map { String(format: "%02x", $0) }.joined()
        // Remember it only if the file did not change while it was read.
        if FileDigests.stamp(path) == stamp {
            lock.lock(); known[path] = (stamp, hex); changed = true; lock.unlock()
        }
        return hex
    }

    /// Fingerprint of a file, or of a folder's files (relative names, sizes and digests, in name
    /// order, skipping names in `skipping`); "missing:PATH" when there is nothing at `path`.
    func fingerprint(path: String, skipping: Set<String> = []) -> String {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return "missing:\(path)" }
        var files: [(name: String, path: String)] = []
        if isDir.boolValue {
            for sub in ((try? fm.subpathsOfDirectory(atPath: path)) ?? []).sorted() where !skipping.contains((sub as NSString).lastPathComponent) {
                let full = (path as NSString).appendingPathComponent(sub)
                var d: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { files.append((sub, full)) }
            }
        } else {
            files = [((path as NSString).lastPathComponent, path)]
        }
        var h = SHA256()
        for f in files {
            let size = FileDigests.stamp(f.path)?.size ?? -1
            h.update(Array("\(f.name):\(size):\(digest(of: f.path) ?? "unreadable")\n".utf8))
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the remembered digests of files that still exist (to a temporary file of this
    /// process, then renamed into place).
    func save() {
        lock.lock(); defer { lock.unlock() }
        guard changed, let cacheFile else { return }
        known = known.filter { FileDigests.stamp($0.key) != nil }  // files gone (e.g. temporary folders) are forgotten
        let text = known.keys.sorted().map { p in
            let k = known[p]!
            return "\(p)\t\(k.stamp.size)\t\(k.stamp.mtimeNanoseconds)\t\(k.stamp.inode)\t\(k.digest)\n"
        }.joined()
        let tmp = cacheFile.deletingLastPathComponent().appendingPathComponent(".\(cacheFile.lastPathComponent).\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: tmp, atomically: false, encoding: .utf8)
            _ = rename(tmp.path, cacheFile.path)
            changed = false
        } catch {
            try? FileManager.default.removeItem(at: tmp)
        }
    }
}

/// An artefact folder's record of its own content: `artifact.sha256` holds the fingerprint of
/// the files that later stages read, written when the artefact is complete and checked before
/// each use, so a damaged or half-deleted artefact is recomputed rather than used.
enum ArtifactManifest {
    static let fileName = "artifact.sha256"

    /// Records the fingerprint of `files` (names inside `folder`).
    static func write(_ folder: URL, files: [String], digests: FileDigests) throws {
        let value = fingerprint(folder, files: files, digests: digests)
        try (files.joined(separator: ",") + "\t" + value + "\n").write(to: folder.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
    }

    /// True if the folder has a manifest and its files still match it.
    static func verify(_ folder: URL, digests: FileDigests) -> Bool {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(fileName), encoding: .utf8) else { return false }
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\t").map(String.init)
        guard parts.count == 2 else { return false }
        let files = parts[0].split(separator: ",").map(String.init)
        return !files.isEmpty && fingerprint(folder, files: files, digests: digests) == parts[1]
    }

    private static func fingerprint(_ folder: URL, files: [String], digests: FileDigests) -> String {
        var h = SHA256()
        for f in files {
            let path = f == "." ? folder.path : folder.appendingPathComponent(f).path
            h.update(Array("\(f):\(digests.fingerprint(path: path, skipping: [fileName]))\n".utf8))
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
