import Corpora
import Encoders
import Foundation
import LanguageModels
import MixedModels
import Reports
import Store
import Tokenization

extension AnalysisRunner {
    /// Runs every stage that is not cached, then regenerates the reports from the store.
    public func run() throws -> RunResult {
        let stages = try plan()
        var ran: [String] = [], cached: [String] = []
        try store.beginRun(provenance(""), analysisFile: nil)
        do {
            let corpus = try corpusStage(stages[0])
            (stages[0].cached ? { cached.append("corpus") } : { ran.append("corpus") })()
            let tokenizerURL = try tokenizerStage(stages[1])
            (stages[1].cached ? { cached.append("tokenizer") } : { ran.append("tokenizer") })()
            for m in spec.models {
                let lmStage = stages.first { $0.name == "lm:\(m.name)" }!
                let modelURL = try languageModelStage(m, lmStage, tokenizerURL: tokenizerURL)
                (lmStage.cached ? { cached.append(lmStage.name) } : { ran.append(lmStage.name) })()
                let sStage = stages.first { $0.name == "surprisal:\(m.name)" }!
                let surprisal = try surprisalStage(m, sStage, modelURL: modelURL, corpus: corpus)
                (sStage.cached ? { cached.append(sStage.name) } : { ran.append(sStage.name) })()
                for r in spec.regressions {
                    let rStage = stages.first { $0.name == "regression:\(m.name):\(r.name)" }!
                    try regressionStage(m, r, rStage, corpus: corpus, surprisal: surprisal)
                    (rStage.cached ? { cached.append(rStage.name) } : { ran.append(rStage.name) })()
                }
            }
            try store.finishRun(runID, status: "finished")
        } catch {
            try? store.finishRun(runID, status: "failed: \(error)")
            throw error
        }
        let tables = try ComparisonQuery.tables(store, analysis: spec.name, models: spec.models.map(\.name))
        let reportRoot = URL(fileURLWithPath: resolve(spec.reportDirectory))
        let files = try ReportWriter.write(tables, to: reportRoot)
        progress.line("reports: \(files.count) files in \(reportRoot.path)")
        return RunResult(database: databasePath, tables: tables, reportFiles: files, stagesRun: ran, stagesCached: cached)
    }

    // MARK: Corpus

