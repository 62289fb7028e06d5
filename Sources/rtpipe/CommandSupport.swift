import ArgumentParser
import Foundation
import Numerics
import RtpipeCore

/// Runs a command body; any error is printed as `rtpipe: error: …` on standard error and the
/// process exits with status 2 (never a crash or a stack trace).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch {
        FileHandle.standardError.write("rtpipe: error: \(SystemErrorText.describe(error))\n".data(using: .utf8)!)
        throw ExitCode(2)
    }
}

/// Parses `--levels column=a,b,c` options into level orders.
func parseLevelOrders(_ specs: [String]) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for spec in specs {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
            throw ValidationError("--levels expects COLUMN=level1,level2,…; got '\(spec)'")
        }
        out[String(spec[..<eq])] = spec[spec.index(after: eq)...].split(separator: ",").map(String.init)
    }
    return out
}

/// A progress line on standard error (so `--json` output on standard output stays clean).
func progressLine(_ text: String) {
    FileHandle.standardError.write("rtpipe: \(text)\n".data(using: .utf8)!)
}

/// A run-time problem reported as `rtpipe: error: …` with exit status 2 (no usage text).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The project the command works in: the nearest folder with `Package.swift` (see
/// `RtpipePaths.projectRoot`), else the current directory.
var projectRootOrCurrentDirectory: URL {
    RtpipePaths.projectRoot ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}
