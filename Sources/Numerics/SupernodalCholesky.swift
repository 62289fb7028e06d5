import Foundation
import Synchronization

/// Sparse Cholesky factorisation S = P·L·Lᵀ·Pᵀ of a symmetric positive-definite n × n matrix
/// whose sparsity pattern is fixed while its values change — refactored once per evaluation of
/// a mixed model's profiled deviance.
///
/// Symbolic analysis (once, in `init`): a minimum-degree ordering computed on the elimination
/// graph (exact degrees, bit sets; ties broken by the lower original index, so the result is
/// deterministic), the elimination tree renumbered in postorder, and fundamental supernodes —
/// runs of consecutive columns with the same row structure below them — each stored as one dense
/// column-major panel (its diagonal block on top). The numeric factorisation is right-looking:
/// each supernode is factored with LAPACK (potrf, trsm) and its outer product is scattered into
/// the later panels it touches. Minimum degree ends with a dense clique (the *tail* supernode);
/// supernodes that reach many of its rows send their updates there through one BLAS syrk from a
/// dense gathered copy of those rows, the others element by element like any other target.
/// (George & Liu 1989 for the ordering; Ng & Peyton 1993 for supernodes.)
///
/// Use: find each entry's slot with `slot(row:col:)` or `slots(rows:cols:)` once, then per
/// factorisation write the lower triangle of S into `values` (zero first with `clear()`), call
/// `factor()`, and read `logDeterminant` or solve with `solveRightTransposed`/`solveTransposed`.
public final class SupernodalCholesky {
    public let n: Int
    /// Factor position → original index, and original index → factor position.
    public let permutation: [Int]
    public let inversePermutation: [Int]
    /// Supernode s holds columns superStart[s] ..< superStart[s + 1] (factor positions).
    let superStart: [Int]
    /// Rows of supernode s (factor positions, ascending, its own columns first):
    /// rows[rowStart[s] ..< rowStart[s + 1]].
    let rowStart: [Int]
    let rows: [Int32]
    /// Panel of supernode s at values[valueStart[s]...], column-major, leading dimension = its row count.
    let valueStart: [Int]
    let columnSuper: [Int32]
    /// Entries of the factor (panels, including explicit zeros inside them).
    public var values: [Double]
    /// First column of the tail supernode (the last one).
    let tailStart: Int

    /// Scatter plan of supernode s (leading ones only): groups[groupStart[s] ..< groupStart[s+1]],
    /// each a run of its off-diagonal rows that are columns of one target supernode.
    struct ScatterGroup {
        var target: Int32
        /// Off-diagonal row indices (0-based among s's off-diagonal rows) b0 ..< b1 are columns of `target`.
        var b0: Int32, b1: Int32
        /// relative[relStart + (k − b0)] = row position inside target's panel of s's off-diagonal row k ≥ b0.
        var relStart: Int
    }
    let groupStart: [Int]
    let groups: [ScatterGroup]
    let relative: [Int32]
    /// Per leading supernode: number of its off-diagonal rows updated by scattering (the rows
    /// before the tail, or all of them when few lie in the tail); the rest are gathered.
    let leadingRowCount: [Int]
    /// Per leading supernode: its first column in the gathered block, or −1 if it is not gathered.
    let gatherColumn: [Int]
    public let gatherWidth: Int
    /// Rows of the tallest panel (work space of `solveRightTransposed`).
    let maxPanelRows: Int

    /// Work buffers, reused between factorisations.
    var update: [Double]
    var gathered: [Double]
    /// Work space of the right solves: B in factor order, and one panel-height block of updates.
    var solveWork: [Double] = []
    var solveTemp: [Double] = []
    /// Leading supernodes finished so far by the running factorisation (`factor(solvingRight:)`
    /// lets a solve on another thread follow it supernode by supernode); Int.max when it failed.
    let leadingDone = Atomic<Int>(0)

    /// Nonzeros of L (the panels' sizes) and flop estimates of one factorisation
    /// (sparse part; the tail's syrk and potrf), for choosing between this and a dense factor.
    public let storedEntries: Int
    public let leadingFlops: Double
    public let scatterOperations: Double
    public let tailFlops: Double
    public var supernodeCount: Int { superStart.count - 1 }
    public var tailWidth: Int { n - tailStart }

