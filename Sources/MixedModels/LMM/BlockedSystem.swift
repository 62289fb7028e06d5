import Foundation
import Numerics

/// The blocked cross-product A = [Z X y]ᵀ[Z X y] of a linear mixed model, computed once, and its
/// blocked Cholesky factor L(θ), recomputed for every θ the optimiser tries
/// (Bates et al. 2015, eqs. 18–19; the block layout of MixedModels.jl):
///
///     [ΛᵀZᵀZΛ + I   ΛᵀZᵀX   ΛᵀZᵀy]
///     [XᵀZΛ         XᵀX     Xᵀy  ]  =  L Lᵀ
///     [yᵀZΛ         yᵀX     yᵀy  ]
///
/// Term 0 (the grouping factor with most levels) keeps a block-diagonal factor (diagonal for a
/// scalar random intercept, d_l = √(θ²a_l + 1)); its cross-products with other terms are sparse
/// (`SparseBlockColumns`); later terms are dense, except that with exactly two scalar terms a
/// large term 1 may be factored as a sparse matrix (`SparseSchurComplement`). The cost of one θ
/// evaluation depends on the numbers of levels and nonzero level pairs, never on n.
final class BlockedSystem {
    let terms: [RandomEffectBlock]
    let n: Int
    /// Fixed-effect columns (full rank).
    let p: Int

    // A, built once.
    private let aDiag: [[Double]]                  // per term: ℓ blocks of q×q
    private let aOff0: [SparseBlockColumns?]       // [t] = Z_tᵀZ₀ for t ≥ 1
    private let aDense: [[Matrix<Double>?]]        // [t][s] = Z_tᵀZ_s for 1 ≤ s < t
    private let aXyZ: [Matrix<Double>]             // [t] = [X y]ᵀ Z_t, (p+1) × ℓ_t q_t
    private let aXyXy: Matrix<Double>              // [X y]ᵀ[X y]
    /// Use densified BLAS products (true) or sparse accumulation (false) for L_t0·L_s0ᵀ.
    private let denseOuter: [[Bool]]
    /// Dense copies of L_t0 (ℓ_t q_t × ℓ₀ q₀) kept between evaluations for the BLAS path; the
    /// sparsity pattern never changes, so only the nonzero positions are rewritten.
    private var denseL0: [Matrix<Double>?]
    /// Sparse factorisation of term 1's block (two scalar terms, many levels of term 1), when it
    /// is estimated cheaper than the dense one.
    private let sparseSchur: SparseSchurComplement?
    /// How `update` recomputes L(θ): chosen once, here (`ThetaEvaluation`).
    let evaluation: any ThetaEvaluation
    /// The second thread of the sparse path's evaluations (nil without it or with one core).
    private let worker: PairedWorker?
    /// One BLAS thread, OpenBLAS's workers parked, while the worker serves the sparse path;
    /// released with the system.
    private let blasLimit: BLASThreadLimit?
    /// True when the last `update` went through the grouped path, which leaves the term-0 blocks
    /// of L (L₀₀, L_t0, L_Xy,0) stale; `solution()` needs `update(theta:fullFactor: true)`.
    private(set) var blocksStale = false
    /// True when the last `update` factored term 1's block sparsely (`solution()` then solves
    /// through that factor instead of the dense L₁₁, which was not formed).
    private(set) var sparseFactorCurrent = false

    // L(θ), overwritten by `update`.
    private(set) var l00: [Double]
    private(set) var lOff0: [SparseBlockColumns?]
    private(set) var lDense: [[Matrix<Double>]]    // [t][s] for 1 ≤ s ≤ t (index s; [t][0] unused)
    private(set) var lXyZ: [Matrix<Double>]
    private(set) var lXyXy: Matrix<Double>
    /// log|L_Z|² (the random-effects part of the factor).
    private(set) var logDetL2 = 0.0
    /// log|R_X|² (the fixed-effects part, used by REML).
    private(set) var logDetRX2 = 0.0
    /// Penalised residual sum of squares r²(θ).
    private(set) var pwrss = 0.0

    /// Which `ThetaEvaluation` (and which products inside it) to use, normally chosen by
    /// estimated cost; tests force each one to check that they agree.
    struct Strategy {
        /// nil: by cost; true: dense BLAS products for every L_t0·L_s0ᵀ; false: sparse accumulation.
        var denseOuter: Bool? = nil
        /// Allow the grouped-sums path for a scalar term 0.
        var allowGrouping = true
        /// nil: by cost; true: the sparse factor of term 1's block whenever the model allows it
        /// (two scalar terms); false: never.
        var sparseSchur: Bool? = nil
    }

