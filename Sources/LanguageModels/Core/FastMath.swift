/// Vectorised Float kernels (16 lanes) for the elementwise parts of the model: softmax
/// columns and the LSTM cell. They compute the same formulas as the generic scalar kernels in
/// `Kernels` (which the Double gradient checks use); the tests compare the two.
///
/// exp follows Cephes' `expf` (Moshier 1989): clamp x to [−87.34, 88.38], split
/// x = n·ln2 + r with n = round(x·log₂e) (ln 2 in two parts for accuracy), approximate e^r by a
/// degree-6 polynomial, and scale by 2ⁿ through the exponent bits. Relative error ≈ 2 ulp.
/// σ(x) = 1/(1 + e^(−x)) and tanh x = 2σ(2x) − 1 are built on it.
enum FastMath {
    typealias V = SIMD16<Float>
    static let lanes = 16

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
    /// The first n (< 16) values at p, the rest `fill`.
    @inline(__always) static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int, fill: Float = 0) -> V {
        var v = V(repeating: fill)
        for k in 0..<n { v[k] = p[k] }
        return v
    }
    @inline(__always) static func storePartial(_ v: V, _ p: UnsafeMutablePointer<Float>, _ n: Int) { for k in 0..<n { p[k] = v[k] } }

    @inline(__always) static func exp(_ x0: V) -> V {
        // Clamp with masked replacement (the stdlib's pointwiseMin/Max are not vectorised).
        var x = x0
        x.replace(with: V(repeating: -87.33654), where: x .< V(repeating: -87.33654))
        x.replace(with: V(repeating: 88.37626), where: x .> V(repeating: 88.37626))
        // n = round(x·log₂e) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
        let shifted = x * 1.442_695_04 + 12_582_912
        let fx = shifted - 12_582_912
        x = x - fx * 0.693_359_375 + fx * 2.121_944_4e-4
        let z = x * x
        var y = V(repeating: 1.987_569_15e-4)
        y = y * x + 1.398_199_95e-3
        y = y * x + 8.333_451_9e-3
        y = y * x + 4.166_579_59e-2
        y = y * x + 1.666_666_55e-1
        y = y * x + 5.000_000_12e-1
        y = y * z + x + 1
        // 2ⁿ: exponent bits (n + 127) << 23, with n = bits(shifted) − bits(1.5·2²³).
        let n = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((n &+ 127) &<< 23, to: V.self)
    }

    @inline(__always) static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }
    @inline(__always) static func tanh(_ x: V) -> V { 2 / (1 + exp(-2 * x)) - 1 }

    /// Softmax of one column in place, or only its normaliser: returns (max m, Σ e^(z−m)); with
    /// `store`, z is replaced by e^(z−m).
    static func softmaxColumn(_ z: UnsafeMutablePointer<Float>, count n: Int, store doStore: Bool) -> (Float, Float) {
        var mv = V(repeating: -.infinity)
        var i = 0
        while i + lanes <= n { let v = load(z + i); mv.replace(with: v, where: v .> mv); i += lanes }
        var m = mv.max()
        while i < n { m = Swift.max(m, z[i]); i += 1 }
        let mm = V(repeating: m)
        var sv = V(repeating: 0)
        i = 0
        while i + lanes <= n {
            let e = exp(load(z + i) - mm)
            if doStore { store(e, z + i) }
            sv += e
            i += lanes
        }
        var s = sv.sum()
        if i < n {
            let e = exp(loadPartial(z + i, n - i) - mm)
            for k in 0..<(n - i) { s += e[k] }
            if doStore { storePartial(e, z + i, n - i) }
        }
        return (m, s)
    }

    /// z ← r·z over n values.
    static func scale(_ z: UnsafeMutablePointer<Float>, count n: Int, by r: Float) {
        var i = 0
        let rv = V(repeating: r)
        while i + lanes <= n { store(load(z + i) * rv, z + i); i += lanes }
        while i < n { z[i] *= r; i += 1 }
    }

    /// `Kernels.lstmCellForward`, vectorised over the hidden units.
    static func lstmCellForward(hidden H: Int, batch B: Int, gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>) {
        for b in 0..<B {
            let g = gates + b * 4 * H
            let cp = cPrev + b * H, cc = c + b * H, tc = tanhC + b * H, hh = h + b * H
            var j = 0
            while j < H {
                let n = Swift.min(lanes, H - j)
                @inline(__always) func ld(_ p: UnsafePointer<Float>) -> V { n == lanes ? load(p) : loadPartial(p, n) }
                @inline(__always) func st(_ v: V, _ p: UnsafeMutablePointer<Float>) { if n == lanes { store(v, p) } else { storePartial(v, p, n) } }
                let i = sigmoid(ld(g + j) + ld(bias + j))
                let f = sigmoid(ld(g + H + j) + ld(bias + H + j))
                let gg = tanh(ld(g + 2 * H + j) + ld(bias + 2 * H + j))
                let o = sigmoid(ld(g + 3 * H + j) + ld(bias + 3 * H + j))
                st(i, g + j); st(f, g + H + j); st(gg, g + 2 * H + j); st(o, g + 3 * H + j)
                let cv = f * ld(cp + j) + i * gg
                let t = tanh(cv)
                st(cv, cc + j); st(t, tc + j); st(o * t, hh + j)
                j += lanes
            }
        }
    }

    /// `Kernels.lstmCellBackward`, vectorised over the hidden units.
    static func lstmCellBackward(hidden H: Int, batch B: Int, gates: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                 cPrev: UnsafePointer<Float>, dh: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                                 dcNext: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>) {
        for b in 0..<B {
            let g = gates + b * 4 * H, dg = dGates + b * 4 * H
            let tc = tanhC + b * H, cp = cPrev + b * H, dha = dh + b * H, dhn = dhNext + b * H, dcn = dcNext + b * H
            var j = 0
            while j < H {
                let n = Swift.min(lanes, H - j)
                @inline(__always) func ld(_ p: UnsafePointer<Float>) -> V { n == lanes ? load(p) : loadPartial(p, n) }
                @inline(__always) func st(_ v: V, _ p: UnsafeMutablePointer<Float>) { if n == lanes { store(v, p) } else { storePartial(v, p, n) } }
                let i = ld(g + j), f = ld(g + H + j), gg = ld(g + 2 * H + j), o = ld(g + 3 * H + j), t = ld(tc + j)
                let dhv = ld(dha + j) + ld(dhn + j)
                let dov = dhv * t
                let dcv = ld(dcn + j) + dhv * o * (1 - t * t)
                st(dcv * gg * i * (1 - i), dg + j)
                st(dcv * ld(cp + j) * f * (1 - f), dg + H + j)
                st(dcv * i * (1 - gg * gg), dg + 2 * H + j)
                st(dov * o * (1 - o), dg + 3 * H + j)
                st(dcv * f, dcn + j)
                j += lanes
            }
        }
    }
}
