import Foundation

/// Element types of safetensors files that rtpipe can read as float32.
public enum SafeTensorsDType: String, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32", f64 = "F64", u8 = "U8", i8 = "I8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16: return 2
        case .u8, .i8, .bool: return 1
        }
    }
}

/// One tensor's entry in a safetensors header.
public struct SafeTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range in the file (absolute, header included).
    public let byteRange: Range<Int>
}

/// A safetensors weights file, memory-mapped.
///
/// Layout: an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON mapping
/// each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to
/// the first byte after the header) plus an optional `"__metadata__"` string map, then the raw
/// little-endian tensor data. Opening validates the whole header — every tensor's byte range
/// must lie inside the file and match its shape and element type — so a truncated or corrupt
/// file is reported up front, never read out of bounds.
public final class SafeTensorsFile: @unchecked Sendable {
    public let url: URL
    public let file: MappedFile
    /// Tensors by name.
    public let tensors: [String: SafeTensorInfo]
    /// The header's `__metadata__` entries.
    public let metadata: [String: String]

    /// Opens and validates `url`.
    public init(url: URL) throws {
        self.url = url
        file = try MappedFile(url: url)
        let path = url.path
        func corrupt(_ reason: String) -> EncoderError { .corruptWeights(path: path, reason: reason) }
        guard file.count >= 8 else { throw corrupt("\(file.count) bytes is shorter than the 8-byte header length (truncated?)") }
        let n = file.bytes(0..<8).loadUnaligned(as: UInt64.self).littleEndian
        guard n >= 2, n <= UInt64(file.count - 8) else {
            throw corrupt("header length \(n) does not fit in a file of \(file.count) bytes (truncated or not a safetensors file)")
        }
        let headerEnd = 8 + Int(n)
        let headerBytes = Data(file.bytes(8..<headerEnd))
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw corrupt("the header is not a JSON object")
        }
        var tensors: [String: SafeTensorInfo] = [:]
        var metadata: [String: String] = [:]
        let dataSize = file.count - headerEnd
        for (name, value) in json {
            if name == "__metadata__" {
                for (k, v) in value as? [String: Any] ?? [:] { metadata[k] = "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any],
                  let dtypeName = entry["dtype"] as? String,
                  let shapeAny = entry["shape"] as? [Any],
                  let offsetsAny = entry["data_offsets"] as? [Any], offsetsAny.count == 2 else {
                throw corrupt("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw corrupt("tensor '\(name)' has unknown dtype \(dtypeName)")
            }
            let shape = try shapeAny.map { v -> Int in
                guard let d = Self.count(v) else { throw corrupt("tensor '\(name)' has an invalid shape \(shapeAny)") }
                return d
            }
            let offsets = try offsetsAny.map { v -> Int in
                guard let o = Self.count(v) else { throw corrupt("tensor '\(name)' has invalid data offsets \(offsetsAny)") }
                return o
            }
            // Element and byte counts with overflow checks: a hostile shape must not trap.
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
            }
            let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, !bytesOverflow, offsets[0] <= offsets[1], offsets[1] - offsets[0] == bytes else {
                throw corrupt("tensor '\(name)': data offsets \(offsets) do not match shape \(shape) of \(dtypeName)")
            }
            guard offsets[1] <= dataSize else {
                throw corrupt("tensor '\(name)' ends at byte \(offsets[1]) but the file has only \(dataSize) data bytes (truncated?)")
            }
            tensors[name] = SafeTensorInfo(name: name, dtype: dtype, shape: shape,
                                           byteRange: (headerEnd + offsets[0])..<(headerEnd + offsets[1]))
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// A size or offset from the header: a non-negative whole number below 2⁵³ (so exact as a
    /// JSON number), else nil — fractions, negatives, huge values and non-numbers are corrupt.
    private static func count(_ value: Any) -> Int? {
        guard let n = value as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d >= 0, d < 9_007_199_254_740_992, d == d.rounded(.towardZero) else { return nil }
        return Int(d)
    }

    /// The entry for `name`, or `EncoderError.missingTensor`.
    public func info(_ name: String) throws -> SafeTensorInfo {
        guard let t = tensors[name] else { throw EncoderError.missingTensor(name: name, path: url.path) }
        return t
    }

    /// Tensor `name` as float32, checked against `shape`. F32 data that is 4-byte aligned is a
    /// zero-copy view into the mapping; F16 and BF16 are converted into a copy.
    public func floats(_ name: String, shape: [Int]) throws -> FloatTensor {
        let t = try info(name)
        guard t.shape == shape else {
            throw EncoderError.tensorMismatch(name: name, expected: "shape \(shape)", found: "shape \(t.shape)")
        }
        let raw = file.bytes(t.byteRange)
        let count = t.shape.reduce(1, *)
        switch t.dtype {
        case .f32:
            if count > 0, let base = raw.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 {
                return FloatTensor(shape: shape, pointer: base.assumingMemoryBound(to: Float.self), owner: file)
            }
            return FloatTensor(shape: shape, values: (0..<count).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self) }.map { Float(bitPattern: UInt32(littleEndian: $0)) })
        case .bf16:
            return FloatTensor(shape: shape, values: (0..<count).map {
                Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16)
            })
        case .f16:
            return FloatTensor(shape: shape, values: (0..<count).map {
                Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))))
            })
        default:
            throw EncoderError.tensorMismatch(name: name, expected: "F32, F16 or BF16 data", found: t.dtype.rawValue)
        }
    }
}
