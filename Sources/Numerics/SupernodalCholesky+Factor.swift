import Foundation

/// The numeric factorisation of `SupernodalCholesky`: S's values written into the panels are
/// factored in place, on one thread (`factor()`) or with a `PairedWorker` that solves a
/// right-hand side along (`factor(solvingRight:rows:worker:)`).
extension SupernodalCholesky {
    /// Sets the stored entries to zero before new values of S are written: the lower triangle
    /// of each panel, the only part that slots address and the factorisation reads or writes
    /// (the strict upper triangle of a diagonal block — half the tail's square, most of the
    /// storage — stays zero from the allocation).
    public func clear() {
        values.withUnsafeMutableBufferPointer { vp in
            let v = vp.baseAddress!
            for s in 0..<supernodeCount {
                let w = superStart[s + 1] - superStart[s], ld = rowStart[s + 1] - rowStart[s]
                let panel = v + valueStart[s]
                for j in 0..<w { (panel + j + j * ld).update(repeating: 0, count: ld - j) }
            }
        }
    }

    /// Factors the matrix held in `values` (lower triangle of S) in place. False when S is not
    /// positive definite (the values are then partly overwritten).
    public func factor() -> Bool {
        // The leading supernodes make hundreds of small BLAS calls: one BLAS thread for them
        // (waking a second costs more than it saves); the tail's large syrk and potrf get all.
        let oneThread = BLASThreadLimit(1)
        defer { oneThread.release() }
        let ok = values.withUnsafeMutableBufferPointer { factorLeading($0.baseAddress!) && factorTail($0.baseAddress!) }
        if ok { computeLogDeterminant() }
        return ok
    }

    /// `factor()` followed by `solveRightTransposed(b, rows: r)`, on two threads when a worker
    /// is given: the solve through each leading supernode runs on the worker as soon as that
    /// supernode is factored (it only reads finished panels), and the tail's update and
    /// factorisation are split between the two threads. False when S is not positive definite
    /// (b is then left unchanged).
    public func factor(solvingRight b: inout [Double], rows r: Int, worker: PairedWorker?) -> Bool {
        precondition(b.count == r * n)
        guard r > 0 else { return factor() }
        let oneThread = BLASThreadLimit(1)
        defer { oneThread.release() }
        prepareSolveWork(rows: r)
        var ok = false
        leadingDone.store(0, ordering: .releasing)
        values.withUnsafeMutableBufferPointer { vp in
            solveWork.withUnsafeMutableBufferPointer { xp in
                solveTemp.withUnsafeMutableBufferPointer { tp in
                    let v = vp.baseAddress!, x = xp.baseAddress!, tmp = tp.baseAddress!
                    // The tail's update S_TT − G·Gᵀ needs every leading supernode, the solve only
                    // the ones before it: each thread starts its half of that update as soon as it
                    // is done with its part of the leading supernodes (no join in between).
                    let count = supernodeCount
                    PairedWorker.run(worker, {
                        ok = self.factorLeading(v, publishing: true)
                        // `count`: the gathered block is complete; Int.max: failed, stop waiting.
                        self.leadingDone.store(ok ? count : Int.max, ordering: .releasing)
                        if ok { self.updateTail(v, part: 0) }
                    }, alongside: {
                        b.withUnsafeBufferPointer { self.gatherSolveColumns(from: $0.baseAddress!, into: x, rows: r) }
                        self.solveRightLeading(v, x: x, rows: r, tmp: tmp, following: true)
                        var done = self.leadingDone.load(ordering: .acquiring)
                        while done < count { done = self.leadingDone.load(ordering: .acquiring) }
                        if done != Int.max { self.updateTail(v, part: 1) }
                    })
                    guard ok, Self.blockedCholesky(n: n - tailStart, a: v + valueStart[count - 1], lda: n - tailStart,
                                                   worker: worker) else { ok = false; return }
                    solveRightTail(v, x: x, rows: r)
                }
            }
        }
        guard ok else { return false }
        computeLogDeterminant()
        b.withUnsafeMutableBufferPointer { bp in
            solveWork.withUnsafeBufferPointer { scatterSolveColumns(from: $0.baseAddress!, into: bp.baseAddress!, rows: r) }
        }
        return true
    }

