import Foundation
import TOML

/// The analysis file's `[executor]` table: where `rtpipe run` sends its stages by default.
///
///     [executor]
///     kind = "slurm"          # or "local"
///     partition = "cpu"
///     time = "08:00:00"       # default by stage kind
///     memory = "8G"           # default by stage kind
///     cpus_per_stage = 4
///     account = "lab"
///     sbatch_args = ["--qos=normal"]
///
/// It is not part of the analysis's settings: changing it changes no stage key.
public struct ExecutorSettings: Sendable, Equatable {
    /// `local` or `slurm`; nil when not set.
    public var kind: String?
    public var slurm = SlurmSettings()

    public init() {}

    /// The settings of the analysis file at `path` (all its problems are reported by `AnalysisSpec.load`).
    public static func load(path: String) throws -> ExecutorSettings {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try TOMLParser.parse(text, file: path)
        guard let n = root["executor"], case .table(let t) = n.value else { return ExecutorSettings() }
        return parse(TableReader(t, section: "executor", file: path, sink: ProblemSink()))
    }

    static func parse(_ t: TableReader?) -> ExecutorSettings {
        var e = ExecutorSettings()
        guard let t else { return e }
        e.kind = t.string("kind", oneOf: ["local", "slurm"])
        e.slurm.partition = t.string("partition")
        e.slurm.account = t.string("account")
        e.slurm.time = t.string("time")
        e.slurm.memory = t.string("memory")
        e.slurm.cpusPerStage = t.int("cpus_per_stage", range: 1...4096)
        e.slurm.extraArguments = t.strings("sbatch_args")?.map(\.0) ?? []
        t.reportUnknownKeys(known: ["kind", "partition", "account", "time", "memory", "cpus_per_stage", "sbatch_args"])
        return e
    }
}
