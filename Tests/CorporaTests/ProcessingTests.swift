import XCTest
@testable import Corpora

/// Exclusion rules (spellings and counts), aggregation, predictors and spillover.
final class ProcessingTests: XCTestCase {
    /// Two texts; subjects a and b read every word; values chosen per test.
    func makeData(_ values: [String: [Double?]], skip: [String: [Double]]? = nil) -> CorpusData {
        var b = CorpusBuilder()
        b.addText(id: "1", words: [WordSpec(form: "The", line: 1), WordSpec(form: "cat,", line: 1), WordSpec(form: "sat", line: 1),
                                   WordSpec(form: "in", line: 2), WordSpec(form: "1999.", line: 2)])
        b.addText(id: "2", words: [WordSpec(form: "Don't", line: 1), WordSpec(form: "well-known", line: 1), WordSpec(form: "\"Ah!\"", line: 1)])
        let corpus = b.build(name: "test")
        var m = Measurements(measures: skip == nil ? [.rt] : [.rt, .skip])
        for s in values.keys.sorted() {
            let id = m.subjectID(s)
            for w in corpus.words.indices {
                m.append(subject: id, word: w, values: skip == nil ? [values[s]![w]] : [values[s]![w], skip![s]![w]])
            }
        }
        return CorpusData(format: .generic, corpus: corpus, measurements: m, diagnostics: Diagnostics(), files: [])
    }

    func testRuleSpellingsRoundTrip() throws {
        let spellings = ["outside:100..3000", "zscore:3:subject", "zscore:2.5:global:log", "first_or_last_in_line", "first_or_last_in_screen",
                         "first_or_last_in_sentence", "first_or_last_in_text", "attached_punctuation", "digits", "skipped", "zero", "drop_readers:sg,sb"]
        for s in spellings { XCTAssertEqual(try ExclusionRule.parse(s).description, s) }
        XCTAssertEqual(try ExclusionRule.parse("zscore:3"), .zScore(limit: 3, scope: .global, log: false))
        XCTAssertEqual(try ExclusionRule.parse("outside:50.5..2500"), .outside(low: 50.5, high: 2500))
        assertCorpusError(["outside:LOW..HIGH"]) { _ = try ExclusionRule.parse("outside:3000..100") }
        assertCorpusError(["unknown exclusion rule 'first_or_last_in_page'"]) { _ = try ExclusionRule.parse("first_or_last_in_page") }
        assertCorpusError(["'median' is not subject, global or log"]) { _ = try ExclusionRule.parse("zscore:3:median") }
        assertCorpusError(["drop_readers:NAME"]) { _ = try ExclusionRule.parse("drop_readers:") }
    }

    func testEveryRuleCountsWhatItRemoves() throws {
        let a: [Double?] = [100, 300, 320, nil, 3000, 310, 330, 0]
        let b: [Double?] = [280, 290, 5000, 300, 305, 315, 325, 335]
        let data = makeData(["a": a, "b": b], skip: ["a": [0, 0, 0, 1, 0, 0, 0, 1], "b": [0, 0, 0, 0, 0, 0, 0, 0]])
        func removed(_ spellings: [String]) throws -> [Int] {
            try Exclusions.apply(spellings.map(ExclusionRule.parse), measure: .rt, to: data).1.steps.map(\.removed)
        }
        // outside: 100 (a), 3000 (a), 0 (a), 5000 (b) → 4; then the missing value → 1.
        XCTAssertEqual(try removed(["outside:100..3000"]), [4, 1])
        // Line edges: The, sat (end of line 1), in, 1999., Don't, "Ah!" — 6 words × 2 readers.
        XCTAssertEqual(try removed(["first_or_last_in_line"]), [12, 0])
        XCTAssertEqual(try removed(["first_or_last_in_text"]), [8, 1])
        // Attached punctuation: cat, 1999. "Ah!" (Don't and well-known keep their inner marks).
        XCTAssertEqual(try removed(["attached_punctuation"]), [6, 1])
        XCTAssertEqual(try removed(["digits"]), [2, 1])
        XCTAssertEqual(try removed(["skipped"]), [2, 0])       // the missing value of a's 'in' goes with it
        XCTAssertEqual(try removed(["zero"]), [1, 1])
        XCTAssertEqual(try removed(["drop_readers:b"]), [8, 1])
        // Order matters and is kept: each rule counts among the rows left.
        let (kept, report) = try Exclusions.apply([.parse("drop_readers:a"), .parse("outside:100..3000")], measure: .rt, to: data)
        XCTAssertEqual(report.steps.map(\.rule), ["drop_readers:a", "outside:100..3000", "missing value"])
        XCTAssertEqual(report.steps.map(\.removed), [8, 1, 0])
        XCTAssertEqual(kept.count, 7); XCTAssertEqual(report.rowsAfter, 7)
        assertCorpusError(["no reader named zz"]) { _ = try removed(["drop_readers:zz"]) }
        assertCorpusError(["no measure 'gaze_duration'"]) { _ = try Exclusions.apply([], measure: .gazeDuration, to: data) }
        assertCorpusError(["records no screens"]) { _ = try removed(["first_or_last_in_screen"]) }
        assertCorpusError(["log z-scores need positive values"]) { _ = try removed(["zscore:3:subject:log"]) }
    }

