import Foundation

/// How per-subject Natural Stories zones relate to `all_stories.tok`.
public enum NaturalStoriesZones: String, Sendable, CaseIterable {
    /// Decide from the `word` column: keep the zones if the words agree with all_stories.tok
    /// at (item, zone), apply the official shift if they agree better after it. Batch files
    /// without a word column get the official shift.
    case auto
    /// Zones already match all_stories.tok (the released processed_RTs.tsv).
    case aligned
    /// Raw batch zones: drop item 3 zone 231 (a blank token), then zone − 3 for item 3 after
    /// zone 230 and zone − 2 elsewhere (the corpus's process_RTs.R).
    case official
}

/// Reads Natural Stories (Futrell et al. 2021).
///
/// - `all_stories.tok` (TSV `word zone item`): the words, one per row, `item` = story 1–10,
///   `zone` = 1-based position. Sentences come from the corpus's own parses,
///   `stories-aligned.conllx` (`NaturalStoriesParses`), when that file is in the folder (or in
///   `parses/ud/`); otherwise they are inferred from punctuation (`SentenceBoundaries`).
/// - Reading times, first found of: `processed_RTs.tsv` (per subject; TSV `WorkerId … item zone
///   RT word …`), `batch1_pro.csv`/`batch2_pro.csv` (raw per-subject batches), or
///   `processed_wordinfo.tsv` (per-word means over readers: `nItem`, `meanItemRT`, `sdItemRT`,
///   `gmeanItemRT`, `gsdItemRT`; rows stand for `nItem` readers). `path` may also name one of
///   these files directly.
///
/// The corpus's own processing (on unless `officialProcessing` is off) is applied to
/// per-subject rows and every removal is counted: the zone shift for raw zones, the join with
/// all_stories.tok (rows with no word there are dropped), 100 < RT < 3000, and correct > 4.
/// A `word` column that disagrees with all_stories.tok after alignment is a counted warning
/// (the corpus's "peaked"/"peeked" mismatch). `processed_wordinfo.tsv` was computed before the
/// May 2025 realignment of per-subject RTs, so means recomputed from a newer processed_RTs.tsv
/// differ from it slightly.
public enum NaturalStoriesReader {
    /// The word list's file name.
    public static let tokenFile = "all_stories.tok"

    /// Loads from a folder (or one of the corpus's files).
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> CorpusData {
        let folder = CorpusFiles.folder(of: path)
        let tokPath = try findTokens(folder)
        let parses = NaturalStoriesParses.locate(folder)
        let (corpus, tokDiagnostics) = try readTokens(tokPath, encoding: options.encoding, parses: parses)
        var diagnostics = tokDiagnostics
        let source = try CorpusFiles.isDirectory(path) ? findSource(folder) : [path]
        let name = source[0].split(separator: "/").last.map(String.init) ?? source[0]
        var measurements: Measurements
        if name.hasSuffix("wordinfo.tsv") {
            measurements = try readWordInfo(source[0], corpus: corpus, diagnostics: &diagnostics, encoding: options.encoding)
        } else if name == tokenFile {
            throw CorpusError("all_stories.tok has the words only; give the folder, or processed_RTs.tsv / processed_wordinfo.tsv", file: path)
        } else {
            measurements = try readPerSubject(source, corpus: corpus, options: options, diagnostics: &diagnostics)
        }
        let covered = Set(measurements.word)
        let uncovered = corpus.words.filter { !covered.contains($0.id) }
        if !uncovered.isEmpty {
            diagnostics.warn("words of all_stories.tok without any reading time", count: uncovered.count)
        }
        return CorpusData(format: .naturalStories, corpus: corpus, measurements: measurements, diagnostics: diagnostics,
                          files: [tokPath] + (parses.map { [$0] } ?? []) + source)
    }

    static func findTokens(_ folder: String) throws -> String {
        for candidate in [CorpusFiles.join(folder, tokenFile), CorpusFiles.join(CorpusFiles.join(folder, "words"), tokenFile),
                          CorpusFiles.join(CorpusFiles.join(folder, ".."), "words/" + tokenFile)] where CorpusFiles.exists(candidate) {
            return candidate
        }
        throw CorpusError("no \(tokenFile) found (looked in the folder and in words/ beside it)", file: folder)
    }

    static func findSource(_ folder: String) throws -> [String] {
        let processed = CorpusFiles.join(folder, "processed_RTs.tsv")
        if CorpusFiles.exists(processed) { return [processed] }
        let batches = try CorpusFiles.list(folder, matching: "batch[0-9]+_pro\\.csv")
        if !batches.isEmpty { return batches.map { CorpusFiles.join(folder, $0) } }
        let info = CorpusFiles.join(folder, "processed_wordinfo.tsv")
        if CorpusFiles.exists(info) { return [info] }
        throw CorpusError("no reading times found (looked for processed_RTs.tsv, batch*_pro.csv, processed_wordinfo.tsv)", file: folder)
    }

