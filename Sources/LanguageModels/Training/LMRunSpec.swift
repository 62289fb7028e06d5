import Foundation
import Numerics

/// Everything that defines one language-model training run, as stored in `run.json` of its
/// output folder (and accepted from the command line or an analysis file's `[lm]` section).
public struct LMRunSpec: Codable, Equatable, Sendable {
    /// The training text and how it is split.
    public struct Text: Codable, Equatable, Sendable {
        /// Path of a UTF-8 text file.
        public var path: String
        public var layout: String = TrainingText.Layout.paragraphs.rawValue
        /// Training sentences (nil: all left after dev and test).
        public var trainSentences: Int? = nil
        public var devSentences = 2000
        public var testSentences = 2000
        public var splitSeed: UInt64 = 1
        public init(path: String) { self.path = path }
    }

    /// The BPE tokenizer learned from the training split.
    public struct Tokenizer: Codable, Equatable, Sendable {
        public var vocabularySize = 8192
        public var lowercase = true
        /// Accept a smaller vocabulary when the text runs out of merges.
        public var allowSmaller = false
        public init() {}
    }

    /// The architecture (preset sizes with optional overrides) and the fusion.
    public struct Model: Codable, Equatable, Sendable {
        public var preset = LMConfig.Preset.small.rawValue
        public var embeddingSize: Int? = nil
        public var hiddenSize: Int? = nil
        public var denseSize: Int? = nil
        public var layers = 1
        public var fusion = FusionMode.none
        public var embeddingSource = EmbeddingSource.prefix
        public init() {}
    }

    public var text: Text
    public var tokenizer = Tokenizer()
    public var model = Model()
    public var training = TrainingConfig()

    public init(text: Text) { self.text = text }

    /// The model configuration for a tokenizer and an embedding width.
    public func modelConfig(vocabularySize: Int, fusionWidth: Int) throws -> LMConfig {
        guard let preset = LMConfig.Preset(rawValue: model.preset) else {
            throw LMError.invalidConfiguration("unknown preset '\(model.preset)'; use \(LMConfig.Preset.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        var c = LMConfig.preset(preset, vocabularySize: vocabularySize, fusion: model.fusion, fusionWidth: fusionWidth)
        if let e = model.embeddingSize { c.embeddingSize = e }
        if let h = model.hiddenSize { c.hiddenSize = h }
        if let d = model.denseSize { c.denseSize = d }
        c.layers = model.layers
        try c.validate()
        return c
    }
}