    func testZScores() throws {
        // Subject a: seven values of 300 and one of 1000.
        var a: [Double?] = Array(repeating: 300, count: 8)
        a[7] = 1000
        let b: [Double?] = [300, 310, 320, 330, 340, 350, 360, 370]
        let data = makeData(["a": a, "b": b])
        // a: mean 387.5, sd 247.49 → z(1000) = 2.47; global: mean 361.25, sd 172.04 → z(1000) = 3.71; log: z = 3.63.
        XCTAssertEqual(try Exclusions.apply([.parse("zscore:2.5:subject")], measure: .rt, to: data).1.steps[0].removed, 0)
        XCTAssertEqual(try Exclusions.apply([.parse("zscore:2.4:subject")], measure: .rt, to: data).1.steps[0].removed, 1)
        XCTAssertEqual(try Exclusions.apply([.parse("zscore:3:global")], measure: .rt, to: data).1.steps[0].removed, 1)
        XCTAssertEqual(try Exclusions.apply([.parse("zscore:3:global:log")], measure: .rt, to: data).1.steps[0].removed, 1)
    }

    func testAggregationWeightsReaders() {
        var m = Measurements(measures: [.rt])
        let s = m.subjectID("(mean)")
        m.append(subject: s, word: 0, values: [300], readers: 3)
        m.append(subject: s, word: 0, values: [400], readers: 1)
        m.append(subject: s, word: 1, values: [nil], readers: 5)
        XCTAssertEqual(Aggregate.means(m, measure: .rt), [WordMean(word: 0, mean: 325, readers: 4)])
    }

    func testWordForms() {
        XCTAssertEqual(WordForm.length("owners."), 6)
        XCTAssertEqual(WordForm.length("'Ah,"), 2)
        XCTAssertEqual(WordForm.length("don't"), 5)
        XCTAssertEqual(WordForm.length("--"), 0)
        XCTAssertTrue(WordForm.hasAttachedPunctuation("\"Ah"))
        XCTAssertFalse(WordForm.hasAttachedPunctuation("well-known"))
        XCTAssertTrue(WordForm.hasDigit("1911"))
        XCTAssertTrue(SentenceBoundaries.endsSentence("said.\u{201D}"))
        XCTAssertTrue(SentenceBoundaries.endsSentence("Really?)"))
        XCTAssertFalse(SentenceBoundaries.endsSentence("said,"))
    }

    func testFrequencyAndSpillover() throws {
        let dir = try Fixture.folder()
        let counts = try Fixture.write("Word\tCount\nthe\t900\ncat\t50\ndon\t40\nin\t10\n", "counts.tsv", in: dir)
        let table = try FrequencyTable.countsFile(counts)
        XCTAssertEqual(table.total, 1000)
        XCTAssertEqual(table.lookup("The"), .found(900))
        XCTAssertEqual(table.lookup("cat,"), .found(50))
        XCTAssertEqual(table.lookup("Don\u{2019}t"), .contractionStem(40))
        XCTAssertEqual(table.lookup("sat"), .unknown)
        // log10((count + 1) / (N + V) · 10⁶) with N = 1000, V = 4.
        XCTAssertEqual(table.logFrequency(count: 900), log10(901.0 / 1004 * 1e6), accuracy: 1e-12)
        let data = makeData(["a": Array(repeating: 300, count: 8)])
        let (p, report) = Predictors.baseline(data.corpus, frequency: table, policy: .addOne)
        let lf = p.columns["log_freq"]!
        XCTAssertEqual(lf[2]!, log10(1.0 / 1004 * 1e6), accuracy: 1e-12)       // 'sat': unknown, add-one
        XCTAssertEqual(report!.unknownTokens, 4)    // sat, 1999., well-known, Ah
        XCTAssertEqual(report!.unknownTypes, 4)
        XCTAssertEqual(report!.contractionStems, 1)
        let (pm, _) = Predictors.baseline(data.corpus, frequency: table, policy: .missing)
        XCTAssertNil(pm.columns["log_freq"]![2])
        // Spillover: never across a text boundary; missing stays missing.
        var t = pm
        Predictors.addSpillover(&t, names: ["length", "log_freq"], lags: 2, corpus: data.corpus)
        XCTAssertEqual(t.columns["prev1_length"]!, [nil, 3, 3, 3, 2, nil, 5, 10])
        XCTAssertEqual(t.columns["prev2_length"]!, [nil, nil, 3, 3, 3, nil, nil, 5])
        XCTAssertNil(t.columns["prev1_log_freq"]![3])                            // 'sat' was unknown → missing
        XCTAssertEqual(t.columns["prev1_log_freq"]![1], lf[0])
        let text = try Fixture.write("The cat. The dog\nthe end", "text.txt", in: dir)
        XCTAssertEqual(try FrequencyTable.countingText(text).counts["the"], 3)
        assertCorpusError(["unknown frequency source 'wiki'"]) { _ = try FrequencyTable.named("wiki", cacheDirectory: URL(fileURLWithPath: dir)) }
        assertCorpusError(["run scripts/setup"]) { _ = try FrequencyTable.named("subtlex-us", cacheDirectory: URL(fileURLWithPath: dir)) }
        let bad = try Fixture.write("word\tcount\nthe\t9\ncat\tmany\n", "bad.tsv", in: dir)
        assertCorpusError(["bad.tsv:3:2:", "'many'"]) { _ = try FrequencyTable.countsFile(bad) }
    }

    /// SUBTLEX-US from the cache when setup has fetched it (skipped otherwise).
    func testSubtlexFromCache() throws {
        let cache = Fixture.packageRoot.appendingPathComponent(".rtpipe")
        guard FileManager.default.fileExists(atPath: cache.appendingPathComponent("frequency/\(FrequencyTable.subtlexFileName)").path) else {
            throw XCTSkip("SUBTLEX-US counts not in .rtpipe/frequency (run scripts/setup)")
        }
        let t = try FrequencyTable.named("subtlex-us", cacheDirectory: cache)
        XCTAssertEqual(t.counts.count, 74_285)
        XCTAssertEqual(t.lookup("The"), .found(1_501_908))
        XCTAssertGreaterThan(t.logFrequency(count: 1_501_908), t.logFrequency(count: 10))
    }
}