    /// Factors the leading supernodes (all but the tail), sends their updates to later panels
    /// and copies their tail rows into the gathered block. With `publishing`, `leadingDone`
    /// counts the supernodes whose panels are final.
    private func factorLeading(_ v: UnsafeMutablePointer<Double>, publishing: Bool = false) -> Bool {
        let count = supernodeCount
        let tail = tailStart, nt = n - tailStart
        var ok = true
        update.withUnsafeMutableBufferPointer { up in
          relative.withUnsafeBufferPointer { relp in
            gathered.withUnsafeMutableBufferPointer { gp in
                // No clearing: the gathered block's nonzero positions are the same every time
                // and are all rewritten below; the others stay zero from the allocation.
                for s in 0..<(count - 1) {
                    let f = superStart[s], w = superStart[s + 1] - f
                    let ld = rowStart[s + 1] - rowStart[s]
                    let panel = v + valueStart[s]
                    let m = ld - w, mA = leadingRowCount[s]
                    // Diagonal block and the rows below it.
                    if w == 1 {
                        let d = panel[0]
                        guard d > 0, d.isFinite else { ok = false; return }
                        let l = d.squareRoot()
                        panel[0] = l
                        let inv = 1 / l
                        for k in 1..<max(ld, 1) { panel[k] *= inv }
                    } else {
                        guard RawBLAS.potrf(.lower, n: w, panel, lda: ld) else { ok = false; return }
                        if m > 0 { RawBLAS.trsm(.right, .lower, .transpose, m: m, n: w, panel, lda: ld, panel + w, ldb: ld) }
                    }
                    if publishing { leadingDone.store(s + 1, ordering: .releasing) }
                    guard m > 0 else { continue }
                    let below = panel + w
                    // Updates of later leading columns: scatter −L_O·L_{O_A}ᵀ.
                    if mA > 0 {
                        if w > 1 {
                            RawBLAS.gemm(.none, .transpose, m: m, n: mA, k: w, below, lda: ld, below, ldb: ld,
                                         up.baseAddress!, ldc: m)
                        }
                        for g in groups[groupStart[s]..<groupStart[s + 1]] {
                            let t = Int(g.target)
                            let tf = superStart[t], tld = rowStart[t + 1] - rowStart[t]
                            let target = v + valueStart[t]
                            let rel = relp.baseAddress! + g.relStart
                            for b in Int(g.b0)..<Int(g.b1) {
                                let column = target + (Int(rows[rowStart[s] + w + b]) - tf) * tld
                                let relB = rel - Int(g.b0)
                                if w == 1 {
                                    let lb = below[b]
                                    for k in b..<m { column[Int(relB[k])] -= below[k] * lb }
                                } else {
                                    let c = up.baseAddress! + b * m
                                    for k in b..<m { column[Int(relB[k])] -= c[k] }
                                }
                            }
                        }
                    }
                    // Rows in the tail: copied into the gathered block for one syrk.
                    if mA < m {
                        let offRows = rowStart[s] + w
                        for j in 0..<w {
                            let g = gp.baseAddress! + (gatherColumn[s] + j) * nt
                            for k in mA..<m { g[Int(rows[offRows + k]) - tail] = below[k + j * ld] }
                        }
                    }
                }
            }
          }
        }
        return ok
    }

    /// The tail for `factor()`: S_TT − G·Gᵀ (G: the gathered block), then its dense Cholesky,
    /// one BLAS/LAPACK call each on `tailThreads` BLAS threads. (`factor(solvingRight:)`
    /// splits both into fixed pieces for two threads instead, one BLAS thread each: OpenBLAS's
    /// own threads would compete with the spinning worker for the second core. The pieces are
    /// the same with or without a worker, so its numbers do not depend on the core count.)
    private func factorTail(_ v: UnsafeMutablePointer<Double>) -> Bool {
        let nt = n - tailStart
        let tailPanel = v + valueStart[supernodeCount - 1]
        let tail = BLASThreadLimit(tailThreads)
        defer { tail.release() }
        if gatherWidth > 0 {
            gathered.withUnsafeBufferPointer { gp in
                RawBLAS.syrk(.lower, .none, n: nt, k: gatherWidth, alpha: -1, gp.baseAddress!, lda: nt,
                             beta: 1, tailPanel, ldc: nt)
            }
        }
        return RawBLAS.potrf(.lower, n: nt, tailPanel, lda: nt)
    }