    /// Reads `all_stories.tok` into a corpus (texts = items in numeric order, ids "1"…"10"), with
    /// sentences from the parses file `parses` when given, else from punctuation.
    public static func readTokens(_ path: String, encoding: TextEncoding = .auto, parses: String? = nil) throws -> (Corpus, Diagnostics) {
        let sentenceOf = try parses.map { try NaturalStoriesParses.sentences($0, encoding: encoding) }
        let table = try DelimitedFile.open(path: path, separator: .tab, quoting: false, encoding: encoding)
        let cWord = try table.requireColumn("word"), cZone = try table.requireColumn("zone"), cItem = try table.requireColumn("item")
        var assembler = WordLevelAssembler(measures: [])
        var zones = Set<NaturalStoriesParses.Zone>()
        try table.forEachRow { row in
            let item = try row.int(cItem), zone = try row.position(cZone)
            if assembler.hasWord(text: String(item), position: zone) {
                assembler.diagnostics.warn("repeated (item, zone) in all_stories.tok (first kept)", at: row.location(), "item \(item) zone \(zone)")
            }
            var key: Int? = nil
            if let sentenceOf {
                zones.insert(.init(item: item, zone: zone))
                // A word the parses lack belongs to the sentence of the nearest word before it.
                var z = zone
                while key == nil && z >= 1 { key = sentenceOf[.init(item: item, zone: z)]; z -= 1 }
                if sentenceOf[.init(item: item, zone: zone)] == nil {
                    assembler.diagnostics.warn("word of all_stories.tok not in the parses (given the sentence of the word before it)", at: row.location(), "item \(item) zone \(zone)")
                }
            }
            assembler.word(text: String(item), position: zone, WordSpec(form: row.string(cWord).collapsingWhitespace, sentenceKey: key), at: row.location())
        }
        if let sentenceOf, let parses {
            let extra = sentenceOf.keys.filter { !zones.contains($0) }.count
            if extra > 0 { assembler.diagnostics.warn("tokens of the parses at an (item, zone) not in all_stories.tok", at: SourceLocation(file: parses), count: extra) }
        }
        let data = assembler.build(format: .naturalStories, files: [path], name: "naturalstories")
        var diagnostics = data.diagnostics
        diagnostics.note(parses.map { "sentences from the corpus's parses (\(($0 as NSString).lastPathComponent)): \(data.corpus.sentenceCount)" }
                         ?? "no \(NaturalStoriesParses.fileName) beside all_stories.tok: sentences inferred from punctuation (\(data.corpus.sentenceCount))")
        return (data.corpus, diagnostics)
    }

    /// Reads `processed_wordinfo.tsv`: one row per word with the mean over readers.
    static func readWordInfo(_ path: String, corpus: Corpus, diagnostics: inout Diagnostics, encoding: TextEncoding) throws -> Measurements {
        let table = try DelimitedFile.open(path: path, separator: .tab, quoting: false, encoding: encoding)
        let cWord = try table.requireColumn("word"), cZone = try table.requireColumn("zone"), cItem = try table.requireColumn("item")
        let cN = try table.requireColumn("nItem"), cMean = try table.requireColumn("meanItemRT")
        let extras: [(Measure, Int?)] = [(Measure("rt_sd"), table.column(["sdItemRT"])), (Measure("rt_gmean"), table.column(["gmeanItemRT"])),
                                         (Measure("rt_gsd"), table.column(["gsdItemRT"]))]
        var m = Measurements(measures: [.rt] + extras.filter { $0.1 != nil }.map(\.0))
        let subject = m.subjectID("(mean over readers)")
        var seen = Set<Int>()
        try table.forEachRow { row in
            let item = try row.int(cItem), zone = try row.int(cZone)
            guard let w = corpus.wordID(text: String(item), position: zone) else {
                diagnostics.warn("row for an (item, zone) not in all_stories.tok", at: row.location(), "item \(item) zone \(zone)")
                return
            }
            let form = row.string(cWord)
            if form != corpus.words[w].form {
                diagnostics.warn("word differs from all_stories.tok at (item, zone)", at: row.location(), "'\(form)' vs '\(corpus.words[w].form)'")
            }
            guard seen.insert(w).inserted else {
                diagnostics.warn("repeated (item, zone) row (first kept)", at: row.location(), "item \(item) zone \(zone)")
                return
            }
            let n = try row.int(cN)
            guard n >= 1 else {
                diagnostics.warn("nItem below 1 (row set aside)", at: row.location(cN), "nItem \(n)")
                return
            }
            var values: [Double?] = [try row.double(cMean)]
            for (_, c) in extras { if let c { values.append(try row.double(c)) } }
            m.append(subject: subject, word: w, values: values, readers: n)
        }
        diagnostics.note("processed_wordinfo.tsv holds means over readers (computed before the corpus's May 2025 per-subject realignment)")
        return m
    }

