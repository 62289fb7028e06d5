import Foundation

/// Axis scales, tick positions and the colour palette shared by the study figures.
enum SVGAxis {
    /// Colours of the series, in order (cycled when there are more series).
    static let palette = ["#4878a8", "#c85a5a", "#6aa84f", "#e69138", "#8e7cc3", "#17becf", "#8c564b", "#333333", "#e377c2", "#bcbd22"]

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// A linear axis covering `values` with 8 % padding, and ticks at 1, 2 or 5 × 10^k steps
    /// (about five of them), with the number of decimals the step needs.
    static func linear(_ values: [Double], includeZero: Bool = false) -> (lo: Double, hi: Double, ticks: [Double], decimals: Int) {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 { let m = max(abs(lo) * 0.05, 0.5); lo -= m; hi += m }
        let pad = (hi - lo) * 0.08
        lo -= pad; hi += pad
        let raw = (hi - lo) / 5, magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + step * 1e-9 { ticks.append(k * step + 0); k += 1 }   // + 0 turns −0 into 0
        return (lo, hi, ticks, max(0, -Int(log10(step).rounded(.down))))
    }

    /// A base-10 logarithmic axis covering positive `values`: bounds in log10 units, ticks at
    /// 1, 2, 5 × 10^k (only at powers of ten when the data span more than three decades).
    static func log10Axis(_ values: [Double]) -> (lo: Double, hi: Double, ticks: [Double]) {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map { log10($0) }
        var lo = logs.min() ?? 0, hi = logs.max() ?? 1
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let pad = max((hi - lo) * 0.08, 0.1)
        lo -= pad; hi += pad
        let mantissas: [Double] = hi - lo > 3 ? [1] : [1, 2, 5]
        var ticks: [Double] = []
        for e in Int(lo.rounded(.down))...Int(hi.rounded(.up)) {
            for m in mantissas {
                let v = m * pow(10, Double(e))
                if log10(v) >= lo - 1e-12, log10(v) <= hi + 1e-12 { ticks.append(v) }
            }
        }
        return (lo, hi, ticks)
    }

    /// A tick label: whole numbers without decimals and with thousands separated by a thin space
    /// (e.g. "20 000"), others with `decimals` places.
    static func label(_ v: Double, decimals: Int = 0) -> String {
        if decimals > 0 { return String(format: "%.\(decimals)f", v) }
        let digits = String(format: "%.0f", abs(v))
        var grouped = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0, digits.count > 4 { grouped.append("\u{2009}") }
            grouped.append(ch)
        }
        return (v < 0 && digits != "0" ? "-" : "") + grouped
    }
}
