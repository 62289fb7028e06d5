import Foundation

/// One fuzz target: a reader of one input format, the seeds it starts from, and how one input
/// is fed to it.
struct FuzzTarget {
    /// The name used on the command line and for the corpus folder.
    let name: String
    /// What the target reads, in a few words (shown by `--list`).
    let summary: String
    /// Built-in seed inputs, by file name (written by `--write-seeds`).
    let seeds: [(name: String, bytes: [UInt8])]
    /// Feeds one input to the code under test. Thrown errors are ignored: refusing bad input
    /// is the expected outcome; a trap or sanitizer report is the finding.
    let body: ([UInt8]) throws -> Void

    init(_ name: String, _ summary: String, seeds: [(String, [UInt8])], body: @escaping ([UInt8]) throws -> Void) {
        self.name = name; self.summary = summary
        self.seeds = seeds.map { (name: $0.0, bytes: $0.1) }
        self.body = body
    }

    /// Runs one input.
    func run(_ bytes: [UInt8]) { _ = try? body(bytes) }

    /// Writes the seeds into `dir` (created if needed).
    func writeSeeds(to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for s in seeds { try Data(s.bytes).write(to: URL(fileURLWithPath: dir).appendingPathComponent(s.name)) }
    }

    /// Every target, in the order `scripts/fuzz` runs them.
    static let all: [FuzzTarget] = TextTargets.all + CorpusTargets.all + ModelFileTargets.all
}

/// UTF-8 bytes of a string (for seeds).
func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Latin-1 bytes of a string whose characters are all below U+0100 (for cp1252 seeds).
func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

/// A private scratch folder for the readers that take a path: each input is written to a file
/// there (and companion files of multi-file formats are written once, before fuzzing starts).
enum FuzzScratch {
    /// `<tmp>/rtpipe-fuzz-<pid>`, made by `prepare`.
    nonisolated(unsafe) static var folder = ""

    /// Makes the folder and lets `target` write its fixed companion files (`CorpusTargets`).
    static func prepare(_ target: FuzzTarget) {
        folder = NSTemporaryDirectory() + "/rtpipe-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FuzzScratch.folder) }
    }

    /// A subfolder (created once) for one target's files.
    static func subfolder(_ name: String) -> String {
        let dir = folder + "/" + name
        if !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        return dir
    }

    /// Writes `bytes` to `dir/file` and returns the path.
    @discardableResult
    static func write(_ bytes: [UInt8], _ file: String, in dir: String) throws -> String {
        let path = dir + "/" + file
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
