import Foundation

/// Where one stage of a plan stands (`rtpipe status`).
public enum StageState: Sendable, Equatable, CustomStringConvertible {
    /// Its rows are in the store.
    case cached
    /// Its result file is there, not yet imported (the next `rtpipe run` imports it).
    case finished
    /// A Slurm job for it is queued or running.
    case job(id: String, state: String)
    /// Its last job ended without a result.
    case failed(job: String, log: String)
    /// Not run yet.
    case missing

    public var description: String {
        switch self {
        case .cached: return "cached"
        case .finished: return "finished (not yet imported; `rtpipe run` imports it)"
        case .job(let id, let state): return "\(state.lowercased()) (job \(id))"
        case .failed(let job, let log): return "failed (job \(job)); log \(log)"
        case .missing: return "to run"
        }
    }
}

extension AnalysisRunner {
    /// Each stage of the plan with where it stands. Asks Slurm's queue only if a stage has a job file.
    public func status() throws -> [(stage: PlannedStage, state: StageState)] {
        let nodes = try graph().nodes
        var queue: [String: String]? = nil
        return nodes.map { n in
            if n.cached { return (n, .cached) }
            if StageResultFile.exists(in: artifacts, key: n.key) { return (n, .finished) }
            if let job = SlurmJobFile.read(artifacts, n.key) {
                if queue == nil { queue = (try? SlurmQueue.states()) ?? [:] }
                if let state = queue?[job] { return (n, .job(id: job, state: state)) }
                return (n, .failed(job: job, log: StageResultFile.log(in: artifacts, key: n.key).path))
            }
            return (n, .missing)
        }
    }
}
