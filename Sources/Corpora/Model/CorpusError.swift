import Foundation

/// A place in an input file: file, 1-based line and, where it applies, 1-based column
/// (a field number in tables, a character position for encoding errors).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out the parts that are unknown.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }
}

/// Anything rtpipe cannot read or compute from a corpus: a missing file or column, a truncated
/// row, a value that does not parse, a bad option. The message names the file, line and column
/// where they are known (`file:line:column: message`).
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Where the problem is, if it is in a file.
    public var location: SourceLocation?
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    /// Convenience for a problem at `file`, `line`, `column`.
    public init(_ message: String, file: String, line: Int? = nil, column: Int? = nil) {
        self.init(message, at: SourceLocation(file: file, line: line, column: column))
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    public var errorDescription: String? { description }
}
