import ArgumentParser

/// `rtpipe lm` (owned by the language-model work; placeholder until it lands).
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lm", abstract: "Train, evaluate and score LSTM language models (with or without sentence-embedding fusion).")
    func run() throws { throw ValidationError("rtpipe lm is not available yet") }
}
