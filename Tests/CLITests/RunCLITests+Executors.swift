import Foundation
import XCTest

/// The stage graph's executors end to end on the tiny analysis: `--jobs 2` and a real Slurm
/// cluster give the store and table of a serial run (same BLAS thread count per stage).
extension RunCLITests {
    /// Serial and `--jobs 2` runs, each in its own folder and cache, with 1 BLAS thread per stage.
    func testJobsTwoGivesTheSerialResults() throws {
        let (a, analysisA) = try makeProject(fusion: false)
        let (b, analysisB) = try makeProject(fusion: false)
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let serial = try CLIRunner.run(["run", analysisA.path, "--blas-threads", "1"], environment: env(a))
        XCTAssertEqual(serial.status, 0, serial.stderr)
        let parallel = try CLIRunner.run(["run", analysisB.path, "--jobs", "2", "--blas-threads", "1"], environment: env(b))
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        XCTAssertTrue(parallel.stderr.contains("surprisal:lstm: started"), "stages ran as separate processes:\n\(parallel.stderr)")
        XCTAssertEqual(parallel.stdout, serial.stdout)
        XCTAssertEqual(try storeContents(b), try storeContents(a))
        // Each stage was imported once: a second run finds everything cached.
        let again = try CLIRunner.run(["run", analysisB.path, "--jobs", "2", "--blas-threads", "1"], environment: env(b))
        XCTAssertTrue(again.stderr.contains("0 stages run, 5 cached"), again.stderr)
        XCTAssertEqual(try storeContents(b), try storeContents(a))
    }

    /// The plan names each stage's dependencies; `stage run` refuses an unknown id or unfinished inputs.
    func testStageRunChecksItsStageAndInputs() throws {
        let (dir, analysis) = try makeProject(fusion: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dry = try CLIRunner.run(["run", analysis.path, "--dry-run"], environment: env(dir))
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("depends on: corpus, lm:lstm"), dry.stdout)
        let unknown = try CLIRunner.run(["stage", "run", analysis.path, "lm:nope"], environment: env(dir))
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("has no stage 'lm:nope'") && unknown.stderr.contains("regression:lstm:ols"), unknown.stderr)
        let early = try CLIRunner.run(["stage", "run", analysis.path, "surprisal:lstm"], environment: env(dir))
        XCTAssertEqual(early.status, 2)
        XCTAssertTrue(early.stderr.contains("needs corpus, lm:lstm to finish first"), early.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results.sqlite").path), "a stage run never creates the store")
    }

    /// Through the local Slurm cluster (`scripts/slurm-local start`; `.ci/run` starts it): the
    /// store equals a local run's; `--detach` then `run` again resubmits nothing and imports once.
    func testSlurmExecutorGivesTheLocalResults() throws {
        let (a, b, analysisB, local) = try slurmProjects()

        let submitted = try CLIRunner.run(["run", analysisB.path, "--executor", "slurm", "--blas-threads", "1", "--detach"], environment: env(b))
        XCTAssertEqual(submitted.status, 0, submitted.stderr)
        let jobs = submitted.stderr.split(separator: "\n").filter { $0.contains("submitted as job") }
        XCTAssertEqual(jobs.count, 4, "one job per uncached stage but the corpus (run by the coordinator):\n\(submitted.stderr)")
        let status = try CLIRunner.run(["status", analysisB.path, "--blas-threads", "1"], environment: env(b))
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("(job "), status.stdout)

