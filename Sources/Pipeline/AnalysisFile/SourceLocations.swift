import TOML

/// Where an analysis file wrote its settings, for problems found after parsing (e.g. a formula
/// column the corpus does not have). Keys are `section.key`, or `regression.N.key` for the N-th
/// `[[regression]]` (from 0). Not part of what an analysis is: two specs differing only in
/// layout are equal, and the locations are left out of the spec's description (its config hash).
public struct SourceLocations: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var file: String
    var positions: [String: TOMLPosition] = [:]

    public init(file: String) { self.file = file }

    public static func == (a: SourceLocations, b: SourceLocations) -> Bool { true }
    public var description: String { "" }
    public var debugDescription: String { "" }

    /// The position of `key`, falling back to its section's key, then to line 1.
    public func position(_ key: String) -> TOMLPosition {
        if let p = positions[key] { return p }
        if let dot = key.lastIndex(of: "."), let p = positions[String(key[..<dot])] { return p }
        return TOMLPosition(line: 1, column: 1)
    }

    /// A problem at `key`'s position.
    public func problem(_ key: String, _ message: String) -> AnalysisProblem {
        let p = position(key)
        return AnalysisProblem(file: file, line: p.line, column: p.column, message: message)
    }

    /// Records the table's own position under `prefix` and each of its values' under `prefix.key`.
    mutating func recordAll(_ prefix: String, _ reader: TableReader) {
        positions[prefix] = reader.table.position
        for key in reader.table.keys { positions["\(prefix).\(key)"] = reader.table[key]!.position }
    }
}
