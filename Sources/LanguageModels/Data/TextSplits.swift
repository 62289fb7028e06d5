import Numerics

/// Deterministic train/dev/test splits of a `TrainingText` by sentence.
///
/// Paragraphs are shuffled with the seed (Fisher–Yates on `SeededGenerator`) and dealt out in
/// that order: first to test, then to dev, then to train, so sentences of one paragraph stay
/// together (no paragraph straddles two splits; a paragraph that would overfill a split is cut
/// and its remaining sentences are dropped). Each split lists sentence indices in text order.
/// The training split of a smaller size is always a subset of a larger one with the same seed,
/// while dev and test stay the same — what the limited-data experiment (5k … 100k training
/// sentences) needs.
public struct TextSplits: Sendable, Equatable {
    public var train: [Int]
    public var dev: [Int]
    public var test: [Int]

    /// Sizes in sentences; `train == nil` takes every sentence left after test and dev.
    public static func make(_ text: TrainingText, train: Int? = nil, dev: Int = 2000, test: Int = 2000, seed: UInt64 = 1) throws -> TextSplits {
        guard dev >= 1, test >= 0, (train ?? 1) >= 1 else {
            throw LMError.invalidConfiguration("split sizes must be positive (train \(train.map(String.init) ?? "rest"), dev \(dev), test \(test))")
        }
        // Paragraphs as ranges of sentence indices.
        var paragraphs: [Range<Int>] = []
        var i = 0
        let s = text.sentences
        while i < s.count {
            var j = i + 1
            while j < s.count, s[j].paragraph == s[i].paragraph { j += 1 }
            paragraphs.append(i..<j)
            i = j
        }
        var rng = SeededGenerator(seed: seed ^ 0x5EED_5EED_0000_0001)
        var order = Array(paragraphs.indices)
        if order.count > 1 {
            for k in stride(from: order.count - 1, to: 0, by: -1) {
                let r = Int(rng.next() % UInt64(k + 1))
                order.swapAt(k, r)
            }
        }
        var splits = TextSplits(train: [], dev: [], test: [])
        var cursor = 0
        func deal(_ want: Int?, into list: inout [Int]) {
            while cursor < order.count, want.map({ list.count < $0 }) ?? true {
                let p = paragraphs[order[cursor]]
                cursor += 1
                let take = want.map { min(p.count, $0 - list.count) } ?? p.count
                list.append(contentsOf: p.lowerBound..<(p.lowerBound + take))
            }
        }
        deal(test, into: &splits.test)
        deal(dev, into: &splits.dev)
        deal(train, into: &splits.train)
        let available = s.count
        if splits.test.count < test || splits.dev.count < dev || (train.map { splits.train.count < $0 } ?? splits.train.isEmpty) {
            throw LMError.invalidTrainingText(path: text.source,
                reason: "it has \(available) sentences; the splits need test \(test) + dev \(dev) + train \(train.map(String.init) ?? "≥ 1") (sentences of a cut paragraph are dropped); ask for fewer")
        }
        splits.train.sort(); splits.dev.sort(); splits.test.sort()
        return splits
    }
}
