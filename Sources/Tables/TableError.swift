/// A structural problem in delimited text, with its position. Consumers turn it into their
/// own error type (`Corpora.CorpusError`, `MixedModels.DataError`) so messages keep their form.
public enum TableError: Error, Equatable, Sendable {
    /// A quoted field opened on `line` is never closed.
    case unterminatedQuote(line: Int)
    /// Something other than blanks follows a closing quote on `line`, at byte `column` (1-based).
    case textAfterQuote(line: Int, column: Int)
}
