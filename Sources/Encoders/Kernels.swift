import Foundation
import Numerics

/// Row-wise kernels of the forward pass on raw row-major buffers. Plain scalar loops the
/// compiler vectorises; sums use eight partial accumulators so they vectorise too.
enum Kernels {
    /// Sets each of `rows` rows of `c` (width `n`, leading dimension `ldc`) to `bias`, so a
    /// following GEMM with β = 1 adds the product: y = x·Wᵀ + b.
    static func fillRows(_ c: UnsafeMutablePointer<Float>, rows: Int, n: Int, ldc: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows { (c + r * ldc).update(from: bias, count: n) }
    }

    /// Σ p[0..<n], with eight interleaved partial sums.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0, s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var j = 0
        while j + 8 <= n {
            s0 += p[j]; s1 += p[j + 1]; s2 += p[j + 2]; s3 += p[j + 3]
            s4 += p[j + 4]; s5 += p[j + 5]; s6 += p[j + 6]; s7 += p[j + 7]
            j += 8
        }
        var s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        while j < n { s += p[j]; j += 1 }
        return s
    }

    /// Σ (p[j] − c)², with eight interleaved partial sums.
    @inline(__always)
    static func sumSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from c: Float) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0, s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var j = 0
        while j + 8 <= n {
            let d0 = p[j] - c, d1 = p[j + 1] - c, d2 = p[j + 2] - c, d3 = p[j + 3] - c
            let d4 = p[j + 4] - c, d5 = p[j + 5] - c, d6 = p[j + 6] - c, d7 = p[j + 7] - c
            s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
            s4 += d4 * d4; s5 += d5 * d5; s6 += d6 * d6; s7 += d7 * d7
            j += 8
        }
        var s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        while j < n { let d = p[j] - c; s += d * d; j += 1 }
        return s
    }

    /// LayerNorm with a residual, row by row: x ← γ ⊙ (z − μ)/√(σ² + ε) + β with z = x + r + b
    /// (r a residual row, b a bias shared by all rows), μ and σ² the mean and (biased) variance of z.
    static func addLayerNorm(_ x: UnsafeMutablePointer<Float>, residual r: UnsafePointer<Float>?, bias b: UnsafePointer<Float>? = nil,
                             rows: Int, width n: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        for row in 0..<rows {
            let xr = x + row * n
            if let r, let b {
                let rr = r + row * n
                for j in 0..<n { xr[j] += rr[j] + b[j] }
            } else if let r {
                let rr = r + row * n
                for j in 0..<n { xr[j] += rr[j] }
            }
            let mean = sum(xr, n) / Float(n)
            let inv = 1 / (sumSquaredDeviations(xr, n, from: mean) / Float(n) + epsilon).squareRoot()
            for j in 0..<n { xr[j] = (xr[j] - mean) * inv * gamma[j] + beta[j] }
        }
    }

    /// Adds the bias `b` (width `n`) to every row, then applies GELU in place:
    /// x ← z·Φ(z) = z/2·(1 + erf(z/√2)) with z = x + b — the exact-erf GELU, not the tanh approximation.
    static func biasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, width n: Int, bias b: UnsafePointer<Float>) {
        for row in 0..<rows {
            let xr = x + row * n
            for j in 0..<n {
                let v = xr[j] + b[j]
                xr[j] = 0.5 * v * (1 + FastMath.erf(v * 0.707_106_77))
            }
        }
    }

    /// Adds the bias `b` (width `n`) to every row.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, width n: Int, bias b: UnsafePointer<Float>) {
        for row in 0..<rows {
            let xr = x + row * n
            for j in 0..<n { xr[j] += b[j] }
        }
    }

    /// The tanh approximation of GELU in place: x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).
    static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + tanh(0.797_884_56 * (v + 0.044_715 * v * v * v)))
        }
    }

    /// ReLU in place.
    static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = Swift.max(x[i], 0) }
    }

    /// Softmax of each row in place: pᵢ = e^(sᵢ − max s) / Σⱼ e^(sⱼ − max s).
    static func softmaxRows(_ s: UnsafeMutablePointer<Float>, rows: Int, width n: Int, ld: Int) {
        for row in 0..<rows {
            let p = s + row * ld
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, p[j]) }
            for j in 0..<n { p[j] = FastMath.expNonPositive(p[j] - m) }
            let inv = 1 / sum(p, n)
            for j in 0..<n { p[j] *= inv }
        }
    }
}
