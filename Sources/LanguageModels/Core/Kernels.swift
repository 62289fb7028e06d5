import Dispatch
import Numerics

/// Elementwise kernels of the LSTM language model, on raw column-major buffers. The matrix
/// products around them run on BLAS (`RawBLAS`).
enum Kernels {
    /// One LSTM time step for `batch` columns (Hochreiter & Schmidhuber 1997, with a forget
    /// gate, Gers et al. 2000). On entry `gates` holds the pre-activations W_x·x_t + W_h·h_{t−1}
    /// (4H rows per column, order i, f, g, o) and `bias` the 4H biases; on exit it holds the
    /// activations i = σ(·), f = σ(·), g = tanh(·), o = σ(·). Then
    ///   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t),
    /// written to `c`, `tanhC` (tanh(c_t), kept for the backward pass) and `h` (H rows per column).
    @inline(__always)
    static func lstmCellForward<T: LMScalar>(hidden H: Int, batch B: Int, gates: UnsafeMutablePointer<T>, bias: UnsafePointer<T>,
                                             cPrev: UnsafePointer<T>, c: UnsafeMutablePointer<T>,
                                             tanhC: UnsafeMutablePointer<T>, h: UnsafeMutablePointer<T>) {
        for b in 0..<B {
            let g = gates + b * 4 * H
            let cp = cPrev + b * H, cc = c + b * H, tc = tanhC + b * H, hh = h + b * H
            for j in 0..<H {
                let i = T.lmSigmoid(g[j] + bias[j])
                let f = T.lmSigmoid(g[H + j] + bias[H + j])
                let gg = T.lmTanh(g[2 * H + j] + bias[2 * H + j])
                let o = T.lmSigmoid(g[3 * H + j] + bias[3 * H + j])
                g[j] = i; g[H + j] = f; g[2 * H + j] = gg; g[3 * H + j] = o
                let cv = f * cp[j] + i * gg
                let t = T.lmTanh(cv)
                cc[j] = cv; tc[j] = t; hh[j] = o * t
            }
        }
    }

