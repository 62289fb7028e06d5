import XCTest
@testable import Numerics

extension SupernodalCholesky {
    /// From per-column lists of row indices (the tests' format) to the pairs `init` takes.
    convenience init?(_ pattern: [[Int32]]) {
        var (rows, cols): ([Int32], [Int32]) = ([], [])
        for (j, list) in pattern.enumerated() { for i in list { rows.append(i); cols.append(Int32(j)) } }
        self.init(n: pattern.count, rows: rows, cols: cols)
    }
}

/// The supernodal sparse Cholesky against LAPACK's dense one on the same matrices.
final class SupernodalCholeskyTests: XCTestCase {
    /// A crossed-design Schur complement like a mixed model's: S = D − Σ_g w_g v_g v_gᵀ + I-ish,
    /// built as S = I + Bᵀ B·c for a random sparse B (rows = "students", columns = "lecturers").
    private func crossedMatrix(n: Int, groups: Int, perGroup: Int, seed: UInt64) -> (dense: Matrix<Double>, pattern: [[Int32]]) {
        var rng = SeededGenerator(seed: seed)
        var s = Matrix<Double>(rows: n, cols: n)
        for i in 0..<n { s[i, i] = 1 + Double.random(in: 0...2, using: &rng) }
        var pattern: [[Int32]] = Array(repeating: [], count: n)
        for _ in 0..<groups {
            var members = Set<Int>()
            // Mostly local neighbourhoods (structure), some random links (fill).
            let centre = Int.random(in: 0..<n, using: &rng)
            while members.count < perGroup {
                let far = Double.random(in: 0..<1, using: &rng) < 0.2
                members.insert(far ? Int.random(in: 0..<n, using: &rng) : (centre + Int.random(in: 0..<12, using: &rng)) % n)
            }
            let m = Array(members)
            let v = m.map { _ in Double.random(in: 0.2...1, using: &rng) }
            for a in m.indices { for b in m.indices {
                s[m[a], m[b]] += 0.5 * v[a] * v[b]
                if a != b { pattern[m[b]].append(Int32(m[a])) }
            } }
        }
        return (s, pattern)
    }

    private func check(_ s: Matrix<Double>, pattern: [[Int32]], file: StaticString = #filePath, line: UInt = #line) throws -> SupernodalCholesky {
        let n = s.rows
        let chol = try XCTUnwrap(SupernodalCholesky(pattern))
        XCTAssertEqual(chol.permutation.sorted(), Array(0..<n), "a permutation", file: file, line: line)
        chol.clear()
        var (rows, cols): ([Int32], [Int32]) = ([], [])
        for j in 0..<n { for i in j..<n where s[i, j] != 0 { rows.append(Int32(i)); cols.append(Int32(j)) } }
        let bulk = chol.slots(rows: rows, cols: cols)
        XCTAssertEqual(chol.slots(rows: rows, cols: cols, tableLimit: 0), bulk, "bucketed and table lookups agree", file: file, line: line)
        for k in rows.indices {
            let (i, j) = (Int(rows[k]), Int(cols[k]))
            let slot = try XCTUnwrap(chol.slot(row: i, col: j), "entry (\(i), \(j)) in the pattern", file: file, line: line)
            XCTAssertEqual(Int(bulk[k]), slot, "bulk and single slot lookups agree", file: file, line: line)
            chol.values[slot] = s[i, j]
        }
        XCTAssertTrue(chol.factor(), file: file, line: line)
        var dense = s
        try LAPACK.choleskyInPlace(&dense, triangle: .lower)
        let logDet = (0..<n).reduce(0.0) { $0 + 2 * log(dense[$1, $1]) }
        XCTAssertEqual(chol.logDeterminant, logDet, accuracy: 1e-10 * abs(logDet), file: file, line: line)
        // B S⁻¹ Bᵀ two ways.
        var rng = SeededGenerator(seed: 9)
        let r = 3
        let b = (0..<(r * n)).map { _ in Double.random(in: -1...1, using: &rng) }
        var x = b
        chol.solveRightTransposed(&x, rows: r)
        let bm = try Matrix(rows: r, cols: n, columnMajor: b)
        let sInvBt = try LAPACK.choleskySolve(factor: dense, bm.transposed)   // S⁻¹Bᵀ
        let expected = try BLAS.multiply(bm, sInvBt)
        let xm = try Matrix(rows: r, cols: n, columnMajor: x)
        let got = try BLAS.multiply(xm, xm.transposed)
        for i in 0..<r { for j in 0..<r {
            XCTAssertEqual(got[i, j], expected[i, j], accuracy: 1e-9 * max(1, abs(expected[i, j])), file: file, line: line)
        } }
        // Back substitution: B·(P L⁻ᵀ Pᵀ)·c equals (B P L⁻ᵀ Pᵀ)·c computed the other way.
        let c = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        var u = c
        chol.solveTransposed(&u)
        for i in 0..<r {
            let viaU = (0..<n).reduce(0.0) { $0 + b[i + $1 * r] * u[$1] }
            let viaX = (0..<n).reduce(0.0) { $0 + x[i + $1 * r] * c[$1] }
            XCTAssertEqual(viaU, viaX, accuracy: 1e-9 * max(1, abs(viaX)), file: file, line: line)
        }
        return chol
    }

