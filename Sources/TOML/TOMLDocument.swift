/// A parsed TOML document that remembers where every key and value came from, so that an
/// analysis file's problems can be reported by line and column.
///
/// Supported: comments, `[table]` and `[a.b]` headers, `[[array.of.tables]]`, bare/quoted/dotted
/// keys, basic and literal strings (single- and multi-line), integers (with `_`, hex/octal/binary),
/// floats (incl. `inf`, `nan`), booleans, arrays (multi-line, trailing comma) and inline tables.
/// Dates and times are not used by analysis files and are reported as errors.
public struct TOMLPosition: Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// A value with the position of its first character.
public struct TOMLNode: Sendable {
    public let value: TOMLValue
    public let position: TOMLPosition
}

public indirect enum TOMLValue: Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table(TOMLTable)

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .bool: return "boolean"
        case .array: return "array"
        case .table: return "table"
        }
    }
}

/// A table: keys in file order, each with the position of the key itself.
public struct TOMLTable: Sendable {
    public private(set) var keys: [String] = []
    public private(set) var entries: [String: TOMLNode] = [:]
    public private(set) var keyPositions: [String: TOMLPosition] = [:]
    /// Where the table was opened (header or first key).
    public var position: TOMLPosition

    public init(position: TOMLPosition) { self.position = position }

    public subscript(key: String) -> TOMLNode? { entries[key] }

    mutating func set(_ key: String, _ node: TOMLNode, keyPosition: TOMLPosition) {
        if entries[key] == nil { keys.append(key) }
        entries[key] = node
        keyPositions[key] = keyPosition
    }
}

/// A syntax error with its position.
public struct TOMLError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let position: TOMLPosition
    public let message: String
    public init(file: String, position: TOMLPosition, message: String) { self.file = file; self.position = position; self.message = message }
    public var description: String { "\(file):\(position.line):\(position.column): \(message)" }
}
