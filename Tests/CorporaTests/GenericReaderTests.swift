import XCTest
@testable import Corpora

/// The generic word-level and fixation-level readers, driven by a caller's column mapping.
final class GenericReaderTests: XCTestCase {
    func testMappingParsing() throws {
        let m = try GenericTableMapping.parse("subject=WorkerId, text=item,position=zone,word=word,rt=RT,log_rt=LRT")
        XCTAssertEqual(m.subject, "WorkerId"); XCTAssertEqual(m.text, "item"); XCTAssertEqual(m.position, "zone")
        XCTAssertEqual(m.measures.map(\.0), [.rt, Measure("log_rt")])
        XCTAssertEqual(try GenericTableMapping.parse(m.spelling), m)
        assertCorpusError(["needs position="]) { _ = try GenericTableMapping.parse("subject=a,rt=RT") }
        assertCorpusError(["not key=column"]) { _ = try GenericTableMapping.parse("position=zone,rt") }
        assertCorpusError(["names no measure"]) { _ = try GenericTableMapping.parse("position=zone") }
        assertCorpusError(["twice"]) { _ = try GenericTableMapping.parse("position=zone,position=p,rt=RT") }
    }

    func testWordLevelTable() throws {
        let dir = try Fixture.folder()
        let path = try Fixture.write("WorkerId\titem\tzone\tword\tRT\nA\tx\t1\tHello\t300\nA\tx\t2\tthere.\tNA\nB\tx\t1\tHello\t280\nB\ty\t1\tBye.\t310\n", "t.tsv", in: dir)
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("subject=WorkerId,text=item,position=zone,word=word,rt=RT")
        let data = try CorpusLoader.load(.generic, path: path, options: options)
        XCTAssertEqual(data.corpus.texts.map(\.content), ["Hello there.", "Bye."])
        XCTAssertEqual(value(data, .rt, subject: "A", text: "x", position: 2), .some(nil))
        XCTAssertEqual(value(data, .rt, subject: "B", text: "y", position: 1), 310)
        options.columns = try GenericTableMapping.parse("subject=Worker,position=zone,rt=RT")
        assertCorpusError(["t.tsv:1:", "missing column 'Worker'"]) { _ = try CorpusLoader.load(.generic, path: path, options: options) }
        assertCorpusError(["needs a column mapping"]) { _ = try CorpusLoader.load(.generic, path: path) }
    }

    /// Fixation-level input with a word file: the same measures as from Dundee's files.
    func testFixationTable() throws {
        let dir = try Fixture.folder()
        let words = try Fixture.write("text,pos,word\nt1,1,One\nt1,2,small\nt1,3,step.\nt2,1,Again.\n", "words.csv", in: dir)
        // Subject p1 on t1, listed out of order and sorted by the 'n' column:
        // One 200, step. 250 (small skipped), small 120 (regression), blink (empty position), step. 100.
        let fixations = """
        subj,text,pos,dur,n
        p1,t1,3,250,2
        p1,t1,1,200,1
        p1,t1,2,120,3
        p1,t1,NA,90,4
        p1,t1,3,100,5
        p1,t1,9,80,6
        p2,t2,1,300,1
        """
        let path = try Fixture.write(fixations + "\n", "fix.csv", in: dir)
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("subject=subj,text=text,position=pos,word=word,duration=dur,order=n,words=\(words)")
        let data = try CorpusLoader.load(.fixations, path: path, options: options)
        XCTAssertEqual(data.corpus.words.map(\.form), ["One", "small", "step.", "Again."])
        XCTAssertEqual(value(data, .gazeDuration, subject: "p1", text: "t1", position: 1), 200)
        XCTAssertEqual(value(data, .skip, subject: "p1", text: "t1", position: 2), 1)
        XCTAssertEqual(value(data, .totalTime, subject: "p1", text: "t1", position: 2), 120)
        XCTAssertEqual(value(data, .gazeDuration, subject: "p1", text: "t1", position: 3), 250)
        XCTAssertEqual(value(data, .goPast, subject: "p1", text: "t1", position: 3), 250 + 120 + 100)
        XCTAssertEqual(value(data, .totalTime, subject: "p1", text: "t1", position: 3), 350)
        XCTAssertEqual(data.diagnostics.warningCount("fixation on a word that does not exist (treated as a non-word event)"), 1)
        XCTAssertTrue(data.diagnostics.warnings[0].examples[0].contains("fix.csv:7"))
        XCTAssertEqual(data.measurements.count, 4)   // p1 × 3 words of t1, p2 × 1 word of t2
        // Without a word file, words come from the fixated positions (gaps counted).
        options.columns = try GenericTableMapping.parse("subject=subj,text=text,position=pos,duration=dur,order=n")
        let bare = try CorpusLoader.load(.fixations, path: path, options: options)
        XCTAssertEqual(bare.corpus.words.map(\.form), ["w1", "w2", "w3", "w9", "w1"])
        XCTAssertEqual(bare.diagnostics.warningCount("positions absent inside a text"), 1)
        // A negative duration is an error naming file, line and column.
        try Fixture.write("subj,text,pos,dur,n\np1,t1,1,-5,1\n", "fix.csv", in: dir)
        assertCorpusError(["fix.csv:2:4:", "negative"]) { _ = try CorpusLoader.load(.fixations, path: path, options: options) }
    }