    /// - Parameters: X is n×p (full column rank), y has n values, terms sorted by decreasing ℓ.
    init(X: Matrix<Double>, y: [Double], terms: [RandomEffectBlock], strategy: Strategy = Strategy()) throws {
        precondition(!terms.isEmpty)
        self.terms = terms
        n = y.count
        p = X.cols
        let K = terms.count

        // Per-term diagonal blocks Σ z zᵀ.
        var aDiag: [[Double]] = []
        for t in terms {
            let q = t.q
            var blocks = [Double](repeating: 0, count: t.levelCount * q * q)
            for r in 0..<n {
                let base = Int(t.levelIndex[r]) * q * q
                for j in 0..<q { for i in 0..<q { blocks[base + i + j * q] += t.z[r * q + i] * t.z[r * q + j] } }
            }
            aDiag.append(blocks)
        }
        self.aDiag = aDiag

        // Rows grouped by level of term 0 (counting sort).
        let t0 = terms[0]
        var start0 = [Int](repeating: 0, count: t0.levelCount + 1)
        for r in 0..<n { start0[Int(t0.levelIndex[r]) + 1] += 1 }
        for l in 0..<t0.levelCount { start0[l + 1] += start0[l] }
        var fill = start0
        var order0 = [Int](repeating: 0, count: n)
        for r in 0..<n { let l = Int(t0.levelIndex[r]); order0[fill[l]] = r; fill[l] += 1 }

        var aOff0: [SparseBlockColumns?] = [nil]
        for t in 1..<K { aOff0.append(SparseBlockColumns(rowTerm: terms[t], colTerm: t0, order0: order0, start0: start0)) }
        self.aOff0 = aOff0

        // The symbolic analysis of a sparse term-1 block (`SparseSchurComplement`, the costliest
        // step here) runs on the worker while the other cross-products are formed.
        let willGroup = strategy.allowGrouping && GroupedTermZero.applies(terms: terms, aDiag0: aDiag[0], rows: p + 1)
        let candidate = willGroup && strategy.sparseSchur != true ? nil
            : BlockedSystem.sparseSchurCandidate(terms: terms, aOff0: aOff0, force: strategy.sparseSchur)
        let worker = candidate != nil ? PairedWorker() : nil
        let parked = worker != nil ? BLASThreadLimit(1, parkWorkers: true) : nil
        var products: (aDense: [[Matrix<Double>?]], aXyZ: [Matrix<Double>], aXyXy: Matrix<Double>)?
        var productsError: Error?
        var analysed: SparseSchurComplement?
        PairedWorker.run(worker, {
            do { products = try BlockedSystem.crossProducts(X: X, y: y, terms: terms) } catch { productsError = error }
        }, alongside: { analysed = candidate.flatMap { SparseSchurComplement(crossProduct: $0) } })
        if let productsError { throw productsError }
        let (aDense, aXyZ, xtx) = products!
        self.aDense = aDense
        self.aXyZ = aXyZ
        aXyXy = xtx

        // Sparse or dense outer products: estimated flops, BLAS counted ~8× faster per flop.
        var denseOuter = [[Bool]](repeating: [Bool](repeating: false, count: K), count: K)
        for t in 1..<K { for s in 1...t {
            guard let ot = aOff0[t], let os = aOff0[s] else { continue }
            var sparse = 0.0
            for l in 0..<ot.blockColumns {
                sparse += Double(ot.colStart[l + 1] - ot.colStart[l]) * Double(os.colStart[l + 1] - os.colStart[l])
            }
            sparse *= Double(ot.rq * os.rq * ot.cq)
            let dense = Double(terms[t].width) * Double(terms[s].width) * Double(t0.width) / 8
            let memoryOK = Double(terms[t].width + terms[s].width) * Double(t0.width) < 5e7
            denseOuter[t][s] = strategy.denseOuter ?? (memoryOK && dense < sparse)
        } }
        self.denseOuter = denseOuter
        denseL0 = (0..<K).map { t in
            // Term t needs a dense copy if any product L_t0·L_s0ᵀ or L_u0·L_t0ᵀ takes the BLAS path.
            let needed = t >= 1 && ((1...t).contains { denseOuter[t][$0] } || (t..<K).contains { denseOuter[$0][t] })
            return needed ? Matrix<Double>(rows: terms[t].width, cols: t0.width) : nil
        }

        let grouped = strategy.allowGrouping ? try GroupedTermZero(terms: terms, aDiag0: aDiag[0], aOff0: aOff0, aXyZ0: aXyZ[0]) : nil
        sparseSchur = BlockedSystem.chooseSparseSchur(analysed, grouped: grouped != nil, force: strategy.sparseSchur)
        if let grouped {
            evaluation = GroupedSumsEvaluation(sums: grouped)
        } else if let sparseSchur {
            evaluation = SparseTermOneEvaluation(factor: sparseSchur)
        } else {
            evaluation = DenseBlocksEvaluation()
        }
        self.worker = sparseSchur != nil ? worker : nil
        // Without the sparse factor the worker is not used: the BLAS threads come back now.
        if sparseSchur == nil { parked?.release() }
        blasLimit = sparseSchur != nil ? parked : nil
        l00 = aDiag[0]
        lOff0 = aOff0
        // Dense blocks of L (term 1's diagonal block is not needed when it is factored sparsely).
        let sparseTerm1 = sparseSchur != nil
        lDense = (0..<K).map { t in (0..<K).map { s in
            (s >= 1 && s <= t && !(sparseTerm1 && t == 1 && s == 1)) ? Matrix<Double>(rows: terms[t].width, cols: terms[s].width) : Matrix<Double>(rows: 0, cols: 0)
        } }
        lXyZ = aXyZ
        lXyXy = aXyXy
    }

