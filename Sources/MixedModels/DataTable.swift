import Foundation
import Numerics

// MARK: - Errors

/// Problems reading a data table or converting its columns. Every case that points into a file
/// names the file (the table's `sourceName`) and a 1-based line number.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// The column does not exist; `available` lists the table's columns.
    case unknownColumn(name: String, available: [String])
    /// A value in a column that should be numeric does not parse as a number.
    /// `columnNumber` is 1-based; `line` is the source line of the row.
    case nonNumeric(file: String, line: Int, column: String, columnNumber: Int, value: String)
    /// A data row has a different number of fields than the header.
    case raggedRow(file: String, line: Int, expected: Int, got: Int)
    /// The input has no header line.
    case emptyFile(file: String)
    /// Two header fields have the same name.
    case duplicateColumn(file: String, name: String)
    /// A quoted field opened on `line` is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// The file could not be read at all.
    case cannotRead(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownColumn(name, available):
            return "unknown column '\(name)'; available columns: \(available.map { "'\($0)'" }.joined(separator: ", "))"
        case let .nonNumeric(file, line, column, number, value):
            return "\(file):\(line): column '\(column)' (column \(number)) has non-numeric value '\(value)'"
        case let .raggedRow(file, line, expected, got):
            return "\(file):\(line): expected \(expected) fields (as in the header) but found \(got)"
        case let .emptyFile(file):
            return "\(file): the file is empty (no header line)"
        case let .duplicateColumn(file, name):
            return "\(file):1: column name '\(name)' appears more than once in the header"
        case let .unterminatedQuote(file, line):
            return "\(file):\(line): quoted field is never closed (missing '\"')"
        case let .cannotRead(file, reason):
            return "\(file): cannot read file: \(reason)"
        }
    }
}

// MARK: - Table

/// A rectangular table of text values loaded from CSV/TSV (or built in code).
///
/// Values are kept as their raw text; a missing value (an empty field, `NA`, `.` or `NaN`,
/// after trimming surrounding white space) reads as `nil`. Each row remembers the source
/// line it started on, so conversion errors can point at file, line and column.
///
/// Storage: the text of all cells lies in one byte buffer, row after row with nothing between
/// cells; per cell the table keeps where it ends (it starts where the previous cell ends), whether
/// it is missing and — parsed once, when the table is built — its value as a number, for as long
/// as every non-missing value of the column is a number. Strings are only made when a value or a
/// text column is asked for.
public struct DataTable: Sendable {
    /// File path (or a label such as `<memory>`) used in error messages.
    public let sourceName: String
    /// Column names in file order.
    public let columnNames: [String]
    /// Number of data rows (the header is not counted).
    public var rowCount: Int { lineNumbers.count }

    /// Cell text, row-major, cells back to back (bytes before `textStart` or after the last cell
    /// belong to no cell).
    private let text: [UInt8]
    /// Offset in `text` of the first cell of the first row.
    private let textStart: Int
    private let cells: CellStore
    /// 1-based source line of each data row.
    private let lineNumbers: [Int]
    private let indexByName: [String: Int]
    /// Per column: the row of the first value that is not a number, or nil if all parse.
    private let firstNonNumericRow: [Int?]

    /// Per-cell data of all columns, column-major with `stride` rows per column: cell (r, j) is at
    /// `j * stride + r`. Written only while the table is built, read-only afterwards (which is
    /// what makes sharing it between threads safe).
    final class CellStore: @unchecked Sendable {
        let stride: Int
        let columnCount: Int
        /// Offset in the text just past the cell.
        let ends: UnsafeMutablePointer<Int>
        /// Whether the cell is a missing-value token.
        let missing: UnsafeMutablePointer<Bool>
        /// The cell as a number (NaN where missing); written for the rows before the column's first
        /// value that is not a number.
        let numbers: UnsafeMutablePointer<Double>
        /// Per column: the row of the first value that is not a number, or -1.
        let firstNonNumeric: UnsafeMutablePointer<Int>

        init(stride: Int, columnCount: Int) {
            self.stride = stride
            self.columnCount = columnCount
            let count = max(stride * columnCount, 1)
            ends = .allocate(capacity: count)
            missing = .allocate(capacity: count)
            numbers = .allocate(capacity: count)
            firstNonNumeric = .allocate(capacity: max(columnCount, 1))
            firstNonNumeric.initialize(repeating: -1, count: max(columnCount, 1))
        }

