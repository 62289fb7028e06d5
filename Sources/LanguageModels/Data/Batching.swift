import Numerics
import Tokenization

/// Turns tokenised sentences into `MicroBatch`es.
///
/// - Sentence context, no fusion or late fusion: one row per sentence (`<s>` w₁ … w_n, targets
///   w₁ … w_n `</s>`), rows padded to the longest sentence of the batch.
/// - Sentence context, early fusion: one row per word position k of each sentence — the row
///   starts from e_k and reads `<s>` and the tokens before word k+1's last token, with targets only
///   on word k+1's tokens (or on `</s>` for k = n) — so each prefix is its own sequence.
///   Rows are packed into micro-batches of at most `maxPositions` positions (counted with padding
///   to the longest row, which bounds the buffers); each micro-batch is ragged
///   (`MicroBatch.stepRows`: longest rows first, no padding computed).
/// - Document context: the sentences in order form one token stream (`<s>` before every
///   sentence, no reset), cut into `rows` contiguous streams read `steps` tokens at a time with
///   the LSTM state carried across (truncated backpropagation through time).
///
/// Every position has a tag `sentence << 32 | t`: target t of that sentence (t = its token count
/// for `</s>`), so scores can be mapped back.
enum Batching {
    static func tag(_ sentence: Int, _ t: Int) -> Int64 { Int64(sentence) << 32 | Int64(t) }

    /// The word position of target t in a sentence (`wordCount` for `</s>`).
    @inline(__always) static func position(_ s: LMSentence, _ t: Int) -> Int { t < s.tokens.count ? Int(s.wordOfToken[t]) : s.wordCount }

    /// The sentence embeddings of `ids`, concatenated; returns the table and each sentence's first column.
    static func table(_ e: FusionEmbeddings, _ ids: [Int]) -> (values: [Float], base: [Int: Int], columns: Int) {
        var values: [Float] = []
        var base: [Int: Int] = [:]
        var columns = 0
        for s in ids where base[s] == nil {
            base[s] = columns
            let start = e.starts[s], n = e.counts[s]
            values += e.values[(start * e.width)..<((start + n) * e.width)]
            columns += n
        }
        return (values, base, columns)
    }

    /// Micro-batches for the sentences `ids` (sentence context).
    static func sentenceBatch(_ ds: LMDataset, ids: [Int], fusion: FusionMode, maxPositions: Int = 16384) -> [MicroBatch] {
        if fusion.isEarly { return earlyBatches(ds, ids: ids, maxPositions: maxPositions) }
        let B = ids.count
        let S = ids.map { ds.sentences[$0].tokens.count + 1 }.max() ?? 1
        var mb = MicroBatch(steps: S, rows: B)
        mb.tags = [Int64](repeating: -1, count: S * B)
        var base: [Int: Int] = [:]
        if fusion.usesEmbeddings, let e = ds.embeddings {
            let t = table(e, ids)
            mb.fusionTable = t.values; mb.tableColumns = t.columns; base = t.base
            mb.fusionColumns = [Int32](repeating: 0, count: S * B)
        }
        for (r, s) in ids.enumerated() {
            let sent = ds.sentences[s]
            let n = sent.tokens.count
            for t in 0...n {
                let i = t * B + r
                mb.inputs[i] = t == 0 ? BPEVocabulary.beginOfSentence : sent.tokens[t - 1]
                mb.targets[i] = t < n ? sent.tokens[t] : BPEVocabulary.endOfSentence
                mb.tags[i] = tag(s, t)
                if let b = base[s], let e = ds.embeddings { mb.fusionColumns[i] = Int32(b + min(position(sent, t), e.counts[s] - 1)) }
            }
        }
        return [mb]
    }

    /// Early fusion: one row per (sentence, word position).
    static func earlyBatches(_ ds: LMDataset, ids: [Int], maxPositions: Int) -> [MicroBatch] {
        struct Row { var sentence: Int; var position: Int; var from: Int; var to: Int }
        var rows: [Row] = []
        for s in ids {
            let sent = ds.sentences[s]
            var t = 0
            while t <= sent.tokens.count {
                let k = position(sent, t)
                var e = t + 1
                while e <= sent.tokens.count, position(sent, e) == k { e += 1 }
                rows.append(Row(sentence: s, position: k, from: t, to: e))
                t = e
            }
        }
        // Pack rows greedily into micro-batches of at most maxPositions positions.
        var groups: [[Row]] = []
        var current: [Row] = []
        var longest = 0
        for row in rows {
            let l = max(longest, row.to)
            if !current.isEmpty, (current.count + 1) * l > maxPositions { groups.append(current); current = []; longest = 0 }
            current.append(row)
            longest = max(longest, row.to)
        }
        if !current.isEmpty { groups.append(current) }
        guard let e = ds.embeddings else { return [] }
        return groups.map { unsorted in
            // Ragged layout: longest rows first, so step p holds exactly the rows still running
            // (no padding is computed; the quadratic work of the prefixes runs as wide products).
            let group = unsorted.enumerated().sorted { ($0.element.to, -$0.offset) > ($1.element.to, -$1.offset) }.map(\.element)
            let S = group[0].to
            let stepRows = (0..<S).map { p in group.reduce(0) { $0 + ($1.to > p ? 1 : 0) } }
            var mb = MicroBatch(stepRows: stepRows)
            let offsets = mb.stepOffsets
            mb.tags = [Int64](repeating: -1, count: mb.positionCount)
            let t = table(e, group.map(\.sentence))
            mb.fusionTable = t.values; mb.tableColumns = t.columns
            mb.initialColumns = group.map { Int32(t.base[$0.sentence]! + min($0.position, e.counts[$0.sentence] - 1)) }
            for (r, row) in group.enumerated() {
                let sent = ds.sentences[row.sentence]
                let n = sent.tokens.count
                for p in 0..<row.to {
                    let i = offsets[p] + r
                    mb.inputs[i] = p == 0 ? BPEVocabulary.beginOfSentence : sent.tokens[p - 1]
                    if p >= row.from {
                        mb.targets[i] = p < n ? sent.tokens[p] : BPEVocabulary.endOfSentence
                        mb.tags[i] = tag(row.sentence, p)
                    }
                }
            }
            return mb
        }
    }

