import Foundation

/// `--executor slurm`: every uncached stage becomes one `sbatch` job running `rtpipe stage run`,
/// chained to its dependencies' jobs with `--dependency=afterok:…`, its log beside its result in
/// the cache. The job id is remembered in `stage-KEY.job`, so that a stage whose job is still
/// queued or running is never submitted again (also by a later `rtpipe run` after this one was
/// killed). Then follows the queue (`squeue`) and hands each finished stage to the coordinator.
struct SlurmExecutor: StageExecutor {
    let settings: SlurmSettings
    let analysis: String
    let threads: Int
    let artifacts: URL
    let progress: ProgressReporter
    let detach: Bool
    let directory: URL
    let command: (PlannedStage) -> [String]

    func run(_ pending: [PlannedStage], in graph: StageGraph, finished: (PlannedStage) throws -> Void) throws -> Bool {
        let queue = try SlurmQueue.states()
        var jobs: [String: String] = [:]  // stage id → job id, for the stages still to finish
        var failures: [String] = []
        for node in pending {
            if let old = SlurmJobFile.read(artifacts, node.key) {
                if let state = queue[old] {
                    progress.line("\(node.name): job \(old) is already \(state.lowercased()); not submitted again")
                    jobs[node.name] = old
                    continue
                }
                if StageResultFile.exists(in: artifacts, key: node.key) { try finished(node); continue }
                progress.line("\(node.name): its earlier job \(old) failed (log \(StageResultFile.log(in: artifacts, key: node.key).path)); submitting it again")
            }
            let after = node.dependsOn.compactMap { jobs[$0] }
            jobs[node.name] = try submit(node, after: after)
        }
        if detach {
            progress.line("submitted; `rtpipe status` shows the stages, and `rtpipe run` again imports what has finished")
            return true
        }
        var states: [String: String] = [:]
        while !jobs.isEmpty {
            Thread.sleep(forTimeInterval: settings.pollSeconds)
            let queue = try SlurmQueue.states()
            for node in pending {
                guard let id = jobs[node.name] else { continue }
                if let state = queue[id] {
                    if states[node.name] != state { progress.line("\(node.name): job \(id) \(state.lowercased())"); states[node.name] = state }
                    if state == "PENDING", let reason = try? SlurmQueue.reason(id), reason.contains("DependencyNeverSatisfied") { cancel(id) }
                    continue
                }
                jobs[node.name] = nil
                if StageResultFile.exists(in: artifacts, key: node.key) {
                    try finished(node)
                    progress.line("\(node.name): job \(id) finished; imported")
                } else {
                    let log = StageResultFile.log(in: artifacts, key: node.key)
                    failures.append("stage \(node.name) (job \(id)) failed; log \(log.path), last lines:\n" + Self.tail(of: log))
                    // Its dependents can never start: cancel them.
                    for d in graph.nodes where d.dependsOn.contains(node.name) { if let dj = jobs[d.name] { cancel(dj) } }
                }
            }
        }
        if !failures.isEmpty { throw PipelineError(failures.joined(separator: "\n")) }
        return false
    }

    /// Submits one stage; returns its job id.
    private func submit(_ node: PlannedStage, after: [String]) throws -> String {
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let log = StageResultFile.log(in: artifacts, key: node.key)
        var args = ["--parsable", "--job-name=rtpipe:\(analysis):\(node.name)", "--output=\(log.path)", "--chdir=\(directory.path)",
                    "--cpus-per-task=\(threads)", "--mem=\(settings.memory(for: node.kind))", "--time=\(settings.time(for: node.kind))",
                    "--export=ALL,OPENBLAS_NUM_THREADS=\(threads)"]
        if let p = settings.partition { args.append("--partition=\(p)") }
        if let a = settings.account { args.append("--account=\(a)") }
        if !after.isEmpty { args.append("--dependency=afterok:\(after.joined(separator: ":"))") }
        args += settings.extraArguments
        args += ["--wrap", "exec " + command(node).map(SlurmQueue.shellQuoted).joined(separator: " ")]
        let out = try SlurmQueue.call("sbatch", args)
        guard let id = out.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }), !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw PipelineError("sbatch gave no job id for stage \(node.name) (it said: \(out.prefix(200)))")
        }
        try SlurmJobFile.write(artifacts, node.key, id)
        progress.line("\(node.name): submitted as job \(id)\(after.isEmpty ? "" : " (after \(after.joined(separator: ", ")))")")
        return id
    }

    private func cancel(_ id: String) { _ = try? SlurmQueue.call("scancel", [id]) }
}

/// The job id of a stage's latest Slurm job, in `stage-KEY.job` beside its result.
enum SlurmJobFile {
    static func url(_ artifacts: URL, _ key: String) -> URL { artifacts.appendingPathComponent("stage-\(key.prefix(16)).job") }
    static func read(_ artifacts: URL, _ key: String) -> String? {
        (try? String(contentsOf: url(artifacts, key), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    static func write(_ artifacts: URL, _ key: String, _ id: String) throws {
        try Data((id + "\n").utf8).write(to: url(artifacts, key), options: .atomic)
    }
}

/// Slurm's command-line tools.
enum SlurmQueue {
    /// Job id → state (`PENDING`, `RUNNING`, …) of every job in the queue.
    static func states() throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try call("squeue", ["-h", "-o", "%i %T"]).split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2 { out[String(f[0])] = String(f[1]) }
        }
        return out
    }

    /// Why a pending job waits (`squeue %r`).
    static func reason(_ id: String) throws -> String { try call("squeue", ["-h", "-o", "%r", "-j", id]) }

    /// Runs a Slurm tool; its output, or an error with what it said.
    static func call(_ tool: String, _ args: [String]) throws -> String {
        guard let path = which(tool) else {
            throw PipelineError("\(tool) is not installed (the Slurm executor needs Slurm's tools on PATH; on a workstation, scripts/slurm-local start sets up a one-node cluster)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw PipelineError("\(tool) failed (exit \(p.terminationStatus)): \(String(decoding: e, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// The tool's path on PATH, if any.
    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
