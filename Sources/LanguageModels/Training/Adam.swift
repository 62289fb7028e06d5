import Foundation

/// Adam (Kingma & Ba 2015) over the model's flat parameter vector θ with gradient g:
///   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,
///   θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)       (t = 1, 2, … is the update count).
final class Adam {
    let m: Buffer<Float>
    let v: Buffer<Float>
    let beta1: Float, beta2: Float, epsilon: Float

    init(count: Int, beta1: Double, beta2: Double, epsilon: Double) {
        m = Buffer(count: count); v = Buffer(count: count)
        self.beta1 = Float(beta1); self.beta2 = Float(beta2); self.epsilon = Float(epsilon)
    }

    /// Applies update number `t` (1-based) with step size `rate`.
    func update(_ params: Buffer<Float>, _ grads: Buffer<Float>, t: Int, rate: Double) {
        let c1 = Float(1 - pow(Double(beta1), Double(t))), c2 = Float(1 - pow(Double(beta2), Double(t)))
        let lr = Float(rate), b1 = beta1, b2 = beta2, eps = epsilon
        let p = params.p, g = grads.p, mp = m.p, vp = v.p
        for i in 0..<params.count {
            let gi = g[i]
            let mi = b1 * mp[i] + (1 - b1) * gi
            let vi = b2 * vp[i] + (1 - b2) * gi * gi
            mp[i] = mi; vp[i] = vi
            p[i] -= lr * (mi / c1) / ((vi / c2).squareRoot() + eps)
        }
    }
}

/// Scales the gradient to L2 norm `maxNorm` if it is longer (global-norm clipping, Pascanu et
/// al. 2013); returns the norm before clipping.
@discardableResult
func clipGradient(_ grads: Buffer<Float>, maxNorm: Double) -> Double {
    var s = 0.0
    for i in 0..<grads.count { let g = Double(grads.p[i]); s += g * g }
    let norm = s.squareRoot()
    if maxNorm > 0, norm > maxNorm {
        let f = Float(maxNorm / norm)
        for i in 0..<grads.count { grads.p[i] *= f }
    }
    return norm
}