    /// One of the two pieces of S_TT − G·Gᵀ (`subtractLowerProduct(part:…)`).
    private func updateTail(_ v: UnsafeMutablePointer<Double>, part: Int) {
        guard gatherWidth > 0 else { return }
        let nt = n - tailStart
        gathered.withUnsafeBufferPointer { gp in
            Self.subtractLowerProduct(part: part, n: nt, k: gatherWidth, a: gp.baseAddress!, lda: nt,
                                      c: v + valueStart[supernodeCount - 1], ldc: nt)
        }
    }

    /// Lower triangle of C ← C − A·Aᵀ (`n × k` A) in two pieces of equal work (`part` 0 and 1):
    /// the first c = (1 − 1/√2)·n columns (a syrk on their diagonal block and a gemm below it),
    /// and the trailing diagonal block. Either piece may run while the other does.
    static func subtractLowerProduct(part: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                     c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard n > 1 else {
            if part == 0 { RawBLAS.syrk(.lower, .none, n: n, k: k, alpha: -1, a, lda: lda, beta: 1, c, ldc: ldc) }
            return
        }
        let split = max(1, Int(Double(n) * (1 - 0.5.squareRoot())))
        if part == 0 {
            RawBLAS.syrk(.lower, .none, n: split, k: k, alpha: -1, a, lda: lda, beta: 1, c, ldc: ldc)
            RawBLAS.gemm(.none, .transpose, m: n - split, n: split, k: k, alpha: -1, a + split, lda: lda, a, ldb: lda,
                         beta: 1, c + split, ldc: ldc)
        } else {
            RawBLAS.syrk(.lower, .none, n: n - split, k: k, alpha: -1, a + split, lda: lda, beta: 1,
                         c + split + split * ldc, ldc: ldc)
        }
    }

    /// Both pieces of `subtractLowerProduct(part:…)`: piece 0 here, piece 1 on the worker.
    static func subtractLowerProduct(n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                     c: UnsafeMutablePointer<Double>, ldc: Int, worker: PairedWorker?) {
        PairedWorker.run(worker, { subtractLowerProduct(part: 0, n: n, k: k, a: a, lda: lda, c: c, ldc: ldc) },
                         alongside: { subtractLowerProduct(part: 1, n: n, k: k, a: a, lda: lda, c: c, ldc: ldc) })
    }

    /// Dense Cholesky A = L·Lᵀ (lower, in place, right-looking) by blocks of 96 columns: each
    /// diagonal block by LAPACK's potrf, the rows below it solved in two halves and the
    /// trailing block updated by `subtractLowerProduct`, the halves on the caller and the
    /// worker. False when A is not positive definite.
    static func blockedCholesky(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, worker: PairedWorker?) -> Bool {
        let block = 96
        var j = 0
        while j < n {
            let b = min(block, n - j)
            let diagonal = a + j + j * lda
            guard RawBLAS.potrf(.lower, n: b, diagonal, lda: lda) else { return false }
            let rest = n - j - b
            guard rest > 0 else { break }
            let below = diagonal + b, half = rest / 2
            PairedWorker.run(worker, {
                RawBLAS.trsm(.right, .lower, .transpose, m: half, n: b, diagonal, lda: lda, below, ldb: lda)
            }, alongside: {
                RawBLAS.trsm(.right, .lower, .transpose, m: rest - half, n: b, diagonal, lda: lda, below + half, ldb: lda)
            })
            subtractLowerProduct(n: rest, k: b, a: below, lda: lda, c: below + b * lda, ldc: lda, worker: worker)
            j += b
        }
        return true
    }

    /// log det S = 2 Σ log L_jj.
    func computeLogDeterminant() {
        var logDet = 0.0
        values.withUnsafeBufferPointer { vp in
            for s in 0..<supernodeCount {
                let ld = rowStart[s + 1] - rowStart[s], w = superStart[s + 1] - superStart[s]
                for j in 0..<w { logDet += 2 * log(vp[valueStart[s] + j + j * ld]) }
            }
        }
        logDeterminant = logDet
    }
}
