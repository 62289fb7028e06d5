import Foundation
import Numerics

/// Precomputed sums that make an evaluation's cost independent of the number of levels of the
/// first random-effect term when that term is scalar, e.g. `(1 | item)` with 10,000 items.
///
/// For a scalar term 0 the Cholesky factor is diagonal, d_l = √(θ₀²a_l + 1), with a_l = Σ z² over
/// level l's rows, and every product through term 0 has the form
///   L_t0·L_s0ᵀ = λ_tᵀ (Σ_l w_l A_t0[:,l] A_s0[:,l]ᵀ) λ_s,   w_l = θ₀² / (θ₀²a_l + 1),
/// and likewise for the [X y] rows. w_l depends on l only through a_l, so levels with the same
/// a_l (in reading data: items read by the same number of subjects) are summed once, up front:
///   Σ_l w_l (…)_l = Σ_c w(a_c) G_c,   G_c = Σ_{l: a_l = a_c} (…)_l.
/// An evaluation then costs (#distinct a_l) × (size of the dense blocks), not ℓ₀ × ….
struct GroupedTermZero {
    /// Distinct values a_c and how many levels share each.
    let a: [Double]
    let counts: [Int]
    /// G^{ts} for 1 ≤ s ≤ t, stored as a (width_t·width_s) × groups matrix (one column per group).
    let g: [[Matrix<Double>?]]
    /// H^t = Σ A_Xy,0[:,l] A_t0[:,l]ᵀ, stored as ((p+1)·width_t) × groups.
    let h: [Matrix<Double>?]
    /// K = Σ a_xy,l a_xy,lᵀ, stored as ((p+1)²) × groups.
    let k: Matrix<Double>

    var groupCount: Int { a.count }

    /// Largest number of doubles the precomputed sums may take (256 MB).
    static let memoryLimit = 32_000_000

    /// Whether `init` would build the sums: term 0 scalar, at most a quarter as many distinct
    /// values of a₀ (groups) as levels, and the sums within `memoryLimit`. `rows` = p + 1.
    static func applies(terms: [RandomEffectBlock], aDiag0: [Double], rows: Int) -> Bool {
        guard terms[0].q == 1, terms.count >= 2 else { return false }
        return pays(terms: terms, groups: Set(aDiag0).count, rows: rows)
    }

    private static func pays(terms: [RandomEffectBlock], groups: Int, rows: Int) -> Bool {
        var doubles = rows * rows * groups
        for t in 1..<terms.count { doubles += rows * terms[t].width * groups; for s in 1...t { doubles += terms[t].width * terms[s].width * groups } }
        return groups * 4 <= terms[0].levelCount && doubles <= GroupedTermZero.memoryLimit
    }

    /// Builds the sums, or returns nil when term 0 is not scalar, grouping would not pay off, or
    /// the sums would not fit in `memoryLimit`.
    init?(terms: [RandomEffectBlock], aDiag0: [Double], aOff0: [SparseBlockColumns?], aXyZ0: Matrix<Double>) throws {
        let t0 = terms[0]
        guard t0.q == 1, terms.count >= 2 else { return nil }
        var index: [Double: Int] = [:]
        var a: [Double] = [], counts: [Int] = []
        var groupOf = [Int](repeating: 0, count: t0.levelCount)
        for l in 0..<t0.levelCount {
            let v = aDiag0[l]
            if let c = index[v] { groupOf[l] = c; counts[c] += 1 } else {
                index[v] = a.count; groupOf[l] = a.count; a.append(v); counts.append(1)
            }
        }
        let groups = a.count
        let K = terms.count
        let rows = aXyZ0.rows
        guard GroupedTermZero.pays(terms: terms, groups: groups, rows: rows) else { return nil }

        var g = [[Matrix<Double>?]](repeating: [Matrix<Double>?](repeating: nil, count: K), count: K)
        var h = [Matrix<Double>?](repeating: nil, count: K)
        for t in 1..<K {
            guard let ot = aOff0[t] else { continue }
            let wt = terms[t].width
            for s in 1...t {
                guard let os = aOff0[s] else { continue }
                let ws = terms[s].width
                // Term 0 is scalar, so column l of A_t0 is a vector (q_t values per level of t).
                g[t][s] = try GroupedTermZero.groupSums(ot, os, same: s == t, groupOf: groupOf, groups: groups, wt: wt, ws: ws)
            }
            var hm = Matrix<Double>(rows: rows * wt, cols: groups)
            let qt = ot.rq
            hm.storage.withUnsafeMutableBufferPointer { hp in
                aXyZ0.storage.withUnsafeBufferPointer { xp in
                    for l in 0..<ot.blockColumns {
                        let base = groupOf[l] * rows * wt
                        for e in ot.colStart[l]..<ot.colStart[l + 1] {
                            let lt = Int(ot.rowLevel[e])
                            for i in 0..<qt {
                                let v = ot.values[e * qt + i]
                                let col = lt * qt + i
                                for r in 0..<rows { hp[base + r + col * rows] += xp[r + l * rows] * v }
                            }
                        }
                    }
                }
            }
            h[t] = hm
        }
        var km = Matrix<Double>(rows: rows * rows, cols: groups)
        km.storage.withUnsafeMutableBufferPointer { kp in
            aXyZ0.storage.withUnsafeBufferPointer { xp in
                for l in 0..<t0.levelCount {
                    let base = groupOf[l] * rows * rows
                    for j in 0..<rows { for i in 0..<rows { kp[base + i + j * rows] += xp[i + l * rows] * xp[j + l * rows] } }
                }
            }
        }
        self.a = a
        self.counts = counts
        self.g = g
        self.h = h
        self.k = km
    }

