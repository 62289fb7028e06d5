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
    private var update: [Double]
    private var gathered: [Double]
    /// Work space of the right solves: B in factor order, and one panel-height block of updates.
    private var solveWork: [Double] = []
    private var solveTemp: [Double] = []
    /// Leading supernodes finished so far by the running factorisation (`factor(solvingRight:)`
    /// lets a solve on another thread follow it supernode by supernode); Int.max when it failed.
    private let leadingDone = Atomic<Int>(0)

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
    public private(set) var logDeterminant = 0.0

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
        // (supernode, row) → position in its panel, and each column's first slot.
        var local = [Int32](repeating: -1, count: supers * size)
        var columnBase = [Int](repeating: 0, count: size)
        for s in 0..<supers {
            let ld = rowStart[s + 1] - rowStart[s]
            for k in rowStart[s]..<rowStart[s + 1] { local[s * size + Int(rows[k])] = Int32(k - rowStart[s]) }
            for j in superStart[s]..<superStart[s + 1] { columnBase[j] = valueStart[s] + (j - superStart[s]) * ld }
        }
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

    /// `slots(rows:cols:)` with a (supernode, row) table when supernodes × n ≤ `tableLimit`,
    /// otherwise by bucketing the entries per supernode (less memory).
    func slots(rows entryRows: [Int32], cols entryCols: [Int32], tableLimit: Int) -> [Int32] {
        precondition(entryRows.count == entryCols.count && storedEntries < Int(Int32.max))
        precondition(!entryRows.contains { $0 < 0 || Int($0) >= self.n } && !entryCols.contains { $0 < 0 || Int($0) >= self.n },
                     "slot indices must lie in 0..<n")
        let count = entryRows.count, supers = supernodeCount, size = n
        var result = [Int32](repeating: -1, count: count)
        // Per column (factor position): where its panel column starts.
        var columnBase = [Int](repeating: 0, count: size)
        for s in 0..<supers {
            let ld = rowStart[s + 1] - rowStart[s]
            for j in superStart[s]..<superStart[s + 1] { columnBase[j] = valueStart[s] + (j - superStart[s]) * ld }
        }
        // Per supernode s: row → position in its panel, as a (supernode, row) table when small
        // enough, else one supernode at a time over the entries bucketed by supernode.
        let tabled = supers * size <= tableLimit
        var local = [Int32](repeating: -1, count: tabled ? supers * size : size)
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
                for s in 0..<supers { fillLocal(s, base: s * size, clear: false) }
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
        let blasThreads = BLASRuntime.threads
        BLASRuntime.setThreads(1)
        defer { BLASRuntime.setThreads(blasThreads) }
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
        let blasThreads = BLASRuntime.threads
        BLASRuntime.setThreads(1)
        defer { BLASRuntime.setThreads(blasThreads) }
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
                        guard RawPanelKernels.potrfLower(n: w, a: panel, lda: ld) else { ok = false; return }
                        if m > 0 { RawPanelKernels.trsmRightLowerTransposed(m: m, n: w, l: panel, ldl: ld, b: panel + w, ldb: ld) }
                    }
                    if publishing { leadingDone.store(s + 1, ordering: .releasing) }
                    guard m > 0 else { continue }
                    let below = panel + w
                    // Updates of later leading columns: scatter −L_O·L_{O_A}ᵀ.
                    if mA > 0 {
                        if w > 1 {
                            RawPanelKernels.gemmNT(m: m, n: mA, k: w, a: below, lda: ld, b: below, ldb: ld,
                                                   c: up.baseAddress!, ldc: m)
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
        let threads = BLASRuntime.threads
        BLASRuntime.setThreads(tailThreads)
        defer { BLASRuntime.setThreads(threads) }
        if gatherWidth > 0 {
            gathered.withUnsafeBufferPointer { gp in
                RawPanelKernels.syrkLower(n: nt, k: gatherWidth, alpha: -1, a: gp.baseAddress!, lda: nt,
                                          beta: 1, c: tailPanel, ldc: nt)
            }
        }
        return RawPanelKernels.potrfLower(n: nt, a: tailPanel, lda: nt)
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
            if part == 0 { RawPanelKernels.syrkLower(n: n, k: k, alpha: -1, a: a, lda: lda, beta: 1, c: c, ldc: ldc) }
            return
        }
        let split = max(1, Int(Double(n) * (1 - 0.5.squareRoot())))
        if part == 0 {
            RawPanelKernels.syrkLower(n: split, k: k, alpha: -1, a: a, lda: lda, beta: 1, c: c, ldc: ldc)
            RawPanelKernels.gemmNT(m: n - split, n: split, k: k, alpha: -1, a: a + split, lda: lda, b: a, ldb: lda,
                                   beta: 1, c: c + split, ldc: ldc)
        } else {
            RawPanelKernels.syrkLower(n: n - split, k: k, alpha: -1, a: a + split, lda: lda, beta: 1,
                                      c: c + split + split * ldc, ldc: ldc)
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
            guard RawPanelKernels.potrfLower(n: b, a: diagonal, lda: lda) else { return false }
            let rest = n - j - b
            guard rest > 0 else { break }
            let below = diagonal + b, half = rest / 2
            PairedWorker.run(worker, {
                RawPanelKernels.trsmRightLowerTransposed(m: half, n: b, l: diagonal, ldl: lda, b: below, ldb: lda)
            }, alongside: {
                RawPanelKernels.trsmRightLowerTransposed(m: rest - half, n: b, l: diagonal, ldl: lda, b: below + half, ldb: lda)
            })
            subtractLowerProduct(n: rest, k: b, a: below, lda: lda, c: below + b * lda, ldc: lda, worker: worker)
            j += b
        }
        return true
    }

    /// log det S = 2 Σ log L_jj.
    private func computeLogDeterminant() {
        var logDet = 0.0
        values.withUnsafeBufferPointer { vp in
            for s in 0..<supernodeCount {
                let ld = rowStart[s + 1] - rowStart[s], w = superStart[s + 1] - superStart[s]
                for j in 0..<w { logDet += 2 * log(vp[valueStart[s] + j + j * ld]) }
            }
        }
        logDeterminant = logDet
    }

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

    private func prepareSolveWork(rows r: Int) {
        if solveWork.count < r * n { solveWork = [Double](repeating: 0, count: r * n) }
        if solveTemp.count < r * maxPanelRows { solveTemp = [Double](repeating: 0, count: r * max(1, maxPanelRows)) }
    }

    /// x (factor order, r × n) ← the columns of b (original order).
    private func gatherSolveColumns(from b: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>, rows r: Int) {
        for p in 0..<n {
            let src = b + permutation[p] * r, dst = x + p * r
            for i in 0..<r { dst[i] = src[i] }
        }
    }

    /// b (original order) ← the columns of x (factor order).
    private func scatterSolveColumns(from x: UnsafePointer<Double>, into b: UnsafeMutablePointer<Double>, rows r: Int) {
        for p in 0..<n {
            let src = x + p * r, dst = b + permutation[p] * r
            for i in 0..<r { dst[i] = src[i] }
        }
    }

    /// X ← X·L⁻ᵀ through the leading supernodes (columns in factor order): per supernode a
    /// solve with its diagonal block, then its rows below subtract into the later columns
    /// (the tail's included). With `following`, waits for each supernode to be factored.
    private func solveRightLeading(_ v: UnsafePointer<Double>, x xb: UnsafeMutablePointer<Double>, rows r: Int,
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
            RawPanelKernels.trsmRightLowerTransposed(m: r, n: w, l: panel, ldl: ld, b: xb + f * r, ldb: r)
            guard m > 0 else { continue }
            RawPanelKernels.gemmNT(m: r, n: m, k: w, a: xb + f * r, lda: r, b: panel + w, ldb: ld, c: tmp, ldc: r)
            for k in 0..<m {
                let dst = xb + Int(rows[offRows + k]) * r
                let src = tmp + k * r
                for i in 0..<r { dst[i] -= src[i] }
            }
        }
    }

    /// X's tail columns ← X_T·L_TT⁻ᵀ: one trsm (splitting its rows over two threads measured
    /// slower on InstEval: 0.50 against 0.46 ms for 29 × 553).
    private func solveRightTail(_ v: UnsafePointer<Double>, x xb: UnsafeMutablePointer<Double>, rows r: Int) {
        let nt = n - tailStart
        RawPanelKernels.trsmRightLowerTransposed(m: r, n: nt, l: v + valueStart[supernodeCount - 1], ldl: nt,
                                                 b: xb + tailStart * r, ldb: r)
    }
}
