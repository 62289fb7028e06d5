import Foundation
import Numerics

/// Finding a corpus's files from the path a user gives (a folder or one of the files).
enum CorpusFiles {
    /// Whether `path` is an existing folder.
    static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// `path/name`.
    static func join(_ path: String, _ name: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(name).path }

    /// The folder of `path` if it is a file, else `path`.
    static func folder(of path: String) -> String { isDirectory(path) ? path : URL(fileURLWithPath: path).deletingLastPathComponent().path }

    /// The file to read: `path` itself if it is a file, else the first of `names` present in the
    /// folder; an error listing what was looked for otherwise.
    static func locate(_ path: String, _ names: [String], what: String) throws -> String {
        if !isDirectory(path) {
            guard exists(path) else { throw CorpusError("no such file or folder", file: path) }
            return path
        }
        for n in names where exists(join(path, n)) { return join(path, n) }
        throw CorpusError("no \(what) found in this folder (looked for \(names.joined(separator: ", ")))", file: path)
    }

    /// The sorted names in folder `path` matching `pattern` (a regular expression on the whole name).
    static func list(_ path: String, matching pattern: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw CorpusError("cannot list the folder: \(SystemErrorText.reason(error))", file: path)
        }
        let re = try NSRegularExpression(pattern: "^" + pattern + "$")
        return names.filter { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }.sorted()
    }
}
