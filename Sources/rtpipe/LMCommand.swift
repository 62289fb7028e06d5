import ArgumentParser
import Pipeline
import TOML
import Encoders
import Foundation
import LanguageModels
import Numerics
import RtpipeCore
import Tokenization

/// `rtpipe lm`: train, evaluate and score the LSTM language models (module `LanguageModels`).
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train, evaluate and score LSTM language models (with or without sentence-embedding fusion).",
        discussion: """
            Models follow Zouhar, Mosbach & Klakow (2022): BPE tokens (word ends marked, so a word's \
            probability is the product of its tokens') → embedding → LSTM → fusion → dense → softmax. \
            Perplexities are exp(mean negative log-likelihood in nats), per token and per word; \
            surprisal is in bits.
            """,
        subcommands: [LMTrain.self, LMEval.self, LMScore.self, LMBench.self])
}

// MARK: - shared options and helpers

/// The sentence encoder for fused models: MiniLM (`Pipeline.MiniLMEmbedder`, the same adapter
/// `rtpipe run` uses) or the bag-of-words control.

func makeEmbedder(_ name: String, directory: String?) throws -> SentenceEmbedder {
    switch name.lowercased() {
    case "minilm", "all-minilm-l6-v2":
        let dir = directory.map { URL(fileURLWithPath: $0) } ?? RtpipePaths.encoderDirectory
        return try MiniLMEmbedder(encoder: try SentenceEncoder(directory: dir))
    case "bow", "bag-of-words":
        return BagOfWordsEmbedder(dimension: 384)
    default:
        throw ValidationError("--encoder must be minilm or bow")
    }
}

/// The default training text built by scripts/setup.
var defaultTextPath: String { RtpipePaths.cacheDirectory.appendingPathComponent("text/austen.txt").path }

func resolveText(_ path: String) throws -> String {
    if path == "default" {
        guard FileManager.default.fileExists(atPath: defaultTextPath) else {
            throw ValidationError("the default training text \(defaultTextPath) is missing; run scripts/setup (or give --text PATH)")
        }
        return defaultTextPath
    }
    return path
}

func formatDuration(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    let t = Int(s.rounded())
    return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t % 3600 / 60) : t >= 60 ? String(format: "%dm%02ds", t / 60, t % 60) : "\(t)s"
}

func describe(_ name: String, _ r: PerplexityReport) -> String {
    String(format: "%@: perplexity %.2f per token, %.2f per word (e^(mean NLL in nats)); %.3f bits/token, %.3f bits/word; %d sentences, %d words, %d predictions",
           name, r.tokenPerplexity, r.wordPerplexity, r.bitsPerToken, r.bitsPerWord, r.sentences, r.words, r.predictions)
}

// MARK: - train

