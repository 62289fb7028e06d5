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

/// Reads one `[section]` of a TOML file as key → raw value strings. Supported (the subset rtpipe
/// analysis files use): `key = value` lines with strings in double quotes (escapes \" \\ \n \t),
/// integers, floats, booleans and one-line arrays (`[5000, 8000]`, returned as "5000,8000");
/// `#` comments; dotted keys are kept verbatim. Anything else is an error naming the line.
public enum TOMLSection {
    public static func read(_ url: URL, section: String) throws -> [String: String] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LMError.invalidConfiguration("cannot read \(url.path): \(SystemErrorText.reason(error))")
        }
        return try parse(text, section: section, source: url.path)
    }

    public static func parse(_ text: String, section: String, source: String = "(toml)") throws -> [String: String] {
        var current = ""
        var out: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw LMError.invalidConfiguration("\(source):\(n + 1): malformed section header") }
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard current == section else { continue }
            guard let eq = line.firstIndex(of: "=") else { throw LMError.invalidConfiguration("\(source):\(n + 1): expected key = value") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else { throw LMError.invalidConfiguration("\(source):\(n + 1): unterminated string") }
                value = unescape(String(value.dropFirst().dropLast()))
            } else if value.hasPrefix("[") {
                guard value.hasSuffix("]") else { throw LMError.invalidConfiguration("\(source):\(n + 1): arrays must be on one line") }
                value = value.dropFirst().dropLast().split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                    .filter { !$0.isEmpty }.joined(separator: ",")
            }
            out[key] = value
        }
        return out
    }

    static func stripComment(_ s: String) -> String {
        var inString = false, escaped = false
        for (i, c) in s.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(s.prefix(i)) }
        }
        return s
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c { case "n": out.append("\n"); case "t": out.append("\t"); default: out.append(c) }
                escaped = false
            } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