    /// Loads the corpus (simulating it first for `format = "simulated"`); records what was read
    /// and excluded. Loading is repeated on every run (it is fast); the rows are written once.
    func corpusStage(_ stage: PlannedStage) throws -> CorpusData {
        let start = Date()
        let data: CorpusData
        if spec.corpus.format == "simulated" {
            let folder = artifacts.appendingPathComponent("corpus-\(corpusKey.short)")
            if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("MODEL.txt").path) {
                progress.line("corpus: simulating readers in the Natural Stories layout (SIMULATED data, not human readers)")
                try simulateCorpus(into: folder)
            }
            data = try CorpusLoader.load(.naturalStories, path: folder.path)
        } else {
            guard let format = CorpusFormat(name: spec.corpus.format) else { throw PipelineError("unknown corpus format \(spec.corpus.format)") }
            data = try CorpusLoader.load(format, path: resolve(spec.corpus.path))
        }
        progress.line("corpus: \(data.corpus.texts.count) texts, \(data.corpus.words.count) words, \(data.measurements.subjects.count) readers, \(data.measurements.count) rows" + (stage.cached ? " (rows already stored)" : ""))
        for line in data.diagnostics.lines { progress.detail("corpus: \(line)") }
        guard !stage.cached else { return data }
        let rules = try spec.corpus.exclude.map(ExclusionRule.parse)
        let measure = Measure(rawValue: spec.corpus.measure)
        guard data.measurements.values(measure) != nil else {
            throw PipelineError("the corpus has no measure '\(spec.corpus.measure)'; it has: \(data.measurements.measures.map(\.rawValue).joined(separator: ", "))")
        }
        let (_, report) = try Exclusions.apply(rules, measure: measure, to: data)
        for l in report.lines { progress.line("corpus: \(l)") }
        try store.writeStage("corpus", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: nil) { w in
            try w.insert("corpora", ["corpus": .text(spec.corpus.format == "simulated" ? "simulated" : spec.corpus.path), "format": .text(spec.corpus.format),
                                     "path": .text(spec.corpus.path), "measure": .text(spec.corpus.measure), "texts": .of(data.corpus.texts.count),
                                     "words": .of(data.corpus.words.count), "subjects": .of(data.measurements.subjects.count),
                                     "rows_read": .of(report.rowsBefore), "rows_kept": .of(report.rowsAfter)])
            for step in report.steps { try w.insert("exclusions", ["corpus": .text(spec.corpus.format), "rule": .text(step.rule), "rows_removed": .of(step.removed)]) }
        }
        return data
    }

    /// Simulated readers over the simulator's own default text, with reading times that depend on
    /// each word's bigram surprisal under the training text (an interpolated bigram model), so
    /// that a language model's surprisal has something to predict beyond word frequency.
    /// Written to a temporary folder, then renamed into place.
    func simulateCorpus(into folder: URL) throws {
        var settings = SimulationSettings(layout: .naturalStories)
        settings.seed = UInt64(spec.seed)
        settings.subjects = 40
        if FileManager.default.fileExists(atPath: trainingTextPath) {
            let text = try String(contentsOfFile: trainingTextPath, encoding: .utf8)
            let bigram = BigramModel(words: text.split(whereSeparator: { $0.isWhitespace }).map { FrequencyTable.key(String($0)) })
            var surprisal: [Double] = []
            for passage in settings.passages {
                var previous: String? = nil
                for form in passage.split(separator: " ") {
                    let key = FrequencyTable.key(String(form))
                    surprisal.append(bigram.surprisal(key, after: previous))
                    previous = key
                }
            }
            settings.surprisalByPosition = surprisal
        }
        let tmp = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".partial")
        try? FileManager.default.removeItem(at: tmp)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        _ = try ReaderSimulator.run(settings, to: tmp.path)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.moveItem(at: tmp, to: folder)
    }

    // MARK: Tokenizer and language models

    func runSpec(for m: AnalysisSpec.Model?) throws -> LMRunSpec {
        guard FileManager.default.fileExists(atPath: trainingTextPath) else {
            throw PipelineError("the training text \(trainingTextPath) is missing; run scripts/setup (it builds the default text) or set [training_text] source")
        }
        var s = LMRunSpec(text: .init(path: trainingTextPath))
        s.text.trainSentences = spec.trainingText.sentences
        s.text.devSentences = spec.trainingText.devSentences
        s.text.testSentences = spec.trainingText.testSentences
        s.text.splitSeed = UInt64(spec.seed)
        s.tokenizer.vocabularySize = spec.trainingText.vocabSize
        s.tokenizer.lowercase = spec.trainingText.lowercase
        s.tokenizer.allowSmaller = true
        if let m {
            s.model.preset = m.preset
            guard let fusion = FusionMode(rawValue: m.fusion) else { throw PipelineError("unknown fusion mode \(m.fusion)") }
            s.model.fusion = fusion
            s.model.embeddingSource = try EmbeddingSource(parsing: context(of: m))
            s.training.steps = m.steps
            s.training.seed = UInt64(m.seed ?? spec.seed)
            if let lr = m.learningRate { s.training.learningRate = lr }
            if let b = m.batchSize { s.training.batchSize = b }
            s.training.evalEvery = max(50, min(500, m.steps / 4))
            s.training.checkpointEvery = s.training.evalEvery
        }
        return s
    }

    /// Learns the BPE tokenizer shared by every model of the analysis.
    func tokenizerStage(_ stage: PlannedStage) throws -> URL {
        let dir = artifacts.appendingPathComponent("tokenizer-\(tokenizerKey.short)")
        let url = dir.appendingPathComponent("tokenizer.json")
        if stage.cached && FileManager.default.fileExists(atPath: url.path) { return url }
        let start = Date()
        if !FileManager.default.fileExists(atPath: url.path) || options.force {
            progress.line("tokenizer: learning BPE (\(spec.trainingText.vocabSize) tokens) on the training split")
            let run = LMRun(spec: try runSpec(for: nil), directory: dir)
            run.log = { [progress] in progress.detail($0) }
            try? FileManager.default.removeItem(at: url)
            try run.prepare()
        }
        try store.writeStage("tokenizer", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: url.path) { _ in }
        return url
    }

    func sentenceEmbedder() throws -> MiniLMEmbedder {
        if let embedder { return embedder }
        guard let pooling = Pooling(rawValue: spec.encoder.pooling) else { throw PipelineError("unknown pooling \(spec.encoder.pooling)") }
        let e = MiniLMEmbedder(encoder: try SentenceEncoder(directory: options.encoderDirectory), pooling: pooling)
        embedder = e
        return e
    }

    /// Trains (or resumes) one model — or reuses its finished files from another analysis or an
    /// earlier run — and records its size and dev/test perplexity.
    func languageModelStage(_ m: AnalysisSpec.Model, _ stage: PlannedStage, tokenizerURL: URL) throws -> URL {
        let key = lmKey(m)
        let dir = artifacts.appendingPathComponent("lm-\(key.short)")
        let modelURL = dir.appendingPathComponent("model.rtlm")
        if stage.cached && FileManager.default.fileExists(atPath: modelURL.path) { return modelURL }
        let start = Date()
        let fused = m.fusion != "none"
        let run = LMRun(spec: try runSpec(for: m), directory: dir, embedder: fused ? try sentenceEmbedder() : nil)
        run.tokenizer = try BPETokenizer.load(from: tokenizerURL)
        run.embeddingCache = options.cacheDirectory.appendingPathComponent("embeddings")
        run.log = { [progress] in progress.line("lm \(m.name): \($0)") }
        let trained = FileManager.default.fileExists(atPath: run.summaryURL.path) && FileManager.default.fileExists(atPath: modelURL.path) && !options.force
        var steps = m.steps
        if trained {
            progress.line("lm \(m.name): reusing the trained model \(modelURL.path)")
            try run.prepare()
        } else {
            if options.force { try? FileManager.default.removeItem(at: dir) }
            progress.line("lm \(m.name): training (\(m.preset), fusion \(m.fusion), \(m.steps) steps)")
            let t0 = Date()
            let summary = try run.trainModel { [progress] p in
                progress.progress("lm \(m.name)", done: p.step, total: p.totalSteps, elapsed: Date().timeIntervalSince(t0), unit: " steps")
            }
            guard summary.finished else { throw PipelineError("training of \(m.name) did not finish") }
            steps = summary.steps
        }
        guard let test = run.test, let dev = run.dev else { throw PipelineError("the datasets of \(m.name) were not prepared") }
        let model = try LanguageModel.load(from: modelURL)
        let devReport = try model.evaluate(dev)
        let testReport = test.sentences.isEmpty ? nil : try model.evaluate(test)
        progress.line(String(format: "lm %@: dev perplexity %.2f per token (base e), %.3f bits per word", m.name, devReport.tokenPerplexity, devReport.bitsPerWord))
        try store.writeStage("lm", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: modelURL.path) { w in
            try w.insert("models", ["model": .text(m.name), "fusion": .text(m.fusion), "context": .of(fused ? context(of: m) : nil), "preset": .text(m.preset),
                                    "parameters": .of(model.parameterCount), "train_sentences": .of(run.train?.sentences.count),
                                    "steps": .of(steps), "tokenizer_hash": .text(model.tokenizer.fingerprint),
                                    "checkpoint": .text(modelURL.path), "seconds": .real(Date().timeIntervalSince(start))])
            for (split, r) in [("dev", devReport), ("test", testReport)] {
                guard let r else { continue }
                try w.insert("perplexities", ["model": .text(m.name), "split": .text(split), "tokens": .of(r.predictions), "words": .of(r.words),
                                              "nats_per_token": .real(r.natsPerToken), "perplexity_per_token": .real(r.tokenPerplexity),
                                              "perplexity_per_word": .real(r.wordPerplexity), "bits_per_word": .real(r.bitsPerWord), "base": .text("e")])
            }
        }
        return modelURL
    }

    // MARK: Surprisal

    /// Surprisal (bits) of every corpus word, sentence by sentence; words without a value counted.
    func surprisalStage(_ m: AnalysisSpec.Model, _ stage: PlannedStage, modelURL: URL, corpus data: CorpusData) throws -> [Double?] {
        let words = data.corpus.words
        if stage.cached {
            var values = [Double?](repeating: nil, count: words.count)
            for row in try store.db.query("SELECT word_index, surprisal_bits FROM surprisals WHERE stage_key = ?", [.text(stage.key)]).rows {
                if let i = row[0].int, i < values.count { values[i] = row[1].double }
            }
            return values
        }
        let start = Date()
        let model = try LanguageModel.load(from: modelURL)
        let scorer = SurprisalScorer(model: model, embedder: m.fusion == "none" ? nil : try sentenceEmbedder(), context: .sentence)
        var sentences: [[String]] = [], ids: [[Int]] = []
        for t in data.corpus.texts {
            for s in t.sentences { sentences.append(words[s].map(\.form)); ids.append(Array(s)) }
        }
        var values = [Double?](repeating: nil, count: words.count)
        let chunk = 64
        var done = 0
        while done < sentences.count {
            let end = min(sentences.count, done + chunk)
            let scored = try scorer.score(sentences: Array(sentences[done..<end]))
            for (k, sentence) in scored.enumerated() {
                for (j, w) in sentence.enumerated() where w.surprisal.isFinite { values[ids[done + k][j]] = w.surprisal }
            }
            done = end
            progress.progress("surprisal \(m.name)", done: done, total: sentences.count, elapsed: Date().timeIntervalSince(start), unit: " sentences")
        }
        let missing = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        progress.line("surprisal \(m.name): \(words.count - missing) words scored" + (missing > 0 ? ", \(missing) without a surprisal (no tokens)" : ""))
        try store.writeStage("surprisal", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: "\(missing) unscored") { w in
            for (i, v) in values.enumerated() {
                try w.insert("surprisals", ["model": .text(m.name), "word_index": .of(i), "text_id": .text(data.corpus.texts[words[i].text].id),
                                            "word": .text(words[i].form), "surprisal_bits": .of(v), "aligned": .of(v != nil)])
            }
        }
        return values
    }
}

/// A pipeline error with a plain message.
public struct PipelineError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// An interpolated bigram model of a word sequence, for planting context-dependent effects in
/// simulated reading times: p(w | v) = λ·c(v w)/c(v) + (1 − λ)·(c(w) + 1)/(N + V), λ = 0.7 when v
/// was seen, else the add-one unigram alone. Surprisal in bits.
struct BigramModel {
    private var unigram: [String: Int] = [:]
    private var bigram: [String: Int] = [:]
    private let total: Int

    init(words: [String]) {
        var previous: String? = nil
        for w in words where !w.isEmpty {
            unigram[w, default: 0] += 1
            if let p = previous { bigram[p + " " + w, default: 0] += 1 }
            previous = w
        }
        total = unigram.values.reduce(0, +)
    }

    func surprisal(_ w: String, after previous: String?) -> Double {
        let pUnigram = Double((unigram[w] ?? 0) + 1) / Double(total + unigram.count + 1)
        guard let v = previous, let cv = unigram[v], cv > 0 else { return -log2(pUnigram) }
        let pBigram = Double(bigram[v + " " + w] ?? 0) / Double(cv)
        return -log2(0.7 * pBigram + 0.3 * pUnigram)
    }
}