struct LMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a language model on a text (resumes an unfinished run in the same --out folder).",
        discussion: """
            Text: --text PATH (UTF-8; paragraphs separated by blank lines, or --layout sentence-per-line), or \
            "default": Jane Austen's novels, built by scripts/setup into .rtpipe/text/austen.txt. Sentences are \
            split by paragraph into test, dev and train (seeded); --train-sentences limits training data.
            The BPE tokenizer is learned from the training split (or reused from --tokenizer or the --out folder).
            Fusion (--fusion late_concat …) computes sentence embeddings with --encoder (minilm: the \
            all-MiniLM-L6-v2 weights from scripts/setup; bow: a hashed bag-of-words control) for every word \
            position as chosen by --embeddings, cached under .rtpipe/lm-embeddings.
            --sizes 5000,8000,… trains one model per training size (the limited-data experiment) into \
            --out/size-N with one shared tokenizer, and writes --out/ladder.tsv.
            Outputs in --out: model.rtlm (best dev weights), checkpoint.rtlm (resumable), curve.tsv \
            (learning curve), tokenizer.json, run.json, summary.json (dev/test perplexity).
            Options may also come from the [lm] section of a TOML file (--config), read by the same TOML \
            reader as analysis files: keys are the option names (dashes or underscores), values typed \
            (steps = 300, keep_case = true, sizes = [5000, 8000]); an unknown key or a wrong type is an \
            error naming the file, line and column. An option given on the command line wins over the file. \
            --show-config prints the resulting settings and stops.
            """)

    @Option(help: "TOML file whose [lm] section holds defaults for these options.") var config: String?
    @Option(help: "Output folder.") var out: String?
    @Option(help: "Training text: a path, or 'default'.") var text: String?
    @Option(help: "Text layout: paragraphs or sentence-per-line.") var layout: String?
    @Option(help: "Training sentences (default: all not in dev/test).") var trainSentences: Int?
    @Option(help: "Dev sentences (default 2000).") var devSentences: Int?
    @Option(help: "Test sentences (default 2000).") var testSentences: Int?
    @Option(help: "Training sizes for the limited-data experiment, e.g. 5000,8000,13000.") var sizes: String?
    @Option(help: "BPE vocabulary size (default 8192).") var vocab: Int?
    @Flag(help: "Keep case (the default lowercases, as the paper).") var keepCase = false
    @Flag(help: "Accept a smaller vocabulary when the text runs out of merges.") var allowSmallerVocab = false
    @Option(help: "Reuse this tokenizer file instead of learning one.") var tokenizer: String?
    @Option(help: "Size preset: small (default; E128 H256 D128) or paper (E512 H768 D512).") var preset: String?
    @Option(help: "Override the token-embedding width.") var embeddingSize: Int?
    @Option(help: "Override the LSTM width.") var hiddenSize: Int?
    @Option(help: "Override the dense-layer width.") var denseSize: Int?
    @Option(help: "LSTM layers (default 1).") var layers: Int?
    @Option(help: "Fusion: none, late_concat, late_add, late_multiply, early_h0, early_c0, early_both.") var fusion: String?
    @Option(help: "Embedding per word position: prefix, stride:K, previous, zero, shuffled, full.") var embeddings: String?
    @Option(help: "Sentence encoder for fusion: minilm or bow.") var encoder: String?
    @Option(help: "Folder of the MiniLM weights (default: the setup cache).") var encoderDir: String?
    @Option(help: "Optimiser steps (default: --epochs passes).") var steps: Int?
    @Option(help: "Epochs when --steps is not given (default 10).") var epochs: Int?
    @Option(help: "Sentences per step, or streams in document context (default 32).") var batchSize: Int?
    @Option(help: "Context: sentence (default) or document.") var context: String?
    @Option(help: "Document context: tokens per truncated-BPTT chunk (default 35).") var bptt: Int?
    @Option(help: "Adam learning rate (default 0.002).") var lr: Double?
    @Option(help: "Linear warm-up steps (default 100).") var warmup: Int?
    @Option(help: "Decay after warm-up: constant, linear (default), cosine.") var decay: String?
    @Option(help: "Clip the gradient's global L2 norm (default 1; 0 = off).") var clip: Double?
    @Option(help: "Dropout rate (default 0.1).") var dropout: Double?
    @Option(help: "Evaluate dev perplexity every N steps (default 500).") var evalEvery: Int?
    @Option(help: "Stop after N evaluations without improvement (default 5; 0 = never).") var patience: Int?
    @Option(help: "Checkpoint every N steps (default 500).") var checkpointEvery: Int?
    @Option(help: "Seed for weights, data order, dropout and splits (default 1).") var seed: UInt64?
    @Option(help: "BLAS threads (default: all cores).") var threads: Int?
    @Flag(help: "Delete an existing checkpoint in --out and start over.") var fresh = false
    @Flag(help: "Print the run's settings (after --config and the options) as JSON and stop, training nothing.") var showConfig = false

    /// The keys a `--config` file's `[lm]` table may hold: these options' long names (dashes or
    /// underscores alike). `--fresh` and `--config` itself are command-line only.
    static let configKeys = ["out", "text", "layout", "train-sentences", "dev-sentences", "test-sentences", "sizes", "vocab", "keep-case",
                             "allow-smaller-vocab", "tokenizer", "preset", "embedding-size", "hidden-size", "dense-size", "layers", "fusion",
                             "embeddings", "encoder", "encoder-dir", "steps", "epochs", "batch-size", "context", "bptt", "lr", "warmup", "decay",
                             "clip", "dropout", "eval-every", "patience", "checkpoint-every", "seed", "threads"]

    /// The `[lm]` table of `--config` (none: no file), read by the same TOML reader as analysis files.
    func configFile() throws -> TOMLOptions {
        guard let config else { return .none }
        let text: String
        do { text = try String(contentsOfFile: config, encoding: .utf8) } catch {
            throw ValidationError("cannot read --config \(config): \(SystemErrorText.reason(error))")
        }
        let options = try TOMLOptions.parse(text, section: "lm", file: config)
        try options.rejectUnknownKeys(known: LMTrain.configKeys)
        return options
    }

    /// The settings of this run. Precedence, per option: the command line, else the `--config`
    /// file's `[lm]` value, else the default (a flag given on the command line is on whatever the
    /// file says; a flag not given takes the file's `true`/`false`).
    func spec(_ file: TOMLOptions) throws -> (LMRunSpec, encoder: String?, sizes: [Int]) {
        func string(_ cli: String?, _ key: String) throws -> String? { if let cli { return cli }; return try file.string(key) }
        func int(_ cli: Int?, _ key: String) throws -> Int? { if let cli { return cli }; return try file.int(key) }
        func double(_ cli: Double?, _ key: String) throws -> Double? { if let cli { return cli }; return try file.double(key) }
        func flag(_ cli: Bool, _ key: String) throws -> Bool { try cli || (file.bool(key) ?? false) }
        var s = LMRunSpec(text: .init(path: try resolveText(try string(text, "text") ?? "default")))
        if let v = try string(layout, "layout") { s.text.layout = v }
        s.text.trainSentences = try int(trainSentences, "train-sentences")
        if let v = try int(devSentences, "dev-sentences") { s.text.devSentences = v }
        if let v = try int(testSentences, "test-sentences") { s.text.testSentences = v }
        if let v = try int(vocab, "vocab") { s.tokenizer.vocabularySize = v }
        s.tokenizer.lowercase = !(try flag(keepCase, "keep-case"))
        s.tokenizer.allowSmaller = try flag(allowSmallerVocab, "allow-smaller-vocab")
        if let v = try string(preset, "preset") { s.model.preset = v }
        s.model.embeddingSize = try int(embeddingSize, "embedding-size")
        s.model.hiddenSize = try int(hiddenSize, "hidden-size")
        s.model.denseSize = try int(denseSize, "dense-size")
        if let v = try int(layers, "layers") { s.model.layers = v }
        if let v = try string(fusion, "fusion") {
            guard let f = FusionMode(rawValue: v) else {
                throw ValidationError("--fusion must be one of \(FusionMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            s.model.fusion = f
        }
        if let v = try string(embeddings, "embeddings") { s.model.embeddingSource = try EmbeddingSource(parsing: v) }
        var t = TrainingConfig()
        if let v = try int(steps, "steps") { t.steps = v }
        if let v = try int(epochs, "epochs") { t.epochs = v }
        if let v = try int(batchSize, "batch-size") { t.batchSize = v }
        if let v = try string(context, "context") {
            guard let c = LMContext(rawValue: v) else { throw ValidationError("--context must be sentence or document") }
            t.context = c
        }
        if let v = try int(bptt, "bptt") { t.bpttSteps = v }
        if let v = try double(lr, "lr") { t.learningRate = v }
        if let v = try int(warmup, "warmup") { t.warmupSteps = v }
        if let v = try string(decay, "decay") {
            guard let d = LearningRateSchedule.Decay(rawValue: v) else { throw ValidationError("--decay must be constant, linear or cosine") }
            t.decay = d
        }
        if let v = try double(clip, "clip") { t.clipNorm = v }
        if let v = try double(dropout, "dropout") { t.dropout = v }
        if let v = try int(evalEvery, "eval-every") { t.evalEvery = v }
        if let v = try int(patience, "patience") { t.patience = v }
        if let v = try int(checkpointEvery, "checkpoint-every") { t.checkpointEvery = v }
        if let x = seed {
            t.seed = x; s.text.splitSeed = x
        } else if let v = try file.int("seed") {
            guard v >= 0 else { throw ValidationError("seed must be a non-negative integer") }
            t.seed = UInt64(v); s.text.splitSeed = UInt64(v)
        }
        try t.validate()
        s.training = t
        let sizeList: [Int]
        if let sizes {
            sizeList = try sizes.split(separator: ",").map { part -> Int in
                guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0 else { throw ValidationError("--sizes expects positive integers, got '\(part)'") }
                return n
            }
        } else {
            sizeList = try file.ints("sizes") ?? []
            if let bad = sizeList.first(where: { $0 <= 0 }) { throw ValidationError("sizes expects positive integers, got \(bad)") }
        }
        let enc = try string(encoder, "encoder") ?? (s.model.fusion.usesEmbeddings ? "minilm" : nil)
        return (s, enc, sizeList)
    }

    func run() throws {
        try reportingErrors {
            let file = try configFile()
            let (spec, encoderName, sizes) = try spec(file)
            if showConfig {
                try printJSON(LMTrainSettings(run: spec, encoder: encoderName, sizes: sizes))
                return
            }
            guard let outPath = try out ?? file.string("out") else { throw ValidationError("give --out FOLDER") }
            if let n = try threads ?? file.int("threads") { BLASRuntime.setThreads(n) }
            let embedder = try encoderName.map { try makeEmbedder($0, directory: try encoderDir ?? file.string("encoder-dir")) }
            let outURL = URL(fileURLWithPath: outPath)
            var sharedTokenizer = try (tokenizer ?? file.string("tokenizer")).map { try BPETokenizer.load(from: URL(fileURLWithPath: $0)) }
            if sizes.isEmpty {
                try trainOne(spec, directory: outURL, embedder: embedder, tokenizer: sharedTokenizer)
                return
            }
            // Limited-data ladder: one tokenizer (from the largest training split) for every size.
            var rows = ["train_sentences\tdev_ppl_token\tdev_ppl_word\tdev_bits_per_word\ttest_ppl_token\ttest_ppl_word\ttest_bits_per_word\tsteps"]
            for n in sizes.sorted() {
                var s = spec
                s.text.trainSentences = n
                if sharedTokenizer == nil {
                    let shared = outURL.appendingPathComponent("tokenizer.json")
                    if FileManager.default.fileExists(atPath: shared.path) {
                        sharedTokenizer = try BPETokenizer.load(from: shared)
                    } else {
                        // Learned once, from the largest training split (no fusion needed for that).
                        var largest = spec
                        largest.text.trainSentences = sizes.max()
                        largest.model.fusion = .none
                        let probe = LMRun(spec: largest, directory: outURL.appendingPathComponent("tokenizer"))
                        probe.log = { progressLine($0) }
                        try probe.prepare()
                        sharedTokenizer = probe.tokenizer
                        try sharedTokenizer!.save(to: shared)
                    }
                }
                progressLine("ladder: \(n) training sentences")
                let summary = try trainOne(s, directory: outURL.appendingPathComponent("size-\(n)"), embedder: embedder, tokenizer: sharedTokenizer)
                let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: outURL.appendingPathComponent("size-\(n)/summary.json"))) as? [String: Any] ?? [:]
                func f(_ split: String, _ key: String) -> String {
                    ((obj[split] as? [String: Any])?[key] as? Double).map { String(format: "%.4f", $0) } ?? "NA"
                }
                rows.append("\(n)\t\(f("dev", "perplexity_per_token"))\t\(f("dev", "perplexity_per_word"))\t\(f("dev", "bits_per_word"))\t\(f("test", "perplexity_per_token"))\t\(f("test", "perplexity_per_word"))\t\(f("test", "bits_per_word"))\t\(summary.steps)")
                try (rows.joined(separator: "\n") + "\n").write(to: outURL.appendingPathComponent("ladder.tsv"), atomically: true, encoding: .utf8)
            }
            print(rows.joined(separator: "\n"))
        }
    }

    @discardableResult
    func trainOne(_ spec: LMRunSpec, directory: URL, embedder: SentenceEmbedder?, tokenizer: BPETokenizer?) throws -> TrainingSummary {
        let run = LMRun(spec: spec, directory: directory, embedder: embedder)
        run.tokenizer = tokenizer
        run.embeddingCache = RtpipePaths.cacheDirectory.appendingPathComponent("lm-embeddings")
        run.log = { progressLine($0) }
        if fresh {
            for f in [run.checkpointURL, run.modelURL, run.curveURL, run.summaryURL] { try? FileManager.default.removeItem(at: f) }
        }
        try run.prepare()
        var lastPrint = Date.distantPast
        var lastEvalStep = -1
        let summary = try run.trainModel { p in
            let evalNow = p.lastEvaluation.map { $0.step == p.step && $0.step != lastEvalStep } ?? false
            guard evalNow || Date().timeIntervalSince(lastPrint) >= 10 || p.step == p.totalSteps else { return }
            lastPrint = Date()
            let trainNats = evalNow ? p.lastEvaluation!.trainNatsPerToken : p.trainNatsPerToken
            var line = String(format: "step %d/%d (epoch %.2f): train %.3f nats/token, %.0f tokens/s, ETA %@",
                              p.step, p.totalSteps, p.epoch, trainNats, p.tokensPerSecond, formatDuration(p.secondsLeft))
            if evalNow, let e = p.lastEvaluation {
                lastEvalStep = e.step
                line += String(format: " | dev perplexity %.2f/token %.2f/word", e.devTokenPerplexity, e.devWordPerplexity)
            }
            progressLine(line)
        }
        if summary.finished {
            progressLine("finished after \(summary.steps) steps\(summary.stoppedEarly ? " (early stop)" : ""); best dev at step \(summary.bestStep ?? 0); model \(run.modelURL.path)")
            if let s = try? String(contentsOf: run.summaryURL, encoding: .utf8) { print(s) }
        } else {
            progressLine("stopped at step \(summary.steps); run the same command again to resume")
        }
        return summary
    }
}

