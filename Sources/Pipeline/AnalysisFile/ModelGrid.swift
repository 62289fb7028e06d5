import LanguageModels
import TOML

/// A `[[model]]` entry that may be a grid: `fusion`, `context`, `train_sentences`, `preset` and
/// `seeds` each take one value or a list, and the entry expands to one model per combination
/// (fusion × context × training sentences × preset × seed, in that order).
///
/// Names are predictable: the listed dimensions joined by `/`, e.g. `late_concat/5000/s2`
/// (fusion, then sentences, then seed), `late_concat@zero/5000/s2` when `context` is listed,
/// prefixed by `name` when given. A model's *cell* is its name without the seed part: the
/// statistics average over the seeds of a cell. `fusion = "none"` ignores `context`, so a listed
/// context gives the baseline once. An entry without lists is one model named `name`, as before.
///
/// ```toml
/// [[model]]
/// fusion = ["none", "late_concat"]
/// train_sentences = [5000, 20000]
/// seeds = [1, 2, 3]
/// ```
struct ModelGrid {
    /// Every setting of one `[[model]]` entry; lists hold one element for a single value.
    var name: String?
    var fusions: [FusionMode]
    var contexts: [EmbeddingSource?]
    var sentences: [Int?]
    var presets: [LMConfig.Preset]
    var seeds: [Int?]
    var listed: Set<String>
    var template: AnalysisSpec.Model

    /// The keys of a `[[model]]` entry.
    static let keys = ["name", "fusion", "preset", "steps", "learning_rate", "batch_size", "context", "seed", "seeds",
                       "train_sentences", "patience", "eval_every"]

    /// Reads one `[[model]]` entry; problems go to the reader's sink.
    init(_ m: TableReader) {
        listed = Set(["fusion", "context", "train_sentences", "preset", "seeds"].filter { m.isList($0) })
        name = m.string("name", required: listed.isEmpty)
        fusions = m.each("fusion") { try ModelGrid.choice($0, FusionMode.self, key: "fusion") } ?? [.none]
        presets = m.each("preset") { try ModelGrid.choice($0, LMConfig.Preset.self, key: "preset") } ?? [.small]
        contexts = m.each("context") { try EmbeddingSource(parsing: $0) } ?? [nil]
        sentences = m.eachInt("train_sentences", range: 10...10_000_000) ?? [nil]
        if m.table["seed"] != nil && m.table["seeds"] != nil { m.problem("[[model]] use either seed or seeds, not both", at: m.position(of: "seeds")) }
        seeds = m.eachInt("seeds", range: 0...Int(Int32.max)) ?? [m.int("seed", range: 0...Int(Int32.max))]
        template = AnalysisSpec.Model(name: name ?? "", fusion: .none, preset: .small,
                                      steps: m.int("steps", range: 1...100_000_000) ?? 2000,
                                      learningRate: m.double("learning_rate", positive: true),
                                      batchSize: m.int("batch_size", range: 1...4096), context: nil, seed: nil,
                                      trainSentences: nil, patience: m.int("patience", range: 0...1000),
                                      evalEvery: m.int("eval_every", range: 1...100_000_000))
        m.reportUnknownKeys(known: ModelGrid.keys)
    }

    /// One model per combination, in a stable order, without duplicates (the baseline with
    /// several contexts is one model).
    var models: [AnalysisSpec.Model] {
        var out: [AnalysisSpec.Model] = []
        var seen = Set<String>()
        for fusion in fusions {
            for context in (fusion.usesEmbeddings || !listed.contains("context") ? contexts : [nil]) {
                for n in sentences {
                    for preset in presets {
                        var cellParts: [String] = name.map { [$0] } ?? []
                        if listed.contains("fusion") || listed.contains("context") {
                            cellParts.append(fusion.rawValue + (listed.contains("context") && fusion.usesEmbeddings ? "@\(context!.description)" : ""))
                        }
                        if listed.contains("train_sentences"), let n { cellParts.append(String(n)) }
                        if listed.contains("preset") { cellParts.append(preset.rawValue) }
                        let cell = cellParts.joined(separator: "/")
                        for seed in seeds {
                            var m = template
                            m.fusion = fusion
                            m.context = context
                            m.trainSentences = n
                            m.preset = preset
                            m.seed = seed
                            m.cell = cell
                            m.name = listed.contains("seeds") ? (cellParts + ["s\(seed ?? 0)"]).joined(separator: "/") : cell
                            if seen.insert(m.name).inserted { out.append(m) }
                        }
                    }
                }
            }
        }
        return out
    }

    static func choice<T: CaseIterable & RawRepresentable>(_ s: String, _ type: T.Type, key: String) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: s) else {
            let names = T.allCases.map(\.rawValue)
            throw SpecValueError("\(key) = \"\(s)\" is not one of: \(names.joined(separator: ", "))", choices: names, given: s)
        }
        return v
    }
}

extension TableReader {
    /// Whether `key` is written as an array.
    func isList(_ key: String) -> Bool {
        if case .array? = table[key]?.value { return true }
        return false
    }

    /// The nodes of `key`: its elements when it is an array (which must not be empty), else itself.
    private func nodes(_ key: String) -> [TOMLNode]? {
        markUsed(key)
        guard let n = table[key] else { return nil }
        guard case .array(let items) = n.value else { return [n] }
        if items.isEmpty { problem("[\(section)] \(key) must not be an empty list", at: n.position); return nil }
        return items
    }

    /// Each string of `key` (one value or a list) read by a domain parser; problems at each value.
    func each<T>(_ key: String, _ parse: (String) throws -> T) -> [T]? {
        guard let items = nodes(key) else { return nil }
        var out: [T] = []
        for item in items {
            guard case .string(let s) = item.value else { problem("[\(section)] \(key) must be a string or a list of strings, not \(item.value.typeName)", at: item.position); continue }
            do { out.append(try parse(s)) } catch let e as SpecValueError {
                problem("[\(section)] \(e.description)\(suggestion(e.given, e.choices))", at: item.position)
            } catch {
                problem("[\(section)] \(key) = \"\(s)\": \(TableReader.message(error))", at: item.position)
            }
        }
        return out.count == items.count ? out : nil
    }

    /// Each integer of `key` (one value or a list), each within `range`.
    func eachInt(_ key: String, range: ClosedRange<Int>) -> [Int?]? {
        guard let items = nodes(key) else { return nil }
        var out: [Int?] = []
        for item in items {
            guard case .integer(let v) = item.value else { problem("[\(section)] \(key) must be an integer or a list of integers, not \(item.value.typeName)", at: item.position); continue }
            guard range.contains(v) else { problem("[\(section)] \(key) = \(v) is out of range (\(range.lowerBound)…\(range.upperBound))", at: item.position); continue }
            out.append(v)
        }
        return out.count == items.count ? out : nil
    }
}
