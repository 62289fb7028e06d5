import Foundation

/// Errors of the encoder: weights that cannot be used, configurations we cannot run, bad input.
public enum EncoderError: Error, CustomStringConvertible, Equatable {
    /// A required file of the model folder is missing.
    case missingFile(path: String, hint: String)
    /// A file exists but could not be read or mapped.
    case unreadable(path: String, reason: String)
    /// The safetensors file is truncated or its header is malformed.
    case corruptWeights(path: String, reason: String)
    /// A tensor the model needs is not in the weights file.
    case missingTensor(name: String, path: String)
    /// A tensor has the wrong shape or an unsupported element type.
    case tensorMismatch(name: String, expected: String, found: String)
    /// `config.json` (or the pooling config) is missing a value or asks for something unsupported.
    case invalidConfig(path: String, reason: String)
    /// A token id outside the vocabulary / embedding table.
    case invalidTokenID(Int32, vocabularySize: Int)
    /// A sequence longer than the model's position table.
    case sequenceTooLong(length: Int, maximum: Int)
    /// A request that makes no sense (e.g. an unknown pooling name).
    case invalidArgument(String)
    /// The embedding cache could not be opened or written.
    case cache(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(path, hint): return "\(path) is missing; \(hint)"
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .corruptWeights(path, reason): return "corrupt weights file \(path): \(reason)"
        case let .missingTensor(name, path): return "tensor '\(name)' not found in \(path)"
        case let .tensorMismatch(name, expected, found): return "tensor '\(name)': expected \(expected), found \(found)"
        case let .invalidConfig(path, reason): return "invalid model configuration \(path): \(reason)"
        case let .invalidTokenID(id, n): return "token id \(id) is outside the vocabulary of \(n) tokens"
        case let .sequenceTooLong(length, maximum): return "sequence of \(length) tokens exceeds the model's maximum of \(maximum)"
        case let .invalidArgument(message): return message
        case let .cache(path, reason): return "embedding cache \(path): \(reason)"
        }
    }
}
