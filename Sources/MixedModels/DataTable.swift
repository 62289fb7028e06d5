import Foundation

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
/// Values are kept as their raw strings; a missing value (an empty field, `NA`, `.` or `NaN`,
/// after trimming surrounding white space) is stored as `nil`. Each row remembers the source
/// line it started on, so conversion errors can point at file, line and column.
public struct DataTable: Sendable {
    /// File path (or a label such as `<memory>`) used in error messages.
    public let sourceName: String
    /// Column names in file order.
    public let columnNames: [String]
    /// Number of data rows (the header is not counted).
    public var rowCount: Int { lineNumbers.count }

    /// Raw values per column (`nil` = missing).
    private let columns: [[String?]]
    /// 1-based source line of each data row.
    private let lineNumbers: [Int]
    private let indexByName: [String: Int]
    /// Per column: the row of the first value that is not a number, or nil if all parse.
    private let firstNonNumericRow: [Int?]

    /// Reads a delimited text file. The delimiter (tab, comma or semicolon) is detected from the
    /// header line; fields may be quoted as in RFC 4180 (`""` inside quotes is a literal quote);
    /// CRLF line ends and a UTF-8 byte-order mark are accepted; blank lines are skipped.
    public static func load(path: String) throws -> DataTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError.cannotRead(file: path, reason: error.localizedDescription)
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
        let values = columns.map { column in column.1.map { v -> String? in
            guard let v else { return nil }
            return DataTable.isMissingToken(v) ? nil : v
        } }
        self.init(sourceName: sourceName, columnNames: names, columns: values,
                  lineNumbers: (0..<count).map { $0 + 2 })
    }

    private init(sourceName: String, columnNames: [String], columns: [[String?]], lineNumbers: [Int]) {
        self.sourceName = sourceName
        self.columnNames = columnNames
        self.columns = columns
        self.lineNumbers = lineNumbers
        var index: [String: Int] = [:]
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        self.indexByName = index
        self.firstNonNumericRow = columns.map { column in
            column.firstIndex { v in v.map { DataTable.parseNumber($0) == nil } ?? false }
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
        try columns[index(of: column)][row]
    }

    /// The column's values as numbers (`nil` = missing). Throws `DataError.nonNumeric` naming the
    /// first value that is not a number, or `DataError.unknownColumn`.
    public func numericColumn(_ name: String) throws -> [Double?] {
        let j = try index(of: name)
        if let bad = firstNonNumericRow[j] {
            throw DataError.nonNumeric(file: sourceName, line: lineNumbers[bad], column: name,
                                       columnNumber: j + 1, value: columns[j][bad] ?? "")
        }
        return columns[j].map { $0.flatMap(DataTable.parseNumber) }
    }

    /// The column's raw values (`nil` = missing). Throws `DataError.unknownColumn`.
    public func textColumn(_ name: String) throws -> [String?] {
        columns[try index(of: name)]
    }

    private func index(of name: String) throws -> Int {
        guard let j = indexByName[name] else {
            throw DataError.unknownColumn(name: name, available: columnNames)
        }
        return j
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

    // MARK: Parsing

    private init(bytes input: [UInt8], sourceName: String) throws {
        var bytes = input
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let delimiter = DataTable.detectDelimiter(bytes)

        var header: [String]? = nil
        var columns: [[String?]] = []
        var lines: [Int] = []

        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var fields: [(text: String, quoted: Bool)] = []
        var field: [UInt8] = []
        var quoted = false          // the current field began with a quote
        var inQuotes = false
        var quoteLine = 0
        var line = 1
        var recordLine = 1
        var i = 0
        let n = bytes.count

        func endField() {
            fields.append((String(decoding: field, as: UTF8.self), quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRecord() throws {
            defer { fields.removeAll(keepingCapacity: true) }
            // A blank line (one empty, unquoted field) is skipped.
            if fields.count == 1, !fields[0].quoted,
               fields[0].text.trimmingCharacters(in: .whitespaces).isEmpty { return }
            guard let names = header else {
                let names = fields.map { $0.quoted ? $0.text : $0.text.trimmingCharacters(in: .whitespaces) }
                var seen = Set<String>()
                for name in names where !seen.insert(name).inserted {
                    throw DataError.duplicateColumn(file: sourceName, name: name)
                }
                header = names
                columns = Array(repeating: [], count: names.count)
                return
            }
            guard fields.count == names.count else {
                throw DataError.raggedRow(file: sourceName, line: recordLine, expected: names.count, got: fields.count)
            }
            for (j, f) in fields.enumerated() {
                columns[j].append(DataTable.isMissingToken(f.text) ? nil : f.text)
            }
            lines.append(recordLine)
        }

        while i < n {
            let c = bytes[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < n, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case quote where !quoted && field.allSatisfy({ $0 == space || $0 == tab && delimiter != tab }):
                field.removeAll(keepingCapacity: true)
                quoted = true
                inQuotes = true
                quoteLine = line
            case delimiter:
                endField()
            case cr where i + 1 < n && bytes[i + 1] == lf:
                break  // the LF that follows ends the record
            case lf:
                endField()
                try endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes { throw DataError.unterminatedQuote(file: sourceName, line: quoteLine) }
        if !field.isEmpty || quoted || !fields.isEmpty {
            endField()
            try endRecord()
        }
        guard let names = header else { throw DataError.emptyFile(file: sourceName) }
        self.init(sourceName: sourceName, columnNames: names, columns: columns, lineNumbers: lines)
    }

    /// Picks the most frequent of tab, comma and semicolon outside quotes on the first non-blank
    /// line (ties: tab, then comma, then semicolon). Defaults to comma.
    private static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
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
