import ArgumentParser
import RtpipeCore

/// The `rtpipe` command line.
struct RtpipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtpipe",
        abstract: "Does language-model surprisal predict human reading times?",
        discussion: """
            rtpipe trains LSTM language models with and without fused sentence embeddings, scores \
            reading-time corpora with them, and fits the field's standard regressions.
            Start with `rtpipe doctor` to check the installation.
            """,
        version: RtpipeVersion.string,
        subcommands: [RunCommand.self, DoctorCommand.self, CompareCommand.self, ReportCommand.self, FitCommand.self, DeltaCommand.self, EmbedCommand.self, LMCommand.self, CorpusCommand.self, SimulateCommand.self, BenchCommand.self, StageCommand.self, StatusCommand.self])
}
