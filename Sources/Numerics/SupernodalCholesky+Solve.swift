import Foundation

/// Solves with a `SupernodalCholesky` factor: back substitution for one vector and the right
/// solve B·L⁻ᵀ for a dense block of rows.
extension SupernodalCholesky {
    /// r ← P·L⁻ᵀ·Pᵀ·r: back substitution through Lᵀ with r in original order (entries taken into
    /// factor order and put back). With `solveRightTransposed` it treats P·L·Pᵀ as the factor of S:
    /// B·(P L⁻ᵀ Pᵀ)·c = (B after `solveRightTransposed`)·c. Call after a successful `factor()`.
    public func solveTransposed(_ r: inout [Double]) {
        precondition(r.count == n)
        var z = (0..<n).map { r[permutation[$0]] }
        values.withUnsafeBufferPointer { vp in
            for s in stride(from: supernodeCount - 1, through: 0, by: -1) {
                let f = superStart[s], w = superStart[s + 1] - f
                let ld = rowStart[s + 1] - rowStart[s], m = ld - w
                let panel = vp.baseAddress! + valueStart[s]
                let offRows = rowStart[s] + w
                for j in stride(from: w - 1, through: 0, by: -1) {
                    var sum = z[f + j]
                    for i in (j + 1)..<max(j + 1, w) { sum -= panel[i + j * ld] * z[f + i] }
                    for k in 0..<m { sum -= panel[w + k + j * ld] * z[Int(rows[offRows + k])] }
                    z[f + j] = sum / panel[j + j * ld]
                }
            }
        }
        for p in 0..<n { r[permutation[p]] = z[p] }
    }

    /// B ← (B·P·L⁻ᵀ)·Pᵀ for a dense `r × n` B (column-major, columns in original order): the
    /// columns are taken into factor order, solved against Lᵀ from the right, and put back.
    /// Afterwards B·Bᵀ = B₀·S⁻¹·B₀ᵀ, which is what the profiled deviance needs. Call after a
    /// successful `factor()`.
    public func solveRightTransposed(_ b: inout [Double], rows r: Int) {
        precondition(b.count == r * n)
        guard r > 0 else { return }
        prepareSolveWork(rows: r)
        BLASRuntime.withThreads(1) {   // many small calls (see `factor`)
            values.withUnsafeMutableBufferPointer { vp in
                solveWork.withUnsafeMutableBufferPointer { xp in
                    solveTemp.withUnsafeMutableBufferPointer { tp in
                        b.withUnsafeBufferPointer { gatherSolveColumns(from: $0.baseAddress!, into: xp.baseAddress!, rows: r) }
                        solveRightLeading(vp.baseAddress!, x: xp.baseAddress!, rows: r, tmp: tp.baseAddress!, following: false)
                        solveRightTail(vp.baseAddress!, x: xp.baseAddress!, rows: r)
                    }
                }
            }
        }
        b.withUnsafeMutableBufferPointer { bp in
            solveWork.withUnsafeBufferPointer { scatterSolveColumns(from: $0.baseAddress!, into: bp.baseAddress!, rows: r) }
        }
    }

    func prepareSolveWork(rows r: Int) {
        if solveWork.count < r * n { solveWork = [Double](repeating: 0, count: r * n) }
        if solveTemp.count < r * maxPanelRows { solveTemp = [Double](repeating: 0, count: r * max(1, maxPanelRows)) }
    }

    /// x (factor order, r × n) ← the columns of b (original order).
    func gatherSolveColumns(from b: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>, rows r: Int) {
        for p in 0..<n {
            let src = b + permutation[p] * r, dst = x + p * r
            for i in 0..<r { dst[i] = src[i] }
        }
    }

    /// b (original order) ← the columns of x (factor order).
    func scatterSolveColumns(from x: UnsafePointer<Double>, into b: UnsafeMutablePointer<Double>, rows r: Int) {
        for p in 0..<n {
            let src = x + p * r, dst = b + permutation[p] * r
            for i in 0..<r { dst[i] = src[i] }
        }
    }

    /// X ← X·L⁻ᵀ through the leading supernodes (columns in factor order): per supernode a
    /// solve with its diagonal block, then its rows below subtract into the later columns
    /// (the tail's included). With `following`, waits for each supernode to be factored.
    func solveRightLeading(_ v: UnsafePointer<Double>, x xb: UnsafeMutablePointer<Double>, rows r: Int,
                                   tmp: UnsafeMutablePointer<Double>, following: Bool) {
        for s in 0..<(supernodeCount - 1) {
            if following {
                var done = leadingDone.load(ordering: .acquiring)
                while done <= s { done = leadingDone.load(ordering: .acquiring) }
                if done == Int.max { return }   // the factorisation failed; the result is not used
            }
            let f = superStart[s], w = superStart[s + 1] - f
            let ld = rowStart[s + 1] - rowStart[s], m = ld - w
            let panel = v + valueStart[s]
            let offRows = rowStart[s] + w
            if w == 1 {
                // One column: scale it, then subtract its multiples (no BLAS call overhead).
                let xf = xb + f * r
                let inv = 1 / panel[0]
                for i in 0..<r { xf[i] *= inv }
                for k in 0..<m {
                    let lk = panel[1 + k]
                    let dst = xb + Int(rows[offRows + k]) * r
                    for i in 0..<r { dst[i] -= xf[i] * lk }
                }
                continue
            }
            RawBLAS.trsm(.right, .lower, .transpose, m: r, n: w, panel, lda: ld, xb + f * r, ldb: r)
            guard m > 0 else { continue }
            RawBLAS.gemm(.none, .transpose, m: r, n: m, k: w, xb + f * r, lda: r, panel + w, ldb: ld, tmp, ldc: r)
            for k in 0..<m {
                let dst = xb + Int(rows[offRows + k]) * r
                let src = tmp + k * r
                for i in 0..<r { dst[i] -= src[i] }
            }
        }
    }

    /// X's tail columns ← X_T·L_TT⁻ᵀ: one trsm (splitting its rows over two threads measured
    /// slower on InstEval: 0.50 against 0.46 ms for 29 × 553).
    func solveRightTail(_ v: UnsafePointer<Double>, x xb: UnsafeMutablePointer<Double>, rows r: Int) {
        let nt = n - tailStart
        RawBLAS.trsm(.right, .lower, .transpose, m: r, n: nt, v + valueStart[supernodeCount - 1], lda: nt,
                     xb + tailStart * r, ldb: r)
    }
}
