import Foundation
import Hashing
import Numerics
import Synchronization

/// A persistent cache of text embeddings, so a second run over the same texts costs nothing.
///
/// One file per (model fingerprint, pooling, maximum length) in the cache folder, named
/// `<first 16 hex digits of the model's SHA-256>-<pooling>-L<max length>.rtemb`. The file is
/// append-only: a 64-byte header, then records
///
///     "RTE1" | key length u32 | dimension u32 | key (UTF-8) | dimension × float32 | CRC-32 u32
///
/// (little-endian; the CRC covers everything from the key length to the last float). The key is
/// the exact text, preceded by a one-character tag of how it was truncated. Records are appended
/// with a single `write`; if a run is interrupted mid-write, the torn last record fails its
/// length or checksum test on the next load, is ignored, and is cut off before new records are
/// appended. A file whose header does not match (another model, pooling or length) is not used.
///
/// Several processes may share one cache (parallel stages of `rtpipe run --jobs N`, Slurm jobs on
/// a shared filesystem that honours `flock`): loading, cutting a torn tail and every append hold
/// an exclusive `flock` on `<file>.lock`, and each append goes to the file's current end, so
/// one process never overwrites or cuts off another's records. A process does not see records
/// added by others after it opened the cache; it embeds those texts again and skips storing
/// texts it already holds.
public final class EmbeddingCache: Sendable {
    /// How a text was truncated to the model's maximum length, part of the key.
    public enum Truncation: String, Sendable {
        /// Keep the first tokens (the tokenizer's own rule; plain texts).
        case keepStart = "S"
        /// Keep the last tokens (prefixes of long documents).
        case keepEnd = "E"
    }

    public let url: URL
    public let dimension: Int
    /// The embeddings by key and the file they are appended to, behind one lock.
    private struct State {
        var entries: [String: [Float]]
        var handle: FileHandle?
    }
    private let state: Mutex<State>
    /// Lock shared by every process using this cache file (see the type's documentation).
    private let fileLock: FileLock
    /// Number of records read from disk when the cache was opened.
    public let loadedCount: Int
    /// Bytes of a torn or corrupt tail that were ignored on load (0 normally).
    public let discardedBytes: Int

    private static let fileMagic = Array("RTPIPE-EMBEDDINGS-1\n".utf8)
    private static let recordMagic: [UInt8] = Array("RTE1".utf8)
    private static let headerSize = 64

    /// Opens (or creates) the cache file for `modelFingerprint`, `pooling` and `maxLength` in `directory`.
    public init(directory: URL, modelFingerprint: String, pooling: Pooling, maxLength: Int, dimension: Int) throws {
        self.dimension = dimension
        let fm = FileManager.default
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw EncoderError.cache(path: directory.path, reason: "cannot create the folder: \(SystemErrorText.reason(error))")
        }
        let tag = String(modelFingerprint.prefix(16))
        url = directory.appendingPathComponent("\(tag)-\(pooling.rawValue)-L\(maxLength).rtemb")
        // The header: magic, then "<fingerprint> <pooling> <maxLength> <dimension>", space-padded.
        var header = Self.fileMagic + Array("\(modelFingerprint.prefix(32)) \(pooling.rawValue) \(maxLength) \(dimension)".utf8)
        header = Array((header + [UInt8](repeating: 0x20, count: Self.headerSize)).prefix(Self.headerSize - 1)) + [0x0A]

