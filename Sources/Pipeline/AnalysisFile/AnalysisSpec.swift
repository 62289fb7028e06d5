import Foundation
import Numerics
import MixedModels

/// A validated analysis file: everything `rtpipe run` needs to know, with defaults filled in.
///
/// ```toml
/// [analysis]   name, seed, description
/// [corpus]     format, path, measure, exclude = [...], aggregate = "mean" | "none", licence_note
/// [training_text] source = "default" | PATH, sentences, dev_sentences, test_sentences, vocab_size, lowercase
/// [encoder]    model, pooling = "mean" | "cls" | "mean-raw", context = "prefix" | "previous_sentence" | "stride:K" | "none" | "shuffled"
/// [[model]]    name, fusion, preset = "small" | "paper", steps, learning_rate, batch_size, context, seed
/// [predictors] frequency = "subtlex-us" | "training-text" | PATH, spillover
/// [[regression]] name, baseline, add = [...], folds, fold_column, random_effects, permutations
/// [report]     directory, database
/// ```
public struct AnalysisSpec: Sendable, Equatable {
    public struct Corpus: Sendable, Equatable {
        public var format: String
        public var path: String
        public var measure: String
        public var exclude: [String]
        public var aggregate: String
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
        public var pooling: String
        public var context: String
    }
    public struct Model: Sendable, Equatable {
        public var name: String
        public var fusion: String
        public var preset: String
        public var steps: Int
        public var learningRate: Double?
        public var batchSize: Int?
        public var context: String?
        public var seed: Int?
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
        public var randomEffects: String
        public var permutations: Int
    }

    public var name: String
    public var seed: Int
    public var description: String?
    public var corpus: Corpus
    public var trainingText: TrainingText
    public var encoder: Encoder
    public var models: [Model]
    public var predictors: Predictors
    public var regressions: [Regression]
    public var reportDirectory: String
    public var database: String?
    /// Where the settings were written (for errors found later, before any work).
    public var locations = SourceLocations(file: "<memory>")

    public static let corpusFormats = ["naturalstories", "dundee", "provo", "geco", "meco", "brown", "ucl-spr", "ucl-et", "table", "simulated"]
    public static let measures = ["rt", "first_fixation", "gaze_duration", "go_past", "total_time", "skip"]
    public static let fusionModes = ["none", "late_concat", "late_add", "late_multiply", "early_h0", "early_c0", "early_both"]
    public static let poolings = ["mean", "cls", "mean-raw"]
    public static let presets = ["small", "paper"]

