import Foundation

/// Where rtpipe keeps and finds things on disk.
///
/// The cache folder (git-ignored) holds downloaded encoder weights, checkpoints and embedding
/// caches. It is `$RTPIPE_CACHE` if set, else `.rtpipe/` in the project root — the nearest
/// folder at or above the working directory (or the executable) that has a `Package.swift`
/// and an `Analyses/` folder — else `.rtpipe/` in the working directory.
public enum RtpipePaths {
    /// The rtpipe checkout the process runs in, if any.
    public static var projectRoot: URL? {
        let fm = FileManager.default
        let starts = [URL(fileURLWithPath: fm.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()]
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
                   fm.fileExists(atPath: dir.appendingPathComponent("Analyses").path) {
                    return dir
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The cache folder (not created here).
    public static var cacheDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["RTPIPE_CACHE"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let base = projectRoot ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(".rtpipe")
    }

    /// Folder of the all-MiniLM-L6-v2 weights unpacked by setup.
    public static var encoderDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["RTPIPE_ENCODER_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return cacheDirectory.appendingPathComponent("models/all-MiniLM-L6-v2")
    }

    /// The shared reference folder beside the checkout (`../shared`), if present.
    public static var sharedDirectory: URL? {
        if let env = ProcessInfo.processInfo.environment["RTPIPE_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        guard let root = projectRoot else { return nil }
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }
}