    /// θ slices per term.
    func lambdas(_ theta: [Double]) -> [[Double]] {
        var out: [[Double]] = []
        var k = 0
        for t in terms { out.append(t.lambda(theta[k..<(k + t.thetaCount)])); k += t.thetaCount }
        return out
    }

    /// Recomputes L(θ). Returns false when a block is not positive definite (the caller turns
    /// that into a large objective, as lme4 does); throws when a product's shapes do not fit
    /// (a bug: never skipped, which would leave a wrong deviance).
    /// With `fullFactor`, every block is formed even where the system's evaluation skips some.
    func update(theta: [Double], fullFactor: Bool = false) throws -> Bool {
        let chosen: any ThetaEvaluation = fullFactor && evaluation.leavesTermZeroStale ? DenseBlocksEvaluation() : evaluation
        return try chosen.update(self, theta: theta)
    }

    /// `update` through the blocks of L (term 0 first, then the later terms); term 1's block
    /// through `sparseTermOne` when given.
    func updateBlocks(theta: [Double], sparseTermOne: SparseSchurComplement?) throws -> Bool {
        blocksStale = false
        sparseFactorCurrent = false
        let lam = lambdas(theta)
        let K = terms.count
        let t0 = terms[0], q0 = t0.q
        logDetL2 = 0

        // 1. Term 0: per-level q₀×q₀ blocks chol(λ₀ᵀ A_l λ₀ + I); for q₀ = 1, √(λ₀² a_l + 1).
        if q0 == 1 {
            let l2 = lam[0][0] * lam[0][0]
            aDiag[0].withUnsafeBufferPointer { a in
                l00.withUnsafeMutableBufferPointer { d in
                    for l in 0..<t0.levelCount {
                        let v = (l2 * a[l] + 1).squareRoot()
                        d[l] = v
                        logDetL2 += 2 * log(v)
                    }
                }
            }
        } else { for l in 0..<t0.levelCount {
            var m = SmallDense.congruence(lam[0], Array(aDiag[0][(l * q0 * q0)..<((l + 1) * q0 * q0)]), q: q0)
            for i in 0..<q0 { m[i + i * q0] += 1 }
            guard SmallDense.cholesky(&m, q: q0) else { return false }
            for i in 0..<q0 { logDetL2 += 2 * log(m[i + i * q0]) }
            l00.replaceSubrange((l * q0 * q0)..<((l + 1) * q0 * q0), with: m)
        } }

        // 2. L_t0 = λ_tᵀ A_t0 λ₀ L₀₀⁻ᵀ (sparse, same pattern as A_t0).
        for t in 1..<K {
            guard let a = aOff0[t] else { continue }
            var out = lOff0[t]!
            lOff0[t] = nil   // take ownership: no copy on write
            let qt = terms[t].q, bs = qt * q0
            let lt = lam[t], l0 = lam[0]
            l00.withUnsafeBufferPointer { d in
                out.values.withUnsafeMutableBufferPointer { v in
                    a.values.withUnsafeBufferPointer { av in
                        if qt == 1 && q0 == 1 {
                            let scale = lt[0] * l0[0]
                            for l in 0..<a.blockColumns {
                                let f = scale / d[l]
                                for e in a.colStart[l]..<a.colStart[l + 1] { v[e] = av[e] * f }
                            }
                            return
                        }
                        var b = [Double](repeating: 0, count: bs)
                        for l in 0..<a.blockColumns {
                            for e in a.colStart[l]..<a.colStart[l + 1] {
                                // λ_tᵀ · A_e · λ₀
                                for j in 0..<q0 { for i in 0..<qt {
                                    var s = 0.0
                                    for k in 0..<qt { for m in 0..<q0 { s += lt[k + i * qt] * av[e * bs + k + m * qt] * l0[m + j * q0] } }
                                    b[i + j * qt] = s
                                } }
                                BlockedSystem.rightSolveTransposed(&b, rows: qt, factor: d, base: l * q0 * q0, q0: q0)
                                for i in 0..<bs { v[e * bs + i] = b[i] }
                            }
                        }
                    }
                }
            }
            if var d = denseL0[t] {
                denseL0[t] = nil
                scatter(out, into: &d)
                denseL0[t] = d
            }
            lOff0[t] = out
        }

        // 3. L_Xy,0 = A_Xy,0 λ₀ L₀₀⁻ᵀ (dense, p+1 rows).
        do {
            var m = Matrix<Double>(rows: 0, cols: 0)
            swap(&m, &lXyZ[0])
            let rows = p + 1
            let l0 = lam[0]
            l00.withUnsafeBufferPointer { d in
                aXyZ[0].storage.withUnsafeBufferPointer { a in
                    m.storage.withUnsafeMutableBufferPointer { mp in
                        if q0 == 1 {
                            for l in 0..<t0.levelCount {
                                let f = l0[0] / d[l]
                                for i in 0..<rows { mp[i + l * rows] = a[i + l * rows] * f }
                            }
                            return
                        }
                        var row = [Double](repeating: 0, count: q0)
                        for l in 0..<t0.levelCount {
                            for i in 0..<rows {
                                for j in 0..<q0 { var s = 0.0; for k in 0..<q0 { s += a[i + (l * q0 + k) * rows] * l0[k + j * q0] }; row[j] = s }
                                BlockedSystem.rightSolveTransposed(&row, rows: 1, factor: d, base: l * q0 * q0, q0: q0)
                                for j in 0..<q0 { mp[i + (l * q0 + j) * rows] = row[j] }
                            }
                        }
                    }
                }
            }
            lXyZ[0] = m
        }

        // 4. Terms t ≥ 1: dense blocks, or term 1's block as a sparse factor.
        for t in 1..<K {
            if t == 1, let sparse = sparseTermOne {
                // S = L̃L̃ᵀ with L̃ = P·L·Pᵀ (P: the fill-reducing order); L_Xy,1 = M·L̃⁻ᵀ. Two
                // cores: S is written while M is formed, and M is solved through each supernode
                // of L̃ as soon as it is factored (`PairedWorker`).
                var m = Matrix<Double>(rows: 0, cols: 0)
                let l10 = lOff0[1]!
                PairedWorker.run(worker, { sparse.assemble(lambda1: lam[1][0], diagonal: self.aDiag[1], l10: l10) },
                                 alongside: { m = self.xyRightHandSide(1, lam) })
                guard sparse.cholesky.factor(solvingRight: &m.storage, rows: p + 1, worker: worker) else { return false }
                logDetL2 += sparse.cholesky.logDeterminant
                lXyZ[1] = m
                sparseFactorCurrent = true
                continue
            }
            guard try formDenseRow(t, lam, subtractTermZero: { m, s in try self.subtractOuter0(&m, t, s) }) else { return false }
            // L_Xy,t = (A_Xy,t λ_t − L_Xy,0 L_t0ᵀ − Σ_j L_Xy,j L_tjᵀ) L_tt⁻ᵀ
            guard try finishXyRow(t, xyRightHandSide(t, lam)) else { return false }
        }

        // 5. L_XyXy = chol(A_XyXy − Σ_t L_Xy,t L_Xy,tᵀ).
        return try factorXyXy(aXyXy, terms: 0..<K)
    }

