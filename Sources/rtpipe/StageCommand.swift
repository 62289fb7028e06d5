import ArgumentParser
import Foundation
import Numerics
import Pipeline
import RtpipeCore

/// `rtpipe stage run FILE STAGE-ID`: one stage as a unit of work (what `--jobs` and Slurm jobs run).
struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Run one stage of an analysis (used by rtpipe run --jobs and --executor slurm).",
        subcommands: [StageRunCommand.self])
}

struct StageRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one stage whose inputs are finished; write its result file into the cache (never the store).",
        discussion: "Stage ids are those of `rtpipe run FILE --dry-run`, e.g. lm:lstm or regression:lstm:ols. The coordinating `rtpipe run` imports the result.")

    @Argument(help: "The analysis file.") var analysis: String
    @Argument(help: "The stage id, e.g. surprisal:lstm.") var stage: String
    @Option(help: "BLAS threads (the coordinator's choice; part of the language models' keys).") var blasThreads: Int?
    @Flag(help: "Only print errors.") var quiet = false

    func run() throws {
        try reportingErrors {
            let spec = try AnalysisSpec.load(path: analysis)
            let root = projectRootOrCurrentDirectory
            var options = RunCommand.options(analysisFile: analysis, root: root)
            options.quiet = quiet
            options.stageOnly = true
            if let b = blasThreads {
                guard b >= 1 else { throw ValidationError("--blas-threads must be at least 1") }
                BLASRuntime.setThreads(b)
                options.blasThreads = b
            }
            let runner = try AnalysisRunner(spec: spec, options: options)
            _ = try runner.runStage(stage)
        }
    }
}

/// `rtpipe status FILE`: each stage of the plan — cached, finished, queued or running (job id), failed (log).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where each stage of an analysis stands: cached, queued or running (with its job id), failed (with its log).")

    @Argument(help: "The analysis file.") var analysis: String
    @Option(help: "BLAS threads of the run to look at (as given to rtpipe run).") var blasThreads: Int?
    @Option(help: "As given to rtpipe run (the default BLAS threads per stage follow from it).") var jobs = 1
    @Option(help: "As given to rtpipe run.") var cpusPerStage: Int?

    func run() throws {
        try reportingErrors {
            let spec = try AnalysisSpec.load(path: analysis)
            let root = projectRootOrCurrentDirectory
            var options = RunCommand.options(analysisFile: analysis, root: root)
            options.dryRun = true
            let file = try ExecutorSettings.load(path: analysis)
            options.blasThreads = blasThreads ?? cpusPerStage ?? (file.kind == "slurm" ? file.slurm.cpusPerStage : nil) ?? (jobs > 1 ? max(1, BLASRuntime.threads / jobs) : nil)
            let runner = try AnalysisRunner(spec: spec, options: options)
            let states = try runner.status()
            print("Stages of \(spec.name) (\(analysis)):")
            for (s, state) in states { print("  \(s.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(state)") }
            print("\(states.filter { $0.state == .cached }.count) of \(states.count) stages cached.")
        }
    }
}
