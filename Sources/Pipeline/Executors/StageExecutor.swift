import Foundation

/// Runs a run's uncached stages somewhere else than the coordinating process: each as
/// `rtpipe stage run FILE ID`, which writes the stage's result file; the executor calls
/// `finished` (which imports it) as each stage ends, in the coordinating thread.
protocol StageExecutor {
    /// Runs `pending` (in graph order; their other dependencies are cached). Returns true if
    /// it only submitted them (detached) instead of waiting for them.
    func run(_ pending: [PlannedStage], in graph: StageGraph, finished: (PlannedStage) throws -> Void) throws -> Bool
}

extension StageExecutor {
    /// The last `count` lines of a log file, indented, for an error message.
    static func tail(of log: URL, lines count: Int = 15) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "    (no log at \(log.path))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).map { "    " + $0 }.joined(separator: "\n")
    }
}

/// `--jobs N`: up to N stage processes at once on this machine, each with `threads` BLAS threads.
struct LocalProcessExecutor: StageExecutor {
    let jobs: Int
    let threads: Int
    let artifacts: URL
    let progress: ProgressReporter
    let command: (PlannedStage) -> [String]

    func run(_ pending: [PlannedStage], in graph: StageGraph, finished: (PlannedStage) throws -> Void) throws -> Bool {
        var waiting = pending
        var running: [(node: PlannedStage, process: Process, started: Date)] = []
        var done = Set(graph.nodes.filter { n in !pending.contains { $0.name == n.name } }.map(\.name))
        var failure: String?
        while !waiting.isEmpty || !running.isEmpty {
            // Start what is ready, up to `jobs` at once (none after a failure).
            while failure == nil, running.count < jobs, let i = waiting.firstIndex(where: { $0.dependsOn.allSatisfy(done.contains) }) {
                let node = waiting.remove(at: i)
                running.append((node, try start(node), Date()))
                progress.line("\(node.name): started (\(running.count) of at most \(jobs) running, \(threads) BLAS thread\(threads == 1 ? "" : "s") each)")
            }
            if running.isEmpty { break }
            usleep(100_000)
            for (i, r) in running.enumerated().reversed() where !r.process.isRunning {
                running.remove(at: i)
                let log = StageResultFile.log(in: artifacts, key: r.node.key)
                if r.process.terminationStatus == 0 {
                    try finished(r.node)
                    done.insert(r.node.name)
                    progress.line(String(format: "%@: finished in %.1f s", r.node.name, Date().timeIntervalSince(r.started)))
                } else if failure == nil {
                    failure = "stage \(r.node.name) failed (exit \(r.process.terminationStatus)); log \(log.path), last lines:\n" + Self.tail(of: log)
                }
            }
        }
        if let failure { throw PipelineError(failure) }
        return false
    }

    private func start(_ node: PlannedStage) throws -> Process {
        let args = command(node)
        let log = StageResultFile.log(in: artifacts, key: node.key)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = String(threads)
        p.environment = env
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw PipelineError("cannot start \(args[0]) for stage \(node.name): \(error.localizedDescription)") }
        try? handle.close()
        return p
    }
}
