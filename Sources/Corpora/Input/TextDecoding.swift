import Foundation
import Numerics

/// Text encodings the readers accept. `auto` takes UTF-8 when the bytes are valid UTF-8 and
/// Windows-1252 (cp1252, a superset of Latin-1's printable characters) otherwise; a UTF-16
/// byte-order mark is honoured.
public enum TextEncoding: String, Sendable, CaseIterable {
    case auto
    case utf8 = "utf-8"
    case latin1 = "latin-1"
    case cp1252

    /// Parses a user's spelling ("utf8", "UTF-8", "iso-8859-1", "windows-1252", …).
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": self = .latin1
        case "cp1252", "windows-1252", "cp-1252": self = .cp1252
        default: return nil
        }
    }
}

/// A decoded file: its text and the encoding that was used.
public struct DecodedText: Sendable {
    public let text: String
    public let encoding: TextEncoding
}

/// Reads files as text in a given encoding, naming the line and column of bytes that do not
/// decode and refusing binary files (NUL bytes) with a clear message.
public enum TextDecoding {
    /// Reads and decodes the file at `path`.
    public static func read(path: String, encoding: TextEncoding = .auto) throws -> DecodedText {
        guard FileManager.default.fileExists(atPath: path) else { throw CorpusError("file not found", file: path) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CorpusError("cannot read file: \(SystemErrorText.reason(error))", file: path)
        }
        return try decode(data, file: path, encoding: encoding)
    }

    /// Decodes `data` (from `file`, for messages).
    public static func decode(_ data: Data, file: String, encoding: TextEncoding = .auto) throws -> DecodedText {
        let bytes = [UInt8](data)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            guard let s = String(data: data, encoding: .utf16) else { throw CorpusError("the file starts with a UTF-16 byte-order mark but does not decode as UTF-16", file: file, line: 1, column: 1) }
            return DecodedText(text: s, encoding: .utf8)
        }
        if let nul = bytes.firstIndex(of: 0) {
            let (line, column) = lineAndColumn(bytes, nul)
            throw CorpusError("NUL byte: this is not a text file in UTF-8, Latin-1 or cp1252 (UTF-16 without a byte-order mark, or binary?)", file: file, line: line, column: column)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        switch encoding {
        case .utf8:
            if let bad = firstInvalidUTF8(body) {
                let (line, column) = lineAndColumn(bytes, bad)
                throw CorpusError(String(format: "byte 0x%02X is not valid UTF-8 (is the file Latin-1 or cp1252? pass that encoding)", bytes[bad]), file: file, line: line, column: column)
            }
            return DecodedText(text: String(decoding: body, as: UTF8.self), encoding: .utf8)
        case .latin1:
            return DecodedText(text: singleByte(body, table: nil), encoding: .latin1)
        case .cp1252:
            return DecodedText(text: singleByte(body, table: cp1252High), encoding: .cp1252)
        case .auto:
            if firstInvalidUTF8(body) == nil { return DecodedText(text: String(decoding: body, as: UTF8.self), encoding: .utf8) }
            return DecodedText(text: singleByte(body, table: cp1252High), encoding: .cp1252)
        }
    }

    /// 1-based line and column (in bytes) of byte `offset`.
    static func lineAndColumn(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return (line, offset - lineStart + 1)
    }

    /// The offset of the first byte that starts an invalid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            var minScalar: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80
            case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800
            case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000
            default: return i
            }
            if i + need >= end { return i }
            for k in 1...need {
                let c = bytes[i + k]
                if c & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }

    /// Decodes a single-byte encoding: bytes below 0x80 are ASCII, 0x80–0x9F come from `table`
    /// (cp1252) or stand for themselves (Latin-1), 0xA0–0xFF are U+00A0–U+00FF.
    static func singleByte(_ bytes: ArraySlice<UInt8>, table: [UInt32]?) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for b in bytes {
            let code: UInt32 = (b >= 0x80 && b < 0xA0 && table != nil) ? table![Int(b) - 0x80] : UInt32(b)
            scalars.append(Unicode.Scalar(code)!)
        }
        return String(scalars)
    }

    /// cp1252's characters for bytes 0x80–0x9F (the five bytes cp1252 leaves undefined keep
    /// their Latin-1 control-character meaning).
    static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
