import Numerics

/// Term 1's diagonal block of L for a model with two scalar random-effect terms whose second
/// term has many levels (a crossed design such as InstEval's students × lecturers), factored as
/// a sparse matrix instead of a dense one:
///
///     S(θ) = λ₁²·diag(a₁) + I − L₁₀·L₁₀ᵀ,   L₁₀ = λ₁·A₁₀·λ₀·L₀₀⁻ᵀ   (Bates et al. 2015, eq. 18)
///
/// S has a nonzero (i, j) only where levels i and j of term 1 share a level of term 0, a pattern
/// fixed by the data; `SupernodalCholesky` orders and analyses it once, and each θ evaluation
/// writes S into the factor's slots and refactors. Each column l of L₁₀ (one level of term 0)
/// contributes −v·vᵀ for its entries v; the slots of those pairs are precomputed.
final class SparseSchurComplement {
    let cholesky: SupernodalCholesky
    /// Slot of S's diagonal entry for each level of term 1.
    private let diagonalSlot: [Int]
    /// Column by column of L₁₀ (entries e ∈ colStart[l] ..< colStart[l+1]): the slots of the
    /// pairs (e₁, e₂), e₂ ≤ e₁, in that order.
    private let pairSlot: [Int32]

    /// Pairs of entries summed per evaluation (Σ over term-0 levels of k(k+1)/2).
    var pairCount: Int { pairSlot.count }

    /// nil unless both terms are scalar (1 × 1 blocks) or the slots would not fit 32 bits.
    init?(crossProduct a10: SparseBlockColumns) {
        guard a10.rq == 1, a10.cq == 1 else { return nil }
        // Each column of A₁₀ (a level of term 0) is a clique of rows (levels of term 1) in S's pattern.
        guard let cholesky = SupernodalCholesky(n: a10.blockRows, cliqueStart: a10.colStart, members: a10.rowLevel),
              cholesky.storedEntries < Int(Int32.max) else { return nil }
        self.cholesky = cholesky
        diagonalSlot = (0..<a10.blockRows).map { cholesky.slot(row: $0, col: $0)! }
        let pairSlot = cholesky.cliquePairSlots(cliqueStart: a10.colStart, members: a10.rowLevel)
        precondition(!pairSlot.contains(-1), "every pair lies in the pattern it was built from")
        self.pairSlot = pairSlot
    }

    /// Estimated seconds of one evaluation, sparse and dense (the dense path forms S in an
    /// n × n matrix and calls LAPACK's potrf), from rough per-operation costs on this project's
    /// machine (a scattered update ≈ 1 ns, the leading supernodes' small and medium BLAS calls
    /// ≈ 10 GFLOP/s, large ones ≈ 60); used to pick the cheaper path.
    var estimatedCost: (sparse: Double, dense: Double) {
        let n = Double(cholesky.n)
        let sparse = cholesky.leadingFlops / 10e9 + cholesky.scatterOperations * 1e-9
            + cholesky.tailFlops / 60e9 + Double(pairCount) * 1e-9 + Double(cholesky.storedEntries) * 0.5e-9
        let dense = n * n * n / 3 / 60e9 + Double(pairCount) * 3e-9 + n * n * 0.5e-9
        return (sparse, dense)
    }

    /// Writes S(θ) into the factor's `values` (then call one of its `factor` methods).
    /// - Parameters: λ₁ (term 1's scalar factor), a₁ (term 1's diagonal of ZᵀZ per level) and
    ///   L₁₀'s current values (same layout as A₁₀).
    func assemble(lambda1: Double, diagonal a1: [Double], l10: SparseBlockColumns) {
        cholesky.clear()
        let l2 = lambda1 * lambda1
        cholesky.values.withUnsafeMutableBufferPointer { vp in
            for (i, slot) in diagonalSlot.enumerated() { vp[slot] = l2 * a1[i] + 1 }
            l10.values.withUnsafeBufferPointer { v in
                pairSlot.withUnsafeBufferPointer { ps in
                    var k = 0
                    for l in 0..<l10.blockColumns {
                        let (s, e) = (l10.colStart[l], l10.colStart[l + 1])
                        for e1 in s..<e {
                            let w = v[e1]
                            for e2 in s...e1 { vp[Int(ps[k])] -= w * v[e2]; k += 1 }
                        }
                    }
                }
            }
        }
    }
}
