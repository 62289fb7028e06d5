import Foundation
import Numerics

/// Sentence embeddings for every word position of every sentence of a dataset, built from an
/// `EmbeddingSource` and a `SentenceEmbedder`.
///
/// Sentence s owns `counts[s]` columns starting at `starts[s]` in `values` (width × columns,
/// column-major): either wordCount + 1 columns (position k = column k) or a single column used
/// for every position (constant sources). `column(sentence:position:)` hides the difference.
public struct FusionEmbeddings: Sendable, Equatable {
    public let width: Int
    public private(set) var starts: [Int]
    public private(set) var counts: [Int]
    public private(set) var values: [Float]

    public init(width: Int, counts: [Int], values: [Float]) throws {
        let total = counts.reduce(0, +)
        guard width > 0, values.count == width * total, counts.allSatisfy({ $0 >= 1 }) else {
            throw LMError.embeddingMismatch("\(values.count) values for width \(width) and \(total) columns")
        }
        self.width = width
        self.counts = counts
        self.values = values
        var starts: [Int] = []
        var c = 0
        for n in counts { starts.append(c); c += n }
        self.starts = starts
    }

    /// Number of sentences covered.
    public var sentenceCount: Int { counts.count }

    /// The column (index into `values` / width) that holds e for position k of sentence s.
    @inline(__always) public func column(sentence s: Int, position k: Int) -> Int { starts[s] + min(k, counts[s] - 1) }

    /// Builds the embeddings for `sentences` (texts are the words joined by single spaces;
    /// `previousTexts` are used by the previous-sentence source).
    /// Distinct texts are embedded once, in batches of `batchSize`; `progress(done, total)` reports
    /// texts embedded so far. `seed` fixes the derangement of the `shuffled` control.
    public static func build(sentences: [LMSentence], previousTexts: [String], source: EmbeddingSource, embedder: SentenceEmbedder,
                             seed: UInt64 = 1, batchSize: Int = 256,
                             progress: ((Int, Int) -> Void)? = nil) throws -> FusionEmbeddings {
        let m = embedder.dimension
        guard m > 0 else { throw LMError.embeddingMismatch("the embedder reports width \(m)") }
        if source == .zero {
            return try FusionEmbeddings(width: m, counts: [Int](repeating: 1, count: sentences.count),
                                        values: [Float](repeating: 0, count: m * sentences.count))
        }
        // Texts needed per sentence (each: a list of texts, one per stored column).
        func prefixTexts(_ s: LMSentence, stride k: Int) -> [String] {
            (0...s.wordCount).map { pos in s.words[0..<(k * (pos / k))].joined(separator: " ") }
        }
        var perSentence: [[String]]
        switch source {
        case .prefix, .shuffled: perSentence = sentences.map { prefixTexts($0, stride: 1) }
        case let .stride(k): perSentence = sentences.map { prefixTexts($0, stride: k) }
        case .previousSentence:
            guard previousTexts.count == sentences.count else {
                throw LMError.embeddingMismatch("\(previousTexts.count) previous sentences for \(sentences.count) sentences")
            }
            perSentence = previousTexts.map { [$0] }
        case .fullSentence: perSentence = sentences.map { [$0.words.joined(separator: " ")] }
        case .zero: perSentence = []
        }
        // Embed each distinct text once.
        var unique: [String: Int] = [:]
        var order: [String] = []
        for texts in perSentence { for t in texts where unique[t] == nil { unique[t] = order.count; order.append(t) } }
        var table = [Float](repeating: 0, count: m * order.count)
        var done = 0
        while done < order.count {
            let chunk = Array(order[done..<min(order.count, done + batchSize)])
            let vectors = try embedder.embed(chunk)
            guard vectors.count == chunk.count, vectors.allSatisfy({ $0.count == m }) else {
                throw LMError.embeddingMismatch("the embedder \(embedder.identifier) returned \(vectors.count) vectors (widths \(Set(vectors.map(\.count)).sorted())) for \(chunk.count) texts of width \(m)")
            }
            for (i, v) in vectors.enumerated() { table.replaceSubrange(((done + i) * m)..<((done + i + 1) * m), with: v) }
            done += chunk.count
            progress?(done, order.count)
        }
        // Lay out per sentence.
        var donor = Array(sentences.indices)
        if source == .shuffled, donor.count > 1 {
            // Sattolo's algorithm: a uniformly random single cycle, so no sentence keeps its own.
            var rng = SeededGenerator(seed: seed ^ 0x5A77_0170)
            for i in stride(from: donor.count - 1, to: 0, by: -1) { donor.swapAt(i, Int(rng.next() % UInt64(i))) }
        }
        var counts: [Int] = []
        var values: [Float] = []
        for s in sentences.indices {
            let own = perSentence[s]
            let texts: [String]
            if source == .shuffled {
                let other = perSentence[donor[s]]
                texts = (0...sentences[s].wordCount).map { other[min($0, other.count - 1)] }
            } else {
                texts = own
            }
            counts.append(texts.count)
            for t in texts { let c = unique[t]!; values += table[(c * m)..<((c + 1) * m)] }
        }
        return try FusionEmbeddings(width: m, counts: counts, values: values)
    }

    /// Keeps the given sentences (in that order).
    public func subset(_ indices: [Int]) throws -> FusionEmbeddings {
        var counts: [Int] = []
        var values: [Float] = []
        for i in indices {
            counts.append(self.counts[i])
            values += self.values[(starts[i] * width)..<((starts[i] + self.counts[i]) * width)]
        }
        return try FusionEmbeddings(width: width, counts: counts, values: values)
    }

    // MARK: cache files

    static let magic = Array("RTPLMEMB".utf8)

    /// Writes a binary cache file (magic, width, counts, Float32 values, and the `key` it was made for).
    public func save(to url: URL, key: String) throws {
        var w = BinaryWriter()
        w.bytes(Self.magic); w.u32(1); w.string(key); w.u64(UInt64(width)); w.u64(UInt64(counts.count))
        for c in counts { w.u32(UInt32(c)) }
        w.floats(values)
        try w.finish(to: url)
    }

    /// Reads a cache file; returns nil if it is missing, was made for another key, or is damaged.
    public static func load(from url: URL, key: String) -> FusionEmbeddings? {
        guard let data = try? Data(contentsOf: url), var r = try? BinaryReader(data: data, path: url.path) else { return nil }
        guard let mg = try? r.bytes(magic.count), mg == magic, (try? r.u32()) == 1, (try? r.string()) == key,
              let width = try? r.u64(), let n = try? r.u64(), n < 100_000_000 else { return nil }
        var counts: [Int] = []
        for _ in 0..<n { guard let c = try? r.u32() else { return nil }; counts.append(Int(c)) }
        guard let values = try? r.floats(), r.atEnd else { return nil }
        return try? FusionEmbeddings(width: Int(width), counts: counts, values: values)
    }
}
