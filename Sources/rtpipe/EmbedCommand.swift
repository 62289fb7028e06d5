import ArgumentParser

/// `rtpipe embed` (owned by the encoder work; placeholder until it lands).
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embed", abstract: "Embed sentences or their prefixes with the native all-MiniLM-L6-v2 encoder.")
    func run() throws { throw ValidationError("rtpipe embed is not available yet") }
}
