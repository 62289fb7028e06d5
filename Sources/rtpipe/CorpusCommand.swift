import ArgumentParser

/// `rtpipe corpus` and `rtpipe simulate` (owned by the corpora work; placeholders until it lands).
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "corpus", abstract: "Check, export and list reading-time corpora.")
    func run() throws { throw ValidationError("rtpipe corpus is not available yet") }
}

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Write a simulated reading-time corpus in a real format (Dundee or Natural Stories layout).")
    func run() throws { throw ValidationError("rtpipe simulate is not available yet") }
}
