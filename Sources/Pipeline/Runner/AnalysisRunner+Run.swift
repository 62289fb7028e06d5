import Corpora
import Encoders
import Foundation
import LanguageModels
import MixedModels
import Reports
import Store
import Tokenization

extension AnalysisRunner {
    // MARK: Artefacts

    /// A temporary folder of this process's own beside `folder` (two writers never share one).
    func temporaryFolder(for folder: URL) -> URL {
        folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).partial-\(getpid())-\(UUID().uuidString.prefix(8))")
    }

    /// Moves a finished artefact (with its manifest) from this writer's temporary folder into
    /// place. If another writer placed an intact copy first, that one is kept.
    func publish(_ tmp: URL, as folder: URL) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path) {
            if ArtifactManifest.verify(folder, digests: digests) && !options.force { try? fm.removeItem(at: tmp); return }
            try fm.removeItem(at: folder)
        }
        if rename(tmp.path, folder.path) != 0 {
            let reason = String(cString: strerror(errno))
            if ArtifactManifest.verify(folder, digests: digests) { try? fm.removeItem(at: tmp); return }
            throw PipelineError("cannot move \(tmp.path) to \(folder.path): \(reason)")
        }
    }

    // MARK: Corpus

    /// Loads the corpus (simulating it first for `format = "simulated"`, or again when the
    /// simulated files no longer match their manifest); records what was read and excluded.
    /// Loading is repeated on every run (it is fast); the rows are written once. Returns the data
    /// and whether the stored stage was reused as is.
    func corpusStage(_ stage: PlannedStage) throws -> (CorpusData, reused: Bool) {
        let start = Date()
        let data: CorpusData
        var rebuilt = false
        switch spec.corpus.source {
        case .simulated:
            let folder = artifacts.appendingPathComponent("corpus-\(corpusKey.short)")
            if !ArtifactManifest.verify(folder, digests: digests) {
                if FileManager.default.fileExists(atPath: folder.path) {
                    progress.line("corpus: the simulated corpus in \(folder.path) does not match its recorded digest (damaged or incomplete); simulating it again")
                }
                progress.line("corpus: simulating readers in the Natural Stories layout (SIMULATED data, not human readers)")
                try simulateCorpus(into: folder)
                rebuilt = true
            }
            data = try CorpusLoader.load(.naturalStories, path: folder.path)
        case .format(let format):
            data = try CorpusLoader.load(format, path: resolve(spec.corpus.path), options: spec.corpus.load)
        }
        let reused = stage.cached && !rebuilt
        progress.line("corpus: \(data.corpus.texts.count) texts, \(data.corpus.words.count) words, \(data.measurements.subjects.count) readers, \(data.measurements.count) rows" + (reused ? " (rows already stored)" : ""))
        for line in data.diagnostics.lines { progress.detail("corpus: \(line)") }
        guard !reused else { return (data, true) }
        let measure = spec.corpus.measure
        guard data.measurements.values(measure) != nil else {
            throw AnalysisFileError(problems: [spec.locations.problem("corpus.measure", "the corpus has no measure '\(measure)'; it has: \(data.measurements.measures.map(\.rawValue).joined(separator: ", "))")])
        }
        let (_, report) = try Exclusions.apply(spec.corpus.exclude, measure: measure, to: data)
        for l in report.lines { progress.line("corpus: \(l)") }
        try recordStage("corpus", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: nil) { w in
            try w.insert("corpora", ["corpus": .text(spec.corpus.source == .simulated ? "simulated" : spec.corpus.path), "format": .text(spec.corpus.source.description),
                                     "path": .text(spec.corpus.path), "measure": .text(measure.rawValue), "texts": .of(data.corpus.texts.count),
                                     "words": .of(data.corpus.words.count), "subjects": .of(data.measurements.subjects.count),
                                     "rows_read": .of(report.rowsBefore), "rows_kept": .of(report.rowsAfter)])
            for step in report.steps { try w.insert("exclusions", ["corpus": .text(spec.corpus.source.description), "rule": .text(step.rule), "rows_removed": .of(step.removed)]) }
        }
        return (data, false)
    }

    /// Simulated readers over the simulator's own default text, with reading times that depend on
    /// each word's bigram surprisal under the training text (an interpolated bigram model), so
    /// that a language model's surprisal has something to predict beyond word frequency.
    /// Written to this process's own temporary folder with its manifest, then renamed into place.
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
        let tmp = temporaryFolder(for: folder)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            _ = try ReaderSimulator.run(settings, to: tmp.path)
            try ArtifactManifest.write(tmp, files: ["."], digests: digests)
            try publish(tmp, as: folder)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }

    // MARK: Tokenizer and language models

    func runSpec(for m: AnalysisSpec.Model?) throws -> LMRunSpec {
        guard FileManager.default.fileExists(atPath: trainingTextPath) else {
            throw PipelineError("the training text \(trainingTextPath) is missing; run scripts/setup (it builds the default text) or set [training_text] source")
        }
        var s = LMRunSpec(text: .init(path: trainingTextPath))
        s.text.trainSentences = m?.trainSentences ?? spec.trainingText.sentences
        s.text.devSentences = spec.trainingText.devSentences
        s.text.testSentences = spec.trainingText.testSentences
        s.text.splitSeed = UInt64(spec.seed)
        s.tokenizer.vocabularySize = spec.trainingText.vocabSize
        s.tokenizer.lowercase = spec.trainingText.lowercase
        s.tokenizer.allowSmaller = true
        if let m {
            s.model.preset = m.preset.rawValue
            s.model.fusion = m.fusion
            s.model.embeddingSource = context(of: m)
            s.training.steps = m.steps
            s.training.seed = UInt64(m.seed ?? spec.seed)
            if let lr = m.learningRate { s.training.learningRate = lr }
            if let b = m.batchSize { s.training.batchSize = b }
            s.training.evalEvery = m.evalEvery ?? max(50, min(500, m.steps / 4))
            if let p = m.patience { s.training.patience = p }
            s.training.checkpointEvery = s.training.evalEvery
        }
        return s
    }

    /// Learns the BPE tokenizer shared by every model of the analysis (in a temporary folder of
    /// this process, then moved into place with its manifest). Returns the tokenizer file and
    /// whether the stored stage was reused as is.
    func tokenizerStage(_ stage: PlannedStage) throws -> (URL, reused: Bool) {
        let dir = artifacts.appendingPathComponent("tokenizer-\(tokenizerKey.short)")
        let url = dir.appendingPathComponent("tokenizer.json")
        let intact = ArtifactManifest.verify(dir, digests: digests)
        if stage.cached && intact { return (url, true) }
        let start = Date()
        if !intact || options.force {
            if FileManager.default.fileExists(atPath: url.path) && !intact {
                progress.line("tokenizer: \(url.path) does not match its recorded digest (damaged or incomplete); learning it again")
            }
            progress.line("tokenizer: learning BPE (\(spec.trainingText.vocabSize) tokens) on the training split")
            let tmp = temporaryFolder(for: dir)
            do {
                let run = LMRun(spec: try runSpec(for: nil), directory: tmp)
                run.log = { [progress] in progress.detail($0) }
                try run.prepare()
                try ArtifactManifest.write(tmp, files: ["tokenizer.json"], digests: digests)
                try publish(tmp, as: dir)
            } catch {
                try? FileManager.default.removeItem(at: tmp)
                throw error
            }
        }
        try recordStage("tokenizer", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: url.path) { _ in }
        return (url, false)
    }

    func sentenceEmbedder() throws -> MiniLMEmbedder {
        if let embedder { return embedder }
        let e = try MiniLMEmbedder(encoder: try SentenceEncoder(directory: options.encoderDirectory), pooling: spec.encoder.pooling,
                                cacheDirectory: options.cacheDirectory.appendingPathComponent("embeddings"))
        embedder = e
        return e
    }

    /// Trains (or resumes) one model — or reuses its finished files from another analysis or an
    /// earlier run when they match their manifest — and records its size and dev/test perplexity.
    /// Training holds a lock beside the model's folder, so two processes never train into one
    /// folder. Returns the model file and whether the stored stage was reused as is.
    func languageModelStage(_ m: AnalysisSpec.Model, _ stage: PlannedStage, tokenizerURL: URL) throws -> (URL, reused: Bool) {
        let key = lmKey(m)
        let dir = artifacts.appendingPathComponent("lm-\(key.short)")
        let modelURL = dir.appendingPathComponent("model.rtlm")
        let modelFiles = ["model.rtlm", "summary.json"]
        if stage.cached && ArtifactManifest.verify(dir, digests: digests) { return (modelURL, true) }
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let lock = try FileLock(path: dir.path + ".lock") { [progress] pid in
            progress.line("lm \(m.name): another rtpipe process\(pid.map { " (\($0))" } ?? "") is training this model; waiting for it")
        }
        defer { lock.release() }
        let start = Date()
        let fused = m.fusion.usesEmbeddings
        let run = LMRun(spec: try runSpec(for: m), directory: dir, embedder: fused ? try sentenceEmbedder() : nil)
        run.tokenizer = try BPETokenizer.load(from: tokenizerURL)
        run.embeddingCache = options.cacheDirectory.appendingPathComponent("embeddings")
        run.log = { [progress] in progress.line("lm \(m.name): \($0)") }
        let finishedBefore = FileManager.default.fileExists(atPath: run.summaryURL.path)
        let intact = ArtifactManifest.verify(dir, digests: digests)
        let trained = intact && !options.force
        if finishedBefore && !intact && !options.force {
            progress.line("lm \(m.name): the files in \(dir.path) do not match their recorded digest (damaged or incomplete); training again")
        }
        if (finishedBefore && !intact) || options.force { try? FileManager.default.removeItem(at: dir) }
        var steps = m.steps
        var bestStep: Int? = nil
        if trained {
            progress.line("lm \(m.name): reusing the trained model \(modelURL.path)")
            try run.prepare()
        } else {
            progress.line("lm \(m.name): training (\(m.preset.rawValue), fusion \(m.fusion.rawValue), \(m.steps) steps)")
            let t0 = Date()
            let summary = try run.trainModel { [progress] p in
                progress.progress("lm \(m.name)", done: p.step, total: p.totalSteps, elapsed: Date().timeIntervalSince(t0), unit: " steps")
            }
            guard summary.finished else { throw PipelineError("training of \(m.name) did not finish") }
            steps = summary.steps
            bestStep = summary.bestStep
            try ArtifactManifest.write(dir, files: modelFiles, digests: digests)
        }
        guard let test = run.test, let dev = run.dev else { throw PipelineError("the datasets of \(m.name) were not prepared") }
        let trainingRecord = TrainingRecord(summary: run.summaryURL)
        if trained, let r = trainingRecord { steps = r.steps; bestStep = r.bestStep }
        let model = try LanguageModel.load(from: modelURL)
        let devReport = try model.evaluate(dev)
        let testReport = test.sentences.isEmpty ? nil : try model.evaluate(test)
        progress.line(String(format: "lm %@: dev perplexity %.2f per token (base e), %.3f bits per word", m.name, devReport.tokenPerplexity, devReport.bitsPerWord))
        try recordStage("lm", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: modelURL.path) { w in
            try w.insert("models", ["model": .text(m.name), "fusion": .text(m.fusion.rawValue), "context": .of(fused ? context(of: m).description : nil), "preset": .text(m.preset.rawValue),
                                    "parameters": .of(model.parameterCount), "train_sentences": .of(run.train?.sentences.count),
                                    "steps": .of(steps), "tokenizer_hash": .text(model.tokenizer.fingerprint),
                                    "checkpoint": .text(modelURL.path), "seconds": .real(Date().timeIntervalSince(start)),
                                    "cell": .text(m.cell ?? m.name), "model_seed": .of(m.seed ?? spec.seed), "best_step": .of(bestStep),
                                    "stopped_early": trainingRecord.map { .of($0.stoppedEarly) } ?? .null, "max_steps": .of(m.steps)])
            for (split, r) in [("dev", devReport), ("test", testReport)] {
                guard let r else { continue }
                try w.insert("perplexities", ["model": .text(m.name), "split": .text(split), "tokens": .of(r.predictions), "words": .of(r.words),
                                              "nats_per_token": .real(r.natsPerToken), "perplexity_per_token": .real(r.tokenPerplexity),
                                              "perplexity_per_word": .real(r.wordPerplexity), "bits_per_word": .real(r.bitsPerWord), "base": .text("e")])
            }
        }
        return (modelURL, false)
    }

    // MARK: Surprisal

    /// Surprisal (bits) of every corpus word, sentence by sentence; words without a value counted.
    func surprisalStage(_ m: AnalysisSpec.Model, _ stage: PlannedStage, modelURL: URL, corpus data: CorpusData) throws -> [Double?] {
        let words = data.corpus.words
        if stage.cached { return try storedSurprisal(stage, words: words.count) }
        let start = Date()
        let model = try LanguageModel.load(from: modelURL)
        let scorer = SurprisalScorer(model: model, embedder: m.fusion.usesEmbeddings ? try sentenceEmbedder() : nil, context: .sentence)
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
        try recordStage("surprisal", provenance(stage.key), seconds: Date().timeIntervalSince(start), summary: "\(missing) unscored") { w in
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