        deinit {
            ends.deallocate()
            missing.deallocate()
            numbers.deallocate()
            firstNonNumeric.deallocate()
        }

        /// Records the cell `p[start..<end]` at row `r` of column `j`.
        @inline(__always)
        func set(row r: Int, column j: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
            let k = j &* stride &+ r
            ends[k] = end
            let isMissing = DataTable.isMissing(p, start, end)
            missing[k] = isMissing
            guard firstNonNumeric[j] < 0 else { return }
            if isMissing {
                numbers[k] = .nan
            } else if let v = DataTable.parseNumber(p, start, end) {
                numbers[k] = v
            } else {
                firstNonNumeric[j] = r
            }
        }
    }

    /// Reads a delimited text file. The delimiter (tab, comma or semicolon) is detected from the
    /// header line; fields may be quoted as in RFC 4180 (`""` inside quotes is a literal quote);
    /// CRLF line ends and a UTF-8 byte-order mark are accepted; blank lines are skipped.
    public static func load(path: String) throws -> DataTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError.cannotRead(file: path, reason: SystemErrorText.reason(error))
        }
        return try DataTable(bytes: [UInt8](data), sourceName: path)
    }

    /// Parses delimited text held in memory (same rules as `load(path:)`).
    public init(text: String, sourceName: String = "<memory>") throws {
        try self.init(bytes: Array(text.utf8), sourceName: sourceName)
    }

    /// Builds a table from named columns of raw values (`nil` or a missing-value token means
    /// missing). All columns must have the same length and distinct names. Row `i` is given
    /// the line number `i + 2`, as if read from a file with a header on line 1.
    public init(columns: [(String, [String?])], sourceName: String = "<memory>") {
        let count = columns.first?.1.count ?? 0
        precondition(columns.allSatisfy { $0.1.count == count }, "DataTable(columns:): columns differ in length")
        let names = columns.map { $0.0 }
        precondition(Set(names).count == names.count, "DataTable(columns:): duplicate column names")
        // Cell text row-major (a nil cell is empty, which reads as missing).
        var text: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(count * columns.count)
        for r in 0..<count {
            for column in columns {
                if let v = column.1[r] { text.append(contentsOf: v.utf8) }
                ends.append(text.count)
            }
        }
        text.append(0)  // never empty, so it always has a base address
        let cells = CellStore(stride: count, columnCount: columns.count)
        text.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress!
            var start = 0
            for (k, end) in ends.enumerated() {
                cells.set(row: k / columns.count, column: k % columns.count, p, start, end)
                start = end
            }
        }
        self.init(sourceName: sourceName, columnNames: names, text: text, textStart: 0, cells: cells,
                  lineNumbers: (0..<count).map { $0 + 2 })
    }

    private init(sourceName: String, columnNames: [String], text: [UInt8], textStart: Int, cells: CellStore,
                 lineNumbers: [Int]) {
        self.sourceName = sourceName
        self.columnNames = columnNames
        self.text = text
        self.textStart = textStart
        self.cells = cells
        self.lineNumbers = lineNumbers
        var index: [String: Int] = [:]
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        self.indexByName = index
        self.firstNonNumericRow = (0..<columnNames.count).map { j in
            cells.firstNonNumeric[j] >= 0 ? cells.firstNonNumeric[j] : nil
        }
    }

    // MARK: Access

    /// True if the table has a column with this exact name.
    public func hasColumn(_ name: String) -> Bool { indexByName[name] != nil }

    /// 1-based position of the column, or nil if there is none.
    public func columnNumber(of name: String) -> Int? { indexByName[name].map { $0 + 1 } }

    /// True if the column exists and every non-missing value parses as a number.
    public func isNumeric(_ column: String) -> Bool {
        guard let j = indexByName[column] else { return false }
        return firstNonNumericRow[j] == nil
    }

    /// 1-based source line of data row `row` (0-based).
    public func lineNumber(ofRow row: Int) -> Int { lineNumbers[row] }

    /// Raw value at `row` (0-based) in `column`; nil when missing. Throws for an unknown column.
    public func value(row: Int, column: String) throws -> String? {
        let j = try index(of: column)
        precondition(row >= 0 && row < rowCount, "DataTable.value: row \(row) out of range")
        return cells.missing[j * cells.stride + row] ? nil : cellString(row: row, column: j)
    }

    /// The column's values as numbers (`nil` = missing). Throws `DataError.nonNumeric` naming the
    /// first value that is not a number, or `DataError.unknownColumn`.
    public func numericColumn(_ name: String) throws -> [Double?] {
        let base = try numericColumnIndex(name) * cells.stride
        return (0..<rowCount).map { cells.missing[base + $0] ? nil : cells.numbers[base + $0] }
    }

    /// The column's raw values (`nil` = missing). Throws `DataError.unknownColumn`.
    public func textColumn(_ name: String) throws -> [String?] {
        let j = try index(of: name)
        let base = j * cells.stride
        return (0..<rowCount).map { cells.missing[base + $0] ? nil : cellString(row: $0, column: j) }
    }

    // MARK: Whole-column access without a String per value (for ModelFrame)

    /// Per row, whether the column's value is missing. Throws `DataError.unknownColumn`.
    func missingMask(_ name: String) throws -> [Bool] {
        let base = try index(of: name) * cells.stride
        return Array(UnsafeBufferPointer(start: cells.missing + base, count: rowCount))
    }

    /// The column's values as numbers with NaN where missing (a number is never NaN: `NaN` in the
    /// data is missing). Throws as `numericColumn` does.
    func numericValues(_ name: String) throws -> [Double] {
        let base = try numericColumnIndex(name) * cells.stride
        return Array(UnsafeBufferPointer(start: cells.numbers + base, count: rowCount))
    }

    /// The column's distinct non-missing raw values (distinct as byte strings, in order of first
    /// occurrence) and per row the index of its value in that list (-1 where missing). Throws
    /// `DataError.unknownColumn`.
    func distinctValues(_ name: String) throws -> (values: [String], codes: [Int32]) {
        let j = try index(of: name)
        let n = rowCount
        var codes = [Int32](repeating: -1, count: n)
        var starts: [Int] = [], ends: [Int] = [], hashes: [UInt64] = []
        var slots = [Int32](repeating: -1, count: 64)
        text.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return }   // no text: every cell is empty, so missing
            var mask = slots.count - 1
            for r in 0..<n where !cells.missing[j * cells.stride + r] {
                let range = cellRange(row: r, column: j)
                let s = range.lowerBound, len = range.count
                var h: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
                for k in range { h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3 }
                var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
                while true {
                    let id = slots[slot]
                    if id < 0 {
                        let newID = Int32(starts.count)
                        starts.append(s)
                        ends.append(range.upperBound)
                        hashes.append(h)
                        slots[slot] = newID
                        codes[r] = newID
                        if starts.count * 2 > slots.count {   // grow and rehash
                            slots = [Int32](repeating: -1, count: slots.count * 2)
                            mask = slots.count - 1
                            for (d, dh) in hashes.enumerated() {
                                var t = Int(truncatingIfNeeded: dh ^ (dh >> 29)) & mask
                                while slots[t] >= 0 { t = (t + 1) & mask }
                                slots[t] = Int32(d)
                            }
                        }
                        break
                    }
                    let d = Int(id)
                    if hashes[d] == h, ends[d] - starts[d] == len,
                       len == 0 || memcmp(p + starts[d], p + s, len) == 0 {
                        codes[r] = id
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        let values = zip(starts, ends).map { String(decoding: text[$0..<$1], as: UTF8.self) }
        return (values, codes)
    }

    private func index(of name: String) throws -> Int {
        guard let j = indexByName[name] else {
            throw DataError.unknownColumn(name: name, available: columnNames)
        }
        return j
    }

    /// The column's index, after checking that it is numeric (else `DataError.nonNumeric`).
    private func numericColumnIndex(_ name: String) throws -> Int {
        let j = try index(of: name)
        if let bad = firstNonNumericRow[j] {
            throw DataError.nonNumeric(file: sourceName, line: lineNumbers[bad], column: name,
                                       columnNumber: j + 1, value: cellString(row: bad, column: j))
        }
        return j
    }

    /// Where the cell lies in `text`.
    private func cellRange(row r: Int, column j: Int) -> Range<Int> {
        let stride = cells.stride
        let end = cells.ends[j * stride + r]
        let start = j > 0 ? cells.ends[(j - 1) * stride + r]
            : r > 0 ? cells.ends[(columnNames.count - 1) * stride + r - 1] : textStart
        return start..<end
    }

    /// The cell's raw text.
    private func cellString(row: Int, column: Int) -> String {
        String(decoding: text[cellRange(row: row, column: column)], as: UTF8.self)
    }

    // MARK: Value rules

    /// The value without surrounding spaces and tabs.
    static func trimmed(_ s: String) -> Substring {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return Substring(s) }
        if f != 32 && f != 9 && l != 32 && l != 9 { return Substring(s) }
        return Substring(s.trimmingCharacters(in: .whitespaces))
    }

    /// Missing-value tokens: empty, `NA`, `.`, `NaN` (compared after trimming white space).
    static func isMissingToken(_ s: String) -> Bool {
        let t = trimmed(s)
        return t.isEmpty || t == "NA" || t == "." || t == "NaN"
    }

    /// Parses a decimal number as R's `type.convert` would (optional sign, digits with an optional
    /// decimal point, optional exponent; also `Inf`/`-Inf`). Returns nil for anything else
    /// (including hexadecimal and `nan`).
    static func parseNumber(_ raw: String) -> Double? {
        let s = trimmed(raw)
        let u = s.utf8
        var i = u.startIndex
        guard i != u.endIndex else { return nil }
        var negative = false
        if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            negative = u[i] == UInt8(ascii: "-")
            i = u.index(after: i)
        }
        guard i != u.endIndex else { return nil }
        if u[i] == UInt8(ascii: "i") || u[i] == UInt8(ascii: "I") {
            let word = String(decoding: u[i...], as: UTF8.self).lowercased()
            guard word == "inf" || word == "infinity" else { return nil }
            return negative ? -.infinity : .infinity
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var mantissaDigits = 0
        while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); mantissaDigits += 1 }
        if i != u.endIndex, u[i] == UInt8(ascii: ".") {
            i = u.index(after: i)
            while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i != u.endIndex, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i = u.index(after: i)
            if i != u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
            var expDigits = 0
            while i != u.endIndex, isDigit(u[i]) { i = u.index(after: i); expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == u.endIndex else { return nil }
        return Double(s)
    }

    /// `parseNumber` of the UTF-8 text `p[start..<end]`, without making a String when the text is
    /// ASCII. Bit-identical to `parseNumber(String)`: numbers with at most 19 significant digits,
    /// a mantissa of at most 2^53 and a decimal exponent within ±22 are computed exactly (Clinger's
    /// fast path: an exact integer times or divided by an exact power of ten is correctly rounded);
    /// anything else goes to `Double(String)`.
    static func parseNumber(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var a = start, b = end
        while a < b, p[a] == 32 || p[a] == 9 { a += 1 }
        while b > a, p[b - 1] == 32 || p[b - 1] == 9 { b -= 1 }
        /// The text does not fit the ASCII grammar: only non-ASCII text (Unicode white space,
        /// case mapping) can still be a number, and the String-based rules decide.
        func notASCIINumber() -> Double? {
            let raw = UnsafeBufferPointer(start: p + start, count: end - start)
            guard raw.contains(where: { $0 >= 0x80 }) else { return nil }
            return parseNumber(String(decoding: raw, as: UTF8.self))
        }
        var i = a
        guard i < b else { return notASCIINumber() }
        var negative = false
        if p[i] == 43 || p[i] == 45 {   // + -
            negative = p[i] == 45
            i += 1
        }
        guard i < b else { return notASCIINumber() }
        if p[i] | 0x20 == 105 {   // i I: "inf" or "infinity", any case
            let length = b - i
            guard length == 3 || length == 8 else { return notASCIINumber() }
            for k in 0..<length where p[i + k] | 0x20 != infinityLetters[k] { return notASCIINumber() }
            return negative ? -.infinity : .infinity
        }
        var mantissa: UInt64 = 0
        var significant = 0, digits = 0, exponent = 0
        var exact = true
        while i < b, p[i] &- 48 < 10 {
            let d = UInt64(p[i] &- 48)
            if mantissa != 0 || d != 0 {
                if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { exact = false }
            }
            digits += 1
            i += 1
        }
        if i < b, p[i] == 46 {   // .
            i += 1
            while i < b, p[i] &- 48 < 10 {
                let d = UInt64(p[i] &- 48)
                if mantissa != 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { exact = false }
                }
                exponent -= 1
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return notASCIINumber() }
        if i < b, p[i] | 0x20 == 101 {   // e E
            i += 1
            var expNegative = false
            if i < b, p[i] == 43 || p[i] == 45 {
                expNegative = p[i] == 45
                i += 1
            }
            var e = 0, expDigits = 0
            while i < b, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return notASCIINumber() }
            exponent += expNegative ? -e : e
        }
        guard i == b else { return notASCIINumber() }
        if exact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent < 0 ? m / exactPowersOfTen[-exponent] : m * exactPowersOfTen[exponent]
            return negative ? -v : v
        }
        return Double(String(decoding: UnsafeBufferPointer(start: p + a, count: b - a), as: UTF8.self))
    }

    /// 10^0 … 10^22, all exactly representable as doubles.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    private static let infinityLetters: [UInt8] = Array("infinity".utf8)

    /// `isMissingToken` of the UTF-8 text `p[start..<end]` (a String is made only when trimming
    /// meets a non-ASCII character, which Foundation's white-space set might also remove).
    @inline(__always)
    static func isMissing(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var a = start, b = end
        while a < b, p[a] == 32 || p[a] == 9 { a += 1 }
        while b > a, p[b - 1] == 32 || p[b - 1] == 9 { b -= 1 }
        if a < b, a != start || b != end, p[a] >= 0x80 || p[b - 1] >= 0x80 {
            return isMissingToken(String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self))
        }
        switch b - a {
        case 0: return true
        case 1: return p[a] == 46                                        // .
        case 2: return p[a] == 78 && p[a + 1] == 65                      // NA
        case 3: return p[a] == 78 && p[a + 1] == 97 && p[a + 2] == 78    // NaN
        default: return false
        }
    }

    /// Whether `p[start..<end]` is empty after trimming white space (a blank line).
    private static func isBlank(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end, p[k] == 32 || p[k] == 9 { k += 1 }
        if k == end { return true }
        let raw = UnsafeBufferPointer(start: p + start, count: end - start)
        guard raw.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces).isEmpty
    }

    // MARK: Parsing

    private init(bytes input: [UInt8], sourceName: String) throws {
        var bytes = input
        let first = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let delimiter = DataTable.detectDelimiter(bytes[first...])
        let result = try bytes.withUnsafeMutableBufferPointer { buf -> (header: [String], textStart: Int, cells: CellStore, lines: [Int])? in
            guard let p = buf.baseAddress else { return nil }
            var parser = Parser(p: p, n: buf.count, start: first, delimiter: delimiter, sourceName: sourceName)
            defer { parser.releaseScratch() }
            try parser.run()
            guard let header = parser.header, let cells = parser.cells else { return nil }
            return (header, parser.textStart, cells, parser.lines)
        }
        guard let result else { throw DataError.emptyFile(file: sourceName) }
        self.init(sourceName: sourceName, columnNames: result.header, text: bytes, textStart: result.textStart,
                  cells: result.cells, lineNumbers: result.lines)
    }

    /// The delimited-text reader: one pass over the bytes. Each field's text is written back into
    /// the buffer at a write position that never passes the read position (delimiters, quotes and
    /// the CR of CRLF are dropped), so the cells end up back to back without a copy.
    private struct Parser {
        let p: UnsafeMutablePointer<UInt8>
        let n: Int
        let delimiter: UInt8
        let sourceName: String
        /// Bit c set for the bytes c < 64 that need attention outside quotes.
        let specialMask: UInt64
        /// Line feeds after the byte-order mark: the number of data rows is at most this + 1.
        let lineFeeds: Int

        var header: [String]? = nil
        var cells: CellStore? = nil
        var lines: [Int] = []
        var textStart = 0
        var rows = 0

        var i: Int                  // read position
        var w: Int = 0              // write position
        var recordStart = 0         // write position where the record's text begins
        var fieldStart = 0          // write position where the field's text begins
        var quoted = false          // the current field began with a quote
        var inQuotes = false
        var quoteLine = 0
        var line = 1
        var recordLine = 1
        /// End offsets and quoted flags of the current record's fields.
        var fieldEnds: UnsafeMutablePointer<Int>
        var fieldQuoted: UnsafeMutablePointer<Bool>
        var fieldCapacity = 16
        var fieldCount = 0

        static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

        init(p: UnsafeMutablePointer<UInt8>, n: Int, start: Int, delimiter: UInt8, sourceName: String) {
            self.p = p
            self.n = n
            self.i = start
            self.delimiter = delimiter
            self.sourceName = sourceName
            var mask: UInt64 = 0
            for c in [Parser.quote, Parser.lf, Parser.cr, delimiter] { mask |= 1 << UInt64(c) }
            specialMask = mask
            var lineFeeds = 0
            for k in start..<n { lineFeeds &+= p[k] == Parser.lf ? 1 : 0 }
            self.lineFeeds = lineFeeds
            fieldEnds = .allocate(capacity: fieldCapacity)
            fieldQuoted = .allocate(capacity: fieldCapacity)
        }

        func releaseScratch() {
            fieldEnds.deallocate()
            fieldQuoted.deallocate()
        }

        mutating func run() throws {
            let quote = Parser.quote, lf = Parser.lf, cr = Parser.cr
            while i < n {
                let c = p[i]
                if inQuotes {
                    if c == quote {
                        if i + 1 < n, p[i + 1] == quote {
                            p[w] = quote
                            w += 1
                            i += 2
                            continue
                        }
                        inQuotes = false
                    } else {
                        if c == lf { line += 1 }
                        p[w] = c
                        w += 1
                    }
                    i += 1
                    continue
                }
                if c >= 64 || specialMask & (1 << UInt64(c)) == 0 {
                    p[w] = c
                    w += 1
                    i += 1
                    continue
                }
                if c == quote {
                    if !quoted && fieldIsBlankSoFar() {
                        w = fieldStart
                        quoted = true
                        inQuotes = true
                        quoteLine = line
                    } else {
                        p[w] = c
                        w += 1
                    }
                } else if c == delimiter {
                    endField()
                } else if c == cr {
                    if !(i + 1 < n && p[i + 1] == lf) {   // the LF of CRLF ends the record
                        p[w] = c
                        w += 1
                    }
                } else {   // LF
                    endField()
                    try endRecord()
                    line += 1
                    recordLine = line
                }
                i += 1
            }
            if inQuotes { throw DataError.unterminatedQuote(file: sourceName, line: quoteLine) }
            if w != fieldStart || quoted || fieldCount > 0 {
                endField()
                try endRecord()
            }
        }

        /// The field so far holds only spaces (and tabs, unless tab is the delimiter).
        func fieldIsBlankSoFar() -> Bool {
            for k in fieldStart..<w where !(p[k] == Parser.space || p[k] == Parser.tab && delimiter != Parser.tab) {
                return false
            }
            return true
        }

        @inline(__always)
        mutating func endField() {
            if fieldCount == fieldCapacity {
                let ends = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity * 2)
                let flags = UnsafeMutablePointer<Bool>.allocate(capacity: fieldCapacity * 2)
                ends.update(from: fieldEnds, count: fieldCount)
                flags.update(from: fieldQuoted, count: fieldCount)
                releaseScratch()
                fieldEnds = ends
                fieldQuoted = flags
                fieldCapacity *= 2
            }
            fieldEnds[fieldCount] = w
            fieldQuoted[fieldCount] = quoted
            fieldCount += 1
            fieldStart = w
            quoted = false
        }

        mutating func endRecord() throws {
            defer {
                fieldCount = 0
                recordStart = w
                fieldStart = w
            }
            // A blank line (one empty, unquoted field) is skipped.
            if fieldCount == 1, !fieldQuoted[0], DataTable.isBlank(p, recordStart, fieldEnds[0]) {
                w = recordStart
                return
            }
            guard let cells else {
                var names: [String] = []
                var s = recordStart
                for k in 0..<fieldCount {
                    let e = fieldEnds[k]
                    let t = String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self)
                    names.append(fieldQuoted[k] ? t : t.trimmingCharacters(in: .whitespaces))
                    s = e
                }
                var seen = Set<String>()
                for name in names where !seen.insert(name).inserted {
                    throw DataError.duplicateColumn(file: sourceName, name: name)
                }
                header = names
                // Rows are at most the line feeds + 1, and (as each row but the last has a delimiter
                // or line feed per field) at most bytes / fields + 1.
                let rowCapacity = min(lineFeeds + 1, n / names.count + 1)
                self.cells = CellStore(stride: rowCapacity, columnCount: names.count)
                lines.reserveCapacity(rowCapacity)
                w = recordStart
                textStart = w
                return
            }
            guard fieldCount == cells.columnCount else {
                throw DataError.raggedRow(file: sourceName, line: recordLine, expected: cells.columnCount,
                                          got: fieldCount)
            }
            precondition(rows < cells.stride, "DataTable: more rows than the bound computed for them")
            var s = recordStart
            for j in 0..<fieldCount {
                let e = fieldEnds[j]
                cells.set(row: rows, column: j, p, s, e)
                s = e
            }
            rows += 1
            lines.append(recordLine)
        }
    }

    /// Picks the most frequent of tab, comma and semicolon outside quotes on the first non-blank
    /// line (ties: tab, then comma, then semicolon). Defaults to comma.
    private static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")
        let candidates: [UInt8] = [UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";")]
        var counts = [0, 0, 0]
        var inQuotes = false
        var sawContent = false
        for c in bytes {
            if c == quote { inQuotes.toggle(); sawContent = true; continue }
            if inQuotes { continue }
            if c == lf {
                if sawContent { break } else { continue }
            }
            if c != UInt8(ascii: "\r") && c != UInt8(ascii: " ") { sawContent = true }
            if let k = candidates.firstIndex(of: c) { counts[k] += 1 }
        }
        guard let best = counts.max(), best > 0, let k = counts.firstIndex(of: best) else {
            return UInt8(ascii: ",")
        }
        return candidates[k]
    }
}

