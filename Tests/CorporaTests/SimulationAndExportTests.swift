import XCTest
@testable import Corpora

/// Simulated corpora read back through the same readers; the export's columns.
final class SimulationAndExportTests: XCTestCase {
    func testSimulatedNaturalStoriesReadsBackAndMatchesItsWordInfo() throws {
        let dir = try Fixture.folder()
        var settings = SimulationSettings(layout: .naturalStories)
        settings.subjects = 12
        settings.passages = Array(DefaultText.passages.prefix(2))
        let result = try ReaderSimulator.run(settings, to: dir)
        let data = try NaturalStoriesReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.totalWarnings, 0, data.diagnostics.lines.joined(separator: "\n"))
        XCTAssertEqual(data.corpus.words.map(\.form), result.corpus.words.map(\.form))
        XCTAssertEqual(data.measurements.count, result.rows)
        XCTAssertEqual(data.measurements.subjects.count, 12)
        // Means over the per-subject rows equal the simulated processed_wordinfo.tsv.
        let info = try NaturalStoriesReader.load(path: dir + "/processed_wordinfo.tsv")
        let fromRows = Aggregate.means(data.measurements, measure: .rt)
        let fromInfo = Aggregate.means(info.measurements, measure: .rt)
        XCTAssertEqual(fromRows.map(\.word), fromInfo.map(\.word))
        XCTAssertEqual(fromRows.map(\.readers), fromInfo.map(\.readers))
        for (a, b) in zip(fromRows, fromInfo) { XCTAssertEqual(a.mean, b.mean, accuracy: 1e-9) }
    }

    func testSimulatedDundeeReadsBack() throws {
        let dir = try Fixture.folder()
        var settings = SimulationSettings(layout: .dundee)
        settings.subjects = 3
        let result = try ReaderSimulator.run(settings, to: dir)
        let data = try DundeeReader.load(path: dir)
        XCTAssertEqual(data.diagnostics.totalWarnings, 0, data.diagnostics.lines.joined(separator: "\n"))
        XCTAssertEqual(data.corpus.texts.count, DefaultText.passages.count)
        XCTAssertEqual(data.corpus.words.map(\.form), result.corpus.words.map(\.form))
        XCTAssertEqual(data.measurements.subjects, ["sa", "sb", "sc"])
        XCTAssertEqual(data.measurements.count, 3 * data.corpus.words.count)
        let skips = data.measurements.values(.skip)!.compactMap { $0 }
        let rate = skips.reduce(0, +) / Double(skips.count)
        XCTAssertGreaterThan(rate, 0.1); XCTAssertLessThan(rate, 0.6)
        XCTAssertTrue(data.corpus.hasLines && data.corpus.hasScreens)
        // Both real layouts are written: ma1p (temporal) is read, ma2p (word order, FXNO,
        // placeholders) agrees with it for every reader and text.
        let pairs = 3 * data.corpus.texts.count
        XCTAssertTrue(data.diagnostics.notes.contains { $0.hasPrefix("\(pairs) reader × text pair(s) have both ma1p and ma2p") }, data.diagnostics.notes.joined(separator: "\n"))
        let ma2p = try String(contentsOfFile: dir + "/sa01ma2p.dat", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(ma2p[0].hasSuffix("FXNO TXFR"))
        let placeholders = ma2p.filter { $0.split(separator: " ")[1] == "-99" }.count
        let textWords = data.corpus.texts[0].wordIDs
        let neverFixated = textWords.filter { value(data, .totalTime, subject: "sa", text: "tx01", position: data.corpus.words[$0].positionInText) == 0 }.count
        XCTAssertEqual(placeholders, neverFixated)
        XCTAssertGreaterThan(placeholders, 0)
        // Without ma1p, the ma2p files alone give the same measures.
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix("ma1p.dat") {
            try FileManager.default.removeItem(atPath: dir + "/" + file)
        }
        let fromWordOrder = try DundeeReader.load(path: dir)
        for m in Measure.eyeTracking { XCTAssertEqual(fromWordOrder.measurements.values(m)!, data.measurements.values(m)!, m.rawValue) }
    }

    func testSimulationIsDeterministic() throws {
        var settings = SimulationSettings(layout: .dundee)
        settings.subjects = 2
        settings.passages = ["One short text to read. It has two sentences."]
        let a = try Fixture.folder("a"), b = try Fixture.folder("b")
        let ra = try ReaderSimulator.run(settings, to: a)
        _ = try ReaderSimulator.run(settings, to: b)
        for file in ra.files {
            let name = (file as NSString).lastPathComponent
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), try Data(contentsOf: URL(fileURLWithPath: b + "/" + name)), name)
        }
        settings.seed = 2
        let c = try Fixture.folder("c")
        _ = try ReaderSimulator.run(settings, to: c)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: a + "/sa01ma2p.dat")), try Data(contentsOf: URL(fileURLWithPath: c + "/sa01ma2p.dat")))
        settings.subjects = 27
        assertCorpusError(["at most 26"]) { _ = try ReaderSimulator.run(settings, to: c) }
    }

    func testGivenSurprisalTable() throws {
        var settings = SimulationSettings(layout: .naturalStories)
        settings.subjects = 1
        settings.passages = ["The cat sat."]
        settings.surprisalByWord = ["the": 2, "cat": 9]
        let result = try ReaderSimulator.run(settings, to: try Fixture.folder())
        XCTAssertEqual(Array(result.surprisal.prefix(2)), [2, 9])
        XCTAssertEqual(result.surprisalNotFound, 1)
    }

    func testExportColumnsAndSpillover() throws {
        let dir = try Fixture.folder()
        var settings = SimulationSettings(layout: .dundee)
        settings.subjects = 2
        settings.passages = ["Alpha beta gamma.", "Delta epsilon."]
        _ = try ReaderSimulator.run(settings, to: dir)
        let data = try DundeeReader.load(path: dir)
        var diagnostics = Diagnostics()
        let surprisal = try WordValues.byPosition(dir + "/surprisal.tsv", corpus: data.corpus, diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.totalWarnings, 0)
        var options = ExportOptions(measure: .totalTime)
        options.frequency = try FrequencyTable.countsFile(dir + "/frequencies.tsv")
        options.spillover = 1
        options.extraPredictors = surprisal
        let r = try CorpusExport.export(data, options: options)
        XCTAssertEqual(r.table.header, ["subject", "text", "item", "sentence", "word_in_sentence", "word_in_text", "screen", "line", "word",
                                        "total_time", "n", "length", "log_freq", "surprisal", "prev1_length", "prev1_log_freq", "prev1_surprisal"])
        XCTAssertEqual(r.table.rows.count, 10)
        XCTAssertEqual(r.table.column("item")!.prefix(2), ["tx01:1", "tx01:1"])
        // The first word of each text has no previous word: NA, never the last word of the previous text.
        let prev = r.table.column("prev1_length")!, items = r.table.column("item")!
        for (i, item) in items.enumerated() where item.hasSuffix(":1") { XCTAssertEqual(prev[i], "NA") }
        XCTAssertEqual(prev[items.firstIndex(of: "tx02:2")!], "5")   // "Delta"
        // Means over readers.
        options.aggregation = .mean
        let means = try CorpusExport.export(data, options: options)
        XCTAssertEqual(means.table.rows.count, 5)
        XCTAssertEqual(means.table.column("n")!, ["2", "2", "2", "2", "2"])
        XCTAssertFalse(means.table.header.contains("subject"))
    }

    func testWordTableWriting() {
        var t = WordTable(header: ["word", "rt"])
        t.rows = [["\"Ah", "300"], ["plain", WordTable.cell(nil)], ["x", WordTable.cell(412.5)]]
        XCTAssertEqual(t.tsv(), "word\trt\n\"\"\"Ah\"\t300\nplain\tNA\nx\t412.5\n")
        XCTAssertEqual(WordTable.cell(3), "3")
    }
}
