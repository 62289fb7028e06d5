import Corpora
import Encoders
import Foundation
import LanguageModels
import MixedModels
import Numerics
import Reports
import Store
import Tokenization

/// What a finished run produced.
public struct RunResult: Sendable {
    public let database: String
    public let tables: [ComparisonTable]
    /// The statistics over seeds, for analyses whose models form a grid with seeds.
    public let studies: [StudyTable]
    public let reportFiles: [URL]
    public let stagesRun: [String]
    public let stagesCached: [String]
    /// The stages were submitted to a cluster and not followed (`--detach`).
    public var detached = false

    public init(database: String, tables: [ComparisonTable], studies: [StudyTable] = [], reportFiles: [URL], stagesRun: [String], stagesCached: [String], detached: Bool = false) {
        self.database = database; self.tables = tables; self.studies = studies; self.reportFiles = reportFiles
        self.stagesRun = stagesRun; self.stagesCached = stagesCached; self.detached = detached
    }
}

/// Runs an analysis: the stages below, each keyed by the content of its inputs and settings
/// (`StageKey`), each writing its rows to the store in one transaction, so that an interrupted
/// run resumes where it stopped and never leaves half a stage behind.
///
///   corpus ─────────────────────────────────────────────┐
///   training text → tokenizer → LM (per model) → surprisal (per model) → regressions (per model × regression) → report
///                   encoder (fused models) ──┘
public final class AnalysisRunner {
    public let spec: AnalysisSpec
    public let options: RunOptions
    let progress: ProgressReporter
    let store: ResultsStore?
    let databasePath: String
    let runID = UUID().uuidString.lowercased()
    let configHash: String
    var embedder: MiniLMEmbedder?
    /// The corpus once loaded (by the corpus stage, or by a stage that reads it).
    var corpusData: CorpusData?
    /// BLAS threads when the run began: OpenBLAS's sums depend on its thread count (training on
    /// 1 and 2 threads differs from the 8th digit), so the language models' stage keys include it.
    /// A stage run (`rtpipe stage run`) uses the count its coordinator chose (`RunOptions.blasThreads`).
    let blasThreads: Int

    /// Whole-file digests for the stage keys and artefact checks (remembered in the cache folder).
    let digests: FileDigests

    /// Opens the store (a dry run only reads an existing one: it creates no file or folder).
    public init(spec: AnalysisSpec, options: RunOptions) throws {
        self.spec = spec
        self.options = options
        progress = ProgressReporter(quiet: options.quiet, verbose: options.verbose)
        blasThreads = options.blasThreads ?? BLASRuntime.threads
        databasePath = spec.database.map { $0.hasPrefix("/") ? $0 : options.projectRoot.appendingPathComponent($0).path }
            ?? options.cacheDirectory.appendingPathComponent("results.sqlite").path
        if options.dryRun || options.stageOnly {
            // A stage run never opens the store (it may be on a network filesystem): it writes its result file only.
            store = !options.stageOnly && FileManager.default.fileExists(atPath: databasePath) ? try ResultsStore(path: databasePath) : nil
        } else {
            store = try ResultsStore(path: databasePath, verify: true)
        }
        digests = FileDigests(cacheFile: options.dryRun ? nil : options.cacheDirectory.appendingPathComponent("digests.tsv"))
        configHash = StageKey.sha256(String(describing: spec))
    }

