import Numerics

/// One way `BlockedSystem.update` recomputes L(θ) for a θ the optimiser tries. The system
/// chooses one when it is built, by estimated cost (`BlockedSystem.Strategy` lets tests force
/// each); all give the same deviance.
protocol ThetaEvaluation {
    /// Recomputes L(θ) (at least logDetL2, logDetRX2 and pwrss); false when a block is not
    /// positive definite.
    func update(_ system: BlockedSystem, theta: [Double]) throws -> Bool
    /// Whether the term-0 blocks of L are left unformed, so that `solution()` needs an update
    /// with `fullFactor` first.
    var leavesTermZeroStale: Bool { get }
}

/// Every block of L, dense BLAS products (or sparse accumulation, per product) for the terms
/// after term 0: the general evaluation.
struct DenseBlocksEvaluation: ThetaEvaluation {
    var leavesTermZeroStale: Bool { false }
    func update(_ system: BlockedSystem, theta: [Double]) throws -> Bool {
        try system.updateBlocks(theta: theta, sparseTermOne: nil)
    }
}

/// As `DenseBlocksEvaluation`, but term 1's block (two scalar terms, many levels of term 1) is
/// factored as a sparse matrix on two threads. Every other BLAS call is then small: one BLAS
/// thread (the factor raises it for its tail), no thread wake-ups per call.
struct SparseTermOneEvaluation: ThetaEvaluation {
    let factor: SparseSchurComplement
    var leavesTermZeroStale: Bool { false }
    func update(_ system: BlockedSystem, theta: [Double]) throws -> Bool {
        try BLASRuntime.withThreads(1) { try system.updateBlocks(theta: theta, sparseTermOne: factor) }
    }
}

/// For a scalar term 0: sums over its levels grouped by a_l (`GroupedTermZero`), at a cost
/// independent of ℓ₀; the term-0 blocks of L are not formed.
struct GroupedSumsEvaluation: ThetaEvaluation {
    let sums: GroupedTermZero
    var leavesTermZeroStale: Bool { true }
    func update(_ system: BlockedSystem, theta: [Double]) throws -> Bool {
        try system.updateGrouped(theta: theta, sums)
    }
}