    /// The batches of one training epoch (sentence context): the sentences are shuffled with
    /// (seed, epoch); pools of 50 batches are sorted by length (less padding) and cut into
    /// batches, and the batch order is shuffled again. Deterministic for a given seed and epoch.
    static func epochPlan(lengths: [Int], batchSize: Int, seed: UInt64, epoch: Int) -> [[Int]] {
        var rng = SeededGenerator(seed: mixSeed(seed, UInt64(epoch), 0xE70C))
        var order = Array(lengths.indices)
        shuffle(&order, &rng)
        var batches: [[Int]] = []
        let pool = 50 * batchSize
        var i = 0
        while i < order.count {
            let chunk = order[i..<min(order.count, i + pool)].sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            var j = 0
            while j < chunk.count { batches.append(Array(chunk[j..<min(chunk.count, j + batchSize)])); j += batchSize }
            i += pool
        }
        shuffle(&batches, &rng)
        return batches
    }

    static func shuffle<T>(_ a: inout [T], _ rng: inout SeededGenerator) {
        guard a.count > 1 else { return }
        for k in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
    }
}

/// Mixes seeds and counters into a new 64-bit seed (SplitMix64 finaliser), so every step, epoch
/// and purpose gets its own reproducible random stream.
func mixSeed(_ a: UInt64, _ b: UInt64, _ c: UInt64 = 0) -> UInt64 {
    var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1) &+ 0xBF58_476D_1CE4_E5B9 &* (c &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Document context: the dataset's sentences as one stream, cut into `rows` parallel streams
/// read `steps` positions at a time (the LSTM state carries over from chunk to chunk).
struct DocumentStream {
    let rows: Int
    let steps: Int
    private var inputs: [Int32] = [], targets: [Int32] = [], sentence: [Int32] = [], target: [Int32] = []
    let perRow: Int
    let chunkCount: Int

    init(_ ds: LMDataset, rows: Int, steps: Int) {
        self.rows = max(1, rows)
        self.steps = max(1, steps)
        for (s, sent) in ds.sentences.enumerated() {
            let n = sent.tokens.count
            for t in 0...n {
                inputs.append(t == 0 ? BPEVocabulary.beginOfSentence : sent.tokens[t - 1])
                targets.append(t < n ? sent.tokens[t] : BPEVocabulary.endOfSentence)
                sentence.append(Int32(s)); target.append(Int32(t))
            }
        }
        perRow = (inputs.count + self.rows - 1) / self.rows
        chunkCount = (perRow + self.steps - 1) / self.steps
    }

    /// Chunk j (0 ..< chunkCount).
    func chunk(_ j: Int, _ ds: LMDataset, fusion: FusionMode) -> MicroBatch {
        let S = min(steps, perRow - j * steps), B = rows
        var mb = MicroBatch(steps: S, rows: B)
        mb.tags = [Int64](repeating: -1, count: S * B)
        var used: [Int] = []
        for r in 0..<B { for t in 0..<S { let idx = r * perRow + j * steps + t; if idx < inputs.count { used.append(Int(sentence[idx])) } } }
        var base: [Int: Int] = [:]
        if fusion.usesEmbeddings, let e = ds.embeddings {
            let t = Batching.table(e, used)
            mb.fusionTable = t.values; mb.tableColumns = t.columns; base = t.base
            mb.fusionColumns = [Int32](repeating: 0, count: S * B)
        }
        for r in 0..<B {
            for t in 0..<S {
                let idx = r * perRow + j * steps + t
                guard idx < inputs.count else { continue }
                let i = t * B + r
                mb.inputs[i] = inputs[idx]
                mb.targets[i] = targets[idx]
                let s = Int(sentence[idx])
                mb.tags[i] = Batching.tag(s, Int(target[idx]))
                if let b = base[s], let e = ds.embeddings {
                    mb.fusionColumns[i] = Int32(b + min(Batching.position(ds.sentences[s], Int(target[idx])), e.counts[s] - 1))
                }
            }
        }
        return mb
    }
}
