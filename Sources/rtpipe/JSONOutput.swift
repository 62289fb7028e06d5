import Foundation
import Synchronization

// JSON on standard output. Every command prints one object with sorted keys, pretty-printed.
// JSON has no NaN or infinity: such values are written as null, and a warning on standard
// error names where (so a null is never mistaken for a missing field, nor passes unnoticed).

/// A number in JSON output: finite values as numbers; NaN and ±infinity as null, each noted
/// for the warning `printJSON` prints.
struct JSONNumber: Encodable {
    let value: Double

    init(_ value: Double) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite {
            try container.encode(value)
        } else {
            (encoder.userInfo[NonFiniteLog.key] as? NonFiniteLog)?.note(encoder.codingPath)
            try container.encodeNil()
        }
    }
}

extension Array where Element == Double {
    /// The values as JSON numbers (NaN and ±infinity become null).
    var json: [JSONNumber] { map(JSONNumber.init) }
}

/// A JSON object from parallel arrays of names and values; a repeated name is an error (never
/// a trap, never a silently dropped value).
func jsonObject<Value>(names: [String], values: [Value], of what: String) throws -> [String: Value] {
    guard names.count == values.count else {
        throw CLIError("internal error: \(names.count) names for \(values.count) \(what)")
    }
    return try Dictionary(zip(names, values)) { _, _ in
        let repeated = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        throw CLIError("internal error: \(what) has repeated names (\(repeated.joined(separator: ", "))); cannot write JSON")
    }
}

/// The places (key paths) where non-finite numbers were written as null.
final class NonFiniteLog: Sendable {
    static let key = CodingUserInfoKey(rawValue: "rtpipe.nonFiniteLog")!
    private let noted = Mutex<[String]>([])
    var paths: [String] { noted.withLock { $0 } }

    func note(_ codingPath: [CodingKey]) {
        let path = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        noted.withLock { $0.append(path) }
    }

    /// Prints the warning on standard error if anything was noted.
    func warn() {
        guard !paths.isEmpty else { return }
        let shown = paths.prefix(10).joined(separator: ", ") + (paths.count > 10 ? ", …" : "")
        let text = "rtpipe: warning: \(paths.count) value\(paths.count == 1 ? " is" : "s are") not a finite number (NaN or infinity) and written as null in the JSON output: \(shown)\n"
        FileHandle.standardError.write(text.data(using: .utf8)!)
    }
}

/// Prints `value` as one JSON object with sorted keys.
func printJSON<T: Encodable>(_ value: T) throws {
    let log = NonFiniteLog()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.userInfo[NonFiniteLog.key] = log
    let data = try encoder.encode(value)
    print(String(decoding: data, as: UTF8.self))
    log.warn()
}