    func testCrossedPatternAgreesWithDenseCholesky() throws {
        let (s, pattern) = crossedMatrix(n: 300, groups: 400, perGroup: 6, seed: 1)
        let chol = try check(s, pattern: pattern)
        XCTAssertGreaterThan(chol.supernodeCount, 10, "several supernodes")
        XCTAssertGreaterThan(chol.tailWidth, 1, "a dense tail")
        let wideLeading = (0..<(chol.supernodeCount - 1)).filter {
            chol.superStart[$0 + 1] - chol.superStart[$0] > 1 && chol.leadingRowCount[$0] > 0
        }
        XCTAssertFalse(wideLeading.isEmpty, "leading supernodes of several columns scatter through a GEMM")
        // Entries on and below the diagonal (explicit zeros of relaxed supernodes included; the
        // strict upper triangles of the diagonal blocks are stored but never used).
        let lowerEntries = (0..<chol.supernodeCount).reduce(0) { total, s in
            let w = chol.superStart[s + 1] - chol.superStart[s], ld = chol.rowStart[s + 1] - chol.rowStart[s]
            return total + w * (ld - w) + w * (w + 1) / 2
        }
        XCTAssertLessThan(lowerEntries, 300 * 301 / 2, "sparser than dense")
        XCTAssertLessThan(chol.leadingFlops + chol.tailFlops, pow(300.0, 3) / 3 * 2)
    }

    func testDiagonalAndDenseExtremes() throws {
        // No off-diagonal entries: every supernode is one column, the tail is one column.
        var d = Matrix<Double>(rows: 5, cols: 5)
        for i in 0..<5 { d[i, i] = Double(i + 1) }
        let diag = try check(d, pattern: Array(repeating: [], count: 5))
        XCTAssertEqual(diag.supernodeCount, 5)
        // Fully dense: one supernode.
        var rng = SeededGenerator(seed: 3)
        let a = try Matrix(rows: 8, cols: 8, columnMajor: (0..<64).map { _ in Double.random(in: -1...1, using: &rng) })
        var spd = try BLAS.multiply(a, a.transposed)
        for i in 0..<8 { spd[i, i] += 8 }
        let full = try check(spd, pattern: (0..<8).map { j in (0..<8).filter { $0 != j }.map(Int32.init) })
        XCTAssertEqual(full.supernodeCount, 1)
        XCTAssertEqual(full.tailWidth, 8)
    }

    func testSlotOutsidePatternAndNotPositiveDefinite() throws {
        // Path 0–1–2 plus an isolated 3.
        let pattern: [[Int32]] = [[1], [0, 2], [1], []]
        let chol = try XCTUnwrap(SupernodalCholesky(pattern))
        XCTAssertNil(chol.slot(row: 3, col: 0))
        XCTAssertNotNil(chol.slot(row: 0, col: 1))
        XCTAssertEqual(chol.slot(row: 2, col: 1), chol.slot(row: 1, col: 2))
        chol.clear()
        for i in 0..<4 { chol.values[chol.slot(row: i, col: i)!] = 1 }
        chol.values[chol.slot(row: 1, col: 0)!] = 2     // [[1,2],[2,1]] block: indefinite
        XCTAssertFalse(chol.factor())
        XCTAssertNil(SupernodalCholesky([]))
        XCTAssertNil(SupernodalCholesky(n: 3, rows: [0, 5], cols: [1, 0]), "index out of range")
        XCTAssertEqual(chol.slots(rows: [3], cols: [0]), [-1], "bulk lookup outside the pattern")
    }

