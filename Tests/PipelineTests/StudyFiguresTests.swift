import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Reports
import Statistics

/// The study figures of issue 15: well-formed SVG, a log₁₀ x axis, error bars to scale, labels with units, determinism.
final class StudyFiguresTests: XCTestCase {
    private let sizes = [500.0, 2_000, 20_000]

    private func bySize() -> PerplexityBySizeFigure {
        PerplexityBySizeFigure(analysis: "zouhar2022", evaluationText: "dev", series: [
            FigureSeries(name: "none", points: zip(sizes, [210.0, 150, 118]).map { SeedMeanPoint(x: $0, mean: $1, standardError: 2, seeds: 3) }),
            FigureSeries(name: "late concat", points: zip(sizes, [205.0, 144, 112]).map { SeedMeanPoint(x: $0, mean: $1, standardError: 4, seeds: 3) }),
        ])
    }

    /// The `text` elements of an SVG as (x, y, content).
    private func texts(_ svg: String) -> [(x: Double, y: Double, text: String)] {
        svg.split(separator: "\n").compactMap { line -> (Double, Double, String)? in
            guard line.hasPrefix("<text x=\""), let close = line.range(of: ">"), let end = line.range(of: "</text>") else { return nil }
            let attrs = line[..<close.lowerBound]
            func attr(_ name: String) -> Double? {
                guard let r = attrs.range(of: " \(name)=\"") else { return nil }
                return Double(attrs[r.upperBound...].prefix { $0 != "\"" })
            }
            guard let x = attr("x"), let y = attr("y") else { return nil }
            return (x, y, String(line[close.upperBound..<end.lowerBound]))
        }
    }

