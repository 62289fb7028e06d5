import Foundation
import Store

/// A finished stage's result in the cache: `artifacts/stage-KEY/` holding `stage.txt` (kind,
/// seconds, summary) and `rows.tsv` (`StageRows`). Written in a temporary folder of the writer's
/// own and renamed into place, so that it is either complete or absent; the coordinator imports
/// it into the store (`ResultsStore.importStage`). Logs of stage jobs lie beside it (`stage-KEY.log`).
public struct StageResultFile: Sendable {
    public let kind: String
    public let seconds: Double
    public let summary: String?
    public let rows: StageRows

    /// The result folder of the stage with store key `key`.
    public static func folder(in artifacts: URL, key: String) -> URL { artifacts.appendingPathComponent("stage-\(key.prefix(16))") }
    /// The log of the stage's job (local `--jobs` or Slurm).
    public static func log(in artifacts: URL, key: String) -> URL { artifacts.appendingPathComponent("stage-\(key.prefix(16)).log") }

    public static func exists(in artifacts: URL, key: String) -> Bool {
        FileManager.default.fileExists(atPath: folder(in: artifacts, key: key).appendingPathComponent("rows.tsv").path)
    }

    /// Writes the result atomically (a complete result already there is kept).
    public func write(in artifacts: URL, key: String) throws {
        let fm = FileManager.default
        let target = StageResultFile.folder(in: artifacts, key: key)
        let tmp = artifacts.appendingPathComponent(".stage-\(key.prefix(16)).partial-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            let header = "kind\t\(kind)\nseconds\t\(String(seconds.bitPattern, radix: 16))\nsummary\t\(StageRows.cell(.of(summary)))\n"
            try Data(header.utf8).write(to: tmp.appendingPathComponent("stage.txt"))
            // rows.tsv last: its presence marks the folder complete even before the rename.
            try Data(rows.serialized().utf8).write(to: tmp.appendingPathComponent("rows.tsv"))
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            guard rename(tmp.path, target.path) == 0 else {
                throw PipelineError("cannot move \(tmp.path) to \(target.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
    }

    /// Reads a stage's result; nil when there is none.
    public static func read(in artifacts: URL, key: String) throws -> StageResultFile? {
        let dir = folder(in: artifacts, key: key)
        let rowsURL = dir.appendingPathComponent("rows.tsv"), headerURL = dir.appendingPathComponent("stage.txt")
        guard FileManager.default.fileExists(atPath: rowsURL.path) else { return nil }
        guard let header = try? String(contentsOf: headerURL, encoding: .utf8), let rowsText = try? String(contentsOf: rowsURL, encoding: .utf8) else {
            throw PipelineError("the stage result \(dir.path) cannot be read; delete it and run again")
        }
        var fields: [String: Substring] = [:]
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1] }
        }
        guard let kind = fields["kind"], let sec = fields["seconds"].flatMap({ UInt64($0, radix: 16) }), let summaryCell = fields["summary"], let summary = StageRows.value(summaryCell) else {
            throw PipelineError("\(headerURL.path): damaged stage result header; delete \(dir.path) and run again")
        }
        let rows = try StageRows.parse(rowsText, source: rowsURL.path)
        var summaryText: String? = nil
        if case .text(let t) = summary { summaryText = t }
        return StageResultFile(kind: String(kind), seconds: Double(bitPattern: sec), summary: summaryText, rows: rows)
    }
}
