import Corpora
import Encoders
import Foundation
import LanguageModels
import MixedModels
import TOML

extension AnalysisSpec {
    /// Parses and validates an analysis file's text: every problem is collected (with its line
    /// and column) and thrown together as `AnalysisFileError`; a TOML syntax error is a `TOMLError`.
    public static func parse(_ text: String, file: String = "<memory>") throws -> AnalysisSpec {
        let root = try TOMLParser.parse(text, file: file)
        let sink = ProblemSink()
        var locations = SourceLocations(file: file)
        let top = TableReader(root, section: "top level", file: file, sink: sink)
        let sections = ["analysis", "corpus", "training_text", "encoder", "model", "evaluation_text", "predictors", "regression", "report", "executor"]
        let fileStart = TOMLPosition(line: 1, column: 1)

        func table(_ key: String, required: Bool) -> TableReader? {
            guard let n = root[key] else {
                if required { top.problem("the file needs a [\(key)] section", at: fileStart) }
                return nil
            }
            guard case .table(let t) = n.value else { top.problem("'\(key)' must be a [\(key)] table", at: n.position); return nil }
            let reader = TableReader(t, section: key, file: file, sink: sink)
            locations.recordAll(key, reader)
            return reader
        }
        func tables(_ key: String) -> [TableReader] {
            guard let n = root[key] else { return [] }
            guard case .array(let items) = n.value else { top.problem("'\(key)' must be written as [[\(key)]] tables", at: n.position); return [] }
            return items.enumerated().compactMap { i, item in
                guard case .table(let t) = item.value else { top.problem("each [[\(key)]] must be a table", at: item.position); return nil }
                let reader = TableReader(t, section: key, file: file, sink: sink)
                locations.recordAll("\(key).\(i)", reader)
                return reader
            }
        }
        for key in root.keys where !sections.contains(key) {
            top.problem("unknown section or key '\(key)'\(top.suggestion(key, sections))", at: root.keyPositions[key] ?? fileStart)
        }

        // [analysis]
        let a = table("analysis", required: true)
        let name = a?.string("name", required: true) ?? "analysis"
        if let a, let n = a.table["name"], name.isEmpty || name.contains("/") { a.problem("[analysis] name must be non-empty and contain no '/'", at: n.position) }
        let seed = a?.int("seed", range: 0...Int(Int32.max)) ?? 1
        let description = a?.string("description")
        a?.reportUnknownKeys(known: ["name", "seed", "description"])

        let corpus = parseCorpus(table("corpus", required: true))

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
                              pooling: e?.choice("pooling", Pooling.self) ?? .mean,
                              context: e?.parsed("context", EmbeddingSource.init(parsing:)) ?? .prefix)
        e?.reportUnknownKeys(known: ["model", "pooling", "context"])

        // [[model]]
        var models: [Model] = []
        var modelNames = Set<String>()
        let modelTables = tables("model")
        if modelTables.isEmpty { top.problem("the file needs at least one [[model]]", at: fileStart) }
        for m in modelTables {
            for model in ModelGrid(m).models {
                if !modelNames.insert(model.name).inserted { m.problem("[[model]] name '\(model.name)' is used twice", at: m.position(of: "name")) }
                models.append(model)
            }
        }

        let textReaders = tables("evaluation_text")
        let evaluationTexts = textReaders.map(EvaluationText.parse)
        var textNames = Set<String>()
        for (t, r) in zip(evaluationTexts, textReaders) where !textNames.insert(t.name).inserted {
            r.problem("[[evaluation_text]] name '\(t.name)' is used twice", at: r.position(of: "name"))
        }

        // [predictors]
        let p = table("predictors", required: false)
        let predictors = Predictors(frequency: p?.string("frequency") ?? "training-text", spillover: p?.int("spillover", range: 0...4) ?? 0)
        p?.reportUnknownKeys(known: ["frequency", "spillover"])

        // [[regression]]
        var regressions: [Regression] = []
        var regressionNames = Set<String>()
        let regressionTables = tables("regression")
        if regressionTables.isEmpty { top.problem("the file needs at least one [[regression]]", at: fileStart) }
        for r in regressionTables {
            let rname = r.string("name", required: true) ?? "regression\(regressions.count + 1)"
            if !regressionNames.insert(rname).inserted { r.problem("[[regression]] name '\(rname)' is used twice", at: r.position(of: "name")) }
            regressions.append(parseRegression(r, name: rname))
        }

