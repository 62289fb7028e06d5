import Foundation

/// How fields are separated in a table file.
public enum FieldSeparator: String, Sendable {
    case tab, comma, semicolon
    /// Runs of spaces and tabs (Dundee's `.dat` files).
    case whitespace

    /// The byte that separates fields (nil for `whitespace`).
    var byte: UInt8? {
        switch self {
        case .tab: return 0x09
        case .comma: return 0x2C
        case .semicolon: return 0x3B
        case .whitespace: return nil
        }
    }

    /// A guess from a header line: tab, else comma, else semicolon, else white space.
    static func guess(_ line: String) -> FieldSeparator {
        if line.contains("\t") { return .tab }
        if line.contains(",") { return .comma }
        if line.contains(";") { return .semicolon }
        return .whitespace
    }
}

/// One data row of a table file, with its source line, and typed access to fields that names
/// file, line and column in every error.
public struct TableRow: Sendable {
    /// The file the row came from (for messages).
    public let file: String
    /// The 1-based line the row starts on.
    public let line: Int
    /// The raw fields (quotes removed).
    public let fields: [String]
    /// The file's header (empty for header-less files), to name columns in messages.
    public let header: [String]

    /// Tokens that mean "missing", after trimming: empty, NA, `.`, NaN, N/A, NULL, and the
    /// error values a spreadsheet writes into a cell (`#N/A`, `#VALUE!`, …), which GECO's
    /// workbooks and their CSV exports contain.
    public static let missingTokens: Set<String> = ["", "NA", ".", "NaN", "nan", "N/A", "NULL", "na",
                                                    "#N/A", "#NA", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"]

    /// The location of field `column` (0-based index) on this row.
    public func location(_ column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column.map { $0 + 1 })
    }

    /// The field at `column` (0-based), untrimmed.
    public func string(_ column: Int) -> String { fields[column] }

    /// The field trimmed of surrounding white space.
    public func trimmed(_ column: Int) -> String { fields[column].trimmingCharacters(in: .whitespaces) }

    /// The field as a number; nil for a missing token; an error naming file, line and column otherwise.
    public func double(_ column: Int) throws -> Double? {
        let s = trimmed(column)
        if Self.missingTokens.contains(s) { return nil }
        guard let v = Double(s), !v.isNaN else {
            throw CorpusError("column '\(name(column))' has '\(s)', which is not a number", at: location(column))
        }
        return v
    }

    /// The field as a number that must be present.
    public func requiredDouble(_ column: Int) throws -> Double {
        guard let v = try double(column) else { throw CorpusError("column '\(name(column))' is empty or missing ('\(trimmed(column))') but is required", at: location(column)) }
        return v
    }

    /// The whole numbers a corpus file may hold in an id, position or count column: ±10⁹. Larger
    /// values are typing errors or damage (and would overflow when shifted, e.g. 0-based + 1).
    public static let wholeNumberRange: ClosedRange<Int> = -1_000_000_000...1_000_000_000

    /// The field as an integer that must be present and lie in `range` (a whole-number decimal
    /// such as "3.0" is accepted); an error naming file, line and column otherwise.
    public func int(_ column: Int, in range: ClosedRange<Int> = TableRow.wholeNumberRange) throws -> Int {
        let s = trimmed(column)
        let value: Int?
        if let v = Int(s) { value = v } else if let d = Double(s), d == d.rounded(), abs(d) < 1e15 { value = Int(d) } else { value = nil }
        guard let v = value else {
            throw CorpusError(TableRow.missingTokens.contains(s) ? "column '\(name(column))' is empty or missing ('\(s)') but a whole number is required"
                                                                 : "column '\(name(column))' has '\(s)', which is not a whole number", at: location(column))
        }
        guard range.contains(v) else {
            let allowed = range.upperBound == TableRow.wholeNumberRange.upperBound ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw CorpusError("column '\(name(column))' has \(s), outside the allowed range (\(allowed))", at: location(column))
        }
        return v
    }

    /// The field as a 1-based position (or 0-based with `base` 0): a whole number from `base` to 10⁹.
    public func position(_ column: Int, base: Int = 1) throws -> Int {
        let v = try int(column)
        guard v >= base else {
            throw CorpusError("column '\(name(column))' has \(v), outside the allowed range: a \(base)-based position must be \(base) or more", at: location(column))
        }
        return v
    }

    /// The header name of `column`, or "field N" without a header.
    public func name(_ column: Int) -> String { column < header.count ? header[column] : "field \(column + 1)" }
}

/// A CSV/TSV/whitespace table read from a file: its header and its rows, streamed.
///
/// CSV fields may be quoted ("a, b", with "" for a quote, spanning lines); TSV and
/// whitespace-separated files are read without quoting (words such as `"Ah` stay as they are).
/// Rows with a different number of fields than the header are errors naming file and line.
/// Blank lines are skipped.
public struct DelimitedFile: Sendable {
    /// The file's path (for messages).
    public let file: String
    /// The header fields (trimmed), or empty for a header-less file.
    public let header: [String]
    /// The separator used.
    public let separator: FieldSeparator
    /// The encoding the bytes were decoded with.
    public let encoding: TextEncoding
    private let bytes: [UInt8]
    private let quoting: Bool
    private let bodyStart: Int
    private let bodyLine: Int

