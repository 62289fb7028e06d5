import Corpora
import LanguageModels
import RtpipeCore

// The objects the commands other than fit and delta print with --json (those two: FitJSON.swift,
// DeltaJSON.swift). Field names are the JSON keys (snake_case through CodingKeys); numbers go
// through JSONNumber, so NaN and infinity become null with a warning.

/// `rtpipe corpus check --json`.
struct CorpusCheckJSON: Encodable {
    /// One diagnostics category: how many, and a few examples.
    struct Entry: Encodable {
        let category: String
        let count: Int
        let examples: [String]
    }
    let format: String
    let files: [String]
    let texts, sentences, words, subjects, rows: Int
    let aggregate: Bool
    let measures: [String]
    let missing: [String: Int]
    let warnings, removals: [Entry]
    let notes: [String]

    init(_ data: CorpusData) {
        let m = data.measurements
        format = data.format.rawValue
        files = data.files
        texts = data.corpus.texts.count
        sentences = data.corpus.sentenceCount
        words = data.corpus.words.count
        subjects = m.subjects.count
        rows = m.count
        aggregate = m.isAggregate
        measures = m.measures.map(\.rawValue)
        missing = Dictionary(uniqueKeysWithValues: m.measures.map { ($0.rawValue, m.values($0)!.filter { $0 == nil }.count) })
        warnings = data.diagnostics.warnings.map { Entry(category: $0.category, count: $0.count, examples: $0.examples) }
        removals = data.diagnostics.removals.map { Entry(category: $0.category, count: $0.count, examples: $0.examples) }
        notes = data.diagnostics.notes
    }
}

/// `rtpipe corpus list --json`.
struct CorpusListJSON: Encodable {
    /// One known corpus; `found` is null when no copy was found.
    struct Corpus: Encodable {
        let name, title, licence, obtain: String
        let found: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(title, forKey: .title)
            try c.encode(licence, forKey: .licence)
            try c.encode(obtain, forKey: .obtain)
            try c.encode(found, forKey: .found)   // null, not absent
        }
        enum CodingKeys: String, CodingKey { case name, title, licence, obtain, found }
    }
    let corpora: [Corpus]

    init(_ known: [KnownCorpus]) {
        corpora = known.map { Corpus(name: $0.name, title: $0.title, licence: $0.licence, obtain: $0.obtain, found: $0.locate()?.path) }
    }
}

/// `rtpipe lm eval --json`: a perplexity report with what was evaluated.
struct PerplexityJSON: Encodable {
    let sentences, words, predictions: Int
    let nats, natsPerToken, perplexityPerToken, perplexityPerWord, bitsPerToken, bitsPerWord, paperStyle: JSONNumber
    let model, data, context: String
    let perplexityBase = "exp(mean NLL in nats); bits = NLL / ln 2"

    enum CodingKeys: String, CodingKey {
        case sentences, words, predictions, nats, natsPerToken = "nats_per_token", perplexityPerToken = "perplexity_per_token"
        case perplexityPerWord = "perplexity_per_word", bitsPerToken = "bits_per_token", bitsPerWord = "bits_per_word"
        case paperStyle = "paper_style_2_pow_nats", model, data, context, perplexityBase = "perplexity_base"
    }

    init(_ r: PerplexityReport, model: String, data: String, context: String) {
        sentences = r.sentences; words = r.words; predictions = r.predictions
        nats = JSONNumber(r.nats)
        natsPerToken = JSONNumber(r.natsPerToken)
        perplexityPerToken = JSONNumber(r.tokenPerplexity)
        perplexityPerWord = JSONNumber(r.wordPerplexity)
        bitsPerToken = JSONNumber(r.bitsPerToken)
        bitsPerWord = JSONNumber(r.bitsPerWord)
        paperStyle = JSONNumber(r.paperStylePerplexity)
        self.model = model; self.data = data; self.context = context
    }
}

/// `rtpipe lm bench`: throughput of one workload (the fields of the other workload are absent).
struct LMBenchJSON: Encodable {
    let implementation = "rtpipe"
    var workload: String? = nil
    let preset, fusion: String
    var parameters: Int? = nil
    let threads, batch: Int
    var bptt: Int? = nil
    var sentences: Int? = nil
    let trainTokensPerSecond: JSONNumber
    var scoreTokensPerSecond: JSONNumber? = nil
    var trainGFLOPs: JSONNumber? = nil
    var positionsPerToken: JSONNumber? = nil
    let blasKernels, cpu: String
    let packedKernel: Bool

    enum CodingKeys: String, CodingKey {
        case implementation, workload, preset, fusion, parameters, threads, batch, bptt, sentences
        case trainTokensPerSecond = "train_tokens_per_s", scoreTokensPerSecond = "score_tokens_per_s", trainGFLOPs = "train_gflops"
        case positionsPerToken = "positions_per_token", blasKernels = "blas_kernels", cpu, packedKernel = "packed_kernel"
    }
}

/// `rtpipe doctor --json`: each report line's key and value, and the problems.
struct DoctorJSON: Encodable {
    let values: [String: String]
    let problems: [String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(_ report: EnvironmentReport) {
        var values: [String: String] = [:]
        for line in report.lines { values[line.key] = line.value }
        self.values = values
        problems = report.problems
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in values where k != "problems" { try c.encode(v, forKey: Key(stringValue: k)) }
        try c.encode(problems, forKey: Key(stringValue: "problems"))
    }
}
