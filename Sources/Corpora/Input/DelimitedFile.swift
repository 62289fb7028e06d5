import Foundation
import Tables

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

    /// Tokens that mean "missing", after trimming: the one set of every table rtpipe reads
    /// (`Tables.MissingValue.tokens`: empty, NA, `.`, NaN, N/A, NULL, and the error values a
    /// spreadsheet writes into a cell, such as `#N/A`, which GECO's workbooks contain).
    public static var missingTokens: Set<String> { MissingValue.tokens }

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

/// A CSV/TSV/whitespace table read from a file: its header and its rows.
///
/// Read by the Tables module's one reader (`DelimitedParser`; the rules are in `TablesModule`):
/// the separator detected unless given, RFC 4180 quoting in comma-, semicolon- and tab-separated
/// files unless the format turns it off (Natural Stories' and UCL's TSV files hold words such as
/// `"Ah`), blank lines skipped. Rows with a different number of fields than the header are
/// errors naming file and line.
public struct DelimitedFile: Sendable {
    /// The file's path (for messages).
    public let file: String
    /// The header fields (trimmed), or empty for a header-less file.
    public let header: [String]
    /// The separator used.
    public let separator: FieldSeparator
    /// The encoding the bytes were decoded with.
    public let encoding: TextEncoding
    /// The fields' text, back to back, as the reader left it.
    private let text: [UInt8]
    /// Per data row: its line and where its fields' ends start in `fieldEnds`.
    private let rowLines: [Int]
    private let rowFirstField: [Int]
    /// Offset in `text` just past each field, row after row.
    private let fieldEnds: [Int]
    /// Offset in `text` of each row's first field.
    private let rowStarts: [Int]

    /// Opens `path`. `separator` nil detects it from the header line; `quoting` nil means
    /// `Quoting.standard` for the separator, false turns quoting off.
    public static func open(path: String, separator: FieldSeparator? = nil, quoting: Bool? = nil,
                            encoding: TextEncoding = .auto, hasHeader: Bool = true) throws -> DelimitedFile {
        let decoded = try TextDecoding.read(path: path, encoding: encoding)
        return try DelimitedFile(file: path, text: decoded.text, encoding: decoded.encoding, separator: separator, quoting: quoting, hasHeader: hasHeader)
    }

    /// Parses `text` as if read from `file`.
    public init(file: String, text: String, encoding: TextEncoding = .utf8, separator: FieldSeparator? = nil, quoting: Bool? = nil, hasHeader: Bool = true) throws {
        self.file = file
        self.encoding = encoding
        var bytes = Array(text.utf8)
        var headerFields: [String]?
        var headerLine = 1
        var rowLines: [Int] = [], rowFirstField: [Int] = [], rowStarts: [Int] = [], fieldEnds: [Int] = []
        var detected = FieldSeparator.whitespace
        try bytes.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            let first = DelimitedParser.bodyStart(p, count: buf.count)
            let sep = separator ?? FieldSeparator.detect(buf[first...])
            detected = sep
            let rule: Quoting = quoting.map { $0 ? .rfc4180 : .none } ?? .standard(for: sep)
            var parser = DelimitedParser(p, count: buf.count, from: first, separator: sep, quoting: rule)
            do {
                try parser.run { record in
                    if hasHeader && headerFields == nil {
                        headerFields = (0..<record.count).map { record.string($0).trimmingCharacters(in: .whitespaces) }
                        headerLine = record.line
                        return
                    }
                    rowLines.append(record.line)
                    rowFirstField.append(fieldEnds.count)
                    rowStarts.append(record.start)
                    for k in 0..<record.count { fieldEnds.append(record.fieldEnd(k)) }
                }
            } catch let error as TableError {
                switch error {
                case let .unterminatedQuote(line):
                    throw CorpusError("a quoted field is never closed (missing '\"')", file: file, line: line)
                case let .textAfterQuote(line, column):
                    throw CorpusError("unexpected character after a closing quote", file: file, line: line, column: column)
                }
            }
        }
        guard headerFields != nil || !rowLines.isEmpty else { throw CorpusError("the file is empty", file: file) }
        self.separator = detected
        header = headerFields ?? []
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            if !seen.insert(h).inserted { throw CorpusError("column name '\(h)' appears twice in the header", file: file, line: headerLine) }
        }
        self.text = bytes
        self.rowLines = rowLines
        self.rowFirstField = rowFirstField
        self.rowStarts = rowStarts
        self.fieldEnds = fieldEnds
    }

    /// Calls `body` for each data row. With `expectedFields` (default: the header's width) a row
    /// with a different number of fields is an error naming file and line.
    public func forEachRow(expectedFields: Int?, _ body: (TableRow) throws -> Void) throws {
        let width = expectedFields ?? (header.isEmpty ? nil : header.count)
        for r in rowLines.indices {
            let first = rowFirstField[r], last = r + 1 < rowLines.count ? rowFirstField[r + 1] : fieldEnds.count
            var start = rowStarts[r]
            var fields: [String] = []
            fields.reserveCapacity(last - first)
            for k in first..<last {
                fields.append(String(decoding: text[start..<fieldEnds[k]], as: UTF8.self))
                start = fieldEnds[k]
            }
            if let width, fields.count != width {
                let what = fields.count < width ? "truncated row" : "row has extra fields"
                throw CorpusError("\(what): expected \(width) fields (as in the header) but found \(fields.count)", file: file, line: rowLines[r])
            }
            try body(TableRow(file: file, line: rowLines[r], fields: fields, header: header))
        }
    }
}
