import ArgumentParser
import Foundation
import Numerics

// How `rtpipe` ends: exit status 0 on success (and for --help / --version), 2 for bad input of
// any kind — usage errors included (ArgumentParser's default for them is 64) — and whatever
// status a command chose itself (`rtpipe doctor` exits 1 when it finds problems). Errors go
// to standard error as `rtpipe: error: …`; a usage error shows the usage of the command it
// belongs to, never the top-level one.

extension RtpipeCommand {
    /// Exit status for bad input, usage errors included.
    static let badInputStatus: Int32 = 2

    /// Parses `arguments` (default: the process's), runs the chosen command and exits.
    static func runAndExit(_ arguments: [String]? = nil) -> Never {
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitAfterParsing(error)
        }
        do {
            try command.run()
            Foundation.exit(0)
        } catch let code as ExitCode {
            Foundation.exit(code == .validationFailure ? badInputStatus : code.rawValue)
        } catch let error as ValidationError {
            // A usage problem found while running: the command's own usage, not the top level's.
            let type = Swift.type(of: command)
            let path = (commandPath(to: type) ?? [_commandName]).joined(separator: " ")
            writeError("rtpipe: error: \(error.message)\nUsage: \(usageString(for: type))\n  See '\(path) --help' for more information.\n")
            Foundation.exit(badInputStatus)
        } catch {
            if exitCode(for: error).isSuccess { exitAfterParsing(error) }   // CleanExit: help or version
            writeError("rtpipe: error: \(SystemErrorText.describe(error))\n")
            Foundation.exit(badInputStatus)
        }
    }

    /// ArgumentParser's message for a parse error (with the usage of the subcommand it belongs
    /// to) or for --help / --version, with usage errors mapped to status 2.
    private static func exitAfterParsing(_ error: Error) -> Never {
        let code = exitCode(for: error)
        var text = fullMessage(for: error)
        if code.isSuccess {
            if !text.isEmpty { print(text) }
            Foundation.exit(code.rawValue)
        }
        if text.hasPrefix("Error: ") { text = "rtpipe: error: " + text.dropFirst("Error: ".count) }
        if !text.isEmpty { writeError(text + "\n") }
        Foundation.exit(code == .validationFailure || code == .failure ? badInputStatus : code.rawValue)
    }

    /// Command names from the root to `target` (e.g. ["rtpipe", "lm", "train"]), or nil.
    static func commandPath(to target: ParsableCommand.Type, from root: ParsableCommand.Type = RtpipeCommand.self) -> [String]? {
        if ObjectIdentifier(root) == ObjectIdentifier(target) { return [root._commandName] }
        for sub in root.configuration.subcommands {
            if let rest = commandPath(to: target, from: sub) { return [root._commandName] + rest }
        }
        return nil
    }

    private static func writeError(_ text: String) {
        FileHandle.standardError.write(text.data(using: .utf8)!)
    }
}
