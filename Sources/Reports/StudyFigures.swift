import Foundation

/// The mean over seeds of one quantity at one x value (e.g. dev perplexity at 5 000 training sentences).
public struct SeedMeanPoint: Equatable, Sendable {
    public let x: Double
    public let mean: Double
    /// Standard error over seeds; nil or NaN draws no error bar (e.g. a single seed).
    public let standardError: Double?
    /// How many seeds the mean rests on.
    public let seeds: Int

    public init(x: Double, mean: Double, standardError: Double?, seeds: Int) {
        self.x = x; self.mean = mean; self.standardError = standardError; self.seeds = seeds
    }
}

/// One line of a figure: a fusion mode (or the baseline) across training sizes.
public struct FigureSeries: Equatable, Sendable {
    public let name: String
    public let points: [SeedMeanPoint]

    public init(name: String, points: [SeedMeanPoint]) { self.name = name; self.points = points }
}

/// Perplexity on one evaluation text against training-set size, one series per fusion mode.
public struct PerplexityBySizeFigure: Equatable, Sendable {
    /// The analysis name, shown in the title.
    public let analysis: String
    /// The text perplexity was measured on, e.g. "dev" or "transfer: bible-kjv".
    public let evaluationText: String
    public let series: [FigureSeries]

    public init(analysis: String, evaluationText: String, series: [FigureSeries]) {
        self.analysis = analysis; self.evaluationText = evaluationText; self.series = series
    }
}

/// What the y axis of a perplexity scatter shows.
public enum ScatterMeasure: String, Sendable {
    /// ΔLogLik per row of the regression with surprisal over the one without, in nats.
    case deltaLogLik
    /// Pearson's r between surprisal and mean reading time.
    case pearsonR

    /// The axis label, with units and base.
    var axisLabel: String {
        switch self {
        case .deltaLogLik: return "ΔLogLik per row (nats, natural log)"
        case .pearsonR: return "Pearson r, surprisal vs mean reading time (unitless)"
        }
    }

    var title: String {
        switch self {
        case .deltaLogLik: return "ΔLogLik vs perplexity"
        case .pearsonR: return "Pearson r vs perplexity"
        }
    }
}

/// One trained model (one seed of one cell) as a point.
public struct ModelPoint: Equatable, Sendable {
    /// The model's name, e.g. "concat/5000/s2" (shown as the point's tooltip).
    public let model: String
    /// The series it belongs to (its fusion mode), which sets its colour.
    public let group: String
    public let perplexity: Double
    public let value: Double

    public init(model: String, group: String, perplexity: Double, value: Double) {
        self.model = model; self.group = group; self.perplexity = perplexity; self.value = value
    }
}

/// ΔLogLik or Pearson r (y) against perplexity (x), each model a point.
public struct PerplexityScatterFigure: Equatable, Sendable {
    public let analysis: String
    /// The text the perplexity on the x axis was measured on, e.g. "dev".
    public let evaluationText: String
    public let measure: ScatterMeasure
    public let points: [ModelPoint]

    public init(analysis: String, evaluationText: String, measure: ScatterMeasure, points: [ModelPoint]) {
        self.analysis = analysis; self.evaluationText = evaluationText; self.measure = measure; self.points = points
    }
}

/// SVG figures of the seeded model-grid study (issue 15): pure functions from the structs above to
/// SVG text, identical byte for byte for identical input. Perplexity is per token,
/// exp(mean nats per token), i.e. base e; points that cannot be drawn (non-finite, or x ≤ 0 on
/// the log axis) are counted in a note under the figure, never dropped silently.
public enum StudyFigures {
    static let width = 760.0, height = 470.0, left = 80.0, right = 190.0, top = 50.0, bottom = 64.0

