import ArgumentParser
import Foundation
import RtpipeCore

/// `rtpipe doctor`: what a user needs to know before a long run.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation: versions, BLAS kernels and threads, encoder weights, corpora, GEMM speed.",
        discussion: "Exits with status 1 when something required is missing, and says what to do.")

    @Flag(name: .long, help: "Skip the short GEMM speed measurement.")
    var noBenchmark = false

    @Flag(name: .long, help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let report = EnvironmentReport.gather(measureGEMM: !noBenchmark)
        if json {
            try printJSON(DoctorJSON(report))
        } else {
            print(report.text)
        }
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}
