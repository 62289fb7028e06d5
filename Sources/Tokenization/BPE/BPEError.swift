import Foundation

/// Errors from learning, loading or applying a BPE tokenizer.
public enum BPEError: Error, CustomStringConvertible, Equatable {
    /// The training text has no usable characters (empty, or whitespace only).
    case emptyTrainingText
    /// The requested vocabulary is smaller than the fixed part (specials, byte fallback, alphabet).
    case vocabularyTooSmall(requested: Int, minimum: Int)
    /// The text runs out of pairs to merge before reaching the requested size.
    case vocabularyTooLarge(requested: Int, reachable: Int)
    /// A tokenizer file is unreadable, malformed, or of an unknown format version.
    case invalidFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyTrainingText:
            return "the BPE training text is empty (no non-whitespace characters)"
        case let .vocabularyTooSmall(requested, minimum):
            return "a BPE vocabulary of \(requested) cannot hold the special, byte-fallback and alphabet tokens; use at least \(minimum)"
        case let .vocabularyTooLarge(requested, reachable):
            return "the training text supports at most \(reachable) BPE tokens (every pair that occurs at least twice is merged), not \(requested); ask for \(reachable) or fewer, or allow a smaller vocabulary"
        case let .invalidFile(path, reason):
            return "invalid BPE tokenizer file \(path): \(reason)"
        }
    }
}
