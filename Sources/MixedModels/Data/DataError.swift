import Tables

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
    /// Something other than blanks follows a closing quote (`column`: 1-based byte in the line).
    case textAfterQuote(file: String, line: Int, column: Int)
    /// The file could not be read at all.
    case cannotRead(file: String, reason: String)

    /// The structural error of the table reader, in this type.
    init(_ error: TableError, file: String) {
        switch error {
        case let .unterminatedQuote(line): self = .unterminatedQuote(file: file, line: line)
        case let .textAfterQuote(line, column): self = .textAfterQuote(file: file, line: line, column: column)
        }
    }

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
        case let .textAfterQuote(file, line, column):
            return "\(file):\(line):\(column): unexpected character after a closing quote"
        case let .cannotRead(file, reason):
            return "\(file): cannot read file: \(reason)"
        }
    }
}
