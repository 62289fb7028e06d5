/// Errors from the language-model code, each with a message that says what to do.
public enum LMError: Error, CustomStringConvertible, Equatable {
    /// Sizes or options that do not make a model or a training run.
    case invalidConfiguration(String)
    /// A training text that cannot be used (empty, binary, not UTF-8, too few sentences).
    case invalidTrainingText(path: String, reason: String)
    /// A checkpoint or model file that is truncated, corrupted or of another format version.
    case invalidCheckpoint(path: String, reason: String)
    /// A checkpoint that belongs to a different model, tokenizer or training configuration.
    case checkpointMismatch(path: String, reason: String)
    /// Sentence embeddings that do not match the sentences or the model's width.
    case embeddingMismatch(String)
    /// Training produced a non-finite loss.
    case diverged(step: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(why): return "invalid language-model configuration: \(why)"
        case let .invalidTrainingText(path, reason): return "cannot use the training text \(path): \(reason)"
        case let .invalidCheckpoint(path, reason): return "cannot read the checkpoint \(path): \(reason)"
        case let .checkpointMismatch(path, reason): return "the checkpoint \(path) does not fit this run: \(reason)"
        case let .embeddingMismatch(why): return "sentence embeddings do not fit: \(why)"
        case let .diverged(step): return "training diverged at step \(step) (the loss is not finite); lower the learning rate or clip gradients"
        }
    }
}