    /// The store of a real run (a dry run may have none).
    var results: ResultsStore {
        get throws {
            guard let store else { throw PipelineError("internal: no results store in a dry run") }
            return store
        }
    }

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : options.projectRoot.appendingPathComponent(path).path
    }

    func provenance(_ key: String) -> Provenance {
        Provenance(runID: runID, analysis: spec.name, configHash: configHash, stageKey: key,
                   rtpipeVersion: options.version, gitRevision: options.gitRevision, seed: spec.seed)
    }

    var artifacts: URL { options.cacheDirectory.appendingPathComponent("artifacts") }

    // MARK: Keys

    var trainingTextPath: String {
        spec.trainingText.source == "default" ? options.cacheDirectory.appendingPathComponent("text/austen.txt").path : resolve(spec.trainingText.source)
    }

    lazy var corpusKey: StageKey = {
        var k = StageKey("corpus", version: options.version)
        k.add("format", spec.corpus.source)
        k.add("reader", CorpusLoader.revision)
        k.add("data", spec.corpus.source == .simulated ? "simulated:bigram-surprisal:\(spec.seed):\(textFingerprint)" : digests.fingerprint(path: resolve(spec.corpus.path)))
        k.add("measure", spec.corpus.measure)
        k.add("exclude", spec.corpus.exclude.map(\.description).joined(separator: "|"))
        k.add("aggregate", spec.corpus.aggregate.rawValue)
        // Reader options only when set, so that the keys of analyses without any stay as they were.
        let load = spec.corpus.load.changedSettings
        if !load.isEmpty { k.add("load", load.joined(separator: "|")) }
        return k
    }()

    lazy var textFingerprint: String = digests.fingerprint(path: trainingTextPath)

    /// The encoder's identity for fused models: its weights' SHA-256 (remembered beside them by
    /// `ModelFingerprint`, shared with the embedding cache), its configuration and vocabulary.
    lazy var encoderFingerprint: String = {
        let dir = options.encoderDirectory
        let weights = (try? ModelFingerprint.of(dir.appendingPathComponent("model.safetensors"))) ?? "missing:\(dir.path)/model.safetensors"
        return "weights=\(weights),config=\(digests.fingerprint(path: dir.appendingPathComponent("config.json").path)),vocab=\(digests.fingerprint(path: dir.appendingPathComponent("vocab.txt").path))"
    }()

    lazy var tokenizerKey: StageKey = {
        var k = StageKey("tokenizer", version: options.version)
        k.add("text", textFingerprint)
        k.add("split", "\(spec.trainingText.sentences)/\(spec.trainingText.devSentences)/\(spec.trainingText.testSentences)/\(spec.seed)")
        k.add("vocab", spec.trainingText.vocabSize)
        k.add("lowercase", spec.trainingText.lowercase)
        return k
    }()

    func context(of model: AnalysisSpec.Model) -> EmbeddingSource { model.context ?? spec.encoder.context }

    func lmKey(_ m: AnalysisSpec.Model) -> StageKey {
        var k = StageKey("lm", version: options.version)
        k.add("tokenizer", tokenizerKey.hex)
        k.add("fusion", m.fusion.rawValue)
        k.add("preset", m.preset.rawValue)
        k.add("steps", m.steps)
        k.add("lr", m.learningRate)
        k.add("batch", m.batchSize)
        k.add("seed", m.seed ?? spec.seed)
        k.add("blas_threads", blasThreads)
        // Grid settings only when set, so that the keys of analyses without them stay as they were.
        if let n = m.trainSentences { k.add("train_sentences", n) }
        if let p = m.patience { k.add("patience", p) }
        if let e = m.evalEvery { k.add("eval_every", e) }
        if m.fusion.usesEmbeddings {
            k.add("encoder", "\(spec.encoder.model):\(spec.encoder.pooling.rawValue):\(encoderFingerprint)")
            k.add("context", context(of: m))
        }
        return k
    }

    func surprisalKey(_ m: AnalysisSpec.Model) -> StageKey {
        var k = StageKey("surprisal", version: options.version)
        k.add("lm", lmKey(m).hex)
        k.add("corpus", corpusKey.hex)
        return k
    }

    func regressionKey(_ m: AnalysisSpec.Model, _ r: AnalysisSpec.Regression) -> StageKey {
        var k = StageKey("regression", version: options.version)
        k.add("fitter", LinearMixedModel.revision)
        k.add("stored_rows", 2)  // 2: each held-out row's ΔLL (heldout_rows) is stored too
        k.add("surprisal", surprisalKey(m).hex)
        k.add("frequency", spec.predictors.frequency == "training-text" ? "text:\(textFingerprint)" : spec.predictors.frequency)
        k.add("spillover", spec.predictors.spillover)
        k.add("baseline", r.baseline)
        k.add("add", r.add.joined(separator: "|"))
        k.add("folds", r.folds)
        k.add("fold_column", r.foldColumn)
        k.add("random_effects", r.randomEffects.rawValue)
        k.add("permutations", r.permutations)
        k.add("seed", spec.seed)
        return k
    }

    /// The key under which a stage's rows are stored: its content key plus the analysis name,
    /// so that two analyses sharing a stage's work (e.g. the same language model, whose files
    /// in `artifacts/` are keyed by content alone and reused) each get their own rows.
    func storeKey(_ key: StageKey) -> StageKey {
        var k = key
        k.add("analysis", spec.name)
        return k
    }

    /// The plan: every stage with its key, whether it is cached, and what it depends on.
    /// A stage is cached when the store has its rows (in a stage run: when its result file is
    /// there) and, for the tokenizer and language models, their files still match their manifest.
    public func plan() throws -> [PlannedStage] {
        try graph().nodes
    }

    /// The plan as a graph (see `plan()`).
    public func graph() throws -> StageGraph {
        var out: [PlannedStage] = []
        func add(_ name: String, _ work: StageWork, _ contentKey: StageKey, _ detail: String, _ dependsOn: [String], artefact: URL? = nil) throws {
            let key = storeKey(contentKey)
            var finished = try store?.isFinished(stageKey: key.hex) ?? false
            if options.stageOnly { finished = StageResultFile.exists(in: artifacts, key: key.hex) }
            if finished, let artefact { finished = ArtifactManifest.verify(artefact, digests: digests) }
            out.append(PlannedStage(name: name, key: key.hex, cached: !options.force && finished, detail: detail, work: work, dependsOn: dependsOn))
        }
        try add("corpus", .corpus, corpusKey, "\(spec.corpus.source) \(spec.corpus.source == .simulated ? "(simulated by rtpipe)" : spec.corpus.path), measure \(spec.corpus.measure)", [])
        try add("tokenizer", .tokenizer, tokenizerKey, "BPE \(spec.trainingText.vocabSize) on \(spec.trainingText.sentences) training sentences", [], artefact: tokenizerFolder)
        for m in spec.models {
            let size = m.trainSentences.map { ", \($0) sentences" } ?? ""
            let stop = m.patience.map { " at most, early stopping after \($0) evaluations" } ?? ""
            try add("lm:\(m.name)", .languageModel(m), lmKey(m),
                    "\(m.preset.rawValue) LSTM, fusion \(m.fusion.rawValue)\(m.fusion.usesEmbeddings ? " (\(context(of: m)))" : "")\(size), \(m.steps) steps\(stop)",
                    ["tokenizer"], artefact: languageModelFolder(m))
            if !spec.evaluationTexts.isEmpty {
                try add("transfer:\(m.name)", .transfer(m), transferKey(m), "perplexity on \(spec.evaluationTexts.map(\.name).joined(separator: ", "))",
                        ["corpus", "lm:\(m.name)"])
            }
            try add("surprisal:\(m.name)", .surprisal(m), surprisalKey(m), "surprisal of every corpus word", ["corpus", "lm:\(m.name)"])
            for r in spec.regressions { try add("regression:\(m.name):\(r.name)", .regression(m, r), regressionKey(m, r), r.full, ["corpus", "surprisal:\(m.name)"]) }
        }
        return try StageGraph(out)
    }

    /// The tokenizer's artefact folder.
    var tokenizerFolder: URL { artifacts.appendingPathComponent("tokenizer-\(tokenizerKey.short)") }
    /// A language model's artefact folder.
    func languageModelFolder(_ m: AnalysisSpec.Model) -> URL { artifacts.appendingPathComponent("lm-\(lmKey(m).short)") }
}
