import ArgumentParser

/// `rtpipe fit` (filled in by the regression module).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Fit a regression (OLS or linear mixed model) to a table.")
    func run() throws { throw ValidationError("not yet available") }
}

struct DeltaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delta", abstract: "Compare a baseline and a full regression (ΔLogLik).")
    func run() throws { throw ValidationError("not yet available") }
}
