import Foundation
import Numerics
import Tables

// MARK: - Table

/// A rectangular table of text values loaded from CSV/TSV (or built in code).
///
/// Values are kept as their raw text; a missing value (one of `MissingValue.tokens`, after
/// trimming surrounding white space) reads as `nil`. Each row remembers the source line it
/// started on, so conversion errors can point at file, line and column. Text is read by the
/// Tables module's one reader (`DelimitedParser`; its rules are in `TablesModule`).
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
            let isMissing = MissingValue.isMissing(p, start, end)
            missing[k] = isMissing
            guard firstNonNumeric[j] < 0 else { return }
            if isMissing {
                numbers[k] = .nan
            } else if let v = DecimalNumber.parse(p, start, end) {
                numbers[k] = v
            } else {
                firstNonNumeric[j] = r
            }
        }
    }

    /// Reads a delimited text file: the separator detected from the header line, RFC 4180 quoting
    /// (`Quoting.standard`), CRLF line ends and a UTF-8 byte-order mark accepted, blank lines
    /// skipped — the rules of `TablesModule`.
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
}

// MARK: - Reading delimited text

extension DataTable {
    /// Reads `input` with the Tables reader, filling the cell store record by record; the cell
    /// text stays where the reader compacts it, in the same buffer.
    private init(bytes input: [UInt8], sourceName: String) throws {
        var bytes = input
        let built = try bytes.withUnsafeMutableBufferPointer { buf -> (header: [String], textStart: Int, cells: CellStore, lines: [Int])? in
            guard let p = buf.baseAddress else { return nil }
            let n = buf.count
            let first = DelimitedParser.bodyStart(p, count: n)
            let separator = FieldSeparator.detect(buf[first...])
            var lineFeeds = 0
            for k in first..<n { lineFeeds &+= p[k] == 0x0A ? 1 : 0 }
            var header: [String]?
            var cells: CellStore?
            var lines: [Int] = []
            var textStart = first
            var parser = DelimitedParser(p, count: n, from: first, separator: separator, quoting: .standard(for: separator))
            do {
                try parser.run { record in
                    guard let store = cells else {
                        let names = (0..<record.count).map { k in
                            record.isQuoted(k) ? record.string(k) : record.string(k).trimmingCharacters(in: .whitespaces)
                        }
                        var seen = Set<String>()
                        for name in names where !seen.insert(name).inserted {
                            throw DataError.duplicateColumn(file: sourceName, name: name)
                        }
                        header = names
                        // Rows are at most the line feeds + 1, and (as each row but the last has a
                        // separator or line feed per field) at most bytes / fields + 1.
                        let rowCapacity = min(lineFeeds + 1, n / names.count + 1)
                        cells = CellStore(stride: rowCapacity, columnCount: names.count)
                        lines.reserveCapacity(rowCapacity)
                        textStart = record.fieldEnd(record.count - 1)
                        return
                    }
                    guard record.count == store.columnCount else {
                        throw DataError.raggedRow(file: sourceName, line: record.line, expected: store.columnCount, got: record.count)
                    }
                    let row = lines.count
                    precondition(row < store.stride, "DataTable: more rows than the bound computed for them")
                    for j in 0..<record.count {
                        store.set(row: row, column: j, p, record.fieldStart(j), record.fieldEnd(j))
                    }
                    lines.append(record.line)
                }
            } catch let error as TableError {
                throw DataError(error, file: sourceName)
            }
            guard let header, let cells else { return nil }
            return (header, textStart, cells, lines)
        }
        guard let built else { throw DataError.emptyFile(file: sourceName) }
        self.init(sourceName: sourceName, columnNames: built.header, text: bytes, textStart: built.textStart,
                  cells: built.cells, lineNumbers: built.lines)
    }
}
