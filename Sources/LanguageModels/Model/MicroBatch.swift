/// One unit of forward/backward work: `rows` token sequences of `steps` positions, stored
/// time-major (position t of row r is index t·rows + r), so that each time step's inputs are
/// contiguous columns for the recurrent GEMM.
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

    init(steps: Int, rows: Int) {
        self.steps = steps
        self.rows = rows
        inputs = [Int32](repeating: 1, count: steps * rows)
        targets = [Int32](repeating: -1, count: steps * rows)
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