    /// The backward pass of `lstmCellForward` for one time step. In: the activations `gates`,
    /// `tanhC`, the previous cell `cPrev`, the gradient `dh` reaching h_t from above (output or
    /// next layer) and `dhNext`/`dcNext` reaching h_t/c_t from step t+1. By the chain rule:
    ///   dh  = dh_above + dh_next,           do = dh ⊙ tanh(c_t),
    ///   dc  = dc_next + dh ⊙ o ⊙ (1 − tanh²(c_t)),
    ///   di  = dc ⊙ g,  df = dc ⊙ c_{t−1},  dg = dc ⊙ i,  dc_{t−1} = dc ⊙ f,
    /// and through the nonlinearities σ′ = σ(1 − σ), tanh′ = 1 − tanh²:
    ///   dA = [di·i(1−i); df·f(1−f); dg·(1−g²); do·o(1−o)]  → `dGates` (4H per column).
    /// `dcNext` is overwritten with dc_{t−1}; the caller forms dh_{t−1} = W_hᵀ·dA.
    @inline(__always)
    static func lstmCellBackward<T: LMScalar>(hidden H: Int, batch B: Int, gates: UnsafePointer<T>, tanhC: UnsafePointer<T>,
                                              cPrev: UnsafePointer<T>, dh: UnsafePointer<T>, dhNext: UnsafePointer<T>,
                                              dcNext: UnsafeMutablePointer<T>, dGates: UnsafeMutablePointer<T>) {
        for b in 0..<B {
            let g = gates + b * 4 * H, dg = dGates + b * 4 * H
            let tc = tanhC + b * H, cp = cPrev + b * H, dha = dh + b * H, dhn = dhNext + b * H, dcn = dcNext + b * H
            for j in 0..<H {
                let i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j], t = tc[j]
                let dhv = dha[j] + dhn[j]
                let dov = dhv * t
                let dcv = dcn[j] + dhv * o * (1 - t * t)
                dg[j] = dcv * gg * i * (1 - i)
                dg[H + j] = dcv * cp[j] * f * (1 - f)
                dg[2 * H + j] = dcv * i * (1 - gg * gg)
                dg[3 * H + j] = dov * o * (1 - o)
                dcn[j] = dcv * f
            }
        }
    }

    /// Softmax cross-entropy over `count` columns of `rows` logits (Goodfellow et al. 2016, §6.2.2):
    ///   loss_k = log Σ_v exp(z_vk) − z_{y_k,k}  (natural log; the max is subtracted first for stability).
    /// Returns Σ_k loss_k. If `gradientScale` is given, the logits are replaced by
    /// ∂(scale·Σ loss)/∂z = scale·(softmax(z) − onehot(y)). If `logProbs` is given, it receives
    /// log p(y_k) = −loss_k for each column.
    /// Large problems are split over `BLASRuntime.threads` threads by columns (each column is
    /// independent; the per-part sums are added in a fixed order, so results do not depend on timing).
    static func softmaxCrossEntropy<T: LMScalar>(rows V: Int, count K: Int, logits: UnsafeMutablePointer<T>, targets: [Int32],
                                                 gradientScale: T?, logProbs: UnsafeMutablePointer<Double>?) -> Double {
        let parts = gradientScale == nil && V * K >= 1 << 20 ? max(1, min(BLASRuntime.threads, K / 16)) : 1
        var totals = [Double](repeating: 0, count: parts)
        targets.withUnsafeBufferPointer { tp in
            totals.withUnsafeMutableBufferPointer { out in
                // The parts write disjoint columns and sums (nonisolated(unsafe): shared on purpose).
                nonisolated(unsafe) let tgt = tp.baseAddress!, sums = out.baseAddress!
                nonisolated(unsafe) let logits = logits, logProbs = logProbs
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var total = 0.0
                    for k in (part * K / parts)..<((part + 1) * K / parts) {
                        let z = logits + k * V
                        let y = Int(tgt[k])
                        let zy = z[y]
                        let (m, s) = T.softmaxColumn(z, count: V, store: gradientScale != nil)
                        let loss = Double(m + T.lmLog(s) - zy)
                        total += loss
                        logProbs?[k] = -loss
                        if let scale = gradientScale {
                            T.scale(z, count: V, by: scale / s)
                            z[y] -= scale
                        }
                    }
                    sums[part] = total
                }
            }
        }
        return totals.reduce(0, +)
    }

    /// out[i] += Σ_j a[i, j] for a `rows × cols` column-major matrix (the gradient of a bias
    /// that was broadcast over columns).
    static func addRowSums<T: LMScalar>(rows: Int, cols: Int, _ a: UnsafePointer<T>, into out: UnsafeMutablePointer<T>) {
        for j in 0..<cols {
            let col = a + j * rows
            for i in 0..<rows { out[i] += col[i] }
        }
    }

    /// out (cols × rows) ← aᵀ for a `rows × cols` column-major matrix, in 32 × 32 blocks.
    static func transpose<T: LMScalar>(rows: Int, cols: Int, _ a: UnsafePointer<T>, into out: UnsafeMutablePointer<T>) {
        let bs = 32
        for j0 in stride(from: 0, to: cols, by: bs) {
            for i0 in stride(from: 0, to: rows, by: bs) {
                for j in j0..<min(cols, j0 + bs) {
                    for i in i0..<min(rows, i0 + bs) { out[j + i * cols] = a[i + j * rows] }
                }
            }
        }
    }

    /// Sets each column of `a` (`rows × cols`) to `bias` (before a GEMM with β = 1 adds W·x).
    static func broadcastColumns<T: LMScalar>(rows: Int, cols: Int, _ bias: UnsafePointer<T>, into a: UnsafeMutablePointer<T>) {
        for j in 0..<cols { (a + j * rows).update(from: bias, count: rows) }
    }

    /// Inverted dropout (Srivastava et al. 2014): mask entries are 0 with probability `rate`
    /// and 1/(1 − rate) otherwise, so the expected activation is unchanged; `a` is multiplied
    /// by the mask in place.
    static func dropout<T: LMScalar>(_ a: UnsafeMutablePointer<T>, mask: UnsafeMutablePointer<T>, count: Int, rate: Double,
                                     rng: inout SeededGenerator) {
        let keep = T(1 / (1 - rate))
        let threshold = UInt64(rate * 0x1p53)
        for i in 0..<count {
            let m: T = (rng.next() >> 11) < threshold ? 0 : keep
            mask[i] = m
            a[i] *= m
        }
    }
}
