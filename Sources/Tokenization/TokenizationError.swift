import Foundation

/// Errors raised while loading or configuring a tokenizer.
public enum TokenizationError: Error, CustomStringConvertible, Equatable {
    /// A vocabulary or tokenizer file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The vocabulary file is empty or lacks a required special token.
    case invalidVocabulary(path: String, reason: String)
    /// `tokenizer.json` (or `tokenizer_config.json`) is not what a BERT tokenizer needs.
    case invalidConfiguration(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "cannot read \(path): \(reason)"
        case let .invalidVocabulary(path, reason): return "invalid vocabulary \(path): \(reason)"
        case let .invalidConfiguration(path, reason): return "invalid tokenizer configuration \(path): \(reason)"
        }
    }
}