    /// G_c = Σ_{l in group c} A_t0[:,l]·A_s0[:,l]ᵀ (term 0 scalar, so column l of A_t0 is a
    /// vector of ℓ_t·q_t values), one group per column of the result: the columns of group c are
    /// spread into dense w_t × (levels) blocks and multiplied by BLAS (syrk when s = t, then
    /// mirrored), in chunks that bound the memory.
    static func groupSums(_ ot: SparseBlockColumns, _ os: SparseBlockColumns, same: Bool,
                                groupOf: [Int], groups: Int, wt: Int, ws: Int) throws -> Matrix<Double> {
        var members = [[Int]](repeating: [], count: groups)
        for (l, c) in groupOf.enumerated() { members[c].append(l) }
        var out = Matrix<Double>(rows: wt * ws, cols: groups)
        let chunk = max(1, 2_000_000 / max(wt, ws, 1))
        func spread(_ sp: SparseBlockColumns, _ levels: ArraySlice<Int>, rows: Int) -> Matrix<Double> {
            var d = Matrix<Double>(rows: rows, cols: levels.count)
            for (j, l) in levels.enumerated() {
                for e in sp.colStart[l]..<sp.colStart[l + 1] {
                    for i in 0..<sp.rq { d.storage[Int(sp.rowLevel[e]) * sp.rq + i + j * rows] = sp.values[e * sp.rq + i] }
                }
            }
            return d
        }
        for c in 0..<groups {
            var block = Matrix<Double>(rows: wt, cols: ws)
            var start = 0
            while start < members[c].count {
                let levels = members[c][start..<min(start + chunk, members[c].count)]
                let dt = spread(ot, levels, rows: wt)
                if same {
                    try BLAS.syrk(.none, dt, into: &block, triangle: .lower, alpha: 1, beta: 1)
                } else {
                    try BLAS.gemm(.none, dt, .transpose, spread(os, levels, rows: ws), into: &block, alpha: 1, beta: 1)
                }
                start += chunk
            }
            if same { for j in 0..<wt { for i in (j + 1)..<max(j + 1, wt) { block[j, i] = block[i, j] } } }
            out.storage.replaceSubrange((c * wt * ws)..<((c + 1) * wt * ws), with: block.storage)
        }
        return out
    }

    /// Per-group weights w_c = θ₀² / (θ₀²a_c + 1) and log|L₀₀|² = Σ_c n_c log(θ₀²a_c + 1).
    func weights(theta0: Double) -> (w: [Double], logDet: Double) {
        let t2 = theta0 * theta0
        var logDet = 0.0
        var w = [Double](repeating: 0, count: a.count)
        for c in 0..<a.count {
            let d2 = t2 * a[c] + 1
            w[c] = t2 / d2
            logDet += Double(counts[c]) * log(d2)
        }
        return (w, logDet)
    }

    /// Σ_c w_c M_c as a `rows × cols` matrix, for sums stored one group per column. Throws
    /// `NumericsError.dimensionMismatch` when the shapes do not fit (a bug, never skipped).
    static func combine(_ stacked: Matrix<Double>, _ w: [Double], rows: Int, cols: Int) throws -> Matrix<Double> {
        var out = [Double](repeating: 0, count: rows * cols)
        try BLAS.gemv(.none, stacked, w, into: &out)
        return try Matrix(rows: rows, cols: cols, columnMajor: out)
    }
}