    /// Reads and validates `path`. Throws `TOMLError` for a syntax error, or `AnalysisFileError`
    /// listing every problem found (unknown keys, wrong types, impossible values, bad formulas).
    public static func load(path: String) throws -> AnalysisSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AnalysisFileError(problems: [AnalysisProblem(file: path, line: 1, column: 1, message: "cannot read the analysis file: \(SystemErrorText.reason(error))")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String = "<memory>") throws -> AnalysisSpec {
        let root = try TOMLParser.parse(text, file: file)
        let sink = ProblemSink()
        var locations = SourceLocations(file: file)
        let top = TableReader(root, section: "top level", file: file, sink: sink)
        let sections = ["analysis", "corpus", "training_text", "encoder", "model", "predictors", "regression", "report"]

        func table(_ key: String, required: Bool) -> TableReader? {
            guard let n = root[key] else {
                if required { top.problem("the file needs a [\(key)] section", at: TOMLPosition(line: 1, column: 1)) }
                return nil
            }
            guard case .table(let t) = n.value else { top.problem("'\(key)' must be a [\(key)] table", at: n.position); return nil }
            return TableReader(t, section: key, file: file, sink: sink)
        }
        func tables(_ key: String) -> [TableReader] {
            guard let n = root[key] else { return [] }
            guard case .array(let items) = n.value else { top.problem("'\(key)' must be written as [[\(key)]] tables", at: n.position); return [] }
            return items.compactMap { item in
                guard case .table(let t) = item.value else { top.problem("each [[\(key)]] must be a table", at: item.position); return nil }
                return TableReader(t, section: key, file: file, sink: sink)
            }
        }
        for key in root.keys where !sections.contains(key) {
            top.problem("unknown section or key '\(key)'\(top.suggestion(key, sections))", at: root.keyPositions[key] ?? TOMLPosition(line: 1, column: 1))
        }

        // [analysis]
        let a = table("analysis", required: true)
        let name = a?.string("name", required: true) ?? "analysis"
        if let a, let n = a.table["name"], name.isEmpty || name.contains("/") { a.problem("[analysis] name must be non-empty and contain no '/'", at: n.position) }
        let seed = a?.int("seed", range: 0...Int(Int32.max)) ?? 1
        let description = a?.string("description")
        a?.reportUnknownKeys(known: ["name", "seed", "description"])

        // [corpus]
        let c = table("corpus", required: true)
        let format = c?.string("format", required: true, oneOf: corpusFormats) ?? "table"
        let path = c?.string("path", required: format != "simulated") ?? ""
        let measure = c?.string("measure", required: true, oneOf: measures) ?? "rt"
        var exclude: [String] = []
        for (rule, pos) in c?.strings("exclude") ?? [] {
            if let problem = ExclusionSyntax.problem(rule) { c?.problem("[corpus] exclude: \(problem)", at: pos) } else { exclude.append(rule) }
        }
        let aggregate = c?.string("aggregate", oneOf: ["mean", "none"]) ?? (measure == "rt" ? "mean" : "none")
        c?.reportUnknownKeys(known: ["format", "path", "measure", "exclude", "aggregate"])
        for key in ["format", "path", "measure", "exclude"] { locations.record("corpus.\(key)", c, key) }

        // [training_text]
        let t = table("training_text", required: false)
        let training = TrainingText(
            source: t?.string("source") ?? "default",
            sentences: t?.int("sentences", range: 100...10_000_000) ?? 20_000,
            devSentences: t?.int("dev_sentences", range: 10...1_000_000) ?? 2_000,
            testSentences: t?.int("test_sentences", range: 0...1_000_000) ?? 2_000,
            vocabSize: t?.int("vocab_size", range: 64...200_000) ?? 8192,
            lowercase: t?.bool("lowercase") ?? true)
        t?.reportUnknownKeys(known: ["source", "sentences", "dev_sentences", "test_sentences", "vocab_size", "lowercase"])

        // [encoder]
        let e = table("encoder", required: false)
        let encoder = Encoder(model: e?.string("model", oneOf: ["all-MiniLM-L6-v2"]) ?? "all-MiniLM-L6-v2",
                              pooling: e?.string("pooling", oneOf: poolings) ?? "mean",
                              context: contextSpec(e, "context") ?? "prefix")
        e?.reportUnknownKeys(known: ["model", "pooling", "context"])

        // [[model]]
        var models: [Model] = []
        var modelNames = Set<String>()
        let modelTables = tables("model")
        if modelTables.isEmpty { top.problem("the file needs at least one [[model]]", at: TOMLPosition(line: 1, column: 1)) }
        for m in modelTables {
            let mname = m.string("name", required: true) ?? "model\(models.count + 1)"
            if !modelNames.insert(mname).inserted { m.problem("[[model]] name '\(mname)' is used twice", at: m.position(of: "name")) }
            models.append(Model(name: mname, fusion: m.string("fusion", oneOf: fusionModes) ?? "none",
                                preset: m.string("preset", oneOf: presets) ?? "small",
                                steps: m.int("steps", range: 1...100_000_000) ?? 2000,
                                learningRate: m.double("learning_rate", positive: true),
                                batchSize: m.int("batch_size", range: 1...4096),
                                context: contextSpec(m, "context"), seed: m.int("seed", range: 0...Int(Int32.max))))
            m.reportUnknownKeys(known: ["name", "fusion", "preset", "steps", "learning_rate", "batch_size", "context", "seed"])
        }

        // [predictors]
        let p = table("predictors", required: false)
        let predictors = Predictors(frequency: p?.string("frequency") ?? "training-text", spillover: p?.int("spillover", range: 0...4) ?? 0)
        p?.reportUnknownKeys(known: ["frequency", "spillover"])
        for key in ["frequency", "spillover"] { locations.record("predictors.\(key)", p, key) }

        // [[regression]]
        var regressions: [Regression] = []
        var regressionNames = Set<String>()
        let regressionTables = tables("regression")
        if regressionTables.isEmpty { top.problem("the file needs at least one [[regression]]", at: TOMLPosition(line: 1, column: 1)) }
        for r in regressionTables {
            let rname = r.string("name", required: true) ?? "regression\(regressions.count + 1)"
            if !regressionNames.insert(rname).inserted { r.problem("[[regression]] name '\(rname)' is used twice", at: r.position(of: "name")) }
            let baseline = r.string("baseline", required: true) ?? ""
            if !baseline.isEmpty {
                do { _ = try Formula.parse(baseline) } catch let f as FormulaError {
                    let pos = r.table["baseline"]!.position
                    r.problem("[[regression]] baseline: \(f.message) (at character \(f.offset + 1) of the formula)", at: TOMLPosition(line: pos.line, column: pos.column + 1 + f.offset))
                } catch { r.problem("[[regression]] baseline: \(error)", at: r.position(of: "baseline")) }
            }
            let add = (r.strings("add") ?? []).map(\.0)
            for (term, pos) in r.strings("add") ?? [] where (try? Formula.parse("y ~ \(term)")) == nil {
                r.problem("[[regression]] add: '\(term)' is not a valid formula term", at: pos)
            }
            let folds = r.int("folds", range: 2...1000)
            let foldColumn = r.string("fold_column")
            if folds != nil && foldColumn != nil { r.problem("[[regression]] use either folds or fold_column, not both", at: r.position(of: "fold_column")) }
            regressions.append(Regression(name: rname, baseline: baseline, add: add.isEmpty ? ["surprisal"] : add, folds: folds, foldColumn: foldColumn,
                                          randomEffects: r.string("random_effects", oneOf: ["conditional", "integrated"]) ?? "conditional",
                                          permutations: r.int("permutations", range: 0...1_000_000) ?? 1000))
            r.reportUnknownKeys(known: ["name", "baseline", "add", "folds", "fold_column", "random_effects", "permutations"])
            for key in ["name", "baseline", "add", "fold_column"] { locations.record("regression.\(regressions.count - 1).\(key)", r, key) }
        }

        // [report]
        let rep = table("report", required: false)
        let reportDirectory = rep?.string("directory") ?? "Reports"
        let database = rep?.string("database")
        rep?.reportUnknownKeys(known: ["directory", "database"])

        if !sink.problems.isEmpty {
            throw AnalysisFileError(problems: sink.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return AnalysisSpec(name: name, seed: seed, description: description,
                            corpus: Corpus(format: format, path: path, measure: measure, exclude: exclude, aggregate: aggregate),
                            trainingText: training, encoder: encoder, models: models, predictors: predictors,
                            regressions: regressions, reportDirectory: reportDirectory, database: database, locations: locations)
    }

    /// A context strategy: prefix | previous_sentence | none | shuffled | stride:K (K ≥ 1).
    static func contextSpec(_ r: TableReader?, _ key: String) -> String? {
        guard let r, let s = r.string(key) else { return nil }
        if ["prefix", "previous_sentence", "none", "shuffled"].contains(s) { return s }
        if s.hasPrefix("stride:"), let k = Int(s.dropFirst(7)), k >= 1 { return s }
        r.problem("[\(r.section)] \(key) = \"\(s)\" is not one of: prefix, previous_sentence, stride:K, none, shuffled", at: r.table[key]!.position)
        return nil
    }
}

/// The spelling of exclusion rules in analysis files (checked before any work starts).
enum ExclusionSyntax {
    static let plain = ["first_or_last_in_line", "first_or_last_in_screen", "first_or_last_in_sentence", "first_or_last_in_text",
                        "attached_punctuation", "digits", "skipped", "zero"]

    /// nil if `rule` is well-formed, else what is wrong.
    static func problem(_ rule: String) -> String? {
        if plain.contains(rule) { return nil }
        let parts = rule.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "outside":
            let b = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
            if b.count == 2, let lo = Double(b[0]), let hi = Double(b[1]), lo < hi { return nil }
            return "'\(rule)': write outside:LOW..HIGH with LOW < HIGH, e.g. outside:100..3000"
        case "zscore":
            if parts.count >= 2, let z = Double(parts[1]), z > 0, parts.count == 2 || (parts.count == 3 && ["subject", "global"].contains(parts[2])) { return nil }
            return "'\(rule)': write zscore:Z or zscore:Z:subject|global with Z > 0"
        case "drop_readers":
            if parts.count == 2, !parts[1].isEmpty { return nil }
            return "'\(rule)': write drop_readers:ID[,ID…]"
        default:
            return "unknown rule '\(rule)'; known: \(plain.joined(separator: ", ")), outside:LOW..HIGH, zscore:Z[:subject|global], drop_readers:IDS"
        }
    }
}