    /// L_Xy,t = (M − Σ_{1≤j<t} L_Xy,j L_tjᵀ) L_tt⁻ᵀ from the right-hand side M of term t; false
    /// when L_tt is singular.
    func finishXyRow(_ t: Int, _ rightHandSide: Matrix<Double>) throws -> Bool {
        var m = rightHandSide
        for j in 1..<t { try BLAS.gemm(.none, lXyZ[j], .transpose, lDense[t][j], into: &m, alpha: -1, beta: 1) }
        do { try BLAS.trsm(.right, .lower, .transpose, lDense[t][t], &m) } catch { return false }
        lXyZ[t] = m
        return true
    }

    /// L_XyXy = chol(S − Σ_t L_Xy,t L_Xy,tᵀ) over `terms`, and from it log|R_X|² and r²(θ);
    /// false when it is not positive definite.
    func factorXyXy(_ start: Matrix<Double>, terms range: Range<Int>) throws -> Bool {
        var m = start
        for t in range { try BLAS.syrk(.none, lXyZ[t], into: &m, triangle: .lower, alpha: -1, beta: 1) }
        do { try LAPACK.choleskyInPlace(&m, triangle: .lower) } catch { return false }
        lXyXy = m
        logDetRX2 = 0
        for i in 0..<p { logDetRX2 += 2 * log(m[i, i]) }
        pwrss = m[p, p] * m[p, p]
        return true
    }