        // [report]
        let rep = table("report", required: false)
        let reportDirectory = rep?.string("directory") ?? "Reports"
        let database = rep?.string("database")
        rep?.reportUnknownKeys(known: ["directory", "database"])

        // [executor]: checked here with the rest; read by `ExecutorSettings.load` (it is not
        // part of the analysis's settings, so it changes no key or hash).
        _ = ExecutorSettings.parse(table("executor", required: false))

        if !sink.problems.isEmpty {
            throw AnalysisFileError(problems: sink.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return AnalysisSpec(name: name, seed: seed, description: description, corpus: corpus,
                            trainingText: training, encoder: encoder, models: models, evaluationTexts: evaluationTexts, predictors: predictors,
                            regressions: regressions, reportDirectory: reportDirectory, database: database, locations: locations)
    }

    /// `[corpus]`: the source, the reader's options (any of `LoadOptions.settingNames`), then the
    /// measure (checked against a column mapping's measures when there is one), exclusions and aggregation.
    static func parseCorpus(_ c: TableReader?) -> Corpus {
        let source = c?.parsed("format", required: true, Corpus.Source.init(parsing:)) ?? .simulated
        let path = c?.string("path", required: source != .simulated) ?? ""
        var load = LoadOptions()
        if let c {
            for key in LoadOptions.settingNames {
                c.setting(key) { try load.set(key, $0) }
            }
            switch source {
            case .format(let format):
                do { try load.validate(for: format) } catch { c.problem("[corpus] \(TableReader.message(error))", at: c.position(of: "format")) }
            case .simulated:
                if load != LoadOptions() { c.problem("[corpus] the simulated corpus takes no reader options (\(load.changedSettings.joined(separator: ", ")))", at: c.position(of: "format")) }
            }
        }
        var offered = Measure.named
        if case .format(let format) = source, let mapped = load.mappedMeasures(for: format) { offered = mapped }
        let measure = c?.parsed("measure", required: true) { s -> Measure in
            guard offered.contains(Measure(s)) else {
                throw SpecValueError("measure = \"\(s)\" is not one of: \(offered.map(\.rawValue).joined(separator: ", "))", choices: offered.map(\.rawValue), given: s)
            }
            return Measure(s)
        } ?? .rt
        var exclude: [ExclusionRule] = []
        for (rule, pos) in c?.strings("exclude") ?? [] {
            do { exclude.append(try ExclusionRule.parse(rule)) } catch { c?.problem("[corpus] exclude: \(TableReader.message(error))", at: pos) }
        }
        let aggregate = c?.choice("aggregate", Aggregation.self) ?? (measure == .rt ? .mean : .none)
        c?.reportUnknownKeys(known: ["format", "path", "measure", "exclude", "aggregate"] + LoadOptions.settingNames)
        return Corpus(source: source, path: path, measure: measure, exclude: exclude, aggregate: aggregate, load: load)
    }

    /// One `[[regression]]` after its name: formulas parsed by `Formula`, the rest by type.
    static func parseRegression(_ r: TableReader, name: String) -> Regression {
        let baseline = r.string("baseline", required: true) ?? ""
        if !baseline.isEmpty {
            do { _ = try Formula.parse(baseline) } catch let f as FormulaError {
                let pos = r.table["baseline"]!.position
                r.problem("[[regression]] baseline: \(f.message) (at character \(f.offset + 1) of the formula)", at: TOMLPosition(line: pos.line, column: pos.column + 1 + f.offset))
            } catch { r.problem("[[regression]] baseline: \(error)", at: r.position(of: "baseline")) }
        }
        let terms = r.strings("add") ?? []
        for (term, pos) in terms where (try? Formula.parse("y ~ \(term)")) == nil {
            r.problem("[[regression]] add: '\(term)' is not a valid formula term", at: pos)
        }
        let add = terms.map(\.0)
        let folds = r.int("folds", range: 2...1000)
        let foldColumn = r.string("fold_column")
        if folds != nil && foldColumn != nil { r.problem("[[regression]] use either folds or fold_column, not both", at: r.position(of: "fold_column")) }
        let regression = Regression(name: name, baseline: baseline, add: add.isEmpty ? ["surprisal"] : add, folds: folds, foldColumn: foldColumn,
                                    randomEffects: r.choice("random_effects", RandomEffectsPrediction.self) ?? .conditional,
                                    permutations: r.int("permutations", range: 0...1_000_000) ?? 1000)
        r.reportUnknownKeys(known: ["name", "baseline", "add", "folds", "fold_column", "random_effects", "permutations"])
        return regression
    }
}
