import Foundation

/// The corpus layouts rtpipe reads.
public enum CorpusFormat: String, Sendable, CaseIterable {
    /// Natural Stories SPR: `all_stories.tok` + `processed_RTs.tsv` / `batch*_pro.csv` / `processed_wordinfo.tsv`.
    case naturalStories = "naturalstories"
    /// Dundee eye tracking: `tx*wrdp.dat` + `s*ma1p.dat`/`s*ma2p.dat` fixation files.
    case dundee
    /// Provo eye tracking: `Provo_Corpus-Eyetracking_Data.csv`.
    case provo
    /// GECO English monolingual: `MonolingualReadingData.xlsx` (or `.csv`) + `EnglishMaterial.xlsx` (or `.csv`).
    case geco
    /// MECO word-level data exported to CSV.
    case meco
    /// Brown self-paced reading: `brown_spr.csv`.
    case brown
    /// UCL self-paced reading: `selfpacedreading.RT.txt` (+ `.subj.txt`, `stimuli.txt`).
    case uclSPR = "ucl-spr"
    /// UCL eye tracking: `eyetracking.RT.txt` (+ `.subj.txt`, `stimuli.txt`).
    case uclEye = "ucl-eye"
    /// Any word-level CSV/TSV, with a column mapping (`GenericTableMapping`).
    case generic
    /// Any fixation-level CSV/TSV (one row per fixation, in temporal order), with a column mapping.
    case fixations

    /// Parses a user's spelling; "ucl" means UCL self-paced reading, "natural-stories" is accepted.
    public init?(name: String) {
        let n = name.lowercased()
        switch n {
        case "ucl", "ucl_spr", "uclspr": self = .uclSPR
        case "ucl_eye", "ucleye", "ucl-et": self = .uclEye
        case "natural-stories", "natural_stories", "ns": self = .naturalStories
        default:
            guard let f = CorpusFormat(rawValue: n) else { return nil }
            self = f
        }
    }

    /// Whether the corpus is self-paced reading (one RT per word) rather than eye tracking.
    public var isSelfPaced: Bool { self == .naturalStories || self == .brown || self == .uclSPR }

    /// The measure an export uses when none is named.
    public var defaultMeasure: Measure { isSelfPaced ? .rt : .gazeDuration }
}

/// Options for loading a corpus.
public struct LoadOptions: Sendable, Equatable {
    /// Encoding of the text files (`auto`: UTF-8 if valid, else cp1252).
    public var encoding: TextEncoding = .auto
    /// How blinks and off-screen samples affect passes when measures are computed from fixations.
    public var nonWord: NonWordPolicy = .passOver
    /// Column mapping for `generic` and `fixations`.
    public var columns: GenericTableMapping?
    /// MECO: the language whose rows are kept (`lang` column).
    public var language: String = "en"
    /// Natural Stories: apply the corpus's own processing (100 < RT < 3000, correct > 4, the
    /// join with all_stories.tok). On by default.
    public var officialProcessing = true
    /// Natural Stories: how per-subject zones relate to all_stories.tok.
    public var zones: NaturalStoriesZones = .auto
    /// Generic and fixation tables: the number of a text's first word in the position column
    /// (1, or 0 for 0-based tables). Positions are 1-based inside rtpipe either way.
    public var positionBase = 1
    /// Generic and fixation tables: keep only the rows where every filter holds; the others are
    /// removed and counted.
    public var rowFilters: [RowFilter] = []
    /// Generic tables whose rows already are per-word means over readers: the column holding
    /// how many readers each row stands for (`--aggregated n=COLUMN`).
    public var aggregatedCountColumn: String?
    /// Measures whose value 0 means "missing" in this corpus (e.g. a table writing 0 for a word
    /// not fixated); every such 0 becomes a missing value and the count is noted.
    public var zeroAsMissing: Set<Measure> = []

    public init() {}
}

/// A row filter for table readers, spelled `COLUMN=VALUE`: a row is kept when its (trimmed)
/// field in COLUMN equals VALUE.
public struct RowFilter: Sendable, Equatable, CustomStringConvertible {
    public var column: String
    public var value: String

    public init(column: String, value: String) {
        self.column = column
        self.value = value
    }

    /// Parses `COLUMN=VALUE`.
    public static func parse(_ spec: String) throws -> RowFilter {
        let kv = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard kv.count == 2, !kv[0].isEmpty else { throw CorpusError("row filter '\(spec)' is not COLUMN=VALUE (e.g. --where lang=en)") }
        return RowFilter(column: kv[0], value: kv[1])
    }

    public var description: String { "\(column)=\(value)" }
}

/// Reads any supported corpus.
public enum CorpusLoader {
    /// The readers' revision: raised whenever a change makes any reader return different words,
    /// sentences or values for the same files, so that cached pipeline stages are recomputed.
    /// 2: Dundee ma2p through FXNO, MECO first pass, GECO's shift repair, sentence splitting,
    /// Natural Stories sentences from the corpus's parses, measure sanity checks.
    public static let revision = 2

    /// Loads the corpus in `format` from `path` (a folder, or for single-file formats the file),
    /// and checks its eye-tracking measures for consistency (`MeasureSanity`): violations are
    /// counted warnings, never silent.
    public static func load(_ format: CorpusFormat, path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        var data = try read(format, path: path, options: options)
        for measure in options.zeroAsMissing.sorted() {
            guard let values = data.measurements.values(measure) else {
                throw CorpusError("--zero-missing names '\(measure.rawValue)', which this corpus does not have; it has: \(data.measurements.measures.map(\.rawValue).joined(separator: ", "))")
            }
            let zeros = values.filter { $0 == 0 }.count
            data.measurements.setColumn(measure, values.map { $0 == 0 ? nil : $0 })
            data.diagnostics.note("\(zeros) value(s) of 0 in \(measure.rawValue) read as missing (zero-as-missing)")
        }
        data.diagnostics.merge(MeasureSanity.check(data))
        return data
    }

    /// The reader of each format.
    static func read(_ format: CorpusFormat, path: String, options: LoadOptions) throws -> CorpusData {
        switch format {
        case .naturalStories: return try NaturalStoriesReader.load(path: path, options: options)
        case .dundee: return try DundeeReader.load(path: path, options: options)
        case .provo: return try ProvoReader.load(path: path, options: options)
        case .geco: return try GECOReader.load(path: path, options: options)
        case .meco: return try MECOReader.load(path: path, options: options)
        case .brown: return try BrownReader.load(path: path, options: options)
        case .uclSPR: return try UCLReader.load(path: path, part: .selfPaced, options: options)
        case .uclEye: return try UCLReader.load(path: path, part: .eyeTracking, options: options)
        case .generic, .fixations:
            guard let mapping = options.columns else {
                throw CorpusError("format '\(format.rawValue)' needs a column mapping, e.g. --columns subject=WorkerId,text=item,position=zone,word=word,rt=RT")
            }
            return format == .generic ? try GenericTableReader.load(path: path, mapping: mapping, options: options)
                                      : try FixationTableReader.load(path: path, mapping: mapping, options: options)
        }
    }
}