    func testOrderingIsDeterministic() throws {
        // The documented rule — minimum degree, ties broken by the lower original index, then the
        // elimination tree in postorder — worked by hand on the path 3 – 0 – 4 – 1 – 2:
        // degrees 2,2,1,1,2 → 2 (tie with 3, lower index); then 1 (degree 1, tie with 3); then 3
        // (tie with 4); 0 and 4 are the final clique. Elimination order 2,1,3,0,4; the tree has
        // 4 as root with children 1 (← 2) and 0 (← 3), so the postorder is 2,1,3,0,4.
        // A higher-index tie-break would start with 3, a plain index order would start with 0.
        let path = try XCTUnwrap(SupernodalCholesky([[3, 4], [4, 2], [], [], []]))
        XCTAssertEqual(path.permutation, [2, 1, 3, 0, 4])
        XCTAssertEqual(path.inversePermutation, [3, 1, 0, 2, 4])
        // No edges: every degree is 0, so the order is the index order.
        XCTAssertEqual(try XCTUnwrap(SupernodalCholesky([[], [], [], []])).permutation, [0, 1, 2, 3])
        // The same pattern given in another entry order gives the same ordering.
        let (_, pattern) = crossedMatrix(n: 120, groups: 150, perGroup: 5, seed: 7)
        let a = try XCTUnwrap(SupernodalCholesky(pattern))
        let b = try XCTUnwrap(SupernodalCholesky(pattern.map { Array($0.reversed()) }))
        XCTAssertEqual(a.permutation, b.permutation)
    }

    /// Writes the lower triangle of dense S into the factor's slots.
    private func load(_ s: Matrix<Double>, into chol: SupernodalCholesky) {
        chol.clear()
        for j in 0..<s.cols { for i in j..<s.rows where s[i, j] != 0 { chol.values[chol.slot(row: i, col: j)!] = s[i, j] } }
    }

    func testFactorSolvingRightMatchesFactorThenSolveOnOneOrTwoThreads() throws {
        // Large enough for a tail of several 96-column blocks.
        let (s, pattern) = crossedMatrix(n: 600, groups: 900, perGroup: 9, seed: 11)
        let chol = try XCTUnwrap(SupernodalCholesky(pattern))
        XCTAssertGreaterThan(chol.tailWidth, 200, "the blocked tail path is exercised")
        var rng = SeededGenerator(seed: 5)
        let r = 7
        let b = (0..<(r * chol.n)).map { _ in Double.random(in: -1...1, using: &rng) }
        // Reference: one call each, LAPACK's potrf on the tail.
        load(s, into: chol)
        XCTAssertTrue(chol.factor())
        let logDet = chol.logDeterminant
        var reference = b
        chol.solveRightTransposed(&reference, rows: r)
        // Combined, with and without the worker: the same numbers bit for bit (the split is fixed).
        let worker = try XCTUnwrap(PairedWorker(), "the test machine has two cores")
        var results: [[Double]] = []
        for w in [worker, nil] {
            load(s, into: chol)
            var x = b
            XCTAssertTrue(chol.factor(solvingRight: &x, rows: r, worker: w))
            XCTAssertEqual(chol.logDeterminant, logDet, accuracy: 1e-11 * abs(logDet))
            for k in x.indices { XCTAssertEqual(x[k], reference[k], accuracy: 1e-10 * max(1, abs(reference[k]))) }
            results.append(x)
        }
        XCTAssertEqual(results[0], results[1], "two threads and one compute the same numbers")
    }

    func testFactorSolvingRightReportsIndefiniteWithoutHanging() throws {
        let (s0, pattern) = crossedMatrix(n: 300, groups: 400, perGroup: 6, seed: 2)
        let chol = try XCTUnwrap(SupernodalCholesky(pattern))
        let worker = PairedWorker()
        // A negative pivot early (a leading column) and one in the tail.
        for (position, label) in [(chol.permutation[0], "leading"), (chol.permutation[chol.n - 1], "tail")] {
            var s = s0
            s[position, position] = -1
            load(s, into: chol)
            let b = [Double](repeating: 1, count: 4 * chol.n)
            var x = b
            XCTAssertFalse(chol.factor(solvingRight: &x, rows: 4, worker: worker), label)
            XCTAssertEqual(x, b, "\(label): b is left unchanged")
        }
        // The worker still serves the next factorisation.
        load(s0, into: chol)
        var x = [Double](repeating: 1, count: 4 * chol.n)
        XCTAssertTrue(chol.factor(solvingRight: &x, rows: 4, worker: worker))
    }

