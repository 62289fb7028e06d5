import Numerics

/// The LSTM cell's SIMD kernels, on `FastMath`'s 16-lane vectors: `Kernels.lstmCellForward` and
/// `Kernels.lstmCellBackward`, vectorised over the hidden units (release builds use them for
/// `Float`; `FastMathTests` checks them against the scalar kernels).
extension FastMath {
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
