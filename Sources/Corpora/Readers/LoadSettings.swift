/// One load option's value as an analysis file writes it (`[corpus]` keys beside `format`).
public enum LoadSettingValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case strings([String])
}

/// The load options by name, so that an analysis file can set any of them without the pipeline
/// knowing each one: a new option is added here (name, parser, check) and nowhere else.
extension LoadOptions {
    /// The settings `set(_:_:)` accepts, spelled as in analysis files.
    public static let settingNames = ["encoding", "columns", "language", "non_word", "zones", "official_processing",
                                      "position_base", "where", "aggregated", "zero_missing"]

    /// Sets the option `name` from an analysis file's value; throws `CorpusError` for a wrong
    /// type or an impossible value.
    public mutating func set(_ name: String, _ value: LoadSettingValue) throws {
        func text() throws -> String {
            guard case .string(let s) = value else { throw CorpusError("\(name) must be a string") }
            return s
        }
        func list() throws -> [String] {
            switch value {
            case .strings(let items): return items
            case .string(let s): return s.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            default: throw CorpusError("\(name) must be a string or an array of strings")
            }
        }
        switch name {
        case "encoding":
            let s = try text()
            guard let e = TextEncoding(name: s) else { throw CorpusError("unknown encoding '\(s)'; known: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))") }
            encoding = e
        case "columns":
            columns = try GenericTableMapping.parse(try list().joined(separator: ","))
        case "language":
            language = try text()
        case "non_word":
            let s = try text()
            guard let p = NonWordPolicy(rawValue: s) else { throw CorpusError("non_word must be one of: \(NonWordPolicy.allCases.map(\.rawValue).joined(separator: ", "))") }
            nonWord = p
        case "zones":
            let s = try text()
            guard let z = NaturalStoriesZones(rawValue: s) else { throw CorpusError("zones must be one of: \(NaturalStoriesZones.allCases.map(\.rawValue).joined(separator: ", "))") }
            zones = z
        case "official_processing":
            guard case .bool(let b) = value else { throw CorpusError("official_processing must be true or false") }
            officialProcessing = b
        case "position_base":
            guard case .integer(let n) = value, n == 0 || n == 1 else { throw CorpusError("position_base must be 0 or 1") }
            positionBase = n
        case "where":
            rowFilters = try list().map(RowFilter.parse)
        case "aggregated":
            aggregatedCountColumn = try Self.aggregatedColumn(try text())
        case "zero_missing":
            zeroAsMissing = Set(try list().filter { !$0.isEmpty }.map { Measure($0) })
        default:
            throw CorpusError("unknown load option '\(name)'; known: \(Self.settingNames.joined(separator: ", "))")
        }
    }

    /// The column of `n=COLUMN` (`--aggregated`, `aggregated`).
    public static func aggregatedColumn(_ spelling: String) throws -> String {
        let kv = spelling.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, kv[0] == "n", !kv[1].isEmpty else {
            throw CorpusError("aggregated must be n=COLUMN (the column with how many readers each row stands for), not '\(spelling)'")
        }
        return kv[1]
    }

    /// Checks that the options fit `format`: the table options (position base, row filters,
    /// aggregated counts, column mapping) are for the generic and fixations formats only, and
    /// those formats need a column mapping.
    public func validate(for format: CorpusFormat) throws {
        let isTable = format == .generic || format == .fixations
        if !isTable && (positionBase != 1 || !rowFilters.isEmpty || aggregatedCountColumn != nil) {
            throw CorpusError("--position-base, --where and --aggregated (position_base, where, aggregated) are for the generic and fixations formats, not \(format.rawValue)")
        }
        if aggregatedCountColumn != nil && format != .generic { throw CorpusError("--aggregated is for word-level generic tables (a fixations table is per reader)") }
        if isTable && columns == nil {
            throw CorpusError("format '\(format.rawValue)' needs a column mapping, e.g. subject=WorkerId,text=item,position=zone,word=word,rt=RT")
        }
    }

    /// The options that differ from the defaults, as `name=value` in `settingNames` order (empty
    /// for the defaults), for the keys of cached results.
    public var changedSettings: [String] {
        let d = LoadOptions()
        var out: [String] = []
        if encoding != d.encoding { out.append("encoding=\(encoding.rawValue)") }
        if let columns { out.append("columns=\(columns.spelling)") }
        if language != d.language { out.append("language=\(language)") }
        if nonWord != d.nonWord { out.append("non_word=\(nonWord.rawValue)") }
        if zones != d.zones { out.append("zones=\(zones.rawValue)") }
        if officialProcessing != d.officialProcessing { out.append("official_processing=\(officialProcessing)") }
        if positionBase != d.positionBase { out.append("position_base=\(positionBase)") }
        if !rowFilters.isEmpty { out.append("where=\(rowFilters.map(\.description).joined(separator: ","))") }
        if let aggregatedCountColumn { out.append("aggregated=n=\(aggregatedCountColumn)") }
        if !zeroAsMissing.isEmpty { out.append("zero_missing=\(zeroAsMissing.sorted().map(\.rawValue).joined(separator: ","))") }
        return out
    }

    /// The measures a corpus of `format` read with these options can offer, when known before
    /// reading it: a mapping's measures (or the eye-tracking measures for a fixation-level
    /// mapping); nil for the fixed formats, whose files decide.
    public func mappedMeasures(for format: CorpusFormat) -> [Measure]? {
        guard format == .generic || format == .fixations, let columns else { return nil }
        return columns.duration != nil ? Measure.eyeTracking : columns.measures.map(\.0)
    }
}