    /// BLAS threads for the tail's syrk and potrf (the BLAS default when the analysis ran); the
    /// rest of `factor()` runs on one BLAS thread whatever the caller set.
    public var tailThreads = BLASRuntime.threads

    /// log det S = 2 Σ log L_jj, set by `factor()`.
    public internal(set) var logDeterminant = 0.0

    /// Symbolic analysis of the pattern given as pairs (rows[k], cols[k]) of original indices
    /// (either triangle; duplicates and diagonal pairs allowed). The diagonal is always part of
    /// the pattern. nil when n is 0, the arrays differ in length or an index is out of range.
    public convenience init?(n: Int, rows entryRows: [Int32], cols entryCols: [Int32]) {
        guard n > 0, entryRows.count == entryCols.count,
              !entryRows.contains(where: { $0 < 0 || Int($0) >= n }),
              !entryCols.contains(where: { $0 < 0 || Int($0) >= n }) else { return nil }
        let words = (n + 63) / 64
        var adj = [UInt64](repeating: 0, count: n * words)
        adj.withUnsafeMutableBufferPointer { a in
            for k in entryRows.indices {
                let (i, j) = (Int(entryRows[k]), Int(entryCols[k]))
                guard i != j else { continue }
                a[i * words + j >> 6] |= 1 << UInt64(j & 63)
                a[j * words + i >> 6] |= 1 << UInt64(i & 63)
            }
        }
        self.init(n: n, adjacency: adj)
    }

