import ArgumentParser
import Encoders
import Foundation
import Numerics
import RtpipeCore

/// `rtpipe embed`: sentence (or prefix) embeddings with the native all-MiniLM-L6-v2 encoder.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed sentences or their prefixes with the native all-MiniLM-L6-v2 encoder.",
        discussion: """
            Prints one vector per text — each TEXT argument, or with --file each non-empty line of FILE — as a line \
            of space-separated numbers, or with --json one JSON object. The weights come from \
            $RTPIPE_ENCODER_DIR or <cache>/models/all-MiniLM-L6-v2 (fetched by scripts/setup).

            Texts are tokenised exactly as the model's tokenizer.json does; a text of more than 128 tokens \
            ([CLS] and [SEP] included) keeps its first 126 word pieces (a warning says so).

            Poolings: mean — the model's own: the mean of the last hidden states over all tokens, L2-normalised; \
            cls — the [CLS] hidden state; mean-raw — the mean without normalisation.

            --prefixes: for each text, split at whitespace into words w1…wn, print for every word i the embedding \
            of the prefix w1…w(i−1) (the first word's prefix is the empty text, i.e. [CLS] [SEP]). Prefixes longer \
            than 128 tokens keep their last 126 word pieces. --strategy chooses how: full (every prefix), stride-K \
            (recompute every K words and reuse in between), previous-sentence (every word of line t gets the \
            embedding of line t−1; the lines of --file are taken as consecutive sentences), none (zero vectors).

            Embeddings are cached on disk (<cache>/embeddings, cache = $RTPIPE_CACHE or .rtpipe in the project), \
            keyed by the weights' SHA-256, the pooling, the maximum length and the exact text, so a second run over \
            the same texts costs nothing. --benchmark prints throughput instead of vectors (see benchmarks/encoder).
            """)

    @Argument(help: "Texts to embed (or use --file).") var texts: [String] = []
    @Option(name: .customLong("file"), help: "Read texts from FILE, one per non-empty line ('-' for standard input).") var file: String?
    @Option(help: "Pooling: mean, cls or mean-raw (default: the model's own, mean).") var pooling: String?
    @Flag(help: "Embed the prefix before every word instead of the whole text.") var prefixes = false
    @Option(help: "Prefix strategy: full, stride-K, previous-sentence or none.") var strategy: String = "full"
    @Flag(help: "Print JSON (texts, tokens, vectors) instead of plain lines.") var json = false
    @Flag(help: "Do not read or write the embedding cache.") var noCache = false
    @Option(help: "Embedding cache folder (default: <cache>/embeddings).") var cacheDir: String?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Flag(help: "Print timing and throughput instead of the vectors.") var benchmark = false

    func validate() throws {
        if file == nil && texts.isEmpty { throw ValidationError("give one or more TEXT arguments or --file FILE") }
        if file != nil && !texts.isEmpty { throw ValidationError("give either TEXT arguments or --file, not both") }
        if let p = pooling, Pooling(rawValue: p) == nil { throw ValidationError("--pooling must be mean, cls or mean-raw; got '\(p)'") }
        if PrefixStrategy(name: strategy) == nil { throw ValidationError("--strategy must be full, stride-K (K ≥ 1), previous-sentence or none; got '\(strategy)'") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let inputs = try readTexts()
            let started = Date()
            let encoder = try SentenceEncoder(directory: RtpipePaths.encoderDirectory, threads: threads)
            let pool = pooling.flatMap(Pooling.init(rawValue:)) ?? encoder.defaultPooling
            let cache = noCache ? nil : try EmbeddingCache(
                directory: cacheDir.map { URL(fileURLWithPath: $0) } ?? RtpipePaths.cacheDirectory.appendingPathComponent("embeddings"),
                encoder: encoder, pooling: pool)
            let loaded = Date()
            if prefixes {
                try runPrefixes(inputs, encoder: encoder, pooling: pool, cache: cache, timing: (started, loaded))
            } else {
                try runTexts(inputs, encoder: encoder, pooling: pool, cache: cache, timing: (started, loaded))
            }
        }
    }

    /// The texts to embed: arguments or the non-empty lines of --file. Empty texts are errors.
    private func readTexts() throws -> [String] {
        guard let file else {
            for (i, t) in texts.enumerated() where t.allSatisfy(\.isWhitespace) {
                throw EncoderError.invalidArgument("text \(i + 1) is empty; give non-empty text to embed")
            }
            return texts
        }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw EncoderError.invalidArgument("cannot read \(file): \(SystemErrorText.reason(error))")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw EncoderError.invalidArgument("\(file) is not UTF-8 text") }
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw EncoderError.invalidArgument("\(file) has no non-empty lines to embed") }
        return lines
    }

    private func runTexts(_ inputs: [String], encoder: SentenceEncoder, pooling: Pooling, cache: EmbeddingCache?,
                          timing: (started: Date, loaded: Date)) throws {
        let encodings = inputs.map(encoder.tokenize)
        for (i, e) in encodings.enumerated() where e.isTruncated {
            warn("text \(i + 1) has \(e.untruncatedPieceCount + 2) tokens; truncated to the model's maximum of \(encoder.maxLength)")
        }
        let t0 = Date()
        let (vectors, hits) = try encoder.embed(inputs, pooling: pooling, cache: cache)
        let seconds = Date().timeIntervalSince(t0)
        let tokens = encodings.reduce(0) { $0 + $1.count }
        if benchmark {
            try report(EmbedBenchmarkJSON(texts: inputs.count, cacheHits: hits, computed: inputs.count - hits, tokens: tokens), seconds: seconds, timing: timing)
            return
        }
        if json {
            let items = zip(inputs, zip(encodings, vectors)).map { text, ev in
                TextEmbeddingJSON(text: text, tokens: ev.0.count, truncated: ev.0.isTruncated, vector: ev.1.map { JSONNumber(Double($0)) })
            }
            try printJSON(EmbedJSON(model: encoder.directory.lastPathComponent, pooling: pooling.rawValue,
                                    dimension: encoder.dimension, maxLength: encoder.maxLength, items: items))
        } else {
            printVectors(vectors)
        }
    }

    private func runPrefixes(_ inputs: [String], encoder: SentenceEncoder, pooling: Pooling, cache: EmbeddingCache?,
                             timing: (started: Date, loaded: Date)) throws {
        let strategy = PrefixStrategy(name: strategy)!
        let words = inputs.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        let embedder = PrefixEmbedder(encoder: encoder, pooling: pooling, cache: cache)
        let t0 = Date()
        let (vectors, stats) = try embedder.embeddingsWithStats(texts: words, strategy: strategy)
        let seconds = Date().timeIntervalSince(t0)
        if benchmark {
            try report(EmbedBenchmarkJSON(texts: inputs.count, words: words.reduce(0) { $0 + $1.count }, strategy: strategy.description,
                                          distinctPrefixes: stats.distinctPrefixes, cacheHits: stats.cacheHits,
                                          computed: stats.computed, tokens: stats.computedTokens), seconds: seconds, timing: timing)
            return
        }
        if json {
            let items = inputs.indices.map { t in
                PrefixTextJSON(text: inputs[t], prefixes: words[t].indices.map { i in
                    // The text whose embedding this word gets (for stride-K and previous-sentence, not always w1…w(i−1)).
                    let src = strategy.source(text: t, word: i, previousLength: t > 0 ? words[t - 1].count : 0)
                    return PrefixTextJSON.Prefix(word: words[t][i], index: i,
                                                 prefix: src.map { words[$0.text].prefix($0.words).joined(separator: " ") },
                                                 vector: vectors[t][i].map { JSONNumber(Double($0)) })
                })
            }
            try printJSON(EmbedJSON(model: encoder.directory.lastPathComponent, pooling: pooling.rawValue, strategy: strategy.description,
                                    dimension: encoder.dimension, maxLength: encoder.maxLength, items: items))
        } else {
            printVectors(vectors.flatMap { $0 })
        }
    }

    /// One line of space-separated numbers (8 significant digits) per vector.
    private func printVectors(_ vectors: [[Float]]) {
        var out = ""
        out.reserveCapacity(vectors.count * (vectors.first?.count ?? 0) * 12)
        for v in vectors {
            out += v.map { String(format: "%.8g", $0) }.joined(separator: " ")
            out += "\n"
        }
        FileHandle.standardOutput.write(out.data(using: .utf8)!)
    }

    /// The --benchmark summary: counts, seconds, rates (texts/s, tokens/s), load time.
    private func report(_ counts: EmbedBenchmarkJSON, seconds: Double, timing: (started: Date, loaded: Date)) throws {
        var f = counts
        let texts = counts.distinctPrefixes ?? counts.texts
        let load = timing.loaded.timeIntervalSince(timing.started)
        let textsPerSecond = seconds > 0 ? Double(texts) / seconds : 0
        let tokensPerSecond = seconds > 0 ? Double(counts.tokens) / seconds : 0
        f.seconds = JSONNumber(seconds)
        f.loadSeconds = JSONNumber(load)
        f.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        f.textsPerSecond = JSONNumber(textsPerSecond)
        f.tokensPerSecond = JSONNumber(tokensPerSecond)
        if json {
            try printJSON(f)
        } else {
            print(String(format: "embedded %d texts (%d computed, %d from the cache) in %.3f s: %.1f texts/s, %.0f tokens/s; model load %.3f s",
                         texts, counts.computed, counts.cacheHits, seconds, textsPerSecond, tokensPerSecond, load))
        }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write("rtpipe: warning: \(message)\n".data(using: .utf8)!)
    }
}
