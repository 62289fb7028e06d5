import Foundation
import Synchronization
import Numerics
import Tokenization

/// A sentence encoder: the model's own WordPiece tokenizer, the BERT forward pass and pooling.
///
/// ```swift
/// let encoder = try SentenceEncoder(directory: modelFolder)
/// let vectors = try encoder.embed(["The cat sat on the mat."])   // [[Float]], 384 each
/// ```
///
/// Texts longer than `maxLength` tokens are truncated (the first `maxLength − 2` word pieces are
/// kept, as the model's tokenizer does; all-MiniLM-L6-v2: 128 tokens). The empty text is the
/// sequence `[CLS] [SEP]` and has an embedding like any other.
///
/// Throughput: texts are sorted by token count and cut into batches of similar length; batches
/// run on `threads` worker threads at once, each with single-threaded BLAS, and the results are
/// returned in input order.
public final class SentenceEncoder: @unchecked Sendable {
    public let directory: URL
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    /// The model's own pooling (`1_Pooling/config.json` + `modules.json`); `.mean` for all-MiniLM-L6-v2.
    public let defaultPooling: Pooling
    /// Maximum tokens per text, `[CLS]`/`[SEP]` included: the tokenizer's truncation length,
    /// capped by the model's position table.
    public let maxLength: Int
    /// Worker threads (default: the machine's cores).
    public var threads: Int
    /// Most tokens in one batch (one GEMM's rows).
    public var batchTokens = 2048

    /// Width of the embeddings.
    public var dimension: Int { model.config.hiddenSize }

    /// Loads a model folder with `config.json`, `model.safetensors`, `vocab.txt` and optionally
    /// `tokenizer.json`, `tokenizer_config.json`, `1_Pooling/config.json`, `modules.json`.
    public init(directory: URL, threads: Int? = nil) throws {
        self.directory = directory
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw EncoderError.missingFile(path: directory.path, hint: "run scripts/setup to fetch the encoder weights")
        }
        model = try BertModel(directory: directory)
        do {
            tokenizer = try WordPieceTokenizer(directory: directory)
        } catch let e as TokenizationError {
            if case let .unreadableFile(path, _) = e, !FileManager.default.fileExists(atPath: path) {
                throw EncoderError.missingFile(path: path, hint: "run scripts/setup to fetch the encoder weights")
            }
            throw EncoderError.invalidConfig(path: directory.path, reason: e.description)
        }
        guard tokenizer.vocabulary.count <= model.config.vocabularySize else {
            throw EncoderError.invalidConfig(path: directory.appendingPathComponent("vocab.txt").path,
                                             reason: "\(tokenizer.vocabulary.count) tokens but the model has only \(model.config.vocabularySize) embeddings")
        }
        maxLength = min(tokenizer.settings.maxLength, model.config.maxPositions)
        defaultPooling = SentenceEncoder.readPooling(directory)
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The pooling a sentence-transformers folder declares (mean + Normalize module → `.mean`).
    static func readPooling(_ dir: URL) -> Pooling {
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("1_Pooling/config.json")),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return .mean }
        if json["pooling_mode_cls_token"] as? Bool == true { return .cls }
        if let m = try? Data(contentsOf: dir.appendingPathComponent("modules.json")),
           let s = String(data: m, encoding: .utf8), !s.contains("Normalize") {
            return .meanRaw
        }
        return .mean
    }

    /// Tokenises one text with the model's tokenizer and truncation length.
    public func tokenize(_ text: String) -> WordPieceEncoding {
        tokenizer.encode(text, maxLength: maxLength)
    }

    /// Embeds each text (nil pooling: the model's own).
    public func embed(_ texts: [String], pooling: Pooling? = nil) throws -> [[Float]] {
        try embed(tokenIDs: texts.map { tokenize($0).ids }, pooling: pooling)
    }

    /// Embeds one text.
    public func embed(_ text: String, pooling: Pooling? = nil) throws -> [Float] {
        try embed([text], pooling: pooling)[0]
    }

    /// Embeds already tokenised sequences (each with `[CLS]` … `[SEP]`).
    public func embed(tokenIDs sequences: [[Int32]], pooling: Pooling? = nil) throws -> [[Float]] {
        let flat = try embedFlat(tokenIDs: sequences, pooling: pooling ?? defaultPooling)
        let H = dimension
        return (0..<sequences.count).map { Array(flat[($0 * H)..<(($0 + 1) * H)]) }
    }

    /// Embeds sequences into one row-major `count × dimension` array (input order).
    public func embedFlat(tokenIDs sequences: [[Int32]], pooling: Pooling) throws -> [Float] {
        try model.validate(sequences)
        let H = dimension
        var out = [Float](repeating: 0, count: sequences.count * H)
        guard !sequences.isEmpty else { return out }
        let batches = makeBatches(sequences.map(\.count))
        let workers = min(threads, batches.count)
        let next = BatchCounter()
        try out.withUnsafeMutableBufferPointer { buffer in
            let result = UnsafeSendable(buffer.baseAddress!)
            let failure = ErrorBox()
            let work: @Sendable () -> Void = {
                let ws = BertModel.Workspace()
                while let b = next.take(limit: batches.count) {
                    let members = batches[b]
                    do {
                        try self.model.withHiddenStates(members.map { sequences[$0] }, workspace: ws) { hidden in
                            var row = 0
                            for i in members {
                                let n = sequences[i].count
                                pooling.pool(hidden + row * H, count: n, width: H, into: result.value + i * H)
                                row += n
                            }
                        }
                    } catch { failure.set(error) }
                }
            }
            BLASRuntime.withThreads(1) {
                if workers <= 1 { work() } else { DispatchQueue.concurrentPerform(iterations: workers) { _ in work() } }
            }
            if let e = failure.error { throw e }
        }
        return out
    }

    /// Groups sequence indices into batches: longest first, similar lengths together, at most
    /// `batchTokens` tokens per batch — and at least one batch per worker when there is enough work.
    func makeBatches(_ lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        let total = lengths.reduce(0, +)
        let budget = max(1, min(batchTokens, (total + threads - 1) / max(threads, 1)))
        var batches: [[Int]] = [], current: [Int] = [], tokens = 0
        for i in order {
            if !current.isEmpty && tokens + lengths[i] > budget {
                batches.append(current); current = []; tokens = 0
            }
            current.append(i)
            tokens += lengths[i]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

/// Hands out batch numbers 0, 1, 2, … to worker threads.
final class BatchCounter: Sendable {
    private let next = Mutex(0)
    func take(limit: Int) -> Int? {
        next.withLock { value in
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}

/// The first error thrown on any worker thread.
final class ErrorBox: Sendable {
    private let first = Mutex<(any Error)?>(nil)
    var error: (any Error)? { first.withLock { $0 } }
    func set(_ e: any Error) { first.withLock { if $0 == nil { $0 = e } } }
}

/// A pointer shared with worker threads that write disjoint parts of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
