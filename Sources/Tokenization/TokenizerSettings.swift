import Foundation
import Numerics

/// The settings of a BERT WordPiece tokenizer, read from the model folder.
///
/// `tokenizer.json` (the Hugging Face `tokenizers` file) is authoritative when present:
/// normaliser flags, `[UNK]`, the `##` prefix, the 100-character word limit and the truncation
/// length. all-MiniLM-L6-v2's `tokenizer.json` truncates to **128 tokens** (`truncation.max_length`),
/// which is what its own tokenizer does, so that is our default for this model. (Its
/// `tokenizer_config.json` says `model_max_length` 512 and sentence-transformers' own config says
/// 256; neither applies to the tokenizer file.) Without `tokenizer.json` the settings come from
/// `tokenizer_config.json` (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`,
/// `model_max_length`) and otherwise default to an uncased BERT with 512 tokens.
public struct TokenizerSettings: Sendable, Equatable {
    public var lowercase = true
    /// nil means "same as `lowercase`", as in BERT.
    public var stripAccents: Bool? = nil
    public var cleanText = true
    public var handleChineseChars = true
    public var unknownToken = "[UNK]"
    public var classifierToken = "[CLS]"
    public var separatorToken = "[SEP]"
    public var continuingSubwordPrefix = "##"
    /// Words longer than this (in scalars, after normalisation) become a single `[UNK]`.
    public var maxInputCharsPerWord = 100
    /// Maximum number of tokens, `[CLS]` and `[SEP]` included; longer texts are truncated.
    public var maxLength = 512

    public init() {}

    /// Reads `tokenizer.json`, else `tokenizer_config.json`, from `directory`; defaults otherwise.
    public static func load(from directory: URL) throws -> TokenizerSettings {
        var s = TokenizerSettings()
        let fm = FileManager.default
        let tj = directory.appendingPathComponent("tokenizer.json")
        let tc = directory.appendingPathComponent("tokenizer_config.json")
        if fm.fileExists(atPath: tj.path) {
            let json = try readJSON(tj)
            if let norm = json["normalizer"] as? [String: Any] {
                guard (norm["type"] as? String) == "BertNormalizer" else {
                    throw TokenizationError.invalidConfiguration(path: tj.path, reason: "normalizer is \(norm["type"] ?? "missing"), not BertNormalizer")
                }
                s.lowercase = norm["lowercase"] as? Bool ?? true
                s.stripAccents = norm["strip_accents"] as? Bool
                s.cleanText = norm["clean_text"] as? Bool ?? true
                s.handleChineseChars = norm["handle_chinese_chars"] as? Bool ?? true
            }
            if let model = json["model"] as? [String: Any] {
                if let type = model["type"] as? String, type != "WordPiece" {
                    throw TokenizationError.invalidConfiguration(path: tj.path, reason: "model type is \(type), not WordPiece")
                }
                s.unknownToken = model["unk_token"] as? String ?? s.unknownToken
                s.continuingSubwordPrefix = model["continuing_subword_prefix"] as? String ?? s.continuingSubwordPrefix
                s.maxInputCharsPerWord = (model["max_input_chars_per_word"] as? NSNumber)?.intValue ?? s.maxInputCharsPerWord
            }
            if let trunc = json["truncation"] as? [String: Any], let n = (trunc["max_length"] as? NSNumber)?.intValue {
                s.maxLength = n
            } else if fm.fileExists(atPath: tc.path), let n = try modelMaxLength(tc) {
                s.maxLength = n
            }
        } else if fm.fileExists(atPath: tc.path) {
            let json = try readJSON(tc)
            s.lowercase = json["do_lower_case"] as? Bool ?? true
            s.stripAccents = json["strip_accents"] as? Bool
            s.handleChineseChars = json["tokenize_chinese_chars"] as? Bool ?? true
            if let n = try modelMaxLength(tc) { s.maxLength = n }
        }
        guard s.maxLength >= 2 else {
            throw TokenizationError.invalidConfiguration(path: directory.path, reason: "maximum length \(s.maxLength) leaves no room for [CLS] and [SEP]")
        }
        return s
    }

    private static func modelMaxLength(_ url: URL) throws -> Int? {
        guard let n = (try readJSON(url)["model_max_length"] as? NSNumber)?.doubleValue, n >= 2, n < 1e6 else { return nil }
        return Int(n)
    }

    private static func readJSON(_ url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: SystemErrorText.reason(error))
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TokenizationError.invalidConfiguration(path: url.path, reason: "not a JSON object")
        }
        return obj
    }
}
