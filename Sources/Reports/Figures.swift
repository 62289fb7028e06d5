import Foundation

/// Minimal, deterministic SVG figures (no external tools).
enum SVG {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    static func f(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Nice axis bounds covering `values` and 0.
    static func range(_ values: [Double]) -> (Double, Double) {
        var lo = min(0, values.min() ?? 0), hi = max(0, values.max() ?? 1)
        if hi - lo < 1e-12 { hi = lo + 1 }
        let pad = (hi - lo) * 0.08
        lo -= pad; hi += pad
        return (lo, hi)
    }
}

extension ComparisonTable {
    /// Horizontal bars of ΔLogLik per row for each model: the cross-validated mean with ±1 SE
    /// error bars, or the in-sample value per row when there is no cross-validation.
    public var deltaFigure: String {
        let items: [(String, Double, Double?)] = rows.compactMap { r in
            if let m = r.cvMean, m.isFinite { return (r.model, m, r.cvSE) }
            if let d = r.deltaPerRow, d.isFinite { return (r.model, d, nil) }
            return nil
        }
        let width = 640.0, rowH = 28.0, left = 170.0, right = 30.0, top = 40.0
        let height = top + rowH * Double(max(items.count, 1)) + 50
        let (lo, hi) = SVG.range(items.flatMap { [$0.1 - ($0.2 ?? 0), $0.1 + ($0.2 ?? 0)] })
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (width - left - right) }
        var s = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                 "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                 "<text x=\"\(SVG.f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(SVG.esc("ΔLogLik per row — \(title)"))</text>"]
        let zero = x(0)
        s.append("<line x1=\"\(SVG.f(zero))\" y1=\"\(SVG.f(top - 5))\" x2=\"\(SVG.f(zero))\" y2=\"\(SVG.f(height - 40))\" stroke=\"#888\"/>")
        for (k, item) in items.enumerated() {
            let y = top + Double(k) * rowH
            let (a, b) = (min(zero, x(item.1)), max(zero, x(item.1)))
            s.append("<text x=\"\(SVG.f(left - 8))\" y=\"\(SVG.f(y + rowH / 2 + 4))\" text-anchor=\"end\">\(SVG.esc(item.0))</text>")
            s.append("<rect x=\"\(SVG.f(a))\" y=\"\(SVG.f(y + 5))\" width=\"\(SVG.f(max(b - a, 0.5)))\" height=\"\(SVG.f(rowH - 10))\" fill=\"\(item.1 >= 0 ? "#4878a8" : "#c85a5a")\"/>")
            if let se = item.2, se.isFinite {
                let (e0, e1, yc) = (x(item.1 - se), x(item.1 + se), y + rowH / 2)
                s.append("<line x1=\"\(SVG.f(e0))\" y1=\"\(SVG.f(yc))\" x2=\"\(SVG.f(e1))\" y2=\"\(SVG.f(yc))\" stroke=\"black\"/>")
                s.append("<line x1=\"\(SVG.f(e0))\" y1=\"\(SVG.f(yc - 5))\" x2=\"\(SVG.f(e0))\" y2=\"\(SVG.f(yc + 5))\" stroke=\"black\"/>")
                s.append("<line x1=\"\(SVG.f(e1))\" y1=\"\(SVG.f(yc - 5))\" x2=\"\(SVG.f(e1))\" y2=\"\(SVG.f(yc + 5))\" stroke=\"black\"/>")
            }
        }
        let axisY = height - 40
        s.append("<line x1=\"\(SVG.f(left))\" y1=\"\(SVG.f(axisY))\" x2=\"\(SVG.f(width - right))\" y2=\"\(SVG.f(axisY))\" stroke=\"black\"/>")
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            s.append("<text x=\"\(SVG.f(x(v)))\" y=\"\(SVG.f(axisY + 16))\" text-anchor=\"middle\">\(String(format: "%.4f", v))</text>")
        }
        s.append("<text x=\"\(SVG.f((left + width - right) / 2))\" y=\"\(SVG.f(height - 6))\" text-anchor=\"middle\">nats per row (cross-validated mean ± SE where available)</text>")
        s.append("</svg>")
        return s.joined(separator: "\n") + "\n"
    }

    /// Dev perplexity (x) against ΔLogLik per row (y), one labelled point per model.
    public var perplexityFigure: String {
        let pts: [(String, Double, Double)] = rows.compactMap { r in
            guard let p = r.perplexity, p.isFinite, let d = r.cvMean ?? r.deltaPerRow, d.isFinite else { return nil }
            return (r.model, p, d)
        }
        let width = 560.0, height = 420.0, left = 70.0, bottom = 50.0, top = 40.0, right = 30.0
        var xs = pts.map(\.1), ys = pts.map(\.2)
        if xs.isEmpty { xs = [0, 1]; ys = [0, 1] }
        let xlo = xs.min()! - max(1e-9, (xs.max()! - xs.min()!) * 0.15 + 0.5), xhi = xs.max()! + max(1e-9, (xs.max()! - xs.min()!) * 0.15 + 0.5)
        let (ylo, yhi) = SVG.range(ys)
        func px(_ v: Double) -> Double { left + (v - xlo) / (xhi - xlo) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - ylo) / (yhi - ylo) * (height - bottom - top) }
        var s = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                 "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                 "<text x=\"\(SVG.f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(SVG.esc("Perplexity vs ΔLogLik — \(analysis)"))</text>",
                 "<line x1=\"\(SVG.f(left))\" y1=\"\(SVG.f(height - bottom))\" x2=\"\(SVG.f(width - right))\" y2=\"\(SVG.f(height - bottom))\" stroke=\"black\"/>",
                 "<line x1=\"\(SVG.f(left))\" y1=\"\(SVG.f(top))\" x2=\"\(SVG.f(left))\" y2=\"\(SVG.f(height - bottom))\" stroke=\"black\"/>"]
        for k in 0...4 {
            let xv = xlo + (xhi - xlo) * Double(k) / 4, yv = ylo + (yhi - ylo) * Double(k) / 4
            s.append("<text x=\"\(SVG.f(px(xv)))\" y=\"\(SVG.f(height - bottom + 16))\" text-anchor=\"middle\">\(String(format: "%.1f", xv))</text>")
            s.append("<text x=\"\(SVG.f(left - 6))\" y=\"\(SVG.f(py(yv) + 4))\" text-anchor=\"end\">\(String(format: "%.4f", yv))</text>")
        }
        for p in pts {
            s.append("<circle cx=\"\(SVG.f(px(p.1)))\" cy=\"\(SVG.f(py(p.2)))\" r=\"5\" fill=\"#4878a8\"/>")
            s.append("<text x=\"\(SVG.f(px(p.1) + 8))\" y=\"\(SVG.f(py(p.2) - 6))\">\(SVG.esc(p.0))</text>")
        }
        s.append("<text x=\"\(SVG.f((left + width - right) / 2))\" y=\"\(SVG.f(height - 10))\" text-anchor=\"middle\">dev perplexity per token (base e)</text>")
        s.append("<text x=\"16\" y=\"\(SVG.f((top + height - bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(SVG.f((top + height - bottom) / 2)))\">ΔLogLik per row (nats)</text>")
        s.append("</svg>")
        return s.joined(separator: "\n") + "\n"
    }
}
