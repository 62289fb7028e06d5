import Corpora
import XCTest
@testable import Pipeline

final class AnalysisSpecTests: XCTestCase {
    let valid = """
        [analysis]
        name = "demo"
        seed = 7

        [corpus]
        format = "naturalstories"
        path = "Corpora/naturalstories"
        measure = "rt"
        exclude = ["outside:100..3000", "zscore:3:subject"]

        [encoder]
        context = "stride:4"

        [[model]]
        name = "lstm"

        [[model]]
        name = "lstm+concat"
        fusion = "late_concat"
        steps = 500

        [[regression]]
        name = "ols"
        baseline = "rt ~ length * log_freq"
        add = ["surprisal"]
        folds = 10
        """

    func testValidFileWithDefaults() throws {
        let s = try AnalysisSpec.parse(valid)
        XCTAssertEqual(s.name, "demo")
        XCTAssertEqual(s.seed, 7)
        XCTAssertEqual(s.models.map(\.fusion), [.none, .lateConcat])
        XCTAssertEqual(s.models[1].steps, 500)
        XCTAssertEqual(s.corpus.aggregate, .mean)
        XCTAssertEqual(s.encoder.context, .stride(4))
        XCTAssertEqual(s.corpus.source, .format(.naturalStories))
        XCTAssertEqual(s.corpus.exclude, [.outside(low: 100, high: 3000), .zScore(limit: 3, scope: .subject, log: false)])
        XCTAssertEqual(s.trainingText.vocabSize, 8192)
        XCTAssertEqual(s.regressions[0].folds, 10)
    }

    func testAllProblemsAreListedWithLines() {
        let bad = """
            [analysis]
            name = "x"
            sede = 3

            [corpus]
            format = "dundy"
            path = "p"
            measure = 5
            exclude = ["outside:3000..100", "nonsense"]

            [[model]]
            name = "a"
            fusion = "late_concat"
            steps = -1

            [[model]]
            name = "a"

            [[regression]]
            name = "r"
            baseline = "rt ~ (1 | subject"
            folds = 1
            """
        XCTAssertThrowsError(try AnalysisSpec.parse(bad, file: "bad.toml")) { e in
            guard let e = e as? AnalysisFileError else { return XCTFail("\(e)") }
            let text = e.description
            let lines = e.problems.map(\.line)
            XCTAssertEqual(lines, lines.sorted())
            for (line, fragment) in [(3, "unknown key 'sede'"), (3, "did you mean 'seed'"), (6, "dundy"), (8, "measure must be a string"),
                                     (9, "outside:3000..100"), (9, "nonsense"), (14, "steps = -1"), (17, "used twice"), (21, "baseline"), (22, "folds = 1")] {
                XCTAssertTrue(e.problems.contains { $0.line == line && $0.description.contains(fragment) }, "line \(line) '\(fragment)' missing in:\n\(text)")
            }
        }
    }

    func testMissingSections() {
        XCTAssertThrowsError(try AnalysisSpec.parse("[analysis]\nname = \"x\"\n")) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("[corpus]") && text.contains("[[model]]") && text.contains("[[regression]]"), text)
        }
    }
}