// MARK: - eval

struct LMEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Perplexity of a trained model on its dev/test split or on any text.",
        discussion: """
            --model is a model file or a run folder. With --text, every sentence of that text is evaluated \
            (--layout as for training); otherwise --split dev|test|train of the run's own text (run.json). \
            Perplexity per token and per word is exp(mean NLL in nats) ("</s>" counts as a word); bits are NLL / ln 2.
            """)

    @Option(help: "Model file (.rtlm) or run folder.") var model: String
    @Option(help: "Evaluate all sentences of this text instead of a split ('default' for the setup text).") var text: String?
    @Option(help: "Text layout: paragraphs or sentence-per-line.") var layout = "paragraphs"
    @Option(help: "Which split of the run's text: dev, test or train.") var split = "test"
    @Option(help: "Context: sentence or document (default: as trained).") var context: String?
    @Option(help: "Sentence encoder for fused models: minilm or bow (default: as trained).") var encoder: String?
    @Option(help: "Folder of the MiniLM weights.") var encoderDir: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            var url = URL(fileURLWithPath: model)
            var isDir: ObjCBool = false
            let isFolder = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
            let runSpec: LMRunSpec? = isFolder ? try? JSONDecoder().decode(LMRunSpec.self, from: Data(contentsOf: url.appendingPathComponent("run.json"))) : nil
            if isFolder { url = url.appendingPathComponent("model.rtlm") }
            let lm = try LanguageModel.load(from: url)
            let header = try LanguageModel.header(of: url)
            let ctx = try context.map { c -> LMContext in
                guard let v = LMContext(rawValue: c) else { throw ValidationError("--context must be sentence or document") }
                return v
            } ?? header.training?.context ?? .sentence
            var embedder: SentenceEmbedder? = nil
            if lm.config.fusion.usesEmbeddings {
                let name = encoder ?? (lm.fusion?.embedder.hasPrefix("bag-of-words") == true ? "bow" : "minilm")
                embedder = try makeEmbedder(name, directory: encoderDir)
            }
            let textPath: String
            let indices: (TrainingText) throws -> [Int]
            if let t = text {
                textPath = try resolveText(t)
                indices = { Array($0.sentences.indices) }
            } else {
                guard let spec = runSpec else { throw ValidationError("give --text, or a run folder (with run.json) as --model") }
                textPath = spec.text.path
                indices = { t in
                    let s = try TextSplits.make(t, train: spec.text.trainSentences, dev: spec.text.devSentences,
                                                test: spec.text.testSentences, seed: spec.text.splitSeed)
                    switch self.split {
                    case "dev": return s.dev
                    case "test": return s.test
                    case "train": return s.train
                    default: throw ValidationError("--split must be dev, test or train")
                    }
                }
            }
            let lay = text == nil ? (runSpec?.text.layout ?? layout) : layout
            guard let l = TrainingText.Layout(rawValue: lay) else { throw ValidationError("--layout must be paragraphs or sentence-per-line") }
            let textData = try TrainingText.read(URL(fileURLWithPath: textPath), layout: l)
            var ds = LMDataset(text: textData, indices: try indices(textData), tokenizer: lm.tokenizer)
            if let embedder, let fusion = lm.fusion {
                guard embedder.identifier == fusion.embedder else {
                    throw ValidationError("the model was trained with embeddings from \(fusion.embedder), not \(embedder.identifier)")
                }
                ds.embeddings = try FusionEmbeddings.build(sentences: ds.sentences, previousTexts: ds.previousTexts, source: fusion.source,
                                                           embedder: embedder, seed: header.training?.seed ?? 1)
            }
            let started = Date()
            let report = try lm.evaluate(ds, context: ctx)
            let name = text == nil ? split : URL(fileURLWithPath: textPath).lastPathComponent
            if json {
                try printJSON(PerplexityJSON(report, model: url.path, data: name, context: ctx.rawValue))
            } else {
                print(describe(name, report))
            }
            progressLine(String(format: "evaluated %d predictions in %.1f s", report.predictions, Date().timeIntervalSince(started)))
        }
    }
}

