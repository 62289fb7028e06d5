import ArgumentParser
import Foundation
import Numerics
import Pipeline
import Reports
import RtpipeCore
import Store

/// Where the results database is: `--db`, else the analysis file's `[report] database`,
/// else `.rtpipe/results.sqlite` in the project.
struct StoreLocation: ParsableArguments {
    @Argument(help: "An analysis file (e.g. Analyses/demo.toml) or an analysis name; all analyses if omitted.")
    var analysis: String?

    @Option(help: "Results database (default: the analysis file's [report] database, else .rtpipe/results.sqlite).")
    var db: String?

    @Option(help: "BLAS threads per stage of the run to show, as rtpipe run used them (part of the language models' keys; default: the thread count whose stages have all run, trying all cores first).")
    var blasThreads: Int?

    /// The database path, the analysis name to select (nil: all), the report folder, the stage
    /// keys whose rows to show and the models in the file's order (as `rtpipe run` lists them):
    /// with an analysis file, exactly those of its current plan (an error if any of them has not
    /// run); otherwise nil (each analysis's newest finished run, models in the store's order).
    func resolve() throws -> (database: String, analysis: String?, reports: String?, stageKeys: [String]?, models: [String]?) {
        var name = analysis
        var database = db
        var reports: String? = nil
        var spec: AnalysisSpec? = nil
        let root = projectRootOrCurrentDirectory
        if let a = analysis, a.hasSuffix(".toml") {
            let s = try AnalysisSpec.load(path: a)
            name = s.name
            func resolved(_ p: String) -> String { p.hasPrefix("/") ? p : root.appendingPathComponent(p).path }
            database = database ?? s.database.map(resolved)
            reports = resolved(s.reportDirectory)
            spec = s
        }
        let path = database ?? RtpipePaths.cacheDirectory.appendingPathComponent("results.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no results database at \(path); run an analysis first (rtpipe run ANALYSIS.toml) or pass --db")
        }
        guard let spec, let file = analysis else { return (path, name, reports, nil, nil) }
        if let b = blasThreads, b < 1 { throw ValidationError("--blas-threads must be at least 1") }
        var named = spec
        named.database = path
        // A run with --jobs N (or on Slurm) trains with fewer BLAS threads per stage, and the
        // thread count is part of the language models' keys: without --blas-threads, take the
        // first count (all cores, then 1, 2, …) whose plan has every stage in the store.
        let candidates: [Int?] = blasThreads.map { [$0] } ?? [nil] + (1..<max(1, BLASRuntime.cores)).map { $0 }
        var firstMissing: (missing: [PlannedStage], total: Int)? = nil
        for threads in candidates {
            var options = RunCommand.options(analysisFile: file, root: root)
            options.dryRun = true  // only the plan: nothing is created or run
            options.blasThreads = threads
            let plan = try AnalysisRunner(spec: named, options: options).plan()
            let missing = plan.filter { !$0.cached }
            if missing.isEmpty { return (path, name, reports, plan.map(\.key), spec.models.map(\.name)) }
            if firstMissing == nil { firstMissing = (missing, plan.count) }
        }
        let (missing, total) = firstMissing!
        throw CLIError("\(path) has no results for the current settings of \(file): \(missing.count) of \(total) stages have not run "
                       + "(\(missing.prefix(4).map(\.name).joined(separator: ", "))\(missing.count > 4 ? ", …" : "")); run `rtpipe run \(file)` first"
                       + (blasThreads == nil ? " (no BLAS thread count from 1 to \(BLASRuntime.cores) has all of them either)" : ""))
    }
}

/// `rtpipe compare`: the baseline-vs-fusion table in the terminal, from the store.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print the baseline-vs-fusion comparison (perplexity, Pearson r, ΔLogLik) from the results store.")

    @OptionGroup var location: StoreLocation

    func run() throws {
        try reportingErrors {
            let (path, name, _, keys, models) = try location.resolve()
            let store = try ResultsStore(path: path)
            let tables = try ComparisonQuery.tables(store, analysis: name, models: models, stageKeys: keys)
            guard !tables.isEmpty, tables.contains(where: { !$0.rows.isEmpty }) else {
                throw CLIError("no results\(name.map { " for analysis '\($0)'" } ?? "") in \(path)")
            }
            let studies = try tables.compactMap { try StudyQuery.study(store, $0, stageKeys: keys) }
            print((tables.map(\.terminalText) + studies.map(\.terminalText)).joined(separator: "\n\n"))
        }
    }
}

/// `rtpipe report`: regenerate Reports/ from the store alone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate the report tables (Markdown, LaTeX, CSV) and figures (SVG) from the results store, without recomputing anything.")

    @OptionGroup var location: StoreLocation
    @Option(help: "Output folder (default: the analysis file's [report] directory, else Reports).") var out: String?

    func run() throws {
        try reportingErrors {
            let (path, name, reports, keys, models) = try location.resolve()
            let store = try ResultsStore(path: path)
            let tables = try ComparisonQuery.tables(store, analysis: name, models: models, stageKeys: keys)
            guard !tables.isEmpty else { throw CLIError("no results\(name.map { " for analysis '\($0)'" } ?? "") in \(path)") }
            let root = URL(fileURLWithPath: out ?? reports ?? (RtpipePaths.projectRoot?.appendingPathComponent("Reports").path ?? "Reports"))
            let studies = try tables.compactMap { try StudyQuery.study(store, $0, stageKeys: keys) }
            let files = try ReportWriter.write(tables, studies: studies, to: root)
            for f in files { print(f.path) }
        }
    }
}
