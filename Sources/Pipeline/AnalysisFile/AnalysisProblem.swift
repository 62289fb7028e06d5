/// One problem in an analysis file, with where it is.
public struct AnalysisProblem: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// All problems of an analysis file, reported together before any work starts.
public struct AnalysisFileError: Error, CustomStringConvertible, Sendable {
    public let problems: [AnalysisProblem]
    public var description: String {
        "the analysis file has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}
