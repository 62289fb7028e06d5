import Corpora
import LanguageModels
import XCTest
@testable import Pipeline

/// Issue 13, item 1: every value of an analysis file is parsed by its domain's own parser, so
/// what the domain accepts the file accepts (and nothing the domain rejects passes validation).
final class TypedSpecTests: XCTestCase {
    /// An analysis file whose `[corpus]` table is `corpus` and whose `[[model]]` has `model`.
    func file(corpus: String, model: String = "") -> String {
        """
        [analysis]
        name = "t"

        [corpus]
        \(corpus)

        [[model]]
        name = "m"
        \(model)

        [[regression]]
        name = "r"
        baseline = "y ~ 1"
        """
    }

    /// The problems of `text` (none when it parses).
    func problems(_ text: String) -> [AnalysisProblem] {
        do { _ = try AnalysisSpec.parse(text, file: "t.toml"); return [] } catch let e as AnalysisFileError { return e.problems } catch {
            XCTFail("\(error)"); return []
        }
    }

    func testTableFormatFailsAtValidation() {
        let p = problems(file(corpus: "format = \"table\"\npath = \"x.tsv\"\nmeasure = \"rt\""))
        XCTAssertTrue(p.contains { $0.line == 5 && $0.message.contains("format = \"table\"") && $0.message.contains("generic") }, "\(p)")
    }

    func testEveryCorpusFormatOfCorporaIsAccepted() throws {
        for format in CorpusFormat.allCases {
            let mapping = format == .generic ? "columns = \"subject=s,text=t,position=p,word=w,rt=RT\"\n"
                : format == .fixations ? "columns = \"subject=s,text=t,position=p,duration=d\"\n" : ""
            let measure = format == .fixations ? "gaze_duration" : "rt"
            let s = try AnalysisSpec.parse(file(corpus: "format = \"\(format.rawValue)\"\npath = \"c\"\nmeasure = \"\(measure)\"\n\(mapping)"))
            XCTAssertEqual(s.corpus.source, .format(format))
        }
        XCTAssertEqual(try AnalysisSpec.parse(file(corpus: "format = \"ucl-et\"\npath = \"c\"\nmeasure = \"gaze_duration\"")).corpus.source, .format(.uclEye))
    }

    func testEveryFusionModeAndEmbeddingSourceIsAccepted() throws {
        for fusion in FusionMode.allCases {
            let s = try AnalysisSpec.parse(file(corpus: "format = \"simulated\"\nmeasure = \"rt\"", model: "fusion = \"\(fusion.rawValue)\"\ncontext = \"previous_sentence\""))
            XCTAssertEqual(s.models[0].fusion, fusion)
            XCTAssertEqual(s.models[0].context, .previousSentence)
        }
        let p = problems(file(corpus: "format = \"simulated\"\nmeasure = \"rt\"", model: "fusion = \"late_concatt\"\ncontext = \"stride:0\""))
        XCTAssertTrue(p.contains { $0.line == 10 && $0.message.contains("did you mean 'late_concat'") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 11 && $0.message.contains("stride:0") }, "\(p)")
    }

    func testLogZScoreRuleIsAccepted() throws {
        let s = try AnalysisSpec.parse(file(corpus: "format = \"simulated\"\nmeasure = \"rt\"\nexclude = [\"zscore:3:subject:log\"]"))
        XCTAssertEqual(s.corpus.exclude, [.zScore(limit: 3, scope: .subject, log: true)])
        let p = problems(file(corpus: "format = \"simulated\"\nmeasure = \"rt\"\nexclude = [\"zscore:3:readers\"]"))
        XCTAssertTrue(p.contains { $0.line == 7 && $0.message.contains("'readers'") }, "\(p)")
    }

    func testGenericTableOptionsReachTheReader() throws {
        let s = try AnalysisSpec.parse(file(corpus: """
            format = "generic"
            path = "data.csv"
            measure = "RT"
            columns = { subject = "WorkerId", text = "item", position = "zone", word = "word", RT = "RT" }
            position_base = 0
            where = ["lang=en", "correct=1"]
            aggregated = "n=count"
            zero_missing = ["RT"]
            """))
        var expected = LoadOptions()
        expected.columns = try GenericTableMapping.parse("subject=WorkerId,text=item,position=zone,word=word,RT=RT")
        expected.positionBase = 0
        expected.rowFilters = [RowFilter(column: "lang", value: "en"), RowFilter(column: "correct", value: "1")]
        expected.aggregatedCountColumn = "count"
        expected.zeroAsMissing = [Measure("RT")]
        XCTAssertEqual(s.corpus.load, expected)
        XCTAssertEqual(s.corpus.measure, Measure("RT"))

        let options = try AnalysisSpec.parse(file(corpus: "format = \"meco\"\npath = \"m\"\nmeasure = \"total_time\"\nlanguage = \"du\"\nnon_word = \"ends-pass\"")).corpus.load
        XCTAssertEqual(options.language, "du")
        XCTAssertEqual(options.nonWord, .endsPass)
        XCTAssertEqual(try AnalysisSpec.parse(file(corpus: "format = \"naturalstories\"\npath = \"n\"\nmeasure = \"rt\"\nzones = \"official\"")).corpus.load.zones, .official)
    }

    func testTableOptionsAreCheckedAgainstTheFormat() {
        // Table options on a fixed format, a generic table without a mapping, a measure the
        // mapping does not give, a bad option value: each at its own line.
        var p = problems(file(corpus: "format = \"dundee\"\npath = \"d\"\nmeasure = \"gaze_duration\"\nposition_base = 0"))
        XCTAssertTrue(p.contains { $0.line == 5 && $0.message.contains("generic and fixations formats") }, "\(p)")
        p = problems(file(corpus: "format = \"generic\"\npath = \"g\"\nmeasure = \"rt\""))
        XCTAssertTrue(p.contains { $0.line == 5 && $0.message.contains("column mapping") }, "\(p)")
        p = problems(file(corpus: "format = \"generic\"\npath = \"g\"\nmeasure = \"gaze_duration\"\ncolumns = \"position=p,rt=RT\""))
        XCTAssertTrue(p.contains { $0.line == 7 && $0.message.contains("gaze_duration") && $0.message.contains("rt") }, "\(p)")
        p = problems(file(corpus: "format = \"generic\"\npath = \"g\"\nmeasure = \"rt\"\ncolumns = \"position=p,rt=RT\"\nposition_base = 2\nwhere = [\"nonsense\"]"))
        XCTAssertTrue(p.contains { $0.line == 9 && $0.message.contains("position_base") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 10 && $0.message.contains("COLUMN=VALUE") }, "\(p)")
    }

    func testLocationsCoverEveryKey() throws {
        let s = try AnalysisSpec.parse(file(corpus: "format = \"simulated\"\nmeasure = \"rt\"\naggregate = \"none\""))
        XCTAssertEqual(s.locations.position("corpus.aggregate").line, 7)
        XCTAssertEqual(s.locations.position("model.0.name").line, 10)
        XCTAssertEqual(s.locations.position("regression.0.baseline").line, 15)
    }
}
