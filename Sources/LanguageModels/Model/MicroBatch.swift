/// One unit of forward/backward work: `rows` token sequences of `steps` positions, stored
/// time-major (position t of row r is index t·rows + r), so that each time step's inputs are
/// contiguous columns for the recurrent GEMM.
///
/// Ragged batches (`stepRows`, used for early fusion's prefixes): the rows are sorted by
/// decreasing length and step t holds only its first `stepRows[t]` rows, stored one step after
/// the other (position t of row r is Σ_{u<t} stepRows[u] + r) — no padding is computed.
struct MicroBatch {
    var steps: Int
    var rows: Int
    /// Input token per position (`<s>` then the sentence's tokens; padding repeats `</s>`).
    var inputs: [Int32]
    /// Token to predict per position, or −1 where no loss is taken (padding, early-fusion prefixes).
    var targets: [Int32]
    /// Late fusion: per position, the column of `fusionTable` holding e for that position.
    var fusionColumns: [Int32] = []
    /// Early fusion: per row, the column of `fusionTable` holding the row's initial state.
    var initialColumns: [Int32] = []
    /// Sentence embeddings used by this micro-batch, M × `tableColumns`, column-major.
    var fusionTable: [Float] = []
    var tableColumns = 0
    /// Per position, an opaque tag the batch builder uses to map log-probabilities back (−1: none).
    var tags: [Int64] = []

    /// Ragged batches: rows active at each step (non-increasing); nil when every step has all rows.
    var stepRows: [Int]?

    init(steps: Int, rows: Int) {
        self.steps = steps
        self.rows = rows
        inputs = [Int32](repeating: 1, count: steps * rows)
        targets = [Int32](repeating: -1, count: steps * rows)
    }

    /// A ragged batch with `stepRows[t]` rows at step t (non-increasing, first > 0).
    init(stepRows: [Int]) {
        self.init(steps: 0, rows: 0)
        steps = stepRows.count
        rows = stepRows.first ?? 0
        let n = stepRows.reduce(0, +)
        inputs = [Int32](repeating: 1, count: n)
        targets = [Int32](repeating: -1, count: n)
        self.stepRows = stepRows
    }

    /// Number of positions (steps × rows, or the sum of `stepRows`).
    var positionCount: Int { inputs.count }

    /// Rows at each step.
    var rowsPerStep: [Int] { stepRows ?? [Int](repeating: rows, count: steps) }

    /// Index of each step's first position (steps + 1 values; the last is `positionCount`).
    var stepOffsets: [Int] {
        var o = [0]
        o.reserveCapacity(steps + 1)
        for r in rowsPerStep { o.append(o.last! + r) }
        return o
    }

    /// Number of positions with a loss.
    var activeCount: Int { targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}

/// The recurrent state carried from one micro-batch to the next (document context): per layer,
/// h and c for every row (H × rows each).
struct RecurrentState<T: LMScalar> {
    var h: [[T]]
    var c: [[T]]
}
