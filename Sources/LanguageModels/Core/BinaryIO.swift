import Foundation

/// Little-endian binary writing for checkpoints and caches. `finish(to:)` appends a 64-bit
/// FNV-1a checksum of everything written and stores the file atomically: it is written to a
/// temporary file in the same folder and renamed over the target, so an interruption never
/// leaves a half-written file under the real name.
struct BinaryWriter {
    private(set) var data: [UInt8] = []

    mutating func bytes(_ b: [UInt8]) { data += b }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) { let u = Array(s.utf8); u64(UInt64(u.count)); data += u }
    mutating func floats(_ v: [Float]) { u64(UInt64(v.count)); v.withUnsafeBytes { data += $0 } }
    mutating func floats(_ p: UnsafePointer<Float>, count: Int) {
        u64(UInt64(count)); data += UnsafeRawBufferPointer(start: p, count: count * 4)
    }
    mutating func doubles(_ v: [Double]) { u64(UInt64(v.count)); for x in v { f64(x) } }

    /// Appends the checksum and writes the file atomically (temporary file + rename).
    mutating func finish(to url: URL) throws {
        u64(fnv1a(data[...]))
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        try Data(data).write(to: tmp)
        if rename(tmp.path, url.path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot rename into \(url.path): \(why)"])
        }
    }
}

/// Reads what `BinaryWriter` wrote; the checksum is verified first, so a truncated or damaged
/// file fails with a clear `LMError.invalidCheckpoint` before any field is read.
struct BinaryReader {
    private let data: [UInt8]
    private var at = 0
    private let end: Int
    let path: String

    init(data: Data, path: String) throws {
        self.data = [UInt8](data)
        self.path = path
        guard self.data.count >= 8 else { throw LMError.invalidCheckpoint(path: path, reason: "the file is truncated (\(data.count) bytes)") }
        end = self.data.count - 8
        var stored: UInt64 = 0
        for i in 0..<8 { stored |= UInt64(self.data[end + i]) << (8 * UInt64(i)) }
        guard stored == fnv1a(self.data[0..<end]) else {
            throw LMError.invalidCheckpoint(path: path, reason: "the checksum does not match: the file is truncated or damaged (was it copied while being written?)")
        }
    }

    var atEnd: Bool { at == end }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, at + n <= end else { throw LMError.invalidCheckpoint(path: path, reason: "the file ends early (it is truncated)") }
        defer { at += n }
        return data[at..<(at + n)]
    }

    mutating func bytes(_ n: Int) throws -> [UInt8] { Array(try take(n)) }
    mutating func u32() throws -> UInt32 { try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() throws -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    mutating func string() throws -> String {
        let n = try u64()
        guard n < UInt64(end) else { throw LMError.invalidCheckpoint(path: path, reason: "a field length is out of range") }
        return String(decoding: try take(Int(n)), as: UTF8.self)
    }
    mutating func floats() throws -> [Float] {
        let n = try u64()
        guard n <= UInt64(end / 4) else { throw LMError.invalidCheckpoint(path: path, reason: "a field length is out of range") }
        let raw = try take(Int(n) * 4)
        var out = [Float](repeating: 0, count: Int(n))
        out.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: $0) } }
        return out
    }
    mutating func doubles() throws -> [Double] {
        let n = try u64()
        guard n <= UInt64(end / 8) else { throw LMError.invalidCheckpoint(path: path, reason: "a field length is out of range") }
        return try (0..<Int(n)).map { _ in try f64() }
    }
}

/// 64-bit FNV-1a (Fowler–Noll–Vo) hash.
func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