    /// A_Xy,t λ_t − L_Xy,0 L_t0ᵀ: the row block of [X y] against term t before the terms
    /// 1 … t−1 and L_tt are applied.
    private func xyRightHandSide(_ t: Int, _ lam: [[Double]]) -> Matrix<Double> {
        var m = scaleBlocks(aXyZ[t], rowLambda: [1], rowQ: 0, colLambda: lam[t], colQ: terms[t].q)
        guard let off = lOff0[t] else { return m }
        let qt = off.rq, q0 = off.cq, bsz = off.blockSize, rows = p + 1
        let lx0 = lXyZ[0]
        if qt == 1 && q0 == 1 {
            // Scalar terms: column lt of M −= v_e · column l of L_Xy,0, on raw pointers.
            m.storage.withUnsafeMutableBufferPointer { mp in
                lx0.storage.withUnsafeBufferPointer { xp in
                    off.values.withUnsafeBufferPointer { v in
                        off.rowLevel.withUnsafeBufferPointer { rl in
                            off.colStart.withUnsafeBufferPointer { cs in
                                let mBase = mp.baseAddress!, xBase = xp.baseAddress!
                                for l in 0..<off.blockColumns {
                                    let src = xBase + l * rows
                                    for e in cs[l]..<cs[l + 1] {
                                        let w = v[e], dst = mBase + Int(rl[e]) * rows
                                        for i in 0..<rows { dst[i] -= src[i] * w }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return m
        }
        m.storage.withUnsafeMutableBufferPointer { mp in
            lx0.storage.withUnsafeBufferPointer { xp in
                off.values.withUnsafeBufferPointer { v in
                    for l in 0..<off.blockColumns {
                        for e in off.colStart[l]..<off.colStart[l + 1] {
                            let lt = Int(off.rowLevel[e])
                            for a in 0..<qt { for k in 0..<q0 {
                                let w = v[e * bsz + a + k * qt]
                                let src = (l * q0 + k) * rows, dst = (lt * qt + a) * rows
                                for i in 0..<rows { mp[dst + i] -= xp[src + i] * w }
                            } }
                        }
                    }
                }
            }
        }
        return m
    }

    /// The cross-products that do not involve term 0's diagonal: Z_tᵀZ_s (1 ≤ s < t, dense),
    /// [X y]ᵀZ_t per term, and the lower triangle of [X y]ᵀ[X y].
    private static func crossProducts(X: Matrix<Double>, y: [Double], terms: [RandomEffectBlock])
        throws -> (aDense: [[Matrix<Double>?]], aXyZ: [Matrix<Double>], aXyXy: Matrix<Double>) {
        let (n, p, K) = (y.count, X.cols, terms.count)
        var aDense = [[Matrix<Double>?]](repeating: [Matrix<Double>?](repeating: nil, count: K), count: K)
        for t in 1..<K { for s in 1..<t {
            let (bt, bs) = (terms[t], terms[s])
            var m = Matrix<Double>(rows: bt.width, cols: bs.width)
            for r in 0..<n {
                let (lt, ls) = (Int(bt.levelIndex[r]), Int(bs.levelIndex[r]))
                for j in 0..<bs.q { for i in 0..<bt.q { m[lt * bt.q + i, ls * bs.q + j] += bt.z[r * bt.q + i] * bs.z[r * bs.q + j] } }
            }
            aDense[t][s] = m
        } }

        var aXyZ: [Matrix<Double>] = []
        for t in terms {
            var m = Matrix<Double>(rows: p + 1, cols: t.width)
            // Column j of A_Xy,t: Σ over rows of [x_r; y_r]·z_rj (X read in place, not copied).
            X.storage.withUnsafeBufferPointer { xp in
                m.storage.withUnsafeMutableBufferPointer { mp in
                    if t.q == 1 {
                        // One pass down each column of [X y] (sequential reads).
                        t.levelIndex.withUnsafeBufferPointer { lv in
                            t.z.withUnsafeBufferPointer { z in
                                for i in 0...p {
                                    for r in 0..<n {
                                        let v = i < p ? xp[r + i * n] : y[r]
                                        mp[i + Int(lv[r]) * (p + 1)] += v * z[r]
                                    }
                                }
                            }
                        }
                        return
                    }
                    for r in 0..<n {
                        let col0 = Int(t.levelIndex[r]) * t.q
                        for j in 0..<t.q {
                            let zv = t.z[r * t.q + j]
                            if zv == 0 { continue }
                            let off = (col0 + j) * (p + 1)
                            for i in 0..<p { mp[off + i] += xp[r + i * n] * zv }
                            mp[off + p] += y[r] * zv
                        }
                    }
                }
            }
            aXyZ.append(m)
        }
        // [X y]ᵀ[X y] (lower triangle): XᵀX by syrk, yᵀX by gemv, yᵀy.
        var xtx = Matrix<Double>(rows: p + 1, cols: p + 1)
        if p > 0 {
            var xx = Matrix<Double>(rows: p, cols: p)
            try BLAS.syrk(.transpose, X, into: &xx, triangle: .lower)
            var xty = [Double](repeating: 0, count: p)
            try BLAS.gemv(.transpose, X, y, into: &xty)
            for j in 0..<p { for i in j..<p { xtx[i, j] = xx[i, j] }; xtx[p, j] = xty[j] }
        }
        xtx[p, p] = y.reduce(0) { $0 + $1 * $1 }
        return (aDense, aXyZ, xtx)
    }

    /// A₁₀ when term 1's block may be factored sparsely: exactly two scalar terms, term 1 with
    /// enough levels for it to matter (`force` true: any number), and not so many pairs of
    /// entries per column of A₁₀ (the analysis goes through each, ≈ 12 bytes apiece) that S is
    /// dense anyway or memory would suffer.
    private static func sparseSchurCandidate(terms: [RandomEffectBlock], aOff0: [SparseBlockColumns?], force: Bool?) -> SparseBlockColumns? {
        guard force != false, terms.count == 2, terms[0].q == 1, terms[1].q == 1,
              let a10 = aOff0[1], terms[1].width <= 8000 else { return nil }
        if force == nil && terms[1].width < 256 { return nil }
        var pairs = 0
        for l in 0..<a10.blockColumns { let k = a10.colStart[l + 1] - a10.colStart[l]; pairs += k * (k + 1) / 2 }
        if force == nil && (pairs > 10_000_000 || pairs > 4 * terms[1].width * terms[1].width) { return nil }
        return a10
    }

    /// The analysed sparse factor of term 1's block if it is to be used: when forced, or when
    /// the grouped path does not apply (it is cheaper still) and it is estimated cheaper than
    /// the dense path.
    private static func chooseSparseSchur(_ sparse: SparseSchurComplement?, grouped: Bool, force: Bool?) -> SparseSchurComplement? {
        guard let sparse else { return nil }
        if force == true { return sparse }
        if grouped { return nil }
        let cost = sparse.estimatedCost
        return cost.sparse < 0.7 * cost.dense ? sparse : nil
    }

    /// The buffer of L_tt filled with blockdiag(λ_tᵀ A_l λ_t) + I (before the subtraction of
    /// earlier terms), reusing the previous evaluation's storage (no page faults per evaluation).
    private func takeDiagonalBlock(_ t: Int, _ lam: [[Double]]) -> Matrix<Double> {
        var m = Matrix<Double>(rows: 0, cols: 0)
        swap(&m, &lDense[t][t])
        let bt = terms[t], q = bt.q, w = bt.width
        m.storage.withUnsafeMutableBufferPointer { mp in
            mp.update(repeating: 0)
            for l in 0..<bt.levelCount {
                let c = SmallDense.congruence(lam[t], Array(aDiag[t][(l * q * q)..<((l + 1) * q * q)]), q: q)
                for j in 0..<q { for i in 0..<q { mp[(l * q + i) + (l * q + j) * w] = c[i + j * q] } }
                for i in 0..<q { mp[(l * q + i) + (l * q + i) * w] += 1 }
            }
        }
        return m
    }

    /// Forms the dense blocks L_t1 … L_tt of term t ≥ 1: the λ-scaled cross-product (plus I on
    /// the diagonal), minus term 0's contribution (`subtractTermZero`, which differs between the
    /// sparse and the grouped path), minus Σ_{1≤j<s} L_tj L_sjᵀ; then `finishBlock`.
    private func formDenseRow(_ t: Int, _ lam: [[Double]], subtractTermZero: (inout Matrix<Double>, Int) throws -> Void) throws -> Bool {
        let bt = terms[t]
        for s in 1...t {
            var m = s == t ? takeDiagonalBlock(t, lam)
                : scaleBlocks(aDense[t][s]!, rowLambda: lam[t], rowQ: bt.q, colLambda: lam[s], colQ: terms[s].q)
            try subtractTermZero(&m, s)
            for j in 1..<s {
                try BLAS.gemm(.none, lDense[t][j], .transpose, lDense[s][j], into: &m, alpha: -1, beta: 1)
            }
            guard finishBlock(&m, t, s) else { return false }
        }
        return true
    }

    /// Completes block (t, s) of L: L_ts = M·L_ss⁻ᵀ below the diagonal, L_tt = chol(M) on it
    /// (adding log|L_tt|² to logDetL2), and stores it. False if M is not positive definite.
    private func finishBlock(_ m: inout Matrix<Double>, _ t: Int, _ s: Int) -> Bool {
        if s < t {
            do { try BLAS.trsm(.right, .lower, .transpose, lDense[s][s], &m) } catch { return false }
        } else {
            do { try LAPACK.choleskyInPlace(&m, triangle: .lower, zeroOtherTriangle: false) } catch { lDense[t][t] = m; return false }
            let n = m.rows
            m.storage.withUnsafeBufferPointer { mp in for i in 0..<n { logDetL2 += 2 * log(mp[i + i * n]) } }
        }
        lDense[t][s] = m
        return true
    }

    /// b ← b · L₀₀[l]⁻ᵀ for a `rows × q₀` block b (column-major), L₀₀[l] at `factor[base...]`:
    /// solves x·Lᵀ = b row by row.
    private static func rightSolveTransposed(_ b: inout [Double], rows: Int, factor: UnsafeBufferPointer<Double>, base: Int, q0: Int) {
        for i in 0..<rows {
            for j in 0..<q0 {
                var s = b[i + j * rows]
                for k in 0..<j { s -= factor[base + j + k * q0] * b[i + k * rows] }
                b[i + j * rows] = s / factor[base + j + j * q0]
            }
        }
    }

    /// blockdiag(λ_rowᵀ) · M · blockdiag(λ_col); `rowQ == 0` leaves the rows alone.
    func scaleBlocks(_ a: Matrix<Double>, rowLambda: [Double], rowQ: Int, colLambda: [Double], colQ: Int) -> Matrix<Double> {
        var m = a
        // Right: each column block times λ_col.
        if colQ == 1 {
            let c = colLambda[0]
            if c != 1 { for i in m.storage.indices { m.storage[i] *= c } }
        } else if colQ > 1 {
            for lb in 0..<(m.cols / colQ) { for i in 0..<m.rows {
                var row = [Double](repeating: 0, count: colQ)
                for j in 0..<colQ { var s = 0.0; for k in 0..<colQ { s += a[i, lb * colQ + k] * colLambda[k + j * colQ] }; row[j] = s }
                for j in 0..<colQ { m[i, lb * colQ + j] = row[j] }
            } }
        }
        // Left: each row block times λ_rowᵀ.
        if rowQ == 1 {
            let c = rowLambda[0]
            if c != 1 { for i in m.storage.indices { m.storage[i] *= c } }
        } else if rowQ > 1 {
            let src = m
            for lb in 0..<(m.rows / rowQ) { for j in 0..<m.cols { for i in 0..<rowQ {
                var s = 0.0
                for k in 0..<rowQ { s += rowLambda[k + i * rowQ] * src[lb * rowQ + k, j] }
                m[lb * rowQ + i, j] = s
            } } }
        }
        return m
    }

    /// M −= L_t0 · L_s0ᵀ (lower triangle only when s == t).
    private func subtractOuter0(_ m: inout Matrix<Double>, _ t: Int, _ s: Int) throws {
        guard let ot = lOff0[t], let os = lOff0[s] else { return }
        let q0 = terms[0].q
        if denseOuter[t][s], let dt = denseL0[t], let ds = denseL0[s] {
            if s == t { try BLAS.syrk(.none, dt, into: &m, triangle: .lower, alpha: -1, beta: 1) }
            else { try BLAS.gemm(.none, dt, .transpose, ds, into: &m, alpha: -1, beta: 1) }
            return
        }
        let (qt, qs) = (ot.rq, os.rq)
        let (bst, bss) = (ot.blockSize, os.blockSize)
        let ld = m.rows
        if qt == 1 && qs == 1 && q0 == 1 {
            // Scalar random intercepts: one multiply-add per pair of entries in a column.
            m.storage.withUnsafeMutableBufferPointer { mp in
                ot.values.withUnsafeBufferPointer { vt in
                    os.values.withUnsafeBufferPointer { vs in
                        ot.rowLevel.withUnsafeBufferPointer { rt in
                            os.rowLevel.withUnsafeBufferPointer { rs in
                                for l in 0..<ot.blockColumns {
                                    let (s0, s1) = (os.colStart[l], os.colStart[l + 1])
                                    for et in ot.colStart[l]..<ot.colStart[l + 1] {
                                        let lt = Int(rt[et]), w = vt[et]
                                        var es = s0
                                        while es < s1 {
                                            let ls = Int(rs[es])
                                            if s == t && ls > lt { break }
                                            mp[lt + ls * ld] -= w * vs[es]
                                            es += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return
        }
        m.storage.withUnsafeMutableBufferPointer { mp in
            ot.values.withUnsafeBufferPointer { vt in
                os.values.withUnsafeBufferPointer { vs in
                    for l in 0..<ot.blockColumns {
                        for et in ot.colStart[l]..<ot.colStart[l + 1] {
                            let lt = Int(ot.rowLevel[et])
                            for es in os.colStart[l]..<os.colStart[l + 1] {
                                let ls = Int(os.rowLevel[es])
                                if s == t && ls > lt { break }   // rows ascending: only the lower triangle
                                for b in 0..<qs { for a in 0..<qt {
                                    var sum = 0.0
                                    for k in 0..<q0 { sum += vt[et * bst + a + k * qt] * vs[es * bss + b + k * qs] }
                                    mp[(lt * qt + a) + (ls * qs + b) * ld] -= sum
                                } }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the blocks of a sparse block-column matrix into a dense matrix of matching shape
    /// (positions outside the pattern are left as they are: zero from the start).
    private func scatter(_ sp: SparseBlockColumns, into d: inout Matrix<Double>) {
        let ld = d.rows
        d.storage.withUnsafeMutableBufferPointer { dp in
            sp.values.withUnsafeBufferPointer { v in
                for l in 0..<sp.blockColumns {
                    for e in sp.colStart[l]..<sp.colStart[l + 1] {
                        let lt = Int(sp.rowLevel[e])
                        for k in 0..<sp.cq { for a in 0..<sp.rq { dp[(lt * sp.rq + a) + (l * sp.cq + k) * ld] = v[e * sp.blockSize + a + k * sp.rq] } }
                    }
                }
            }
        }
    }
}

extension BlockedSystem {
    /// Fixed effects β and spherical random effects u at the current θ, by back substitution
    /// through Lᵀ[u; β] = [c_Z; c_X], where [c_Zᵀ c_Xᵀ r] is the y row of L.
    func solution() throws -> (beta: [Double], u: [[Double]]) {
        let K = terms.count
        // Lxxᵀ β = c_x
        var lxx = Matrix<Double>(rows: p, cols: p)
        var cx = Matrix<Double>(rows: p, cols: 1)
        for j in 0..<p { for i in j..<p { lxx[i, j] = lXyXy[i, j] }; cx[j, 0] = lXyXy[p, j] }
        let beta = p > 0 ? try LAPACK.triangularSolve(lxx, triangle: .lower, transpose: .transpose, cx).storage : []

        // rhs_t = c_z,t − L_X,tᵀ β
        var rhs: [[Double]] = []
        for t in 0..<K {
            let m = lXyZ[t]
            var r = [Double](repeating: 0, count: terms[t].width)
            for c in 0..<m.cols {
                var s = m[p, c]
                for i in 0..<p { s -= m[i, c] * beta[i] }
                r[c] = s
            }
            rhs.append(r)
        }
        var u = [[Double]](repeating: [], count: K)
        for t in stride(from: K - 1, through: 1, by: -1) {
            if t == 1, sparseFactorCurrent, let sparse = sparseSchur {
                var x = rhs[1]
                sparse.cholesky.solveTransposed(&x)   // L̃ᵀ u₁ = rhs₁
                u[1] = x
            } else {
                let x = try LAPACK.triangularSolve(lDense[t][t], triangle: .lower, transpose: .transpose,
                                                   try Matrix(rows: rhs[t].count, cols: 1, columnMajor: rhs[t]))
                u[t] = x.storage
            }
            for s in 1..<t {
                var r = rhs[s]
                try BLAS.gemv(.transpose, lDense[t][s], u[t], into: &r, alpha: -1, beta: 1)
                rhs[s] = r
            }
            if let off = lOff0[t] {
                let qt = off.rq, q0 = off.cq
                for l in 0..<off.blockColumns {
                    for e in off.colStart[l]..<off.colStart[l + 1] {
                        let lt = Int(off.rowLevel[e])
                        for k in 0..<q0 { for a in 0..<qt { rhs[0][l * q0 + k] -= off.values[e * off.blockSize + a + k * qt] * u[t][lt * qt + a] } }
                    }
                }
            }
        }
        // Term 0: per level L₀₀[l]ᵀ u = rhs.
        let q0 = terms[0].q
        var u0 = rhs[0]
        for l in 0..<terms[0].levelCount {
            let base = l * q0 * q0
            for j in stride(from: q0 - 1, through: 0, by: -1) {
                var s = u0[l * q0 + j]
                for k in (j + 1)..<max(j + 1, q0) { s -= l00[base + k + j * q0] * u0[l * q0 + k] }
                u0[l * q0 + j] = s / l00[base + j + j * q0]
            }
        }
        u[0] = u0
        return (beta, u)
    }

    /// Diagonal of (LxxLxxᵀ)⁻¹, the unscaled variances of β̂.
    func unscaledFixedEffectVariances() throws -> [Double] {
        guard p > 0 else { return [] }
        var lxx = Matrix<Double>(rows: p, cols: p)
        for j in 0..<p { for i in j..<p { lxx[i, j] = lXyXy[i, j] } }
        let inv = try LAPACK.triangularSolve(lxx, triangle: .lower, Matrix<Double>.identity(p))   // L⁻¹
        return (0..<p).map { i in (0..<p).reduce(0.0) { $0 + inv[$1, i] * inv[$1, i] } }
    }
}

extension BlockedSystem {
    /// `update` for a scalar term 0 through the grouped sums (see `GroupedTermZero`): the same
    /// logDetL2, logDetRX2, pwrss and dense blocks, at a cost independent of ℓ₀. The term-0
    /// blocks of L are not formed.
    func updateGrouped(theta: [Double], _ grouped: GroupedTermZero) throws -> Bool {
        blocksStale = true
        let lam = lambdas(theta)
        let K = terms.count
        let (w, logDet0) = grouped.weights(theta0: lam[0][0])
        logDetL2 = logDet0
        let rows = p + 1
        for t in 1..<K {
            let bt = terms[t]
            let rowsOK = try formDenseRow(t, lam) { m, s in
                guard let stacked = grouped.g[t][s] else { return }
                let bs = self.terms[s]
                let sum = try GroupedTermZero.combine(stacked, w, rows: bt.width, cols: bs.width)
                let scaled = self.scaleBlocks(sum, rowLambda: lam[t], rowQ: bt.q, colLambda: lam[s], colQ: bs.q)
                m.storage.withUnsafeMutableBufferPointer { mp in
                    scaled.storage.withUnsafeBufferPointer { sp in for i in 0..<mp.count { mp[i] -= sp[i] } }
                }
            }
            guard rowsOK else { return false }
            // L_Xy,t = (A_Xy,t λ_t − (Σ_c w_c H_c^t) λ_t − Σ_j L_Xy,j L_tjᵀ) L_tt⁻ᵀ
            var m = scaleBlocks(aXyZ[t], rowLambda: [1], rowQ: 0, colLambda: lam[t], colQ: bt.q)
            if let stacked = grouped.h[t] {
                let sum = scaleBlocks(try GroupedTermZero.combine(stacked, w, rows: rows, cols: bt.width),
                                      rowLambda: [1], rowQ: 0, colLambda: lam[t], colQ: bt.q)
                for i in m.storage.indices { m.storage[i] -= sum.storage[i] }
            }
            guard try finishXyRow(t, m) else { return false }
        }
        // L_XyXy = chol(A_XyXy − Σ_c w_c K_c − Σ_{t≥1} L_Xy,t L_Xy,tᵀ)
        var m = aXyXy
        let k = try GroupedTermZero.combine(grouped.k, w, rows: rows, cols: rows)
        for i in m.storage.indices { m.storage[i] -= k.storage[i] }
        return try factorXyXy(m, terms: 1..<K)
    }
}
