import Corpora
import Foundation
import Reports
import Store

extension AnalysisRunner {
    /// Runs every stage that is not cached, walking the stage graph, then regenerates the reports
    /// from the store. With `--jobs 1` (the default) stages run one at a time in this process;
    /// otherwise the corpus stage runs here and the others as `rtpipe stage run` processes (local
    /// executor) or Slurm jobs, each writing its result file, which this process imports into the
    /// store — each stage in one transaction, exactly once.
    ///
    /// One run per analysis and store at a time: a second waits for the first (a lock file
    /// beside the store, released by the kernel even after kill -9). Runs of the analysis still
    /// marked `running` are then known to have died and are marked `interrupted`.
    public func run() throws -> RunResult {
        let lockPath = databasePath + ".\(spec.name).run-lock"
        let runLock = try FileLock(path: lockPath) { [progress, spec, databasePath] pid in
            progress.line("another rtpipe run of analysis '\(spec.name)'\(pid.map { " (process \($0))" } ?? "") is using \(databasePath); waiting for it to finish")
        }
        defer { runLock.release(); digests.save() }
        let store = try results
        let stale = try store.markInterruptedRuns(analysis: spec.name)
        if stale > 0 { progress.line("marked \(stale) earlier run\(stale == 1 ? "" : "s") of '\(spec.name)' as interrupted (\(stale == 1 ? "it" : "they") stopped without finishing)") }
        let graph = try graph()
        var ran: [String] = [], cached: [String] = []
        try store.beginRun(provenance(""), analysisFile: options.analysisFile)
        var detached = false
        do {
            try store.recordStages(runID: runID, graph.nodes.map { ($0.name, $0.key) })
            var pending: [PlannedStage] = []
            for node in graph.nodes {
                if !node.cached && !options.force, try importResult(node) {
                    progress.line("\(node.name): imported its finished result")
                    ran.append(node.name)
                } else if node.cached || node.kind == .corpus || options.jobs <= 1 && options.executor == .local {
                    // The corpus is loaded here in every run (it is fast) and checked before any training.
                    let reused = try execute(node)
                    if reused { cached.append(node.name) } else { ran.append(node.name) }
                    if node.kind == .corpus, graph.nodes.contains(where: { $0.kind != .corpus && !$0.cached }) { try checkBeforeTraining(try corpus()) }
                } else {
                    pending.append(node)
                }
            }
            if !pending.isEmpty {
                try writeResultFiles(of: graph.nodes.filter { n in n.cached && pending.contains { $0.dependsOn.contains(n.name) } })
                let executor = try makeExecutor()
                detached = try executor.run(pending, in: graph) { [self] node in
                    guard try importResult(node) else { throw PipelineError("stage \(node.name) finished without a result in \(StageResultFile.folder(in: artifacts, key: node.key).path)") }
                    ran.append(node.name)
                }
            }
            try store.finishRun(runID, status: detached ? "interrupted" : "finished")
        } catch {
            try? store.finishRun(runID, status: "failed: \(error)")
            throw error
        }
        if detached { return RunResult(database: databasePath, tables: [], reportFiles: [], stagesRun: ran, stagesCached: cached, detached: true) }
        let tables = try ComparisonQuery.tables(store, analysis: spec.name, models: spec.models.map(\.name), stageKeys: graph.nodes.map(\.key))
        let reportRoot = URL(fileURLWithPath: resolve(spec.reportDirectory))
        let studies = try tables.compactMap { try StudyQuery.study(store, $0, stageKeys: graph.nodes.map(\.key)) }
        let files = try ReportWriter.write(tables, studies: studies, to: reportRoot)
        progress.line("reports: \(files.count) files in \(reportRoot.path)")
        return RunResult(database: databasePath, tables: tables, studies: studies, reportFiles: files, stagesRun: ran, stagesCached: cached)
    }

    /// Runs one stage in this process (`rtpipe stage run`): its dependencies must be finished.
    /// Writes the stage's result file only (never the store). Returns false when it was already done.
    public func runStage(_ id: String) throws -> Bool {
        let graph = try graph()
        guard let node = graph.node(id) else {
            throw PipelineError("analysis '\(spec.name)' has no stage '\(id)'; its stages are: \(graph.nodes.map(\.name).joined(separator: ", "))")
        }
        if node.cached { progress.line("\(id): already finished (\(StageResultFile.folder(in: artifacts, key: node.key).path))"); return false }
        let missing = node.dependsOn.filter { graph.node($0)?.cached != true }
        guard missing.isEmpty else { throw PipelineError("stage \(id) needs \(missing.joined(separator: ", ")) to finish first") }
        defer { digests.save() }
        _ = try execute(node)
        return true
    }

