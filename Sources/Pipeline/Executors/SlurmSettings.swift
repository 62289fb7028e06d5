import Foundation

/// What the Slurm executor asks for (`--partition`, `--time`, … on `rtpipe run`, or the
/// analysis file's `[executor]` table). Memory and time are per stage kind unless set.
public struct SlurmSettings: Sendable, Equatable {
    public var partition: String?
    public var account: String?
    /// Time limit (`sbatch --time`), e.g. `"04:00:00"`; default by stage kind.
    public var time: String?
    /// Memory (`sbatch --mem`), e.g. `"8G"`; default by stage kind.
    public var memory: String?
    /// CPUs per stage (`--cpus-per-task`, and the stages' BLAS threads); default: this machine's BLAS threads.
    public var cpusPerStage: Int?
    /// More `sbatch` arguments, as given.
    public var extraArguments: [String] = []
    /// Seconds between looks at the queue.
    public var pollSeconds: Double = 2

    public init() {}

    /// Fills the settings not given here from `other` (command line over analysis file).
    public func merged(over other: SlurmSettings) -> SlurmSettings {
        var s = self
        s.partition = partition ?? other.partition
        s.account = account ?? other.account
        s.time = time ?? other.time
        s.memory = memory ?? other.memory
        s.cpusPerStage = cpusPerStage ?? other.cpusPerStage
        s.extraArguments = other.extraArguments + extraArguments
        return s
    }

    /// The time limit of a stage of `kind`: training is long, scoring and regressions short.
    func time(for kind: StageKind) -> String {
        if let time { return time }
        switch kind {
        case .lm: return "24:00:00"
        case .surprisal, .transfer, .tokenizer: return "04:00:00"
        case .corpus, .regression: return "02:00:00"
        }
    }

    /// The memory of a stage of `kind` (fused models' training holds the encoder and its cache).
    func memory(for kind: StageKind) -> String {
        if let memory { return memory }
        switch kind {
        case .lm: return "8G"
        case .surprisal, .transfer: return "4G"
        case .tokenizer, .corpus, .regression: return "2G"
        }
    }
}
