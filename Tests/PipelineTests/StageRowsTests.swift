import XCTest
import Store
@testable import Pipeline

/// A stage's rows travel through a result file: every value must come back exactly.
final class StageRowsTests: XCTestCase {
    func testRowsRoundTripExactly() throws {
        let rows = StageRows()
        let w = StageWriter(collecting: rows)
        let reals = [0.1 + 0.2, -0.0, .nan, .infinity, 1e-310, Double.pi]
        for (i, r) in reals.enumerated() {
            try w.insert("surprisals", ["model": .text("a\tb\\n\nc"), "word_index": .of(i), "surprisal_bits": .real(r), "word": .null, "aligned": .of(true)])
        }
        let back = try StageRows.parse(rows.serialized(), source: "test")
        XCTAssertEqual(back.rows.count, reals.count)
        for (row, r) in zip(back.rows, reals) {
            XCTAssertEqual(row.columns, ["model", "word_index", "surprisal_bits", "word", "aligned"])
            XCTAssertEqual(row.values[0], .text("a\tb\\n\nc"))
            guard case .real(let v) = row.values[2] else { return XCTFail("not a real: \(row.values[2])") }
            XCTAssertEqual(v.bitPattern, r.bitPattern)
            XCTAssertEqual(row.values[3], .null)
        }
    }

    func testDamagedResultNamesFileAndLine() {
        XCTAssertThrowsError(try StageRows.parse("surprisals\tword_index=i1\nsurprisals\tword_index=x\n", source: "rows.tsv")) { error in
            XCTAssertTrue("\(error)".contains("rows.tsv:2"), "\(error)")
        }
    }

    func testGraphRefusesUnplannedDependency() {
        let node = PlannedStage(name: "surprisal:x", key: "k", cached: false, detail: "", work: .tokenizer, dependsOn: ["lm:x"])
        XCTAssertThrowsError(try StageGraph([node]))
    }
}
