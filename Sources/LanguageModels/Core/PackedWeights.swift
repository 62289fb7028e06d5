import CLMKernels
import Foundation
import Numerics

/// A weight matrix copied into the panel layout of `CLMKernels` for products repeated with the
/// same weights at every time step: the recurrent W_h in the forward pass and W_hᵀ in the
/// backward pass (4H × H and H × 4H, times one column per sequence).
///
/// Why: OpenBLAS packs both operands of every GEMM call, so a 3072 × 32 × 768 product re-packs
/// all 9 MB of W_h for 151 MFLOP of work, 35 times per micro-batch. Packed once per `run`, the
/// AVX-512 kernel streams the panels directly (≈ 100 GFLOP/s per core on Zen 4 against ≈ 60–80
/// for OpenBLAS on this shape). Each element of the product is a sequential fused multiply-add
/// over k, so results do not depend on the batch width, the row of the sequence in the batch
/// or on how the panels are split between the two threads.
///
/// Used only where the CPU has AVX-512 (`isAvailable`); elsewhere the caller keeps BLAS.
final class PackedWeights: @unchecked Sendable {
    /// Whether the fast kernel runs on this CPU (and RTPIPE_LM_PACKED=0 does not switch it off).
    static let isAvailable: Bool = lmk_has_fast_kernel() == 1 && ProcessInfo.processInfo.environment["RTPIPE_LM_PACKED"] != "0"

    private(set) var rows = 0, depth = 0
    private var storage = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var capacity = 1

    deinit { storage.deallocate() }

    private func reserve(rows: Int, depth: Int) {
        self.rows = rows; self.depth = depth
        let n = lmk_packed_count(Int32(rows), Int32(depth))
        if n > capacity { storage.deallocate(); storage = .allocate(capacity: n); capacity = n }
    }

    /// Packs the column-major `rows × depth` matrix `a` (leading dimension `lda`).
    func pack(rows: Int, depth: Int, _ a: UnsafePointer<Float>, lda: Int) {
        reserve(rows: rows, depth: depth)
        lmk_pack(Int32(rows), Int32(depth), a, Int32(lda), storage)
    }

    /// Packs aᵀ for the column-major `depth × rows` matrix `a` (leading dimension `lda`).
    func packTransposed(of a: UnsafePointer<Float>, aRows: Int, aCols: Int, lda: Int) {
        reserve(rows: aCols, depth: aRows)
        lmk_pack_transposed(Int32(aRows), Int32(aCols), a, Int32(lda), storage)
    }

    /// C ← W·B (+ C when `accumulate`) for the packed `rows × depth` W, the column-major
    /// `depth × n` B (ldb) and `rows × n` C (ldc). With a `worker`, the second half of the
    /// panels runs on it (same numbers either way).
    func multiply(n: Int, _ b: UnsafePointer<Float>, ldb: Int, accumulate: Bool, into c: UnsafeMutablePointer<Float>, ldc: Int,
                  worker: PairedWorker?) {
        guard n > 0, rows > 0 else { return }
        let panels = Int(lmk_panel_count(Int32(rows)))
        let (m, k, acc, p) = (Int32(rows), Int32(depth), Int32(accumulate ? 1 : 0), UnsafePointer(storage))
        guard let worker, panels > 1 else {
            lmk_packed_gemm(m, Int32(n), k, p, b, Int32(ldb), acc, c, Int32(ldc), 0, Int32(panels))
            return
        }
        let half = Int32(panels / 2)
        worker.run({ lmk_packed_gemm(m, Int32(n), k, p, b, Int32(ldb), acc, c, Int32(ldc), 0, half) },
                   alongside: { lmk_packed_gemm(m, Int32(n), k, p, b, Int32(ldb), acc, c, Int32(ldc), half, Int32(panels)) })
    }
}