    /// Symbolic analysis of the pattern made of cliques: clique c's members (original indices) are members[cliqueStart[c] ..< cliqueStart[c + 1]], and every pair of them is
    /// an entry — the pattern of a sum of outer products v·vᵀ such as L₁₀·L₁₀ᵀ, without
    /// listing its pairs. nil when n is 0, the bounds are inconsistent or an index is out of range.
    public convenience init?(n: Int, cliqueStart: [Int], members: [Int32]) {
        guard n > 0, cliqueStart.first == 0, cliqueStart.last == members.count,
              zip(cliqueStart, cliqueStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              !members.contains(where: { $0 < 0 || Int($0) >= n }) else { return nil }
        let words = (n + 63) / 64
        var adj = [UInt64](repeating: 0, count: n * words)
        adj.withUnsafeMutableBufferPointer { a in
            members.withUnsafeBufferPointer { m in
                for c in 0..<(cliqueStart.count - 1) {
                    let (s, e) = (cliqueStart[c], cliqueStart[c + 1])
                    for k1 in s..<e {
                        let i = Int(m[k1])
                        let row = a.baseAddress! + i * words
                        for k2 in s..<e { let j = Int(m[k2]); if j != i { row[j >> 6] |= 1 << UInt64(j & 63) } }
                    }
                }
            }
        }
        self.init(n: n, adjacency: adj)
    }

    /// The analysis proper, from the pattern's adjacency bit sets (row i: words i·⌈n/64⌉ …;
    /// symmetric, diagonal bits clear).
    private init(n: Int, adjacency: [UInt64]) {
        self.n = n
        let words = (n + 63) / 64

        // --- Minimum degree on the elimination graph (adjacency bit sets). ---
        var adj = adjacency
        var degree = [Int](repeating: 0, count: n)
        for v in 0..<n { var d = 0; for w in 0..<words { d += adj[v * words + w].nonzeroBitCount }; degree[v] = d }
        var alive = [Bool](repeating: true, count: n)
        var eliminationOrder = [Int](repeating: 0, count: n)
        var structure: [[Int]] = Array(repeating: [], count: n)   // by elimination step: original neighbours
        var neighbours: [Int] = []
        var step = 0
        while step < n {
            var v = -1, best = Int.max
            for u in 0..<n where alive[u] && degree[u] < best { best = degree[u]; v = u }
            if best == n - step - 1 {
                // What is left is a clique: every node has the same degree, so the loop would take
                // them in index order, each with the later ones as its structure.
                let rest = (0..<n).filter { alive[$0] }
                for (k, u) in rest.enumerated() {
                    eliminationOrder[step + k] = u
                    structure[step + k] = Array(rest[(k + 1)...])
                }
                break
            }
            eliminationOrder[step] = v
            alive[v] = false
            neighbours.removeAll(keepingCapacity: true)
            for w in 0..<words {
                var bits = adj[v * words + w]
                while bits != 0 {
                    let b = bits.trailingZeroBitCount
                    neighbours.append(w * 64 + b)
                    bits &= bits - 1
                }
            }
            structure[step] = neighbours
            // Eliminating v joins its neighbours into a clique (and removes v from the graph).
            adj.withUnsafeMutableBufferPointer { a in
                let av = a.baseAddress! + v * words
                for u in neighbours {
                    let au = a.baseAddress! + u * words
                    for w in 0..<words { au[w] |= av[w] }
                    au[v >> 6] &= ~(UInt64(1) << UInt64(v & 63))
                    au[u >> 6] &= ~(UInt64(1) << UInt64(u & 63))
                    var d = 0
                    for w in 0..<words { d += au[w].nonzeroBitCount }
                    degree[u] = d
                }
            }
            step += 1
        }
        var stepOf = [Int](repeating: 0, count: n)
        for (k, v) in eliminationOrder.enumerated() { stepOf[v] = k }

        // --- Elimination tree (by step) and its postorder. ---
        var parent = [Int](repeating: -1, count: n)
        for k in 0..<n { parent[k] = structure[k].map { stepOf[$0] }.min() ?? -1 }
        var firstChild = [Int](repeating: -1, count: n), nextSibling = [Int](repeating: -1, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) where parent[k] >= 0 {
            nextSibling[k] = firstChild[parent[k]]
            firstChild[parent[k]] = k
        }
        var post: [Int] = []
        post.reserveCapacity(n)
        var stack: [Int] = []
        var nextVisit = firstChild                // per node: next child to descend into
        for root in 0..<n where parent[root] < 0 {
            stack.append(root)
            while let top = stack.last {
                let c = nextVisit[top]
                if c >= 0 { nextVisit[top] = nextSibling[c]; stack.append(c) } else { post.append(top); stack.removeLast() }
            }
        }
        var positionOfStep = [Int](repeating: 0, count: n)
        for (p, k) in post.enumerated() { positionOfStep[k] = p }
        var perm = [Int](repeating: 0, count: n), inverse = [Int](repeating: 0, count: n)
        var columnRows: [[Int32]] = Array(repeating: [], count: n)   // by factor position: rows below the diagonal
        for p in 0..<n {
            let k = post[p]
            perm[p] = eliminationOrder[k]
            inverse[eliminationOrder[k]] = p
            columnRows[p] = structure[k].map { Int32(positionOfStep[stepOf[$0]]) }.sorted()
        }
        permutation = perm
        inversePermutation = inverse

        // --- Fundamental supernodes: column p+1 joins p's when p+1 is p's parent and the
        // structures agree (|struct(p)| = |struct(p+1)| + 1). ---
        var fundamental = [0]
        for p in 1..<max(n, 1) {
            let prev = columnRows[p - 1]
            let joins = prev.first == Int32(p) && prev.count == columnRows[p].count + 1
            if !joins { fundamental.append(p) }
        }
        fundamental.append(n)
        let superStart = Self.relaxedSupernodes(fundamental, columnRows: columnRows)
        let count = superStart.count - 1
        var columnSuper = [Int32](repeating: 0, count: n)
        var rowStart = [0], rows: [Int32] = [], valueStart = [0]
        for s in 0..<count {
            let (f, e) = (superStart[s], superStart[s + 1])
            for p in f..<e { columnSuper[p] = Int32(s) }
            rows += (f..<e).map { Int32($0) }
            rows += columnRows[e - 1]
            rowStart.append(rows.count)
            valueStart.append(valueStart[s] + (rowStart[s + 1] - rowStart[s]) * (e - f))
        }
        self.superStart = superStart
        self.columnSuper = columnSuper
        self.rowStart = rowStart
        self.rows = rows
        self.valueStart = valueStart
        storedEntries = valueStart[count]
        values = [Double](repeating: 0, count: storedEntries)
        tailStart = superStart[count - 1]

        // --- Scatter plan for the leading supernodes. ---
        var groupStart = [0], groups: [ScatterGroup] = [], relative: [Int32] = [], leadingRowCount: [Int] = []
        var leadingFlops = 0.0, scatter = 0.0, maxUpdate = 0
        var gatherColumn: [Int] = [], gatherWidth = 0
        let nt = n - superStart[count - 1]
        for s in 0..<(count - 1) {
            let w = superStart[s + 1] - superStart[s]
            let off = Array(rows[(rowStart[s] + w)..<rowStart[s + 1]])
            let m = off.count
            let beforeTail = off.firstIndex { Int($0) >= superStart[count - 1] } ?? m
            // Few rows in the tail: scatter them too rather than gather. Per supernode, gathering
            // costs w·nt² syrk flops (≈ 0.025 ns each), scattering t²/2 updates (≈ 1 ns each) after a
            // t × t × w gemm (≈ 0.1 ns per flop at these sizes) for its t tail rows.
            let tailRows = Double(m - beforeTail)
            let direct = tailRows * tailRows * (0.5 + 0.2 * Double(w)) < Double(w) * Double(nt * nt) * 0.025
            let mA = direct ? m : beforeTail
            leadingRowCount.append(mA)
            if direct || beforeTail == m { gatherColumn.append(-1) } else { gatherColumn.append(gatherWidth); gatherWidth += w }
            leadingFlops += Double(w * w * w) / 3 + Double(m * w * w) + Double(2 * m * mA * w)
            maxUpdate = max(maxUpdate, m * mA)
            var b = 0
            while b < mA {
                let t = Int(columnSuper[Int(off[b])])
                var b1 = b
                while b1 < mA && Int(columnSuper[Int(off[b1])]) == t { b1 += 1 }
                groups.append(ScatterGroup(target: Int32(t), b0: Int32(b), b1: Int32(b1), relStart: relative.count))
                // Positions of off[b...] in the target's rows (a sorted superset).
                let targetRows = rows[rowStart[t]..<rowStart[t + 1]]
                // Start at off[b]'s position (binary search), then walk: both lists ascend.
                var r = targetRows.startIndex, hi = targetRows.endIndex
                while r < hi { let mid = (r + hi) / 2; if targetRows[mid] < off[b] { r = mid + 1 } else { hi = mid } }
                for k in b..<m {
                    // The target's rows contain these rows (struct(j) ⊆ {parent} ∪ struct(parent)).
                    while targetRows[r] != off[k] { r += 1; precondition(r < targetRows.endIndex, "supernodal structure") }
                    relative.append(Int32(r - targetRows.startIndex))
                }
                for k in b..<b1 { scatter += Double(m - k) }
                b = b1
            }
            groupStart.append(groups.count)
        }
        self.gatherColumn = gatherColumn
        self.gatherWidth = gatherWidth
        maxPanelRows = (0..<count).map { rowStart[$0 + 1] - rowStart[$0] }.max() ?? 1
        self.groupStart = groupStart
        self.groups = groups
        self.relative = relative
        self.leadingRowCount = leadingRowCount
        self.leadingFlops = leadingFlops
        scatterOperations = scatter
        tailFlops = Double(nt) * Double(nt) * Double(gatherWidth) + Double(nt) * Double(nt) * Double(nt) / 3
        update = [Double](repeating: 0, count: maxUpdate)
        gathered = [Double](repeating: 0, count: nt * gatherWidth)
    }

    /// Relaxed supernodes (Ashcraft & Grimes 1989; CHOLMOD's default thresholds): a leading
    /// supernode A joins the next one B when B's first column is the parent of A's last, at the
    /// price of explicit zeros in A's columns — B's rows below then serve both, so A's updates
    /// happen inside one dense panel instead of being scattered (a scattered update costs as
    /// much as dozens of dense flops). Merged width w and zero fraction z: w ≤ 4, or w ≤ 16 and
    /// z < 0.8, or w ≤ 48 and z < 0.1, or z < 0.05. The last (tail) supernode is left alone.
    /// By the elimination tree, struct(last of A) ∖ {first of B} ⊆ struct(first of B), so the
    /// merged panel's rows are B's and every later update still lands inside its target.
    static func relaxedSupernodes(_ fundamental: [Int], columnRows: [[Int32]]) -> [Int] {
        let count = fundamental.count - 1
        guard count > 2 else { return fundamental }
        var result = [0]
        var zeros = 0   // explicit zeros in the supernode being grown
        var s = 0
        while s < count - 1 {
            let f = fundamental[s]
            var e = fundamental[s + 1]
            zeros = 0
            // Try to absorb the following leading supernodes one by one.
            while s + 1 < count - 1 {
                let (m, next) = (e, fundamental[s + 2])
                let below = columnRows[e - 1]
                guard below.first == Int32(m) else { break }
                let belowNext = columnRows[next - 1].count
                let wA = e - f, width = next - f
                let added = wA * ((next - m) + belowNext - below.count)
                let entries = width * belowNext + width * (width + 1) / 2
                let z = Double(zeros + added) / Double(entries)
                guard width <= 4 || (width <= 16 && z < 0.8) || (width <= 48 && z < 0.1) || z < 0.05 else { break }
                zeros += added
                e = next
                s += 1
            }
            result.append(e)
            s += 1
        }
        if result.last != fundamental[count - 1] { result.append(fundamental[count - 1]) }
        result.append(fundamental[count])
        return result
    }

    /// Index into `values` of entry (row, col) of S (original indices, either triangle), or nil
    /// when it is outside the pattern.
    public func slot(row: Int, col: Int) -> Int? {
        var (i, j) = (inversePermutation[row], inversePermutation[col])
        if i < j { swap(&i, &j) }
        let s = Int(columnSuper[j])
        let f = superStart[s]
        let ld = rowStart[s + 1] - rowStart[s]
        var lo = rowStart[s], hi = rowStart[s + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(rows[mid]) < i { lo = mid + 1 } else { hi = mid }
        }
        guard lo < rowStart[s + 1], Int(rows[lo]) == i else { return nil }
        return valueStart[s] + (lo - rowStart[s]) + (j - f) * ld
    }

    /// Slots of many entries at once (original indices, either triangle), −1 for entries outside
    /// the pattern: one pass per supernode instead of a binary search per entry. Needs
    /// `storedEntries` < 2³¹.
    public func slots(rows entryRows: [Int32], cols entryCols: [Int32]) -> [Int32] {
        slots(rows: entryRows, cols: entryCols, tableLimit: 1 << 22)
    }

    /// Slots of every pair of members of each clique (as given to `init(n:cliqueStart:members:)`),
    /// clique by clique, and within one for each position k₁ the positions k₂ = start … k₁ in
    /// order: the entry (members[k₁], members[k₂]). Every pair lies in the pattern when the
    /// factor was built from these cliques (−1 otherwise).
    public func cliquePairSlots(cliqueStart: [Int], members: [Int32]) -> [Int32] {
        var count = 0
        for c in 0..<(cliqueStart.count - 1) { let k = cliqueStart[c + 1] - cliqueStart[c]; count += k * (k + 1) / 2 }
        let supers = supernodeCount, size = n
        guard supers * size <= 1 << 22 else {
            // Large: through the pairs and the bucketed lookup.
            var rows: [Int32] = [], cols: [Int32] = []
            rows.reserveCapacity(count); cols.reserveCapacity(count)
            for c in 0..<(cliqueStart.count - 1) {
                for k1 in cliqueStart[c]..<cliqueStart[c + 1] { for k2 in cliqueStart[c]...k1 { rows.append(members[k1]); cols.append(members[k2]) } }
            }
            return slots(rows: rows, cols: cols)
        }
        let local = rowPositionTable(), columnBase = columnBases()
        let position = members.map { Int32(inversePermutation[Int($0)]) }   // factor positions
        var result = [Int32](repeating: -1, count: count)
        local.withUnsafeBufferPointer { lp in columnBase.withUnsafeBufferPointer { cb in
        columnSuper.withUnsafeBufferPointer { cs in position.withUnsafeBufferPointer { fp in
        result.withUnsafeMutableBufferPointer { out in
            var k = 0
            for c in 0..<(cliqueStart.count - 1) {
                let start = cliqueStart[c]
                for k1 in start..<cliqueStart[c + 1] {
                    let p1 = Int(fp[k1])
                    for k2 in start...k1 {
                        let p2 = Int(fp[k2])
                        let (i, j) = p1 >= p2 ? (p1, p2) : (p2, p1)
                        let at = lp[Int(cs[j]) * size + i]
                        if at >= 0 { out[k] = Int32(cb[j] + Int(at)) }
                        k += 1
                    }
                }
            }
        } } } } }
        return result
    }

    /// Per column (factor position): the slot where its panel column starts.
    private func columnBases() -> [Int] {
        var columnBase = [Int](repeating: 0, count: n)
        for s in 0..<supernodeCount {
            let ld = rowStart[s + 1] - rowStart[s]
            for j in superStart[s]..<superStart[s + 1] { columnBase[j] = valueStart[s] + (j - superStart[s]) * ld }
        }
        return columnBase
    }

    /// (supernode s, row i) at s·n + i → position of row i in s's panel, −1 when absent
    /// (supernodes × n entries).
    private func rowPositionTable() -> [Int32] {
        var table = [Int32](repeating: -1, count: supernodeCount * n)
        for s in 0..<supernodeCount {
            for k in rowStart[s]..<rowStart[s + 1] { table[s * n + Int(rows[k])] = Int32(k - rowStart[s]) }
        }
        return table
    }

    /// `slots(rows:cols:)` with a (supernode, row) table when supernodes × n ≤ `tableLimit`,
    /// otherwise by bucketing the entries per supernode (less memory).
    func slots(rows entryRows: [Int32], cols entryCols: [Int32], tableLimit: Int) -> [Int32] {
        precondition(entryRows.count == entryCols.count && storedEntries < Int(Int32.max))
        precondition(!entryRows.contains { $0 < 0 || Int($0) >= self.n } && !entryCols.contains { $0 < 0 || Int($0) >= self.n },
                     "slot indices must lie in 0..<n")
        let count = entryRows.count, supers = supernodeCount, size = n
        var result = [Int32](repeating: -1, count: count)
        let columnBase = columnBases()
        // Per supernode s: row → position in its panel, as a (supernode, row) table when small
        // enough, else one supernode at a time over the entries bucketed by supernode.
        let tabled = supers * size <= tableLimit
        var local = tabled ? rowPositionTable() : [Int32](repeating: -1, count: size)
        entryRows.withUnsafeBufferPointer { er in entryCols.withUnsafeBufferPointer { ec in
        inversePermutation.withUnsafeBufferPointer { inv in columnSuper.withUnsafeBufferPointer { cs in
        rows.withUnsafeBufferPointer { rw in columnBase.withUnsafeBufferPointer { cb in
        local.withUnsafeMutableBufferPointer { lp in result.withUnsafeMutableBufferPointer { out in
            /// Entry e in factor positions: (row ≥ column) of the lower triangle.
            @inline(__always) func lower(_ e: Int) -> (row: Int, column: Int) {
                let (a, b) = (inv[Int(er[e])], inv[Int(ec[e])])
                return a >= b ? (a, b) : (b, a)
            }
            func fillLocal(_ s: Int, base: Int, clear: Bool) {
                for k in rowStart[s]..<rowStart[s + 1] { lp[base + Int(rw[k])] = clear ? -1 : Int32(k - rowStart[s]) }
            }
            if tabled {
                for e in 0..<count {
                    let (i, j) = lower(e)
                    let position = lp[Int(cs[j]) * size + i]
                    if position >= 0 { out[e] = Int32(cb[j] + Int(position)) }
                }
                return
            }
            var bucketStart = [Int](repeating: 0, count: supers + 1)
            for e in 0..<count { bucketStart[Int(cs[lower(e).column]) + 1] += 1 }
            for s in 0..<supers { bucketStart[s + 1] += bucketStart[s] }
            var fill = bucketStart, order = [Int32](repeating: 0, count: count)
            for e in 0..<count { let s = Int(cs[lower(e).column]); order[fill[s]] = Int32(e); fill[s] += 1 }
            for s in 0..<supers {
                fillLocal(s, base: 0, clear: false)
                for k in bucketStart[s]..<bucketStart[s + 1] {
                    let e = Int(order[k])
                    let (i, j) = lower(e)
                    let position = lp[i]
                    if position >= 0 { out[e] = Int32(cb[j] + Int(position)) }
                }
                fillLocal(s, base: 0, clear: true)
            }
        } }
        } }
        } }
        } }
        return result
    }
}
