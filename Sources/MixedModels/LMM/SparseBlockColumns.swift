/// A sparse block matrix stored by block columns (CSC of small dense blocks): the
/// cross-product Z_tᵀZ₀ of a random-effect term t with the first (largest) term, whose
/// block (ℓ_t, ℓ₀) is nonzero only when some row has both levels. The number of blocks is
/// at most the number of rows, so Z_tᵀZ₀ and its Cholesky block never grow with ℓ_t·ℓ₀.
struct SparseBlockColumns {
    /// Block rows (levels of term t) and block shape (q_t × q₀).
    let blockRows: Int
    let rq: Int
    let cq: Int
    /// Column l₀'s blocks are entries colStart[l₀] ..< colStart[l₀ + 1].
    let colStart: [Int]
    /// Block-row (level of term t) of each entry, ascending within a column.
    let rowLevel: [Int32]
    /// Entry e's block, column-major, at values[e·rq·cq ..< (e+1)·rq·cq].
    var values: [Double]

    var blockColumns: Int { colStart.count - 1 }
    var entryCount: Int { rowLevel.count }
    var blockSize: Int { rq * cq }

    /// Z_tᵀZ₀ from per-row levels and (row-major) z values of the two terms.
    /// `order0` lists the model rows grouped by their level of term 0 (`start0` gives group bounds).
    init(rowTerm t: RandomEffectBlock, colTerm c: RandomEffectBlock, order0: [Int], start0: [Int]) {
        blockRows = t.levelCount
        rq = t.q
        cq = c.q
        var colStart = [0]
        var rowLevel: [Int32] = []
        var values: [Double] = []
        var slot = [Int](repeating: -1, count: t.levelCount)
        let bs = rq * cq
        colStart.reserveCapacity(c.levelCount + 1)
        for l0 in 0..<c.levelCount {
            let base = rowLevel.count
            // Distinct row levels in this column, sorted.
            var present: [Int32] = []
            for k in start0[l0]..<start0[l0 + 1] {
                let lt = Int(t.levelIndex[order0[k]])
                if slot[lt] == -1 { slot[lt] = 0; present.append(Int32(lt)) }
            }
            present.sort()
            for (i, lt) in present.enumerated() { slot[Int(lt)] = base + i }
            rowLevel += present
            values += [Double](repeating: 0, count: present.count * bs)
            for k in start0[l0]..<start0[l0 + 1] {
                let r = order0[k]
                let e = slot[Int(t.levelIndex[r])]
                for j in 0..<cq {
                    let zc = c.z[r * cq + j]
                    for i in 0..<rq { values[e * bs + i + j * rq] += t.z[r * rq + i] * zc }
                }
            }
            for lt in present { slot[Int(lt)] = -1 }
            colStart.append(rowLevel.count)
        }
        self.colStart = colStart
        self.rowLevel = rowLevel
        self.values = values
    }
}