// MARK: - score

struct LMScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Per-word and per-token surprisal (bits) of given words, aligned to a text.",
        discussion: """
            Words come from --words (TSV with a header that has columns 'sentence' and 'word'; rows in reading \
            order; a new sentence id starts a new sentence) or --sentences (one sentence per line, words split at \
            whitespace). Punctuation attached to a word counts toward it. A word's surprisal is the sum of its \
            tokens' −log2 p, exact because every word ends in a word-end token. With --text, words are located \
            in that text and offsets (Unicode scalars, half-open) refer to it; words not found are reported on \
            standard error and still scored (start/end NA). Without --text, offsets count scalars of the \
            sentence's words joined by single spaces. Output TSV: sentence, word_index, word, surprisal_bits, \
            n_tokens, tokens, token_surprisals_bits, start, end.
            """)

    @Option(help: "Model file (.rtlm) or run folder.") var model: String
    @Option(help: "TSV of words with columns sentence and word.") var words: String?
    @Option(help: "Plain text, one sentence per line.") var sentences: String?
    @Option(help: "The running text the words come from (for offsets).") var text: String?
    @Option(help: "Context: sentence (each sentence alone) or document (preceding sentences too).") var context = "sentence"
    @Option(help: "Sentence encoder for fused models: minilm or bow (default: as trained).") var encoder: String?
    @Option(help: "Folder of the MiniLM weights.") var encoderDir: String?
    @Option(help: "Write the TSV here instead of standard output.") var output: String?

    func readWords() throws -> (ids: [String], sentences: [[String]]) {
        if let path = sentences {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
            let s = lines.map { $0.split(whereSeparator: { $0.isWhitespace }).map(String.init) }.filter { !$0.isEmpty }
            return (s.indices.map { String($0 + 1) }, s)
        }
        guard let path = words else { throw ValidationError("give --words FILE.tsv or --sentences FILE.txt") }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        guard let head = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }),
              let si = head.firstIndex(of: "sentence"), let wi = head.firstIndex(of: "word") else {
            throw ValidationError("\(path): the header needs columns 'sentence' and 'word'")
        }
        var ids: [String] = [], out: [[String]] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > max(si, wi) else { throw ValidationError("\(path):\(n + 2): fewer columns than the header") }
            if ids.last != f[si] { ids.append(f[si]); out.append([]) }
            out[out.count - 1].append(f[wi].hasSuffix("\r") ? String(f[wi].dropLast()) : f[wi])
        }
        return (ids, out)
    }

    func run() throws {
        try reportingErrors {
            var url = URL(fileURLWithPath: model)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue { url = url.appendingPathComponent("model.rtlm") }
            let lm = try LanguageModel.load(from: url)
            guard let ctx = LMContext(rawValue: context) else { throw ValidationError("--context must be sentence or document") }
            var embedder: SentenceEmbedder? = nil
            if lm.config.fusion.usesEmbeddings {
                embedder = try makeEmbedder(encoder ?? (lm.fusion?.embedder.hasPrefix("bag-of-words") == true ? "bow" : "minilm"), directory: encoderDir)
            }
            let (ids, sentenceWords) = try readWords()
            let started = Date()
            let scorer = SurprisalScorer(model: lm, embedder: embedder, context: ctx)
            let scored: [[WordSurprisal]]
            if let t = text {
                let (w, unaligned) = try scorer.score(text: try String(contentsOfFile: t, encoding: .utf8), sentences: sentenceWords)
                scored = w
                if !unaligned.isEmpty {
                    let shown = unaligned.prefix(10).map { "sentence \(ids[$0.sentence]) word \($0.word + 1) '\(sentenceWords[$0.sentence][$0.word])'" }
                    progressLine("\(unaligned.count) words not found in \(t) (scored, without offsets): \(shown.joined(separator: "; "))\(unaligned.count > 10 ? "; …" : "")")
                }
            } else {
                scored = try scorer.score(sentences: sentenceWords)
            }
            var lines = ["sentence\tword_index\tword\tsurprisal_bits\tn_tokens\ttokens\ttoken_surprisals_bits\tstart\tend"]
            for (s, words) in scored.enumerated() {
                for (w, x) in words.enumerated() {
                    // With --text: the word's place in that text (NA if not found); without: in the
                    // sentence's words joined by single spaces.
                    let start = text != nil ? x.offset?.lowerBound : x.tokenOffsets.first?.lowerBound
                    let end = text != nil ? x.offset?.upperBound : x.tokenOffsets.last?.upperBound
                    let surprisal: String = x.surprisal.isNaN ? "NA" : String(format: "%.6f", x.surprisal)
                    let tokenBits: String = x.tokenSurprisals.map { String(format: "%.4f", $0) }.joined(separator: ",")
                    let startText: String = start.map { String($0) } ?? "NA"
                    let endText: String = end.map { String($0) } ?? "NA"
                    let fields: [String] = [ids[s], String(w + 1), x.word, surprisal, String(x.tokens.count),
                                            x.tokens.joined(separator: " "), tokenBits, startText, endText]
                    lines.append(fields.joined(separator: "\t"))
                }
            }
            let outText = lines.joined(separator: "\n") + "\n"
            if let o = output {
                try OutputFile.write(outText, to: o, inputs: [model, url.path, words, sentences, text].compactMap { $0 })
            } else {
                print(outText, terminator: "")
            }
            let n = scored.reduce(0) { $0 + $1.count }
            progressLine(String(format: "scored %d words in %d sentences in %.1f s", n, scored.count, Date().timeIntervalSince(started)))
        }
    }
}

