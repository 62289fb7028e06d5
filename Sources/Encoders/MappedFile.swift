import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory-mapped file (POSIX `mmap`); unmapped when the object goes away.
/// Pages are read from disk only when touched, so opening a large weights file is instant.
public final class MappedFile: @unchecked Sendable {
    /// Start of the mapping (nil for an empty file).
    public let base: UnsafeRawPointer?
    /// File size in bytes.
    public let count: Int
    public let url: URL

    /// Maps `url` read-only. Throws `EncoderError.missingFile` / `.unreadable`.
    public init(url: URL) throws {
        self.url = url
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            let err = errno
            if err == ENOENT { throw EncoderError.missingFile(path: url.path, hint: "run scripts/setup to fetch the encoder weights") }
            throw EncoderError.unreadable(path: url.path, reason: String(cString: strerror(err)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw EncoderError.unreadable(path: url.path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw EncoderError.unreadable(path: url.path, reason: "not a regular file") }
        count = Int(st.st_size)
        if count == 0 { base = nil; return }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw EncoderError.unreadable(path: url.path, reason: "mmap failed: \(String(cString: strerror(errno)))") }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The bytes `range` as a buffer (valid while the file object lives).
    public func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
