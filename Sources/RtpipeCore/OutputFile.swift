import Foundation
import Glibc   // rtpipe is built for Linux

/// Writing a command's output file (`--out`, `--output`) without harming what is at the path.
///
/// - A symbolic link is written through: the file it points to gets the content, the link stays.
/// - A FIFO, a device (`/dev/null`, `/dev/stdout`, `/dev/full`) or another special file is
///   written to directly, never replaced by a regular file; a write error (a full disk) is reported.
/// - A regular file, or a new path, is replaced atomically: the content goes to a temporary file
///   in the same folder, which is then renamed over it (an existing file keeps its permissions).
/// - An output that is one of the command's inputs (the same file, through any path or link) is
///   refused before anything is written.
public enum OutputFile {
    /// Why an output could not be written; `description` names the path.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Writes `text` as UTF-8 to `path`; see the type's documentation. `inputs` are the files
    /// the command reads (folders and paths that do not exist are ignored).
    public static func write(_ text: String, to path: String, inputs: [String] = []) throws {
        try write(Data(text.utf8), to: path, inputs: inputs)
    }

    /// Writes `data` to `path`; see the type's documentation.
    public static func write(_ data: Data, to path: String, inputs: [String] = []) throws {
        var target = stat()
        let exists = stat(path, &target) == 0
        if exists {
            if let input = inputs.first(where: { sameFile(target, $0) }) {
                let same = input == path ? "" : " (the same file as \(input))"
                throw Problem(description: "\(path): the output is one of this command's inputs\(same); choose another output path")
            }
            switch target.st_mode & S_IFMT {
            case S_IFDIR:
                throw Problem(description: "\(path): is a folder; give a file path for the output")
            case S_IFREG:
                try replaceAtomically(data, at: resolved(path), mode: target.st_mode & 0o7777, shownAs: path)
            default:
                try writeDirectly(data, to: path)
            }
        } else {
            var link = stat()
            if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                try writeDirectly(data, to: path)   // a dangling link: create the file it names
            } else {
                try replaceAtomically(data, at: path, mode: nil, shownAs: path)
            }
        }
    }

    /// True when `path` exists and is the file `target` describes (same device and inode).
    private static func sameFile(_ target: stat, _ path: String) -> Bool {
        var s = stat()
        guard stat(path, &s) == 0, (s.st_mode & S_IFMT) != S_IFDIR else { return false }
        return s.st_dev == target.st_dev && s.st_ino == target.st_ino
    }

    /// The path with symbolic links resolved (the path itself if that fails).
    private static func resolved(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }

    private static func failure(_ path: String, _ what: String, _ code: Int32 = errno) -> Problem {
        Problem(description: "\(path): cannot \(what): \(String(cString: strerror(code)))")
    }

    /// Opens `path` for writing (following links, creating a missing file) and writes `data`.
    private static func writeDirectly(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(path, "open it for writing") }
        try writeAll(data, fd: fd, shownAs: path)
        guard close(fd) == 0 else { throw failure(path, "write it") }
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    private static func replaceAtomically(_ data: Data, at path: String, mode: mode_t?, shownAs shown: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array(url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(shown, "create a temporary file in \(folder)") }
        let temporary = String(cString: template)
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            try writeAll(data, fd: fd, shownAs: shown)
        } catch {
            close(fd)
            throw error
        }
        // mkstemp makes the file private (0600): give it the old file's mode, or the usual one.
        let finalMode = mode ?? (0o666 & ~currentUmask())
        fchmod(fd, finalMode)
        guard close(fd) == 0 else { throw failure(shown, "write it") }
        guard rename(temporary, path) == 0 else { throw failure(shown, "replace it") }
        renamed = true
    }

    private static func writeAll(_ data: Data, fd: Int32, shownAs path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "write it")
                }
                offset += n
            }
        }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mask
    }
}