    private func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), file: file, line: line)
        XCTAssertTrue(svg.hasSuffix("</svg>\n"), file: file, line: line)
    }

    func testPerplexityBySizeHasLogAxisErrorBarsAndUnits() throws {
        let svg = StudyFigures.perplexityBySize(bySize())
        assertWellFormed(svg)
        let labels = texts(svg)
        func tickX(_ label: String) throws -> Double { try XCTUnwrap(labels.first { $0.text == label }?.x, "no tick \(label)") }
        // Ticks at 1, 2, 5 × 10^k within 500…20 000; on a log axis ×10 is the same distance everywhere,
        // and 1 000 → 2 000 spans log10(2)/log10(10) of a decade.
        let decade = try tickX("10\u{2009}000") - tickX("1000")
        XCTAssertGreaterThan(decade, 0)
        XCTAssertEqual(try tickX("5000") - tickX("500"), decade, accuracy: 0.02)
        XCTAssertEqual(try tickX("2000") - tickX("1000"), decade * log10(2), accuracy: 0.02)
        XCTAssertEqual(try tickX("20\u{2009}000") - tickX("2000"), decade, accuracy: 0.02)
        // Axis labels state units and base.
        XCTAssertTrue(labels.contains { $0.text == "training sentences (log₁₀ scale)" })
        XCTAssertTrue(labels.contains { $0.text == "perplexity per token, exp(mean nats per token) (base e)" })
        XCTAssertTrue(labels.contains { $0.text.contains("±1 SE over 3 seeds") })
        // One polyline per series, legend entries in order.
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertLessThan(try XCTUnwrap(svg.range(of: ">none</text>")).lowerBound, try XCTUnwrap(svg.range(of: ">late concat</text>")).lowerBound)
        // Error bars to scale: vertical bars of "late concat" (SE 4) are twice as long as those of "none" (SE 2).
        func barLengths(_ colour: String) -> [Double] {
            svg.split(separator: "\n").filter { $0.hasPrefix("<line") && $0.contains("stroke=\"\(colour)\"") }.compactMap { line in
                let v = ["x1", "y1", "x2", "y2"].map { name -> Double in
                    let r = line.range(of: " \(name)=\"")!
                    return Double(line[r.upperBound...].prefix { $0 != "\"" })!
                }
                return v[0] == v[2] ? abs(v[3] - v[1]) : nil
            }
        }
        let none = barLengths(SVGAxis.colour(0)), concat = barLengths(SVGAxis.colour(1))
        XCTAssertEqual(none.count, 3)
        XCTAssertEqual(concat.count, 3)
        XCTAssertEqual(concat[0], 2 * none[0], accuracy: 0.02)
        // Deterministic byte for byte.
        XCTAssertEqual(StudyFigures.perplexityBySize(bySize()), svg)
    }

    func testUndrawablePointsAreCountedNotHidden() {
        let figure = PerplexityBySizeFigure(analysis: "a", evaluationText: "transfer: bible-kjv", series: [
            FigureSeries(name: "none", points: [SeedMeanPoint(x: 1000, mean: 300, standardError: nil, seeds: 1),
                                                SeedMeanPoint(x: 0, mean: 280, standardError: nil, seeds: 1),
                                                SeedMeanPoint(x: 4000, mean: .nan, standardError: nil, seeds: 1)]),
        ])
        let svg = StudyFigures.perplexityBySize(figure)
        assertWellFormed(svg)
        XCTAssertTrue(svg.contains("2 not drawn"))
        XCTAssertTrue(svg.contains("Perplexity on transfer: bible-kjv"))
        XCTAssertFalse(svg.contains("nan"))
    }

    func testScatterPointsLabelsAndZeroLine() {
        let points = [
            ModelPoint(model: "none/5000/s1", group: "none", perplexity: 120.5, value: 0.0123),
            ModelPoint(model: "concat/5000/s1", group: "late concat", perplexity: 112.25, value: 0.0151),
            ModelPoint(model: "h0/5000/s1", group: "early h0", perplexity: 131, value: -0.002),
            ModelPoint(model: "<bad>", group: "none", perplexity: .infinity, value: 0.01),
        ]
        let delta = StudyFigures.perplexityScatter(PerplexityScatterFigure(analysis: "zouhar2022", evaluationText: "dev", measure: .deltaLogLik, points: points))
        assertWellFormed(delta)
        XCTAssertEqual(delta.components(separatedBy: "<circle").count - 1, 3)
        XCTAssertTrue(delta.contains(">ΔLogLik per row (nats, natural log)</text>"))
        XCTAssertTrue(delta.contains(">dev perplexity per token, exp(mean nats per token) (base e)</text>"))
        XCTAssertTrue(delta.contains("1 not drawn"))
        XCTAssertTrue(delta.contains("stroke=\"#888\""), "a ΔLogLik axis that crosses 0 gets a zero line")
        XCTAssertTrue(delta.contains("<title>none/5000/s1</title>"))
        XCTAssertTrue(delta.contains(">0.000</text>"), "the tick at zero reads 0, not -0")
        XCTAssertFalse(delta.contains(">-0.000</text>"))
        let r = StudyFigures.perplexityScatter(PerplexityScatterFigure(analysis: "zouhar2022", evaluationText: "dev", measure: .pearsonR,
                                                                       points: points.map { ModelPoint(model: $0.model, group: $0.group, perplexity: $0.perplexity, value: 0.3 + $0.value) }))
        assertWellFormed(r)
        XCTAssertTrue(r.contains(">Pearson r, surprisal vs mean reading time (unitless)</text>"))
        XCTAssertFalse(r.contains("stroke=\"#888\""), "r around 0.3: no zero line")
    }

    /// The cells' "2^nats (paper)" column is 2^(nats per token): a base-e perplexity of e⁴ ≈ 54.60
    /// (4 nats per token) is 2⁴ = 16.00 in the paper's unit.
    func testPaperUnitIsTwoToTheMeanNats() throws {
        let dev = try SeedSummary.meanWithError([exp(4.0) - 1, exp(4.0) + 1])
        let cell = StudyTable.CellRow(cell: "none/500", fusion: "none", context: "", trainSentences: 500, seeds: 2,
                                      perplexities: ["dev": dev], pearsonR: nil, deltaInSample: nil, deltaCV: nil)
        let table = StudyTable(analysis: "a", regression: "ols", evaluationTexts: [], cells: [cell], pairs: [], models: [])
        let row = try XCTUnwrap(table.cellCells.first)
        XCTAssertEqual(row[4], "54.60 ± 1.00")
        XCTAssertEqual(row[5], "16.00")
    }
}
