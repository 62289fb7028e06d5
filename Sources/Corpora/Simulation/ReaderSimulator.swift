import Foundation
import Numerics

/// The real layouts a simulated corpus can be written in.
public enum SimulatedLayout: String, Sendable, CaseIterable {
    /// `all_stories.tok`, `processed_RTs.tsv`, `processed_wordinfo.tsv` (self-paced reading).
    case naturalStories = "naturalstories"
    /// `txNNwrdp.dat` and `sXNNma2p.dat` (eye tracking; readers sa, sb, …, at most 26).
    case dundee
}

/// What to simulate.
public struct SimulationSettings: Sendable {
    public var layout: SimulatedLayout
    /// Number of simulated readers.
    public var subjects = 40
    /// Seed: the same settings and seed give byte-identical files.
    public var seed: UInt64 = 1
    /// The generative model and its planted effects.
    public var model = SimulationModel()
    /// The texts (one string each; words split at white space). Default: `DefaultText`.
    public var passages: [String] = DefaultText.passages
    /// Surprisal per word type (keys as `FrequencyTable.key`); words it lacks get synthetic values (counted).
    public var surprisalByWord: [String: Double]?
    /// Surprisal per word token, in text order (all passages, words split at white space); takes
    /// precedence over `surprisalByWord`, so the planted effect can depend on context.
    public var surprisalByPosition: [Double]?
    /// Frequency source for `log_freq`; default: the counts of the simulated text itself.
    public var frequency: FrequencyTable?

    public init(layout: SimulatedLayout) { self.layout = layout }
}

/// What was simulated and written.
public struct SimulationResult: Sendable {
    /// The simulated texts.
    public let corpus: Corpus
    /// Files written.
    public let files: [String]
    /// Per word: the surprisal and log frequency used.
    public let surprisal: [Double]
    public let logFrequency: [Double]
    /// Data rows written (SPR rows, or fixations).
    public let rows: Int
    /// Words whose surprisal was synthetic although a surprisal table was given.
    public let surprisalNotFound: Int
}

/// Simulated readers: draws reading times from `SimulationModel` over a text and writes them
/// in a real corpus layout, with `surprisal.tsv` (text, position, word, surprisal),
/// `frequencies.tsv` (the word counts behind `log_freq`) and `MODEL.txt` (the model) beside
/// them — for demos, tests and power analyses. Deterministic for a given seed.
///
/// Synthetic surprisal (when no table is given): 4 + 2·(max log_freq − log_freq) + N(0, 2.5²),
/// at least 0.5 bits.
public enum ReaderSimulator {
    /// Simulates and writes into `folder` (created if needed).
    public static func run(_ settings: SimulationSettings, to folder: String) throws -> SimulationResult {
        guard settings.subjects >= 1 else { throw CorpusError("need at least one simulated reader") }
        if settings.layout == .dundee && settings.subjects > 26 { throw CorpusError("the Dundee layout names readers sa…sz: at most 26 readers") }
        if settings.layout == .dundee && settings.passages.count > 99 { throw CorpusError("the Dundee layout numbers texts 01–99: at most 99 texts") }
        let passages = settings.passages.map { $0.collapsingWhitespace }.filter { !$0.isEmpty }
        guard !passages.isEmpty else { throw CorpusError("the text to simulate over is empty") }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw CorpusError("cannot create the folder: \(SystemErrorText.reason(error))", file: folder)
        }

        // The texts, laid out in lines and screens for Dundee.
        var builder = CorpusBuilder()
        for (t, passage) in passages.enumerated() {
            let forms = passage.split(separator: " ").map(String.init)
            let id = settings.layout == .dundee ? DundeeReader.textID(t + 1) : String(t + 1)
            builder.addText(id: id, words: settings.layout == .dundee ? DundeeLayout.place(forms) : forms.map { WordSpec(form: $0) })
        }
        let corpus = builder.build(name: "simulated")

