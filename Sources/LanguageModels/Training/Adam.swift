import Dispatch
import Foundation
import Numerics

/// Adam (Kingma & Ba 2015) over the model's flat parameter vector θ with gradient g:
///   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,
///   θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)       (t = 1, 2, … is the update count).
final class Adam {
    let m: ScalarBuffer<Float>
    let v: ScalarBuffer<Float>
    let beta1: Float, beta2: Float, epsilon: Float

    init(count: Int, beta1: Double, beta2: Double, epsilon: Double) {
        m = ScalarBuffer(count: count); v = ScalarBuffer(count: count)
        self.beta1 = Float(beta1); self.beta2 = Float(beta2); self.epsilon = Float(epsilon)
    }

    /// Applies update number `t` (1-based) with step size `rate`. Vectorised (16 lanes) and split
    /// over `BLASRuntime.threads` threads; every element is updated independently, so the result
    /// does not depend on the split.
    func update(_ params: ScalarBuffer<Float>, _ grads: ScalarBuffer<Float>, t: Int, rate: Double) {
        let c1 = Float(1 - pow(Double(beta1), Double(t))), c2 = Float(1 - pow(Double(beta2), Double(t)))
        let lr = Float(rate), b1 = beta1, b2 = beta2, eps = epsilon
        // The parts update disjoint chunks (nonisolated(unsafe): shared on purpose).
        nonisolated(unsafe) let p = params.p, g = grads.p, mp = m.p, vp = v.p
        let n = params.count
        let parts = n >= 1 << 18 ? max(1, BLASRuntime.threads) : 1
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            // Chunk boundaries on multiples of 16, so every lane sees the same arithmetic.
            let lo = (n * part / parts) & ~15, hi = part == parts - 1 ? n : (n * (part + 1) / parts) & ~15
            typealias V = SIMD16<Float>
            var i = lo
            let vb1 = V(repeating: b1), vb2 = V(repeating: b2), vc1 = V(repeating: 1 / c1), vc2 = V(repeating: 1 / c2)
            let vlr = V(repeating: lr), veps = V(repeating: eps)
            while i + 16 <= hi {
                let gi = FastMath.load(g + i)
                let mi = vb1 * FastMath.load(mp + i) + (1 - vb1) * gi
                let vi = vb2 * FastMath.load(vp + i) + (1 - vb2) * gi * gi
                FastMath.store(mi, mp + i); FastMath.store(vi, vp + i)
                FastMath.store(FastMath.load(p + i) - vlr * (mi * vc1) / ((vi * vc2).squareRoot() + veps), p + i)
                i += 16
            }
            while i < hi {
                let gi = g[i]
                let mi = b1 * mp[i] + (1 - b1) * gi
                let vi = b2 * vp[i] + (1 - b2) * gi * gi
                mp[i] = mi; vp[i] = vi
                p[i] -= lr * (mi * (1 / c1)) / ((vi * (1 / c2)).squareRoot() + eps)
                i += 1
            }
        }
    }
}

/// Scales the gradient to L2 norm `maxNorm` if it is longer (global-norm clipping, Pascanu et
/// al. 2013); returns the norm before clipping. Squares are summed in 16 Float lanes flushed into
/// a Double every 4096 elements.
@discardableResult
func clipGradient(_ grads: ScalarBuffer<Float>, maxNorm: Double) -> Double {
    let g = grads.p, n = grads.count
    var total = 0.0
    var i = 0
    while i < n {
        let end = min(n, i + 4096)
        var acc = SIMD16<Float>(repeating: 0)
        while i + 16 <= end { let v = FastMath.load(g + i); acc += v * v; i += 16 }
        var s = Double(acc.sum())
        while i < end { s += Double(g[i]) * Double(g[i]); i += 1 }
        total += s
    }
    let norm = total.squareRoot()
    if maxNorm > 0, norm > maxNorm { FastMath.scale(g, count: n, by: Float(maxNorm / norm)) }
    return norm
}