// MARK: - R-style formatting and ordering helpers (shared by Formula and ModelFrame)

/// Formats a number as R's `as.character` does: up to 15 significant digits, fixed notation
/// unless scientific is shorter (`100000` → `1e+05`, `2.5` → `2.5`, `308` → `308`).
func rNumberString(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 1e15 {
        // Integers (the usual factor codes) without formatting: fixed notation unless R's
        // scientific form is shorter (trailing zeros: 100000 → "1e+05").
        let digits = String(Int(abs(x)))
        let trailingZeros = digits.reversed().prefix { $0 == "0" }.count
        let significant = digits.count - trailingZeros, exponent = digits.count - 1
        let sciWidth = significant + (significant > 1 ? 1 : 0) + (exponent >= 100 ? 5 : 4)
        if digits.count <= sciWidth { return (x < 0 ? "-" : "") + digits }
    }
    let sci = String(format: "%.14e", x)               // "-1.23450000000000e+05"
    guard let ePos = sci.firstIndex(where: { $0 == "e" || $0 == "E" }),
          let exponent = Int(sci[sci.index(after: ePos)...]) else { return "\(x)" }
    var digits = sci[..<ePos].filter { $0.isNumber }
    while digits.count > 1, digits.last == "0" { digits.removeLast() }
    let negative = x < 0
    let nsig = digits.count
    let sciWidth = (negative ? 1 : 0) + nsig + (nsig > 1 ? 1 : 0) + (abs(exponent) >= 100 ? 5 : 4)
    let decimals = max(0, nsig - 1 - exponent)
    let intDigits = exponent >= 0 ? exponent + 1 : 1
    let fixedWidth = (negative ? 1 : 0) + intDigits + (decimals > 0 ? decimals + 1 : 0)
    if fixedWidth <= sciWidth {
        return String(format: "%.\(decimals)f", x)
    }
    var mantissa = String(digits.first!)
    if nsig > 1 { mantissa += "." + digits.dropFirst() }
    let expAbs = abs(exponent)
    return (negative ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (expAbs < 10 ? "0" : "") + String(expAbs)
}

/// String order approximating R's `sort()` in an English locale: compare case-insensitively
/// first; on a tie, at the first differing character lower case sorts before upper case.
func rCollationLess(_ a: String, _ b: String) -> Bool {
    let la = a.lowercased(), lb = b.lowercased()
    if la != lb { return la < lb }
    for (ca, cb) in zip(a, b) where ca != cb {
        if ca.isLowercase != cb.isLowercase { return ca.isLowercase }
        return ca < cb
    }
    return a.count < b.count
}

/// The indices of `strings` in `rCollationLess` order (lower-cased keys computed once).
func rCollationSortedIndices(_ strings: [String]) -> [Int] {
    let lower = strings.map { $0.lowercased() }
    return strings.indices.sorted { a, b in
        if lower[a] != lower[b] { return lower[a] < lower[b] }
        return rCollationLess(strings[a], strings[b])
    }
}