// MARK: - bench

struct LMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Training and scoring throughput on random tokens (for benchmarks/lm).",
        discussion: """
            Training: document context, --batch-size streams × --bptt tokens per step, forward, backward, \
            gradient clipping and Adam. Scoring: forward pass with target log-probabilities. \
            With --sentences TEXT: sentence-context training (batches of --batch-size sentences with the \
            word counts of TEXT's sentences, random tokens and embeddings) — the fusion modes' workload. \
            Prints JSON (with the CPU model and the OpenBLAS kernel set).
            """)

    @Option(help: "Size preset: small or paper.") var preset = "small"
    @Option(help: "Vocabulary size.") var vocab = 8192
    @Option(help: "Fusion mode (random embeddings of width --fusion-width).") var fusion = "none"
    @Option(help: "Sentence-embedding width for fusion.") var fusionWidth = 384
    @Option(help: "Streams per step.") var batchSize = 32
    @Option(help: "Tokens per stream per step.") var bptt = 35
    @Option(help: "Timed training steps.") var trainSteps = 20
    @Option(help: "Timed scoring steps.") var scoreSteps = 40
    @Option(help: "BLAS threads.") var threads = 2
    @Option(help: "Instead: sentence-context training on the sentence lengths (in words) of this text ('default': the setup text).")
    var sentences: String?
    @Option(help: "With --sentences: how many sentences of the text to use (from its start).") var sentenceCount = 2000

    func run() throws {
        try reportingErrors {
            guard let p = LMConfig.Preset(rawValue: preset), let f = FusionMode(rawValue: fusion) else {
                throw ValidationError("unknown --preset or --fusion")
            }
            BLASRuntime.setThreads(threads)
            let config = LMConfig.preset(p, vocabularySize: vocab, fusion: f, fusionWidth: f == .none ? 0 : fusionWidth)
            if let sentences {
                let text = try TrainingText.read(URL(fileURLWithPath: try resolveText(sentences)))
                let lengths = text.sentences.prefix(sentenceCount).map { $0.text.split(whereSeparator: { $0.isWhitespace }).count }
                let r = try SentenceBenchmark.run(config: config, sentenceLengths: lengths, batch: batchSize, trainSteps: trainSteps)
                try printJSON(LMBenchJSON(workload: "sentences", preset: preset, fusion: fusion, threads: threads, batch: batchSize,
                                          sentences: lengths.count, trainTokensPerSecond: JSONNumber(r.tokensPerSecond),
                                          trainGFLOPs: JSONNumber(r.gflopsPerSecond), positionsPerToken: JSONNumber(r.positionsPerToken),
                                          blasKernels: BLASRuntime.coreName, cpu: CPUFeatures.current().modelName, packedKernel: LMBenchmark.usesPackedKernel))
                return
            }
            let r = try LMBenchmark.run(config: config, batch: batchSize, steps: bptt, trainSteps: trainSteps, scoreSteps: scoreSteps)
            try printJSON(LMBenchJSON(preset: preset, fusion: fusion, parameters: r.parameters, threads: threads, batch: batchSize, bptt: bptt,
                                      trainTokensPerSecond: JSONNumber(r.trainTokensPerSecond), scoreTokensPerSecond: JSONNumber(r.scoreTokensPerSecond),
                                      blasKernels: BLASRuntime.coreName, cpu: CPUFeatures.current().modelName, packedKernel: LMBenchmark.usesPackedKernel))
        }
    }
}

/// What `rtpipe lm train --show-config` prints: the run's settings after `--config` and the options.
struct LMTrainSettings: Encodable {
    let run: LMRunSpec
    let encoder: String?
    let sizes: [Int]
}