    /// Perplexity against training sentences (log₁₀ x axis), one line per series with ±1 SE error bars over seeds.
    public static func perplexityBySize(_ figure: PerplexityBySizeFigure) -> String {
        var skipped = 0
        let series: [(name: String, points: [SeedMeanPoint])] = figure.series.map { s in
            let drawable = s.points.filter { $0.x > 0 && $0.x.isFinite && $0.mean.isFinite }
            skipped += s.points.count - drawable.count
            return (s.name, drawable.sorted { $0.x < $1.x })
        }
        let all = series.flatMap(\.points)
        let xAxis = SVGAxis.log10Axis(all.map(\.x))
        let yAxis = SVGAxis.linear(all.flatMap { p -> [Double] in
            guard let se = p.standardError, se.isFinite else { return [p.mean] }
            return [p.mean - se, p.mean + se]
        })
        func px(_ v: Double) -> Double { left + (log10(v) - xAxis.lo) / (xAxis.hi - xAxis.lo) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - yAxis.lo) / (yAxis.hi - yAxis.lo) * (height - bottom - top) }

        var s = header(title: "Perplexity on \(figure.evaluationText) vs training size — \(figure.analysis)")
        s += frame()
        for v in xAxis.ticks {
            s.append(line(px(v), height - bottom, px(v), height - bottom + 5, "black"))
            s.append(text(px(v), height - bottom + 18, SVGAxis.label(v), anchor: "middle"))
        }
        for v in yAxis.ticks { s += yTick(py(v), SVGAxis.label(v, decimals: yAxis.decimals)) }
        for (k, entry) in series.enumerated() {
            let colour = SVGAxis.colour(k)
            if entry.points.count > 1 {
                let path = entry.points.map { "\(SVG.f(px($0.x))),\(SVG.f(py($0.mean)))" }.joined(separator: " ")
                s.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>")
            }
            for p in entry.points {
                let (cx, cy) = (px(p.x), py(p.mean))
                if let se = p.standardError, se.isFinite, se > 0 {
                    let (y0, y1) = (py(p.mean - se), py(p.mean + se))
                    s.append(line(cx, y0, cx, y1, colour))
                    s.append(line(cx - 4, y0, cx + 4, y0, colour))
                    s.append(line(cx - 4, y1, cx + 4, y1, colour))
                }
                s.append("<circle cx=\"\(SVG.f(cx))\" cy=\"\(SVG.f(cy))\" r=\"3.5\" fill=\"\(colour)\"><title>\(SVG.esc("\(entry.name), \(SVGAxis.label(p.x)) sentences: \(String(format: "%.2f", p.mean)) (\(p.seeds) seeds)"))</title></circle>")
            }
        }
        s += legend(series.map(\.name))
        s.append(text((left + width - right) / 2, height - 30, "training sentences (log₁₀ scale)", anchor: "middle"))
        s += yLabel("perplexity per token, exp(mean nats per token) (base e)")
        s.append(text((left + width - right) / 2, height - 10, seedNote(all.map(\.seeds), skipped: skipped), anchor: "middle", size: 10))
        return finish(s)
    }

    /// ΔLogLik or Pearson r (y) against perplexity (x), one point per model, coloured by group.
    public static func perplexityScatter(_ figure: PerplexityScatterFigure) -> String {
        let points = figure.points.filter { $0.perplexity.isFinite && $0.value.isFinite }
        let skipped = figure.points.count - points.count
        var groups: [String] = []
        for p in points where !groups.contains(p.group) { groups.append(p.group) }
        let xAxis = SVGAxis.linear(points.map(\.perplexity))
        let yAxis = SVGAxis.linear(points.map(\.value), includeZero: figure.measure == .deltaLogLik)
        func px(_ v: Double) -> Double { left + (v - xAxis.lo) / (xAxis.hi - xAxis.lo) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - yAxis.lo) / (yAxis.hi - yAxis.lo) * (height - bottom - top) }

        var s = header(title: "\(figure.measure.title) (\(figure.evaluationText)) — \(figure.analysis)")
        s += frame()
        for v in xAxis.ticks {
            s.append(line(px(v), height - bottom, px(v), height - bottom + 5, "black"))
            s.append(text(px(v), height - bottom + 18, SVGAxis.label(v, decimals: xAxis.decimals), anchor: "middle"))
        }
        for v in yAxis.ticks { s += yTick(py(v), SVGAxis.label(v, decimals: yAxis.decimals)) }
        if yAxis.lo < 0, yAxis.hi > 0 { s.append(line(left, py(0), width - right, py(0), "#888")) }
        for p in points {
            let colour = SVGAxis.colour(groups.firstIndex(of: p.group) ?? 0)
            s.append("<circle cx=\"\(SVG.f(px(p.perplexity)))\" cy=\"\(SVG.f(py(p.value)))\" r=\"4\" fill=\"\(colour)\" fill-opacity=\"0.8\"><title>\(SVG.esc(p.model))</title></circle>")
        }
        s += legend(groups)
        s.append(text((left + width - right) / 2, height - 30, "\(figure.evaluationText) perplexity per token, exp(mean nats per token) (base e)", anchor: "middle"))
        s += yLabel(figure.measure.axisLabel)
        let note = "\(points.count) models" + (skipped > 0 ? "; \(skipped) not drawn (missing values)" : "")
        s.append(text((left + width - right) / 2, height - 10, note, anchor: "middle", size: 10))
        return finish(s)
    }

    // MARK: - Pieces

    static func header(title: String) -> [String] {
        ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
         text(width / 2, 22, title, anchor: "middle", size: 14)]
    }

    static func frame() -> [String] {
        [line(left, height - bottom, width - right, height - bottom, "black"), line(left, top, left, height - bottom, "black")]
    }

    static func yTick(_ y: Double, _ label: String) -> [String] {
        [line(left - 5, y, left, y, "black"), line(left, y, width - right, y, "#eee"), text(left - 8, y + 4, label, anchor: "end")]
    }

    static func yLabel(_ label: String) -> [String] {
        let cy = (top + height - bottom) / 2
        return ["<text x=\"18\" y=\"\(SVG.f(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(SVG.f(cy)))\">\(SVG.esc(label))</text>"]
    }

    static func legend(_ names: [String]) -> [String] {
        names.enumerated().flatMap { k, name -> [String] in
            let y = top + 8 + Double(k) * 18
            return ["<rect x=\"\(SVG.f(width - right + 14))\" y=\"\(SVG.f(y - 8))\" width=\"10\" height=\"10\" fill=\"\(SVGAxis.colour(k))\"/>",
                    text(width - right + 30, y + 1, name, anchor: "start")]
        }
    }

    /// "error bars: ±1 SE over 3 seeds" (or "2–3 seeds"), plus how many points were not drawn.
    static func seedNote(_ seeds: [Int], skipped: Int) -> String {
        let (lo, hi) = (seeds.min() ?? 0, seeds.max() ?? 0)
        var note = "points: mean over seeds; error bars: ±1 SE over " + (lo == hi ? "\(lo)" : "\(lo)–\(hi)") + " seeds"
        if skipped > 0 { note += "; \(skipped) not drawn (missing values or size ≤ 0)" }
        return note
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ colour: String) -> String {
        "<line x1=\"\(SVG.f(x1))\" y1=\"\(SVG.f(y1))\" x2=\"\(SVG.f(x2))\" y2=\"\(SVG.f(y2))\" stroke=\"\(colour)\"/>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String, size: Int? = nil) -> String {
        let font = size.map { " font-size=\"\($0)\"" } ?? ""
        return "<text x=\"\(SVG.f(x))\" y=\"\(SVG.f(y))\" text-anchor=\"\(anchor)\"\(font)>\(SVG.esc(content))</text>"
    }

    static func finish(_ parts: [String]) -> String { (parts + ["</svg>"]).joined(separator: "\n") + "\n" }
}