    /// Runs `node` in this process; returns whether its stored result was reused as is.
    func execute(_ node: PlannedStage) throws -> Bool {
        switch node.work {
        case .corpus:
            let (data, reused) = try corpusStage(node)
            corpusData = data
            return reused
        case .tokenizer:
            return try tokenizerStage(node).reused
        case .languageModel(let m):
            return try languageModelStage(m, node, tokenizerURL: tokenizerFolder.appendingPathComponent("tokenizer.json")).reused
        case .transfer(let m):
            guard !node.cached else { return true }
            try transferStage(m, node, modelURL: languageModelFolder(m).appendingPathComponent("model.rtlm"),
                              tokenizerURL: tokenizerFolder.appendingPathComponent("tokenizer.json"), corpus: try corpus())
            return false
        case .surprisal(let m):
            guard !node.cached else { return true }
            _ = try surprisalStage(m, node, modelURL: languageModelFolder(m).appendingPathComponent("model.rtlm"), corpus: try corpus())
            return false
        case .regression(let m, let r):
            guard !node.cached else { return true }
            let data = try corpus()
            let sKey = storeKey(surprisalKey(m)).hex
            let surprisal = try storedSurprisal(key: sKey, words: data.corpus.words.count)
            try regressionStage(m, r, node, corpus: data, surprisal: surprisal)
            return false
        }
    }

    /// The corpus, loaded once per process.
    func corpus() throws -> CorpusData {
        if let corpusData { return corpusData }
        guard let node = try graph().nodes.first(where: { $0.kind == .corpus }) else { throw PipelineError("internal: no corpus stage") }
        let cachedNode = PlannedStage(name: node.name, key: node.key, cached: true, detail: node.detail, work: node.work, dependsOn: [])
        let data = try corpusStage(cachedNode).0
        corpusData = data
        return data
    }

    /// A stage's rows, collected by `body`: written to the stage's result file and, in a
    /// coordinating process, imported into the store in one transaction.
    func recordStage(_ kind: String, _ p: Provenance, seconds: Double, summary: String?, _ body: (StageWriter) throws -> Void) throws {
        let rows = StageRows()
        try body(StageWriter(collecting: rows))
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try StageResultFile(kind: kind, seconds: seconds, summary: summary, rows: rows).write(in: artifacts, key: p.stageKey)
        if let store { try store.importStage(kind, p, seconds: seconds, summary: summary, rows: rows, replacing: true) }
    }

    /// Imports `node`'s result file into the store if there is one and the store lacks the stage.
    func importResult(_ node: PlannedStage) throws -> Bool {
        switch node.work {
        case .tokenizer: guard ArtifactManifest.verify(tokenizerFolder, digests: digests) else { return false }
        case .languageModel(let m): guard ArtifactManifest.verify(languageModelFolder(m), digests: digests) else { return false }
        default: break
        }
        guard let result = try StageResultFile.read(in: artifacts, key: node.key) else { return false }
        try results.importStage(result.kind, provenance(node.key), seconds: result.seconds, summary: result.summary, rows: result.rows)
        return true
    }

    /// Writes the result files of cached stages that other processes will read (a store filled
    /// before result files existed has only the rows).
    func writeResultFiles(of nodes: [PlannedStage]) throws {
        for n in nodes where !StageResultFile.exists(in: artifacts, key: n.key) {
            let rows = try results.exportStage(stageKey: n.key)
            try StageResultFile(kind: n.kind.rawValue, seconds: 0, summary: try results.summary(stageKey: n.key), rows: rows).write(in: artifacts, key: n.key)
        }
    }

    /// Surprisal (bits) per corpus word of a finished surprisal stage: from its result file, or the store.
    func storedSurprisal(_ stage: PlannedStage, words: Int) throws -> [Double?] { try storedSurprisal(key: stage.key, words: words) }

    func storedSurprisal(key: String, words: Int) throws -> [Double?] {
        var values = [Double?](repeating: nil, count: words)
        if let result = try StageResultFile.read(in: artifacts, key: key) {
            for row in result.rows.rows where row.table == "surprisals" {
                guard let wi = row.columns.firstIndex(of: "word_index"), let si = row.columns.firstIndex(of: "surprisal_bits") else { continue }
                if let i = row.values[wi].int, i < values.count { values[i] = row.values[si].double }
            }
            return values
        }
        for row in try results.db.query("SELECT word_index, surprisal_bits FROM surprisals WHERE stage_key = ?", [.text(key)]).rows {
            if let i = row[0].int, i < values.count { values[i] = row[1].double }
        }
        return values
    }

    /// The executor the options name.
    func makeExecutor() throws -> StageExecutor {
        let threads = blasThreads
        let command: (PlannedStage) -> [String] = { [options] node in
            [options.executable, "stage", "run", options.analysisFile ?? "", node.name, "--blas-threads", String(threads)]
        }
        switch options.executor {
        case .local:
            return LocalProcessExecutor(jobs: options.jobs, threads: threads, artifacts: artifacts, progress: progress, command: command)
        case .slurm(let settings):
            return SlurmExecutor(settings: settings, analysis: spec.name, threads: threads, artifacts: artifacts, progress: progress, detach: options.detach,
                                 directory: options.projectRoot, command: command)
        }
    }
}