    /// Derived tables: 0-based positions, a row filter, rows that are per-word means, and a
    /// measure whose 0 means missing.
    func testDerivedTableOptions() throws {
        let dir = try Fixture.folder()
        let table = """
        lang\tstory\tidx\tword\tmeanRT\tn
        en\t1\t0\tThe\t310\t40
        en\t1\t1\tdog\t0\t38
        en\t1\t2\tbarked.\t355\t40
        de\t1\t0\tDer\t300\t12
        """
        let path = try Fixture.write(table + "\n", "means.tsv", in: dir)
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("text=story,position=idx,word=word,rt=meanRT")
        options.positionBase = 0
        options.rowFilters = [try RowFilter.parse("lang=en")]
        options.aggregatedCountColumn = "n"
        options.zeroAsMissing = [.rt]
        let data = try CorpusLoader.load(.generic, path: path, options: options)
        XCTAssertEqual(data.corpus.words.map(\.form), ["The", "dog", "barked."])
        XCTAssertEqual(data.corpus.words.map(\.positionInText), [1, 2, 3])
        XCTAssertEqual(data.diagnostics.removalCount("row filter lang=en (lang is something else)"), 1)
        XCTAssertTrue(data.measurements.isAggregate)
        XCTAssertEqual(data.measurements.readers, [40, 38, 40])
        XCTAssertEqual(value(data, .rt, subject: "(mean over readers)", text: "1", position: 2), .some(nil))   // 0 read as missing
        XCTAssertTrue(data.diagnostics.notes.contains { $0.hasPrefix("1 value(s) of 0 in rt read as missing") })
        // A 1-based reading of the same file refuses position 0 with file, line and column.
        options.positionBase = 1
        assertCorpusError(["means.tsv:2:3:", "1-based position"]) { _ = try CorpusLoader.load(.generic, path: path, options: options) }
        // Unknown filter column and unknown zero-as-missing measure are errors.
        options.positionBase = 0
        options.rowFilters = [RowFilter(column: "language", value: "en")]
        assertCorpusError(["means.tsv:1:", "missing column 'language'"]) { _ = try CorpusLoader.load(.generic, path: path, options: options) }
        options.rowFilters = []
        options.zeroAsMissing = [.gazeDuration]
        assertCorpusError(["--zero-missing names 'gaze_duration'"]) { _ = try CorpusLoader.load(.generic, path: path, options: options) }
        XCTAssertThrowsError(try RowFilter.parse("lang"))
    }

    /// Texts of the word file that no fixation row mentions are reported.
    func testFixationTableReportsTextsWithoutData() throws {
        let dir = try Fixture.folder()
        let words = try Fixture.write("text,pos,word\nt1,0,One\nt1,1,step.\nt2,0,Again.\nt3,0,Never.\n", "words.csv", in: dir)
        let path = try Fixture.write("subj,text,pos,dur\np1,t1,0,200\np1,t1,1,180\n", "fix.csv", in: dir)
        var options = LoadOptions()
        options.columns = try GenericTableMapping.parse("subject=subj,text=text,position=pos,word=word,duration=dur,words=\(words)")
        options.positionBase = 0
        let data = try CorpusLoader.load(.fixations, path: path, options: options)
        XCTAssertEqual(value(data, .gazeDuration, subject: "p1", text: "t1", position: 2), 180)
        XCTAssertEqual(data.diagnostics.warningCount("text with no fixation data (no reader has rows for it; it has no measurements)"), 2)
    }
}