        // Predictors.
        let frequency = settings.frequency ?? FrequencyTable.counting(words: corpus.words.map(\.form), source: "word counts of the simulated text")
        let logFreq = corpus.words.map { w -> Double in
            switch frequency.lookup(w.form) {
            case let .found(c), let .contractionStem(c): return frequency.logFrequency(count: c)
            case .unknown: return frequency.logFrequency(count: 0)
            }
        }
        var sampler = NormalSampler(seed: settings.seed)
        let maxLF = logFreq.max() ?? 0
        var notFound = 0
        if let given = settings.surprisalByPosition, given.count != corpus.words.count {
            throw CorpusError("surprisalByPosition has \(given.count) values for \(corpus.words.count) words", file: folder)
        }
        let surprisal = corpus.words.enumerated().map { i, w -> Double in
            let synthetic = max(0.5, 4 + 2 * (maxLF - logFreq[i]) + 2.5 * sampler.normal())
            if let given = settings.surprisalByPosition { return given[i] }
            guard let table = settings.surprisalByWord else { return synthetic }
            if let s = table[FrequencyTable.key(w.form)] { return s }
            notFound += 1
            return synthetic
        }
        let model = settings.model
        let wordEffect = corpus.words.map { _ in model.wordSD * sampler.normal() }
        let subjectEffect = (0..<settings.subjects).map { _ in model.subjectSD * sampler.normal() }
        let planned = corpus.words.map { w in
            model.intercept + model.length * Double(WordForm.length(w.form)) + model.logFrequency * logFreq[w.id] + model.surprisal * surprisal[w.id] + wordEffect[w.id]
        }
        let time = PlantedTimes(planned: planned, subjectEffect: subjectEffect, model: model)

        // Side files.
        var files: [String] = []
        func write(_ name: String, _ text: String) throws {
            let path = CorpusFiles.join(folder, name)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw CorpusError("cannot write: \(SystemErrorText.reason(error))", file: path)
            }
            files.append(path)
        }
        var surprisalText = "text\tposition\tword\tsurprisal\n"
        for w in corpus.words { surprisalText += "\(corpus.texts[w.text].id)\t\(w.positionInText)\t\(WordTable.escape(w.form))\t\(String(format: "%.4f", surprisal[w.id]))\n" }
        try write("surprisal.tsv", surprisalText)
        try write("frequencies.tsv", "word\tcount\n" + frequency.counts.keys.sorted().map { "\($0)\t\(frequency.counts[$0]!)" }.joined(separator: "\n") + "\n")
        try write("MODEL.txt", "Simulated by rtpipe (seed \(settings.seed), \(settings.subjects) readers, \(settings.layout.rawValue) layout)\n\(model.statement)\nlog_freq: \(frequency.source); surprisal: \(settings.surprisalByPosition != nil ? "given per word position" : settings.surprisalByWord == nil ? "synthetic" : "given table (\(notFound) words synthetic)")\n")

        let rows: Int
        switch settings.layout {
        case .naturalStories:
            rows = try NaturalStoriesWriter.write(corpus: corpus, subjects: settings.subjects, time: time, sampler: &sampler, folder: folder, files: &files)
        case .dundee:
            rows = try DundeeWriter.write(corpus: corpus, subjects: settings.subjects, model: model, time: time, sampler: &sampler, folder: folder, files: &files)
        }
        return SimulationResult(corpus: corpus, files: files, surprisal: surprisal, logFrequency: logFreq, rows: rows, surprisalNotFound: notFound)
    }
}

/// Lines and screens for a simulated Dundee text: lines of at most 72 characters, 5 lines a screen.
enum DundeeLayout {
    static let lineWidth = 72, linesPerScreen = 5

    static func place(_ forms: [String]) -> [WordSpec] {
        var out: [WordSpec] = []
        var screen = 1, line = 1, used = 0
        for f in forms {
            let width = f.count + (used == 0 ? 0 : 1)
            if used > 0 && used + width > lineWidth {
                line += 1
                used = 0
                if line > linesPerScreen { screen += 1; line = 1 }
            }
            used += f.count + (used == 0 ? 0 : 1)
            out.append(WordSpec(form: f, screen: screen, line: line))
        }
        return out
    }
}

/// The planted reading times: each word's fixed part plus each subject's effect; `draw` adds
/// the residual noise.
struct PlantedTimes {
    let planned: [Double]
    let subjectEffect: [Double]
    let model: SimulationModel

    /// One reading time of `subject` on `word`, rounded to ms and floored.
    func draw(_ subject: Int, _ word: Int, _ sampler: inout NormalSampler) -> Double {
        max(model.floor, (planned[word] + subjectEffect[subject] + model.residualSD * sampler.normal()).rounded())
    }
}
