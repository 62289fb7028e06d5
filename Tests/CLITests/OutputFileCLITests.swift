import Foundation
import XCTest

/// Issue 12, item 9: `--out` writes through symbolic links and into FIFOs and devices instead
/// of replacing them, reports write errors, and refuses an output that is one of the inputs.
final class OutputFileCLITests: XCTestCase {
    func tempFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// `rtpipe bench spr-table` (no inputs, small) writing to `out`.
    func table(to out: String) throws -> CLIRunner.Output {
        try CLIRunner.run(["bench", "spr-table", "--out", out, "--subjects", "3", "--words", "20"])
    }

    func fileType(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    func testSymbolicLinksAreWrittenThrough() throws {
        let dir = try tempFolder()
        let target = dir.appendingPathComponent("target.tsv").path, link = dir.appendingPathComponent("link.tsv").path
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let r = try table(to: link)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try fileType(link), .typeSymbolicLink, "the link is kept")
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("subject\titem"), "the target gets the table")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        // A link to a file that does not exist yet creates that file.
        let dangling = dir.appendingPathComponent("dangling.tsv").path, missing = dir.appendingPathComponent("new.tsv").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: missing)
        XCTAssertEqual(try table(to: dangling).status, 0)
        XCTAssertEqual(try fileType(dangling), .typeSymbolicLink)
        XCTAssertTrue(FileManager.default.fileExists(atPath: missing))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }, [], "no temporary files left")
    }

    func testSpecialFilesAreWrittenToNotReplaced() throws {
        let dir = try tempFolder()
        let fifo = dir.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let received = Box()
        let reader = Thread {
            // Opening a FIFO for reading waits for the writer (and the writer for a reader).
            let fd = open(fifo, O_RDONLY)
            guard fd >= 0 else { return }
            received.data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
        }
        reader.start()
        let r = try table(to: fifo)
        XCTAssertEqual(r.status, 0, r.stderr)
        while !reader.isFinished { usleep(10_000) }
        var s = stat()
        XCTAssertEqual(lstat(fifo, &s), 0)
        XCTAssertEqual(s.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        XCTAssertTrue(String(decoding: received.data, as: UTF8.self).hasPrefix("subject\titem"))

        XCTAssertEqual(try table(to: "/dev/null").status, 0)
        XCTAssertEqual(try fileType("/dev/null"), .typeCharacterSpecial)
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let full = try table(to: "/dev/full")
            XCTAssertEqual(full.status, 2)
            XCTAssertTrue(full.stderr.contains("/dev/full") && full.stderr.contains("No space left"), full.stderr)
            XCTAssertEqual(try fileType("/dev/full"), .typeCharacterSpecial)
        }
        let folder = try table(to: dir.path)
        XCTAssertEqual(folder.status, 2)
        XCTAssertTrue(folder.stderr.contains("folder"), folder.stderr)
    }

    func testAnOutputThatIsAnInputIsRefused() throws {
        let dir = try tempFolder()
        let sim = dir.appendingPathComponent("sim").path
        XCTAssertEqual(try CLIRunner.run(["simulate", "--format", "naturalstories", "--out", sim, "--subjects", "2"]).status, 0)
        let rts = sim + "/processed_RTs.tsv", predictors = sim + "/surprisal.tsv"
        let link = dir.appendingPathComponent("rts-link.tsv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: rts)
        for out in [rts, link, sim + "/../sim/processed_RTs.tsv", predictors] {
            let before = try Data(contentsOf: URL(fileURLWithPath: out))
            let r = try CLIRunner.run(["corpus", "export", "--format", "naturalstories", "--path", sim, "--predictors", predictors, "--out", out])
            XCTAssertEqual(r.status, 2, "\(out): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("one of this command's inputs"), r.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), before, "\(out) is unchanged")
        }
        let ok = try CLIRunner.run(["corpus", "export", "--format", "naturalstories", "--path", sim, "--out", dir.appendingPathComponent("words.tsv").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }
}