        let followed = try CLIRunner.run(["run", analysisB.path, "--executor", "slurm", "--blas-threads", "1"], environment: env(b))
        XCTAssertEqual(followed.status, 0, followed.stderr)
        XCTAssertFalse(followed.stderr.contains("submitted as job"), "nothing is submitted twice:\n\(followed.stderr)")
        XCTAssertEqual(followed.stdout, local.stdout)
        XCTAssertEqual(try storeContents(b), try storeContents(a))
    }

    /// The coordinator is killed (SIGKILL) after importing a finished stage while later stages'
    /// jobs are queued or running; `rtpipe run` again submits nothing, imports each remaining
    /// stage once, and the store equals a local run's.
    func testSlurmCoordinatorKilledMidRunResumesWithoutResubmitting() throws {
        let (a, b, analysisB, local) = try slurmProjects()

        // The coordinator, followed through a log file until its first import.
        let log = b.appendingPathComponent("coordinator.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let coordinator = Process()
        coordinator.executableURL = CLIRunner.executable
        coordinator.arguments = ["run", analysisB.path, "--executor", "slurm", "--blas-threads", "1"]
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env(b) { environment[k] = v }
        coordinator.environment = environment
        coordinator.currentDirectoryURL = CLIRunner.packageRoot
        coordinator.standardOutput = FileHandle.nullDevice
        coordinator.standardError = try FileHandle(forWritingTo: log)
        try coordinator.run()
        let deadline = Date().addingTimeInterval(300)
        var text = ""
        while Date() < deadline, coordinator.isRunning {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.contains("finished; imported") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(coordinator.isRunning, "the coordinator ended before it could be killed mid-run:\n\(text)")
        kill(coordinator.processIdentifier, SIGKILL)
        coordinator.waitUntilExit()
        let submitted = text.split(separator: "\n").filter { $0.contains("submitted as job") }.count
        let imported = text.split(separator: "\n").filter { $0.contains("finished; imported") }.count
        XCTAssertEqual(submitted, 4, text)
        XCTAssertGreaterThanOrEqual(imported, 1, text)
        XCTAssertLessThan(imported, submitted, "some stages must still be queued or running when the coordinator dies:\n\(text)")

        let resumed = try CLIRunner.run(["run", analysisB.path, "--executor", "slurm", "--blas-threads", "1"], environment: env(b))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertFalse(resumed.stderr.contains("submitted as job"), "nothing is submitted twice:\n\(resumed.stderr)")
        let followedOrImported = resumed.stderr.split(separator: "\n").filter { $0.contains("not submitted again") || $0.contains("finished; imported") }
        XCTAssertGreaterThanOrEqual(followedOrImported.count, 1, resumed.stderr)
        XCTAssertEqual(resumed.stdout, local.stdout)
        XCTAssertEqual(try storeContents(b), try storeContents(a))
        // Each stage's rows were imported exactly once.
        XCTAssertEqual(try sqlite(b, "SELECT COUNT(*) FROM stages"), try sqlite(a, "SELECT COUNT(*) FROM stages"))
    }

    /// For a Slurm test (skipped without a cluster): two tiny projects without fusion, removed at
    /// teardown, and the local run of the first with 1 BLAS thread per stage, the reference.
    func slurmProjects() throws -> (local: URL, slurm: URL, slurmAnalysis: URL, localRun: CLIRunner.Output) {
        try requireSlurm()
        let (a, analysisA) = try makeProject(fusion: false)
        let (b, analysisB) = try makeProject(fusion: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let local = try CLIRunner.run(["run", analysisA.path, "--blas-threads", "1"], environment: env(a))
        XCTAssertEqual(local.status, 0, local.stderr)
        return (a, b, analysisB, local)
    }

    /// Skips unless `sbatch` is installed and a Slurm controller answers.
    func requireSlurm() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sbatch") || ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/sbatch") }) == true else {
            throw XCTSkip("sbatch is not installed: the Slurm executor test needs a cluster (scripts/slurm-local start sets up a one-node one)")
        }
        let sinfo = Process()
        sinfo.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sinfo.arguments = ["sinfo", "-h"]
        sinfo.standardOutput = FileHandle.nullDevice
        sinfo.standardError = FileHandle.nullDevice
        try sinfo.run()
        sinfo.waitUntilExit()
        guard sinfo.terminationStatus == 0 else { throw XCTSkip("no Slurm controller answers (sinfo failed): run scripts/slurm-local start first") }
    }
}
