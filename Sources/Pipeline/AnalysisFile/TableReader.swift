import Corpora
import LanguageModels
import TOML

/// Reads typed values out of a TOML table while collecting problems instead of stopping at the
/// first: unknown keys, wrong types and impossible values are all reported with their lines.
final class TableReader {
    let file: String
    let table: TOMLTable
    let section: String
    private(set) var used = Set<String>()
    private let sink: ProblemSink

    init(_ table: TOMLTable, section: String, file: String, sink: ProblemSink) {
        self.table = table; self.section = section; self.file = file; self.sink = sink
    }

    /// Records `key` as read (for `reportUnknownKeys`).
    func markUsed(_ key: String) { used.insert(key) }

    func problem(_ message: String, at pos: TOMLPosition) { sink.add(AnalysisProblem(file: file, line: pos.line, column: pos.column, message: message)) }

    func position(of key: String) -> TOMLPosition { table.keyPositions[key] ?? table.position }

    private func node(_ key: String, required: Bool) -> TOMLNode? {
        used.insert(key)
        guard let n = table[key] else {
            if required { problem("[\(section)] needs the key '\(key)'", at: table.position) }
            return nil
        }
        return n
    }

    func string(_ key: String, required: Bool = false, oneOf allowed: [String]? = nil) -> String? {
        guard let n = node(key, required: required) else { return nil }
        guard case .string(let s) = n.value else { problem("[\(section)] \(key) must be a string, not \(n.value.typeName)", at: n.position); return nil }
        if let allowed, !allowed.contains(s) {
            problem("[\(section)] \(key) = \"\(s)\" is not one of: \(allowed.joined(separator: ", "))\(suggestion(s, allowed))", at: n.position)
            return nil
        }
        return s
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let n = node(key, required: required) else { return nil }
        guard case .integer(let v) = n.value else { problem("[\(section)] \(key) must be an integer, not \(n.value.typeName)", at: n.position); return nil }
        if let range, !range.contains(v) {
            problem("[\(section)] \(key) = \(v) is out of range (\(range.lowerBound)…\(range.upperBound == Int.max ? "" : String(range.upperBound)))", at: n.position)
            return nil
        }
        return v
    }

    func double(_ key: String, required: Bool = false, positive: Bool = false) -> Double? {
        guard let n = node(key, required: required) else { return nil }
        let v: Double
        switch n.value {
        case .float(let d): v = d
        case .integer(let i): v = Double(i)
        default: problem("[\(section)] \(key) must be a number, not \(n.value.typeName)", at: n.position); return nil
        }
        if !v.isFinite || (positive && v <= 0) { problem("[\(section)] \(key) = \(v) must be a finite\(positive ? ", positive" : "") number", at: n.position); return nil }
        return v
    }

    func bool(_ key: String) -> Bool? {
        guard let n = node(key, required: false) else { return nil }
        guard case .bool(let b) = n.value else { problem("[\(section)] \(key) must be true or false, not \(n.value.typeName)", at: n.position); return nil }
        return b
    }

    /// A string read by a domain's own parser (`CorpusFormat`, `EmbeddingSource`, …); what the
    /// parser throws becomes a problem at the value's position.
    func parsed<T>(_ key: String, required: Bool = false, _ parse: (String) throws -> T) -> T? {
        guard let n = node(key, required: required) else { return nil }
        guard case .string(let s) = n.value else { problem("[\(section)] \(key) must be a string, not \(n.value.typeName)", at: n.position); return nil }
        do { return try parse(s) } catch let e as SpecValueError {
            problem("[\(section)] \(e.description)\(suggestion(e.given, e.choices))", at: n.position)
        } catch {
            problem("[\(section)] \(key) = \"\(s)\": \(TableReader.message(error))", at: n.position)
        }
        return nil
    }

    /// One of a domain enum's cases, by its raw value (the list in errors comes from the enum).
    func choice<T: CaseIterable & RawRepresentable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
        parsed(key) { s in
            guard let v = T(rawValue: s) else {
                let names = T.allCases.map(\.rawValue)
                throw SpecValueError("\(key) = \"\(s)\" is not one of: \(names.joined(separator: ", "))", choices: names, given: s)
            }
            return v
        }
    }

    /// Hands the value of `key` (if present) to `set`, as a `LoadSettingValue`; what `set`
    /// throws becomes a problem at the value's position.
    func setting(_ key: String, _ set: (LoadSettingValue) throws -> Void) {
        guard let n = node(key, required: false) else { return }
        let value: LoadSettingValue
        switch n.value {
        case .string(let s): value = .string(s)
        case .integer(let i): value = .integer(i)
        case .bool(let b): value = .bool(b)
        case .array(let items):
            var strings: [String] = []
            for item in items {
                guard case .string(let s) = item.value else { problem("[\(section)] \(key): every element must be a string, not \(item.value.typeName)", at: item.position); return }
                strings.append(s)
            }
            value = .strings(strings)
        case .table(let t):
            // A column mapping written as a table: { subject = "WorkerId", position = "zone", … }.
            var pairs: [String] = []
            for k in t.keys {
                guard case .string(let s) = t[k]!.value else { problem("[\(section)] \(key).\(k) must be a string, not \(t[k]!.value.typeName)", at: t[k]!.position); return }
                pairs.append("\(k)=\(s)")
            }
            value = .strings(pairs)
        case .float:
            problem("[\(section)] \(key) must not be a float", at: n.position); return
        }
        do { try set(value) } catch { problem("[\(section)] \(key): \(TableReader.message(error))", at: n.position) }
    }

    /// An error's message for a user: a domain error's own text, without a location prefix.
    static func message(_ error: Error) -> String {
        if let e = error as? CorpusError { return e.message }
        if case LMError.invalidConfiguration(let why)? = error as? LMError { return why }
        return "\(error)"
    }

    /// An array of strings, each with its position.
    func strings(_ key: String) -> [(String, TOMLPosition)]? {
        guard let n = node(key, required: false) else { return nil }
        guard case .array(let items) = n.value else { problem("[\(section)] \(key) must be an array of strings", at: n.position); return nil }
        var out: [(String, TOMLPosition)] = []
        for item in items {
            guard case .string(let s) = item.value else { problem("[\(section)] \(key): every element must be a string, not \(item.value.typeName)", at: item.position); continue }
            out.append((s, item.position))
        }
        return out
    }

    /// Reports every key that no reader asked for.
    func reportUnknownKeys(known: [String]) {
        for key in table.keys where !used.contains(key) {
            problem("unknown key '\(key)' in [\(section)]\(suggestion(key, known))", at: position(of: key))
        }
    }

    /// "; did you mean …?" for a near miss (edit distance ≤ 2).
    func suggestion(_ s: String, _ options: [String]) -> String {
        let best = options.map { ($0, TableReader.distance(s.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}

/// Collects problems from all readers.
final class ProblemSink {
    private(set) var problems: [AnalysisProblem] = []
    func add(_ p: AnalysisProblem) { problems.append(p) }
}