    /// Reads per-subject rows (processed_RTs.tsv or raw batch files), aligns zones and applies
    /// the corpus's processing.
    static func readPerSubject(_ files: [String], corpus: Corpus, options: LoadOptions, diagnostics: inout Diagnostics) throws -> Measurements {
        struct Raw { let worker: String; let item: Int; let zone: Int; let rt: Double?; let correct: Double?; let word: String?; let at: SourceLocation }
        var raws: [Raw] = []
        var sawCorrect = true, sawWord = true, isBatch = false
        for file in files {
            let table = try DelimitedFile.open(path: file, quoting: file.hasSuffix(".csv") ? true : false, encoding: options.encoding)
            isBatch = isBatch || file.hasSuffix(".csv")
            let cWorker = try table.requireColumn("WorkerId"), cItem = try table.requireColumn("item"), cZone = try table.requireColumn("zone")
            let cRT = try table.requireColumn("RT")
            let cCorrect = table.column(["correct"]), cWord = table.column(["word"])
            sawCorrect = sawCorrect && cCorrect != nil
            sawWord = sawWord && cWord != nil
            try table.forEachRow { row in
                raws.append(Raw(worker: row.trimmed(cWorker), item: try row.int(cItem), zone: try row.int(cZone), rt: try row.double(cRT),
                                correct: try cCorrect.flatMap { try row.double($0) }, word: cWord.map { row.string($0) }, at: row.location()))
            }
        }
        // Decide the zone alignment.
        func officialZone(_ item: Int, _ zone: Int) -> Int? {
            if item == 3 && zone == 231 { return nil }
            return item == 3 && zone > 230 ? zone - 3 : zone - 2
        }
        var useOfficial: Bool
        switch options.zones {
        case .aligned: useOfficial = false
        case .official: useOfficial = true
        case .auto:
            if sawWord {
                var plain = 0, shifted = 0
                for r in raws.prefix(20_000) {
                    guard let word = r.word else { continue }
                    if let w = corpus.wordID(text: String(r.item), position: r.zone), corpus.words[w].form == word { plain += 1 }
                    if let z = officialZone(r.item, r.zone), let w = corpus.wordID(text: String(r.item), position: z), corpus.words[w].form == word { shifted += 1 }
                }
                useOfficial = shifted > plain
                diagnostics.note("zones: \(useOfficial ? "official shift applied (raw zones)" : "used as given") — the word column matched all_stories.tok in \(max(plain, shifted)) of the first \(min(raws.count, 20_000)) rows (other choice: \(min(plain, shifted)))")
            } else {
                useOfficial = isBatch
                diagnostics.note("zones: \(useOfficial ? "official shift applied (batch files)" : "used as given") (no word column to check)")
            }
        }
        if options.officialProcessing && !sawCorrect { diagnostics.note("no 'correct' column: the comprehension rule (correct > 4) was not applied") }

        var m = Measurements(measures: [.rt])
        for r in raws {
            var zone = r.zone
            if useOfficial {
                guard let z = officialZone(r.item, r.zone) else { diagnostics.removed("item 3 zone 231 (the blank token; official processing)"); continue }
                zone = z
            }
            guard let w = corpus.wordID(text: String(r.item), position: zone) else {
                diagnostics.removed("no word at (item, zone) in all_stories.tok (the official join)", example: "\(r.at): item \(r.item) zone \(zone)")
                continue
            }
            if let word = r.word, word != corpus.words[w].form {
                diagnostics.warn("word differs from all_stories.tok at (item, zone)", at: r.at, "'\(word)' vs '\(corpus.words[w].form)'")
            }
            if options.officialProcessing {
                if let c = r.correct, !(c > 4) { diagnostics.removed("comprehension correct ≤ 4 (official processing)"); continue }
                if let rt = r.rt, !(rt > 100 && rt < 3000) { diagnostics.removed("RT outside 100 < RT < 3000 (official processing)"); continue }
            }
            m.append(subject: m.subjectID(r.worker), word: w, values: [r.rt])
        }
        return m
    }
}