        let fileLock: FileLock
        do { fileLock = try FileLock(path: url.path + ".lock") } catch {
            throw EncoderError.cache(path: url.path + ".lock", reason: SystemErrorText.reason(error))
        }
        fileLock.lock()
        defer { fileLock.unlock() }
        var validEnd = 0
        var loaded = 0
        var entries: [String: [Float]] = [:]
        if let data = try? Data(contentsOf: url, options: .alwaysMapped), data.count >= Self.headerSize {
            if Array(data.prefix(Self.headerSize)) == header {
                validEnd = Self.headerSize
                data.withUnsafeBytes { raw in
                    while let (key, vector, next) = Self.readRecord(raw, at: validEnd, dimension: dimension) {
                        entries[key] = vector
                        validEnd = next
                        loaded += 1
                    }
                }
                discardedBytes = data.count - validEnd
            } else {
                discardedBytes = data.count  // someone else's file under our name: start over
            }
        } else {
            discardedBytes = (try? fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        }
        loadedCount = loaded
        let handle: FileHandle
        do {
            if validEnd == 0 {
                try Data(header).write(to: url, options: .atomic)
                validEnd = Self.headerSize
            }
            let h = try FileHandle(forUpdating: url)
            try h.truncate(atOffset: UInt64(validEnd))  // cut a torn tail before appending
            try h.seekToEnd()
            handle = h
        } catch {
            throw EncoderError.cache(path: url.path, reason: SystemErrorText.reason(error))
        }
        state = Mutex(State(entries: entries, handle: handle))
        self.fileLock = fileLock
    }

    deinit { state.withLock { try? $0.handle?.close() } }

    /// Number of cached embeddings.
    public var count: Int { state.withLock { $0.entries.count } }

    /// The key of a text: truncation tag + exact text.
    public static func key(_ text: String, truncation: Truncation) -> String { truncation.rawValue + text }

    /// The cached embedding of `text`, if any.
    public func lookup(_ text: String, truncation: Truncation = .keepStart) -> [Float]? {
        let key = Self.key(text, truncation: truncation)
        return state.withLock { $0.entries[key] }
    }

    /// Adds embeddings and appends them to the file in one write.
    public func store(_ items: [(text: String, truncation: Truncation, vector: [Float])]) throws {
        try state.withLock { state in
            var bytes: [UInt8] = []
            for item in items {
                precondition(item.vector.count == dimension, "EmbeddingCache: vector of \(item.vector.count), expected \(dimension)")
                let key = Self.key(item.text, truncation: item.truncation)
                if state.entries[key] != nil { continue }
                state.entries[key] = item.vector
                bytes += Self.encodeRecord(key: key, vector: item.vector)
            }
            guard !bytes.isEmpty, let handle = state.handle else { return }
            fileLock.lock()
            defer { fileLock.unlock() }
            do {
                try handle.seekToEnd()  // another process may have appended since
                try handle.write(contentsOf: Data(bytes))
            } catch {
                throw EncoderError.cache(path: url.path, reason: SystemErrorText.reason(error))
            }
        }
    }

    static func encodeRecord(key: String, vector: [Float]) -> [UInt8] {
        var body: [UInt8] = []
        let keyBytes = Array(key.utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
        u32(UInt32(keyBytes.count))
        u32(UInt32(vector.count))
        body += keyBytes
        for f in vector { u32(f.bitPattern) }
        var record = recordMagic + body
        let crc = body.withUnsafeBytes { CRC32.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { record.append(contentsOf: $0) }
        return record
    }

    /// Parses the record at `offset`; nil if it is incomplete, malformed or fails its checksum.
    static func readRecord(_ raw: UnsafeRawBufferPointer, at offset: Int, dimension: Int) -> (String, [Float], Int)? {
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        guard offset + 12 <= raw.count, Array(raw[offset..<(offset + 4)]) == recordMagic else { return nil }
        let keyLength = Int(u32(offset + 4)), dim = Int(u32(offset + 8))
        guard dim == dimension, keyLength <= raw.count else { return nil }
        let keyStart = offset + 12, floatStart = keyStart + keyLength, crcAt = floatStart + 4 * dim
        guard crcAt + 4 <= raw.count else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: raw[(offset + 4)..<crcAt])
        guard CRC32.checksum(body) == u32(crcAt),
              let key = String(bytes: raw[keyStart..<floatStart], encoding: .utf8) else { return nil }
        let vector = (0..<dim).map { Float(bitPattern: u32(floatStart + 4 * $0)) }
        return (key, vector, crcAt + 4)
    }
}

/// An exclusive advisory lock (`flock`) on a lock file that is created if missing and never
/// removed; held between `lock()` and `unlock()`, released by the kernel if the process dies.
final class FileLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    func lock() { while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {} }
    func unlock() { _ = flock(descriptor, LOCK_UN) }
}