    func testBlockedCholeskyAndLowerProductAgreeWithLAPACK() throws {
        var rng = SeededGenerator(seed: 21)
        for n in [1, 2, 95, 97, 250] {
            let k = 40
            let a = try Matrix(rows: n, cols: k, columnMajor: (0..<(n * k)).map { _ in Double.random(in: -1...1, using: &rng) })
            var spd = try BLAS.multiply(a, a.transposed)
            for i in 0..<n { spd[i, i] += Double(n) }
            var expected = spd
            try LAPACK.choleskyInPlace(&expected, triangle: .lower)
            for worker in [PairedWorker(), nil] {
                var m = spd
                let ok = m.storage.withUnsafeMutableBufferPointer {
                    SupernodalCholesky.blockedCholesky(n: n, a: $0.baseAddress!, lda: n, worker: worker)
                }
                XCTAssertTrue(ok)
                for j in 0..<n { for i in j..<n { XCTAssertEqual(m[i, j], expected[i, j], accuracy: 1e-12 * Double(n)) } }
                // C − A·Aᵀ on the lower triangle; the upper one untouched.
                var c = spd
                a.storage.withUnsafeBufferPointer { ap in
                    c.storage.withUnsafeMutableBufferPointer { cp in
                        SupernodalCholesky.subtractLowerProduct(n: n, k: k, a: ap.baseAddress!, lda: n, c: cp.baseAddress!, ldc: n, worker: worker)
                    }
                }
                for j in 0..<n { for i in 0..<n {
                    XCTAssertEqual(c[i, j], i >= j ? Double(n) * (i == j ? 1 : 0) : spd[i, j], accuracy: 1e-11 * Double(n))
                } }
            }
        }
        var notSPD = Matrix<Double>(rows: 130, cols: 130)
        for i in 0..<130 { notSPD[i, i] = i == 120 ? -1 : 1 }
        let ok = notSPD.storage.withUnsafeMutableBufferPointer { SupernodalCholesky.blockedCholesky(n: 130, a: $0.baseAddress!, lda: 130, worker: PairedWorker()) }
        XCTAssertFalse(ok, "a negative pivot in the second block")
    }

    func testCliquePatternMatchesItsPairs() throws {
        // Cliques (like the columns of a crossed design's A₁₀), some overlapping, one singleton.
        var rng = SeededGenerator(seed: 17)
        var cliqueStart = [0], members: [Int32] = []
        for c in 0..<150 {
            let size = c == 7 ? 1 : Int.random(in: 2...7, using: &rng)
            var chosen = Set<Int32>()
            while chosen.count < size { chosen.insert(Int32.random(in: 0..<200, using: &rng)) }
            members += chosen.sorted()
            cliqueStart.append(members.count)
        }
        var rows: [Int32] = [], cols: [Int32] = []
        for c in 0..<150 {
            for k1 in cliqueStart[c]..<cliqueStart[c + 1] { for k2 in cliqueStart[c]...k1 { rows.append(members[k1]); cols.append(members[k2]) } }
        }
        let fromCliques = try XCTUnwrap(SupernodalCholesky(n: 200, cliqueStart: cliqueStart, members: members))
        let fromPairs = try XCTUnwrap(SupernodalCholesky(n: 200, rows: rows, cols: cols))
        XCTAssertEqual(fromCliques.permutation, fromPairs.permutation, "the same pattern, the same analysis")
        XCTAssertEqual(fromCliques.storedEntries, fromPairs.storedEntries)
        let slots = fromCliques.cliquePairSlots(cliqueStart: cliqueStart, members: members)
        XCTAssertEqual(slots, fromCliques.slots(rows: rows, cols: cols), "pairs in the documented order")
        XCTAssertFalse(slots.contains(-1))
        XCTAssertNil(SupernodalCholesky(n: 200, cliqueStart: [0, 3], members: [1, 2]), "bounds do not match")
        XCTAssertNil(SupernodalCholesky(n: 200, cliqueStart: [0, 2], members: [1, 200]), "index out of range")
    }
}
