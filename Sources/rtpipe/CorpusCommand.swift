import ArgumentParser
import Corpora
import Foundation
import RtpipeCore

/// `rtpipe corpus`: check, export and list reading-time corpora.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Check, export and list reading-time corpora.",
        subcommands: [Check.self, Export.self, List.self])

    /// Options every corpus subcommand that reads a corpus shares.
    struct Source: ParsableArguments {
        @Option(help: "Corpus format: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", ")) (ucl = ucl-spr).") var format: String
        @Option(help: "The corpus folder (or its main file).") var path: String
        @Option(help: "Text encoding: auto (UTF-8, else cp1252), utf-8, latin-1, cp1252.") var encoding: String = "auto"
        @Option(help: "Column mapping for generic/fixations tables: subject=COL,text=COL,position=COL,word=COL,rt=COL (or duration=COL).") var columns: String?
        @Option(help: "MECO: the language whose rows are kept.") var language: String = "en"
        @Option(help: "Blinks and off-screen samples in fixation data: pass-over (default) or ends-pass.") var nonWord: String = "pass-over"
        @Option(help: "Natural Stories zones: auto, aligned or official (raw batch zones).") var zones: String = "auto"
        @Flag(help: "Natural Stories: skip the corpus's own processing (RT bounds, comprehension, join).") var noOfficialProcessing = false
        @Option(help: "Generic/fixations tables: the position of a text's first word in the file, 1 (default) or 0.") var positionBase: Int = 1
        @Option(name: .customLong("where"), help: "Generic/fixations tables: keep only rows with COLUMN=VALUE (repeatable; all must hold).") var rowFilters: [String] = []
        @Option(help: "Generic tables whose rows are already per-word means: n=COLUMN, the column with how many readers each row stands for.") var aggregated: String?
        @Option(help: "Measures whose 0 means missing, comma-separated (e.g. gaze_duration,first_fixation).") var zeroMissing: String?

        /// Reads the corpus.
        func load() throws -> CorpusData {
            guard let f = CorpusFormat(name: format) else {
                throw CorpusError("unknown format '\(format)'; known: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var options = LoadOptions()
            guard let e = TextEncoding(name: encoding) else { throw CorpusError("unknown encoding '\(encoding)' (auto, utf-8, latin-1, cp1252)") }
            options.encoding = e
            guard let p = NonWordPolicy(rawValue: nonWord) else { throw CorpusError("--non-word must be pass-over or ends-pass") }
            options.nonWord = p
            guard let z = NaturalStoriesZones(rawValue: zones) else { throw CorpusError("--zones must be auto, aligned or official") }
            options.zones = z
            options.language = language
            options.officialProcessing = !noOfficialProcessing
            options.columns = try columns.map(GenericTableMapping.parse)
            guard positionBase == 0 || positionBase == 1 else { throw CorpusError("--position-base must be 0 or 1, not \(positionBase)") }
            options.positionBase = positionBase
            options.rowFilters = try rowFilters.map(RowFilter.parse)
            options.aggregatedCountColumn = try aggregated.map(LoadOptions.aggregatedColumn)
            options.zeroAsMissing = Set((zeroMissing ?? "").split(separator: ",").map { Measure(String($0).trimmingCharacters(in: .whitespaces)) })
            try options.validate(for: f)
            return try CorpusLoader.load(f, path: path, options: options)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a corpus and say what was found: texts, words, subjects, measures, problems.")
        @OptionGroup var source: Source
        @Flag(help: "Print one JSON object.") var json = false

        func run() throws {
            try reportingErrors {
                let data = try source.load()
                guard json else { print(data.summary); return }
                try printJSON(CorpusCheckJSON(data))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the word-level table (measure, reader counts, predictors) for `rtpipe fit`.",
            discussion: """
                Exclusion rules (--exclude, repeatable, applied in order): outside:LO..HI, zscore:K:subject|global[:log], \
                first_or_last_in_line|screen|sentence|text, attached_punctuation, digits, skipped, zero, drop_readers:A,B. \
                Rows missing the measure are removed last. Frequency sources: subtlex-us (fetched by scripts/setup), \
                counts:PATH (word<TAB>count), text:PATH (counts of a text). --predictors adds per-word columns from a \
                TSV keyed by text and position (e.g. surprisal); they get spillover too.
                """)
        @OptionGroup var source: Source
        @Option(help: "The measure (rt, first_fixation, gaze_duration, go_past, total_time, …); default: rt for SPR, gaze_duration for eye tracking.") var measure: String?
        @Option(help: "none (a row per subject × word) or mean (a row per word, mean over readers, with n).") var aggregate: String = "none"
        @Option(help: "An exclusion rule; repeatable.") var exclude: [String] = []
        @Option(help: "Frequency source for log_freq: subtlex-us, counts:PATH, text:PATH.") var frequency: String?
        @Option(help: "Words the frequency source lacks: add-one or missing.") var unknownWords: String = "add-one"
        @Option(help: "Number of previous words whose predictors are added (prev1_…).") var spillover = 0
        @Option(help: "A TSV/CSV of per-word values keyed by text and position; repeatable.") var predictors: [String] = []
        @Option(help: "Output TSV path.") var out: String

        func run() throws {
            try reportingErrors {
                guard spillover >= 0 else { throw CorpusError("--spillover must be 0 or more") }
                let data = try source.load()
                var options = ExportOptions(measure: measure.map { Measure($0) } ?? data.format.defaultMeasure)
                guard let a = Aggregation(rawValue: aggregate) else { throw CorpusError("--aggregate must be none or mean") }
                options.aggregation = a
                options.exclusions = try exclude.map(ExclusionRule.parse)
                options.frequency = try frequency.map { try FrequencyTable.named($0, cacheDirectory: RtpipePaths.cacheDirectory) }
                guard let u = UnknownWordPolicy(rawValue: unknownWords) else { throw CorpusError("--unknown-words must be add-one or missing") }
                options.unknownWords = u
                options.spillover = spillover
                var diagnostics = data.diagnostics
                for file in predictors {
                    let extra = try WordValues.byPosition(file, corpus: data.corpus, diagnostics: &diagnostics)
                    for name in extra.names { options.extraPredictors.set(name, extra.columns[name]!) }
                }
                let result = try CorpusExport.export(data, options: options)
                // Never overwrite what was read: the corpus's files, --predictors, a counts/text frequency file.
                let frequencyFile = frequency.flatMap { f in ["counts:", "text:"].first { f.hasPrefix($0) }.map { String(f.dropFirst($0.count)) } }
                try OutputFile.write(result.table.tsv(), to: out, inputs: [source.path] + data.files + predictors + [frequencyFile].compactMap { $0 })
                print("\(data.format.rawValue): \(data.corpus.texts.count) texts, \(data.corpus.words.count) words, \(data.measurements.subjects.count) subjects; measure \(options.measure.rawValue)")
                for line in diagnostics.lines { print(line) }
                for line in result.reportLines { print(line) }
                print("wrote \(out)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the corpora rtpipe knows: licence, where to obtain each, and whether a copy was found.")
        @Flag(help: "Print one JSON object.") var json = false

        func run() throws {
            if json {
                try printJSON(CorpusListJSON(KnownCorpus.all))
                return
            }
            for c in KnownCorpus.all {
                print("\(c.name): \(c.title)")
                print("  licence: \(c.licence)")
                print("  obtain:  \(c.obtain)")
                print("  found:   \(c.locate()?.path ?? "no (looked in \(c.candidateFolders().map(\.path).joined(separator: ", ")))")")
            }
        }
    }
}

/// `rtpipe simulate`: a simulated corpus in a real layout, with planted effects.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated reading-time corpus in a real format (Dundee or Natural Stories layout).",
        discussion: """
            Reading times follow t = intercept + length·len + log_freq·logfreq + surprisal·surp + u[subject] + v[word] + ε \
            (see MODEL.txt in the output folder for the numbers used); eye-tracking layouts add skips, refixations, \
            regressions and blinks. surprisal.tsv, frequencies.tsv and MODEL.txt are written beside the corpus, so \
            `rtpipe corpus export --frequency counts:DIR/frequencies.tsv --predictors DIR/surprisal.tsv` recovers the planted effects.
            """)

    @Option(help: "Layout: dundee or naturalstories.") var format: String
    @Option(help: "Output folder.") var out: String
    @Option(help: "Number of simulated readers (default: 10 for Dundee, as in the real corpus, at most 26; 40 for Natural Stories).") var subjects: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "A plain text to read (passages separated by blank lines); default: rtpipe's built-in passages.") var text: String?
    @Option(help: "A word<TAB>surprisal file; words it lacks get synthetic surprisal.") var surprisal: String?
    @Option(help: "Frequency source for log_freq (subtlex-us, counts:PATH, text:PATH); default: the text's own counts.") var frequency: String?
    @Option(help: "Model settings name=value,… (intercept, length, log_freq, surprisal, subject_sd, word_sd, residual_sd, …).") var effects: String?

    func run() throws {
        try reportingErrors {
            guard let layout = SimulatedLayout(rawValue: CorpusFormat(name: format)?.rawValue ?? format) else {
                throw CorpusError("--format must be dundee or naturalstories")
            }
            var settings = SimulationSettings(layout: layout)
            settings.subjects = subjects ?? (layout == .dundee ? 10 : 40)
            settings.seed = seed
            if let effects { try settings.model.apply(effects) }
            if let text {
                let content = try TextDecoding.read(path: text).text
                settings.passages = content.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            }
            settings.surprisalByWord = try surprisal.map(WordValues.byWord)
            settings.frequency = try frequency.map { try FrequencyTable.named($0, cacheDirectory: RtpipePaths.cacheDirectory) }
            let result = try ReaderSimulator.run(settings, to: out)
            print("simulated \(settings.subjects) readers × \(result.corpus.words.count) words in \(result.corpus.texts.count) texts (\(layout.rawValue) layout, seed \(seed)): \(result.rows) rows")
            if settings.surprisalByWord != nil { print("surprisal: \(result.surprisalNotFound) words not in the table got synthetic values") }
            print(settings.model.statement)
            print("wrote \(result.files.count) files to \(out)")
        }
    }
}
