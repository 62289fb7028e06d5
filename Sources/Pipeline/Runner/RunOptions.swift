import Foundation
import Synchronization

/// How `rtpipe run` behaves.
public struct RunOptions: Sendable {
    /// Recompute every stage even if cached.
    public var force = false
    /// Print the plan and what is cached, do nothing.
    public var dryRun = false
    public var quiet = false
    public var verbose = false
    /// The project root (relative paths in the analysis file are resolved against it).
    public var projectRoot: URL
    /// Cache folder for artefacts (checkpoints, simulated corpora, embeddings).
    public var cacheDirectory: URL
    /// Folder of the sentence-encoder weights.
    public var encoderDirectory: URL
    /// The analysis file (recorded in the store's `runs.analysis_file`).
    public var analysisFile: String?
    /// rtpipe's version and git revision, recorded with every row.
    public var version: String
    public var gitRevision: String
    /// BLAS threads of each stage (nil: the process's count). Part of the language models' keys.
    public var blasThreads: Int?
    /// Stages run at once by the local executor (1: one at a time, in this process).
    public var jobs = 1
    /// Where uncached stages run.
    public var executor: ExecutorChoice = .local
    /// Submit to the cluster and return without following the jobs.
    public var detach = false
    /// This process runs one stage for a coordinator (`rtpipe stage run`): it writes that
    /// stage's result file and never opens the store.
    public var stageOnly = false
    /// The rtpipe executable that runs a stage in another process (`rtpipe stage run`).
    public var executable: String = "rtpipe"

    public init(projectRoot: URL, cacheDirectory: URL, encoderDirectory: URL, version: String, gitRevision: String) {
        self.projectRoot = projectRoot
        self.cacheDirectory = cacheDirectory
        self.encoderDirectory = encoderDirectory
        self.version = version
        self.gitRevision = gitRevision
    }
}

/// Where a run's uncached stages run.
public enum ExecutorChoice: Sendable, Equatable {
    /// On this machine (`--jobs N` at once).
    case local
    /// As Slurm jobs (`sbatch`), with these settings.
    case slurm(SlurmSettings)
}

/// Progress on standard error: one rewritten line with rate and ETA on a terminal, plain log
/// lines otherwise; silent with `quiet`.
public final class ProgressReporter: Sendable {
    let quiet: Bool
    let verbose: Bool
    let isTerminal: Bool
    /// What the terminal shows: the length of the rewritten progress line, and when the last
    /// plain progress line was written (one every 10 s when not a terminal).
    private struct Screen {
        var lastLength = 0
        var lastPlain = Date.distantPast
    }
    private let screen = Mutex(Screen())

    public init(quiet: Bool, verbose: Bool) {
        self.quiet = quiet
        self.verbose = verbose
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    private func write(_ s: String) { FileHandle.standardError.write(s.data(using: .utf8)!) }

    /// A stage starts or finishes, or something worth a line happened.
    public func line(_ text: String) {
        guard !quiet else { return }
        screen.withLock { screen in
            if isTerminal && screen.lastLength > 0 { write("\r" + String(repeating: " ", count: screen.lastLength) + "\r"); screen.lastLength = 0 }
            write("rtpipe: \(text)\n")
        }
    }

    /// Detail shown only with `--verbose`.
    public func detail(_ text: String) { if verbose { line("  " + text) } }

    /// Progress of a long step: `done` of `total` units after `elapsed` seconds.
    public func progress(_ label: String, done: Int, total: Int, elapsed: Double, unit: String = "") {
        guard !quiet, total > 0 else { return }
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .nan
        let text = String(format: "%@: %d/%d%@ (%.1f/s, ETA %@)", label, done, total, unit, rate, ProgressReporter.duration(eta))
        screen.withLock { screen in
            if isTerminal {
                let padded = text.padding(toLength: max(text.count, screen.lastLength), withPad: " ", startingAt: 0)
                write("\r" + padded)
                screen.lastLength = text.count
            } else if Date().timeIntervalSince(screen.lastPlain) >= 10 || done == total {
                screen.lastPlain = Date()
                write("rtpipe: \(text)\n")
            }
        }
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m" : t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