    /// Opens `path`. `separator` nil guesses from the header line; `quoting` nil means quoting for
    /// comma/semicolon files only.
    public static func open(path: String, separator: FieldSeparator? = nil, quoting: Bool? = nil,
                            encoding: TextEncoding = .auto, hasHeader: Bool = true) throws -> DelimitedFile {
        let decoded = try TextDecoding.read(path: path, encoding: encoding)
        return try DelimitedFile(file: path, text: decoded.text, encoding: decoded.encoding, separator: separator, quoting: quoting, hasHeader: hasHeader)
    }

    /// Parses `text` as if read from `file`.
    public init(file: String, text: String, encoding: TextEncoding = .utf8, separator: FieldSeparator? = nil, quoting: Bool? = nil, hasHeader: Bool = true) throws {
        self.file = file
        self.encoding = encoding
        bytes = Array(text.utf8)
        // Find the first non-blank line.
        var i = 0, line = 1
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != 0x0A { j += 1 }
            let lineBytes = bytes[i..<j]
            if lineBytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { break }
            i = min(j + 1, bytes.count)
            line += 1
        }
        guard i < bytes.count else { throw CorpusError("the file is empty", file: file) }
        var end = i
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        let firstLine = String(decoding: bytes[i..<end], as: UTF8.self)
        let sep = separator ?? FieldSeparator.guess(firstLine)
        self.separator = sep
        self.quoting = quoting ?? (sep == .comma || sep == .semicolon)
        if hasHeader {
            var headerFields: [String] = []
            var next = i, nextLine = line
            try Self.parseRecord(bytes, &next, &nextLine, sep, self.quoting, file) { headerFields = $0 }
            header = headerFields.map { $0.trimmingCharacters(in: .whitespaces) }
            bodyStart = next
            bodyLine = nextLine
            var seen = Set<String>()
            for h in header where !h.isEmpty {
                if !seen.insert(h).inserted { throw CorpusError("column name '\(h)' appears twice in the header", file: file, line: line) }
            }
        } else {
            header = []
            bodyStart = i
            bodyLine = line
        }
    }

    /// Calls `body` for each data row. With `expectedFields` (default: the header's width) a row
    /// with a different number of fields is an error naming file and line.
    public func forEachRow(expectedFields: Int?, _ body: (TableRow) throws -> Void) throws {
        let width = expectedFields ?? (header.isEmpty ? nil : header.count)
        var i = bodyStart, line = bodyLine
        while i < bytes.count {
            let start = line
            var fields: [String] = []
            try Self.parseRecord(bytes, &i, &line, separator, quoting, file) { fields = $0 }
            if fields.isEmpty || (fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty) { continue }
            if let width, fields.count != width {
                let what = fields.count < width ? "truncated row" : "row has extra fields"
                throw CorpusError("\(what): expected \(width) fields (as in the header) but found \(fields.count)", file: file, line: start)
            }
            try body(TableRow(file: file, line: start, fields: fields, header: header))
        }
    }

    /// Parses one record starting at `i` (advancing `i` and `line` past its end).
    private static func parseRecord(_ b: [UInt8], _ i: inout Int, _ line: inout Int, _ sep: FieldSeparator, _ quoting: Bool,
                                    _ file: String, _ emit: ([String]) -> Void) throws {
        var fields: [String] = []
        let n = b.count
        if sep == .whitespace {
            var j = i
            while j < n && b[j] != 0x0A { j += 1 }
            var k = i
            while k < j {
                while k < j && (b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0D) { k += 1 }
                let s = k
                while k < j && b[k] != 0x20 && b[k] != 0x09 && b[k] != 0x0D { k += 1 }
                if k > s { fields.append(String(decoding: b[s..<k], as: UTF8.self)) }
            }
            i = j + 1
            line += 1
            emit(fields)
            return
        }
        let sepByte = sep.byte!
        let recordLine = line
        var lineStart = i
        while true {
            if quoting && i < n && b[i] == 0x22 {
                var value: [UInt8] = []
                var k = i + 1
                var closed = false
                while k < n {
                    if b[k] == 0x22 {
                        if k + 1 < n && b[k + 1] == 0x22 { value.append(0x22); k += 2; continue }
                        closed = true
                        k += 1
                        break
                    }
                    if b[k] == 0x0A { line += 1; lineStart = k + 1 }
                    value.append(b[k])
                    k += 1
                }
                guard closed else { throw CorpusError("a quoted field is never closed (missing '\"')", file: file, line: recordLine) }
                while k < n && b[k] == 0x20 { k += 1 }
                if k < n && b[k] != sepByte && b[k] != 0x0A && b[k] != 0x0D {
                    throw CorpusError("unexpected character after a closing quote", file: file, line: line, column: k - lineStart + 1)
                }
                fields.append(String(decoding: value, as: UTF8.self))
                i = k
            } else {
                var k = i
                while k < n && b[k] != sepByte && b[k] != 0x0A { k += 1 }
                var e = k
                if e > i && b[e - 1] == 0x0D && (k == n || b[k] == 0x0A) { e -= 1 }
                fields.append(String(decoding: b[i..<e], as: UTF8.self))
                i = k
            }
            if i < n && b[i] == sepByte { i += 1; continue }
            if i < n && b[i] == 0x0D { i += 1 }
            if i < n && b[i] == 0x0A { i += 1 }
            line += 1
            break
        }
        emit(fields)
    }
}
