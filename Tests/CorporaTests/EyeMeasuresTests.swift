import XCTest
@testable import Corpora

/// Eye-tracking measures against fixation sequences worked out by hand. Word indices are
/// 0-based; durations in ms. Each expected value is derived in the comment beside it.
final class EyeMeasuresTests: XCTestCase {
    /// w0 200, w1 150, w1 100 (refixation), w3 250 (w2 skipped), w4 180.
    func testSkipAndRefixation() {
        let m = EyeMeasures.compute([.on(0, 200), .on(1, 150), .on(1, 100), .on(3, 250), .on(4, 180)], wordCount: 5)
        XCTAssertEqual(m[0], EyeMeasures(firstFixation: 200, gazeDuration: 200, goPast: 200, totalTime: 200, skip: false, regressionOut: false, rightBounded: 200, fixationCount: 1))
        // Refixation: first fixation 150, gaze 150 + 100 = 250.
        XCTAssertEqual(m[1], EyeMeasures(firstFixation: 150, gazeDuration: 250, goPast: 250, totalTime: 250, skip: false, regressionOut: false, rightBounded: 250, fixationCount: 2))
        // Never fixated: skipped, total time a real 0, first-pass measures missing.
        XCTAssertEqual(m[2], .neverFixated)
        XCTAssertEqual(m[2].value(.totalTime), 0)
        XCTAssertNil(m[2].value(.gazeDuration))
        XCTAssertEqual(m[3].gazeDuration, 250)
        // The last fixation: the pass ends with the record, not with a regression.
        XCTAssertEqual(m[4].regressionOut, false)
    }

    /// w0 200, w1 220, w2 240, w1 180 (regression into w1), w2 160, w3 210, w0 100 (long regression), w4 190.
    func testRegressionsIntoAndOutOfWords() {
        let m = EyeMeasures.compute([.on(0, 200), .on(1, 220), .on(2, 240), .on(1, 180), .on(2, 160), .on(3, 210), .on(0, 100), .on(4, 190)], wordCount: 5)
        // w0: first pass 200; re-read later for 100 → total 300; go-past stops at w1.
        XCTAssertEqual(m[0].gazeDuration, 200); XCTAssertEqual(m[0].goPast, 200); XCTAssertEqual(m[0].totalTime, 300)
        // w1: first pass 220 (left to the right); regressed into later for 180 → total 400.
        XCTAssertEqual(m[1].gazeDuration, 220); XCTAssertEqual(m[1].goPast, 220); XCTAssertEqual(m[1].totalTime, 400)
        XCTAssertEqual(m[1].regressionOut, false)
        // w2: gaze 240, then a regression to w1 (180) and back (160) before w3: go-past 240+180+160 = 580,
        // right-bounded 240+160 = 400, regression out = 1, total 400.
        XCTAssertEqual(m[2].gazeDuration, 240); XCTAssertEqual(m[2].goPast, 580); XCTAssertEqual(m[2].rightBounded, 400)
        XCTAssertEqual(m[2].regressionOut, true); XCTAssertEqual(m[2].totalTime, 400)
        // w3: gaze 210, regression to w0 (100) before w4: go-past 310.
        XCTAssertEqual(m[3].gazeDuration, 210); XCTAssertEqual(m[3].goPast, 310); XCTAssertEqual(m[3].regressionOut, true)
        XCTAssertEqual(m[4].goPast, 190)
    }

    /// w0 200, w2 230, w1 150 (first fixation on w1 comes after w2: skipped in first pass), w3 200.
    func testWordFirstFixatedAfterARegressionCountsAsSkipped() {
        let m = EyeMeasures.compute([.on(0, 200), .on(2, 230), .on(1, 150), .on(3, 200)], wordCount: 4)
        XCTAssertTrue(m[1].skip)
        XCTAssertNil(m[1].firstFixation); XCTAssertNil(m[1].gazeDuration); XCTAssertNil(m[1].goPast); XCTAssertNil(m[1].regressionOut)
        XCTAssertEqual(m[1].totalTime, 150)
        // w2: go-past includes the regression to w1: 230 + 150 = 380.
        XCTAssertEqual(m[2].goPast, 380); XCTAssertEqual(m[2].regressionOut, true)
    }

    /// w0 200, w1 100, blink 80, w1 120, off-screen 300, w2 150.
    func testBlinksAndOffScreenSamples() {
        let fixations: [Fixation] = [.on(0, 200), .on(1, 100), Fixation(.blink, 80), .on(1, 120), Fixation(.offScreen, 300), .on(2, 150)]
        // Passed over (default): the blink does not split w1's first pass; no event's duration counts.
        let a = EyeMeasures.compute(fixations, wordCount: 3)
        XCTAssertEqual(a[1], EyeMeasures(firstFixation: 100, gazeDuration: 220, goPast: 220, totalTime: 220, skip: false, regressionOut: false, rightBounded: 220, fixationCount: 2))
        XCTAssertEqual(a[2].gazeDuration, 150)
        XCTAssertEqual(a.reduce(0) { $0 + $1.totalTime }, 570)   // 200 + 220 + 150: blink and off-screen add nothing
        // Ends the pass: gaze on w1 stops at the blink (100); go-past still runs to w2 (100 + 120).
        let b = EyeMeasures.compute(fixations, wordCount: 3, nonWord: .endsPass)
        XCTAssertEqual(b[1].gazeDuration, 100); XCTAssertEqual(b[1].goPast, 220); XCTAssertEqual(b[1].totalTime, 220)
        XCTAssertEqual(b[1].regressionOut, false)
        XCTAssertEqual(b[0].gazeDuration, 200)
    }

    /// A fixation whose word index is outside the text is a non-word event, not a crash.
    func testOutOfRangeWordIsANonWordEvent() {
        let m = EyeMeasures.compute([.on(0, 200), .on(7, 90), .on(-1, 50), .on(1, 210)], wordCount: 2)
        XCTAssertEqual(m[0].goPast, 200)
        XCTAssertEqual(m[1].totalTime, 210)
        XCTAssertEqual(m.reduce(0) { $0 + $1.fixationCount }, 2)
    }

    func testMeasureValuesAsNumbers() {
        let m = EyeMeasures(firstFixation: 1, gazeDuration: 2, goPast: 3, totalTime: 4, skip: false, regressionOut: true, rightBounded: 5)
        XCTAssertEqual(Measure.eyeTracking.map { m.value($0) }, [1, 2, 3, 4, 0, 1])
        XCTAssertEqual(m.value(.rightBounded), 5)
        XCTAssertNil(m.value(.rt))
    }
}
