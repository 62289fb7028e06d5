import ArgumentParser
import Foundation
import Pipeline
import Numerics
import Reports
import RtpipeCore

/// `rtpipe run ANALYSIS.toml`: the whole analysis, resumable, with results in the store.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an analysis file end to end: corpus, language models, surprisal, regressions, report.",
        discussion: """
            Every stage is cached under a key made from its inputs and settings: running the same file \
            again reuses finished stages, and a run killed at any moment resumes where it stopped. \
            The analysis file is checked before any work starts; all its problems are listed with line numbers.
            """)

    @Argument(help: "The analysis file, e.g. Analyses/demo.toml.") var analysis: String
    @Flag(help: "Print the plan and what is already cached; do nothing.") var dryRun = false
    @Flag(help: "Recompute every stage.") var force = false
    @Flag(help: "Only print the final table.") var quiet = false
    @Flag(help: "Print more detail about each stage.") var verbose = false
    @Option(help: "Run up to N independent stages at once (as separate processes), dividing the BLAS threads among them.") var jobs = 1
    @Option(help: "BLAS threads of each stage (default: all cores, divided by --jobs; with Slurm, --cpus-per-stage).") var blasThreads: Int?
    @Option(help: "Where stages run: local or slurm (default: [executor] kind in the analysis file, else local).") var executor: String?
    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Slurm time limit of every stage (default by stage kind).") var time: String?
    @Option(help: "Slurm memory of every stage, e.g. 8G (default by stage kind).") var memory: String?
    @Option(help: "Slurm CPUs per stage (also its BLAS threads).") var cpusPerStage: Int?
    @Option(help: "Slurm account.") var account: String?
    @Option(name: .customLong("sbatch-arg"), help: "Another sbatch argument (repeatable).") var sbatchArgs: [String] = []
    @Flag(help: "With --executor slurm: submit the stages and return.") var detach = false

    func run() throws {
        try reportingErrors {
            let spec = try AnalysisSpec.load(path: analysis)
            let root = projectRootOrCurrentDirectory
            try checkCorpusInstalled(spec, root: root)
            var options = RunCommand.options(analysisFile: analysis, root: root)
            options.force = force
            options.dryRun = dryRun
            options.quiet = quiet
            options.verbose = verbose
            if spec.models.contains(where: { $0.fusion.usesEmbeddings }) {
                let weights = EncoderWeightsStatus.check()
                guard weights.isComplete else {
                    throw CLIError("fused models need the encoder weights, missing at \(weights.directory.path) (\(weights.missing.joined(separator: ", "))); run scripts/setup")
                }
            }
            try configureExecution(&options)
            let runner = try AnalysisRunner(spec: spec, options: options)
            if dryRun {
                let graph = try runner.graph()
                print("Plan for \(spec.name) (\(analysis)):")
                print(graph.text)
                print("\(graph.nodes.filter(\.cached).count) of \(graph.nodes.count) stages cached.")
                print(RunCommand.gridText(spec, graph.nodes))
                return
            }
            let started = Date()
            let result = try runner.run()
            if result.detached { return }
            print((result.tables.map(\.terminalText) + result.studies.map(\.terminalText)).joined(separator: "\n\n"))
            if !quiet {
                FileHandle.standardError.write("rtpipe: \(result.stagesRun.count) stages run, \(result.stagesCached.count) cached, \(String(format: "%.1f", Date().timeIntervalSince(started))) s; results in \(result.database)\n".data(using: .utf8)!)
            }
        }
    }

    /// The expanded model grid of a dry run: one line per cell with its seeds and how many of
    /// its language models are already trained and stored.
    static func gridText(_ spec: AnalysisSpec, _ plan: [PlannedStage]) -> String {
        var cells: [String] = []
        var members: [String: [AnalysisSpec.Model]] = [:]
        for m in spec.models {
            let cell = m.cell ?? m.name
            if members[cell] == nil { cells.append(cell) }
            members[cell, default: []].append(m)
        }
        let cachedLMs = Set(plan.filter { $0.cached && $0.name.hasPrefix("lm:") }.map { String($0.name.dropFirst(3)) })
        var lines = ["Grid: \(spec.models.count) model\(spec.models.count == 1 ? "" : "s") in \(cells.count) cell\(cells.count == 1 ? "" : "s")"]
        for cell in cells {
            let ms = members[cell]!
            let seeds = ms.map { String($0.seed ?? spec.seed) }.joined(separator: ", ")
            let done = ms.filter { cachedLMs.contains($0.name) }.count
            lines.append("  \(cell.padding(toLength: max(28, cell.count), withPad: " ", startingAt: 0))  seeds \(seeds)  trained \(done)/\(ms.count)")
        }
        return lines.joined(separator: "\n")
    }

    /// Applies --jobs, --executor and the Slurm options (over the analysis file's `[executor]`).
    func configureExecution(_ options: inout RunOptions) throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let b = blasThreads, b < 1 { throw ValidationError("--blas-threads must be at least 1") }
        if let c = cpusPerStage, c < 1 { throw ValidationError("--cpus-per-stage must be at least 1") }
        let file = try ExecutorSettings.load(path: analysis)
        var slurm = SlurmSettings()
        slurm.partition = partition; slurm.time = time; slurm.memory = memory
        slurm.cpusPerStage = cpusPerStage; slurm.account = account; slurm.extraArguments = sbatchArgs
        slurm = slurm.merged(over: file.slurm)
        switch executor ?? file.kind ?? "local" {
        case "local":
            if detach { throw ValidationError("--detach needs --executor slurm") }
            options.executor = .local
            options.jobs = jobs
            if let b = blasThreads { options.blasThreads = b } else if jobs > 1 { options.blasThreads = max(1, BLASRuntime.threads / jobs) }
        case "slurm":
            options.executor = .slurm(slurm)
            options.jobs = Int.max
            options.detach = detach
            options.blasThreads = blasThreads ?? slurm.cpusPerStage ?? BLASRuntime.threads
        case let other:
            throw ValidationError("--executor must be local or slurm, not '\(other)'")
        }
        if let b = options.blasThreads { BLASRuntime.setThreads(b) }
        options.executable = RunCommand.executablePath
    }

    /// This rtpipe executable (stage processes and jobs run it).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The run options of this checkout for `analysisFile` (also used by compare and report,
    /// which need the same stage keys).
    static func options(analysisFile: String, root: URL) -> RunOptions {
        var options = RunOptions(projectRoot: root, cacheDirectory: RtpipePaths.cacheDirectory, encoderDirectory: RtpipePaths.encoderDirectory,
                                 version: RtpipeVersion.string, gitRevision: RtpipeVersion.gitRevision(in: root))
        options.analysisFile = URL(fileURLWithPath: analysisFile).standardizedFileURL.path
        return options
    }

    /// Stops before any work when a real corpus is not where the analysis says, saying what to obtain.
    func checkCorpusInstalled(_ spec: AnalysisSpec, root: URL) throws {
        guard case .format(let format) = spec.corpus.source else { return }
        let path = spec.corpus.path.hasPrefix("/") ? spec.corpus.path : root.appendingPathComponent(spec.corpus.path).path
        guard !FileManager.default.fileExists(atPath: path) else { return }
        var message = "the corpus for analysis '\(spec.name)' is not installed: \(path) does not exist."
        if let known = KnownCorpus.all.first(where: { format.rawValue.hasPrefix($0.name) }) {
            message += "\n  corpus:  \(known.title)\n  obtain:  \(known.obtain)\n  licence: \(known.licence)\n  put it in \(path) (or set [corpus] path in \(analysis))"
        }
        throw CLIError(message)
    }
}
