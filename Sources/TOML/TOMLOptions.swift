/// One table of a TOML file read as a command's option defaults (`rtpipe lm train --config`):
/// keys are the options' long names, with dashes or underscores alike (`train-sentences` =
/// `train_sentences`). Every value is read by type, and a wrong type or an unknown key is a
/// `TOMLError` naming the file, line and column. Precedence is the caller's: rtpipe's commands
/// take an option given on the command line over the file's value, and the file's over the default.
public struct TOMLOptions: Sendable {
    /// The file read (for messages).
    public let file: String
    /// The table's name, e.g. `lm`.
    public let section: String
    private let table: TOMLTable?

    /// No file: every lookup answers nil.
    public static let none = TOMLOptions(file: "", section: "", table: nil)

    private init(file: String, section: String, table: TOMLTable?) {
        self.file = file; self.section = section; self.table = table
    }

    /// Parses `text` and takes its `[section]` table (absent: no values).
    public static func parse(_ text: String, section: String, file: String = "<memory>") throws -> TOMLOptions {
        let root = try TOMLParser.parse(text, file: file)
        guard let node = root[section] else { return TOMLOptions(file: file, section: section, table: nil) }
        guard case .table(let t) = node.value else {
            throw TOMLError(file: file, position: node.position, message: "'\(section)' must be a [\(section)] table, not \(node.value.typeName)")
        }
        return TOMLOptions(file: file, section: section, table: t)
    }

    private func node(_ key: String) -> TOMLNode? {
        guard let table else { return nil }
        return table[key] ?? table[key.replacingOccurrences(of: "-", with: "_")] ?? table[key.replacingOccurrences(of: "_", with: "-")]
    }

    private func wrongType(_ key: String, _ node: TOMLNode, _ expected: String) -> TOMLError {
        TOMLError(file: file, position: node.position, message: "[\(section)] \(key) must be \(expected), not \(node.value.typeName)")
    }

    /// A string value.
    public func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard case .string(let s) = n.value else { throw wrongType(key, n, "a string") }
        return s
    }

    /// An integer value.
    public func int(_ key: String) throws -> Int? {
        guard let n = node(key) else { return nil }
        guard case .integer(let v) = n.value else { throw wrongType(key, n, "an integer") }
        return v
    }

    /// A number (an integer is read as a float).
    public func double(_ key: String) throws -> Double? {
        guard let n = node(key) else { return nil }
        switch n.value {
        case .float(let d): return d
        case .integer(let i): return Double(i)
        default: throw wrongType(key, n, "a number")
        }
    }

    /// A boolean value.
    public func bool(_ key: String) throws -> Bool? {
        guard let n = node(key) else { return nil }
        guard case .bool(let b) = n.value else { throw wrongType(key, n, "true or false") }
        return b
    }

    /// An array of integers.
    public func ints(_ key: String) throws -> [Int]? {
        guard let n = node(key) else { return nil }
        guard case .array(let items) = n.value else { throw wrongType(key, n, "an array of integers") }
        return try items.map { item in
            guard case .integer(let v) = item.value else { throw wrongType(key, item, "an array of integers") }
            return v
        }
    }

    /// An error for every key of the table that is not in `known` (spelled with dashes).
    public func rejectUnknownKeys(known: [String]) throws {
        guard let table else { return }
        let normal = Set(known.map { $0.replacingOccurrences(of: "_", with: "-") })
        for key in table.keys where !normal.contains(key.replacingOccurrences(of: "_", with: "-")) {
            throw TOMLError(file: file, position: table.keyPositions[key] ?? table.position,
                            message: "unknown key '\(key)' in [\(section)]; known: \(known.joined(separator: ", "))")
        }
    }
}
