import Foundation
import XCTest
@testable import MixedModels
import Numerics

final class ModelFrameTests: XCTestCase {
    /// `/work/shared/lmm-reference`, found as `../shared` next to the package root.
    private func referenceDirectory() throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // MixedModelsTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
        let dir = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/lmm-reference", isDirectory: true)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("reference.json").path) else {
            throw XCTSkip("reference data not found at \(dir.path) (expected ../shared/lmm-reference next to the package root)")
        }
        return dir
    }

    private func build(_ formula: String, _ table: DataTable, factors: Set<String> = [],
                       levelOrders: [String: [String]] = [:]) throws -> ModelFrame {
        try ModelFrame.build(formula: try Formula.parse(formula), table: table, factors: factors,
                             levelOrders: levelOrders)
    }

    private func column(_ m: Matrix<Double>, _ j: Int) -> [Double] { (0..<m.rows).map { m[$0, j] } }

    /// service ("0"/"1", numeric-looking, declared a factor) × dept (text a/b/c), 6 rows.
    private var serviceDept: DataTable {
        DataTable(columns: [
            ("y", ["1", "2", "3", "4", "5", "6"]),
            ("service", ["0", "1", "0", "1", "0", "1"]),
            ("dept", ["a", "a", "b", "b", "c", "c"]),
            ("x", ["0.5", "1", "1.5", "2", "2.5", "3"]),
        ], sourceName: "sd.csv")
    }

    // MARK: Reference data sets

    func testSleepstudy() throws {
        let dir = try referenceDirectory()
        let table = try DataTable.load(path: dir.appendingPathComponent("sleepstudy.csv").path)
        let frame = try build("Reaction ~ Days + (Days|Subject)", table)
        XCTAssertEqual(frame.n, 180)
        XCTAssertEqual(frame.X.rows, 180)
        XCTAssertEqual(frame.X.cols, 2)
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "Days"])
        XCTAssertEqual(frame.responseName, "Reaction")
        XCTAssertEqual(frame.y[0], 249.56)
        XCTAssertEqual(frame.X[3, 0], 1)
        XCTAssertEqual(frame.X[3, 1], 3)
        XCTAssertEqual(frame.droppedForMissing, 0)
        XCTAssertEqual(frame.rowIndices, Array(0..<180))
        XCTAssertEqual(frame.randomTerms.count, 1)
        let subject = frame.randomTerms[0]
        XCTAssertEqual(subject.groupingName, "Subject")
        XCTAssertEqual(subject.levels, ["308", "309", "310", "330", "331", "332", "333", "334", "335",
                                        "337", "349", "350", "351", "352", "369", "370", "371", "372"])
        XCTAssertEqual(subject.columnNames, ["(Intercept)", "Days"])
        XCTAssertEqual(subject.columns.rows, 180)
        XCTAssertEqual(subject.columns.cols, 2)
        XCTAssertEqual(column(subject.columns, 1), column(frame.X, 1))
        XCTAssertEqual(subject.levelIndex[0], 0)
        XCTAssertEqual(subject.levelIndex[10], 1)
        XCTAssertEqual(subject.levelIndex[179], 17)

        // The reference's level order agrees.
        let data = try Data(contentsOf: dir.appendingPathComponent("reference.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let model = (json?["models"] as? [String: Any])?["sleepstudy_corr_ML"] as? [String: Any]
        let levels = (model?["factor_levels"] as? [String: Any])?["Subject"] as? [String]
        XCTAssertEqual(levels, subject.levels)
    }

    func testPastesNestedGrouping() throws {
        let dir = try referenceDirectory()
        let table = try DataTable.load(path: dir.appendingPathComponent("Pastes.csv").path)
        let frame = try build("strength ~ 1 + (1|batch/cask)", table)
        XCTAssertEqual(frame.n, 60)
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)"])
        XCTAssertEqual(frame.randomTerms.map(\.groupingName), ["cask:batch", "batch"])
        let caskBatch = frame.randomTerms[0], batch = frame.randomTerms[1]
        XCTAssertEqual(caskBatch.levels.count, 30)
        XCTAssertEqual(batch.levels.count, 10)
        XCTAssertEqual(batch.levels, ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"])
        // R's factor(cask:batch): the first factor varies slowest.
        XCTAssertEqual(Array(caskBatch.levels.prefix(3)), ["a:A", "a:B", "a:C"])
        XCTAssertEqual(caskBatch.levels.last, "c:J")
        XCTAssertEqual(caskBatch.columnNames, ["(Intercept)"])
        // Each row's level is its own cask:batch combination (the `sample` column is batch:cask).
        let samples = try table.textColumn("sample")
        for (i, r) in frame.rowIndices.enumerated() {
            let parts = samples[r]!.split(separator: ":")
            XCTAssertEqual(caskBatch.levels[Int(caskBatch.levelIndex[i])], "\(parts[1]):\(parts[0])")
            XCTAssertEqual(batch.levels[Int(batch.levelIndex[i])], String(parts[0]))
        }
    }

    func testInstEvalInteractionNamesMatchLme4() throws {
        let dir = try referenceDirectory()
        let data = try Data(contentsOf: dir.appendingPathComponent("reference.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let model = try XCTUnwrap((json?["models"] as? [String: Any])?["insteval_interact_ML"] as? [String: Any])
        let best = try XCTUnwrap(model["best"] as? [String: Any])
        let betaNames = try XCTUnwrap(best["beta_names"] as? [String])
        let levels = try XCTUnwrap(model["factor_levels"] as? [String: [String]])

        let table = try DataTable.load(path: dir.appendingPathComponent("InstEval.csv").path)
        let frame = try build("y ~ 1 + service*dept + (1|s) + (1|d)", table,
                              factors: ["service"], levelOrders: ["dept": levels["dept"]!])
        XCTAssertEqual(frame.fixedEffectNames, betaNames)
        XCTAssertEqual(frame.n, model["n"] as? Int)
        XCTAssertEqual(frame.randomTerms.map(\.levels.count), [2972, 1128])
        // Row 0: service 0, dept 2 → only the intercept and dept2 are 1.
        let row0 = (0..<frame.X.cols).filter { frame.X[0, $0] != 0 }.map { frame.fixedEffectNames[$0] }
        XCTAssertEqual(row0, ["(Intercept)", "dept2"])
        // Row 1: service 1, dept 6.
        let row1 = (0..<frame.X.cols).filter { frame.X[1, $0] != 0 }.map { frame.fixedEffectNames[$0] }
        XCTAssertEqual(row1, ["(Intercept)", "service1", "dept6", "service1:dept6"])
    }

    // MARK: Contrasts and names

    func testTreatmentContrastsServiceDept() throws {
        let frame = try build("y ~ service*dept", serviceDept, factors: ["service"])
        XCTAssertEqual(frame.fixedEffectNames,
                       ["(Intercept)", "service1", "deptb", "deptc", "service1:deptb", "service1:deptc"])
        XCTAssertEqual(frame.X.rows, 6)
        XCTAssertEqual(frame.X.cols, 6)
        XCTAssertEqual(column(frame.X, 1), [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(column(frame.X, 2), [0, 0, 1, 1, 0, 0])
        XCTAssertEqual(column(frame.X, 4), [0, 0, 0, 1, 0, 0])
        XCTAssertEqual(column(frame.X, 5), [0, 0, 0, 0, 0, 1])
        XCTAssertEqual(frame.columnIndex(of: "service1:deptc"), 5)
        XCTAssertNil(frame.columnIndex(of: "service0"))
    }

    func testNumericLookingColumnIsNumericUnlessDeclared() throws {
        let frame = try build("y ~ service", serviceDept)
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "service"])
        let reordered = try build("y ~ dept", serviceDept, levelOrders: ["dept": ["c", "a", "b"]])
        XCTAssertEqual(reordered.fixedEffectNames, ["(Intercept)", "depta", "deptb"])
        XCTAssertEqual(column(reordered.X, 1), [1, 1, 0, 0, 0, 0])
    }

    func testNoInterceptFullCoding() throws {
        let frame = try build("y ~ 0 + dept", serviceDept)
        XCTAssertEqual(frame.fixedEffectNames, ["depta", "deptb", "deptc"])
        XCTAssertEqual(column(frame.X, 0), [1, 1, 0, 0, 0, 0])
        XCTAssertEqual(column(frame.X, 2), [0, 0, 0, 0, 1, 1])
        // As in R's model.matrix, only the first factor gets full coding.
        let two = try build("y ~ dept + service - 1", serviceDept, factors: ["service"])
        XCTAssertEqual(two.fixedEffectNames, ["depta", "deptb", "deptc", "service1"])
        let numericOnly = try build("y ~ 0 + x", serviceDept)
        XCTAssertEqual(numericOnly.fixedEffectNames, ["x"])
        XCTAssertEqual(column(numericOnly.X, 0), [0.5, 1, 1.5, 2, 2.5, 3])
    }

    func testSlopesWithinFactorLevels() throws {
        // x:dept with dept's main effect but no x main effect → one slope per level.
        let nested = try build("y ~ dept + x:dept", serviceDept)
        XCTAssertEqual(nested.fixedEffectNames,
                       ["(Intercept)", "deptb", "deptc", "depta:x", "deptb:x", "deptc:x"])
        XCTAssertEqual(column(nested.X, 3), [0.5, 1, 0, 0, 0, 0])
        // With the x main effect the interaction uses contrasts.
        let crossed = try build("y ~ x*dept", serviceDept)
        XCTAssertEqual(crossed.fixedEffectNames, ["(Intercept)", "x", "deptb", "deptc", "x:deptb", "x:deptc"])
        XCTAssertEqual(column(crossed.X, 5), [0, 0, 0, 0, 2.5, 3])
    }

    func testNumericFactorLevelsSortAndPrintLikeR() throws {
        let t = DataTable(columns: [
            ("y", ["1", "2", "3", "4", "5", "6"]),
            ("dose", ["10", "2.50", "1", "0.5", "2.5", "1.0"]),
            ("word", ["b", "B", "A", "a", "b", "ab"]),
        ])
        let frame = try build("y ~ dose", t, factors: ["dose"])
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "dose1", "dose2.5", "dose10"])
        XCTAssertEqual(column(frame.X, 2), [0, 1, 0, 0, 1, 0])
        let words = try build("y ~ 0 + word", t)
        XCTAssertEqual(words.fixedEffectNames, ["worda", "wordA", "wordab", "wordb", "wordB"])
    }

    func testFunctionsAndScale() throws {
        let t = DataTable(columns: [
            ("y", ["1", "2", "3", "NA", "5"]),
            ("x", ["1", "2", "4", "8", "16"]),
        ])
        let frame = try build("y ~ log(x) + I(x^2) + scale(x) + sqrt(x) + log2(x)", t)
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "log(x)", "I(x^2)", "scale(x)", "sqrt(x)", "log2(x)"])
        XCTAssertEqual(frame.n, 4)
        XCTAssertEqual(column(frame.X, 1), [0, log(2), log(4), log(16)])
        XCTAssertEqual(column(frame.X, 2), [1, 4, 16, 256])
        XCTAssertEqual(column(frame.X, 5), [0, 1, 2, 4])
        // scale() uses the rows kept (x = 1, 2, 4, 16): mean 0, sample SD 1.
        let scaled = column(frame.X, 3)
        let mean = scaled.reduce(0, +) / 4
        let sd = (scaled.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 1e-12)
        XCTAssertEqual(sd, 1, accuracy: 1e-12)
        XCTAssertEqual(scaled[0], (1 - 5.75) / (((1 - 5.75) * (1 - 5.75) + (2 - 5.75) * (2 - 5.75) + (4 - 5.75) * (4 - 5.75) + (16 - 5.75) * (16 - 5.75)) / 3).squareRoot(), accuracy: 1e-12)
        let logResponse = try build("log(y) ~ x", t)
        XCTAssertEqual(logResponse.responseName, "log(y)")
        XCTAssertEqual(logResponse.y[1], log(2), accuracy: 1e-15)
    }

    func testRandomSlopeFactorAndUncorrelated() throws {
        let frame = try build("y ~ x + (0 + dept|service) + (x||service)", serviceDept)
        XCTAssertEqual(frame.randomTerms.map(\.columnNames), [["depta", "deptb", "deptc"], ["(Intercept)"], ["x"]])
        XCTAssertEqual(frame.randomTerms[0].levels, ["0", "1"])
        XCTAssertEqual(frame.randomTerms[0].levelIndex, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(column(frame.randomTerms[2].columns, 0), [0.5, 1, 1.5, 2, 2.5, 3])
    }

    func testInteractionGroupingOnlyObservedCombinations() throws {
        let t = DataTable(columns: [
            ("y", ["1", "2", "3", "4", "5"]),
            ("g1", ["b", "a", "b", "a", "a"]),
            ("g2", ["2", "1", "1", "1", "2"]),
        ])
        let frame = try build("y ~ 1 + (1|g1:g2)", t)
        XCTAssertEqual(frame.randomTerms[0].groupingName, "g1:g2")
        XCTAssertEqual(frame.randomTerms[0].levels, ["a:1", "a:2", "b:1", "b:2"])
        XCTAssertEqual(frame.randomTerms[0].levelIndex, [3, 0, 2, 0, 1])
    }

    // MARK: Missing values

    func testMissingRowsDropped() throws {
        let t = DataTable(columns: [
            ("y", ["1", "NA", "3", "4", "5", "6", "7"]),
            ("x", ["1", "2", ".", "4", "5", "6", "7"]),
            ("g", ["a", "a", "b", "", "b", "c", "c"]),
            ("unused", ["NA", "NA", "NA", "NA", "NA", "NA", "z"]),
        ], sourceName: "m.csv")
        let frame = try build("y ~ x + (1|g)", t)
        XCTAssertEqual(frame.droppedForMissing, 3)
        XCTAssertEqual(frame.rowIndices, [0, 4, 5, 6])
        XCTAssertEqual(frame.y, [1, 5, 6, 7])
        XCTAssertEqual(column(frame.X, 1), [1, 5, 6, 7])
        XCTAssertEqual(frame.randomTerms[0].levels, ["a", "b", "c"])
        XCTAssertEqual(frame.randomTerms[0].levelIndex, [0, 1, 2, 2])

        // A level seen only in dropped rows disappears (R's drop.unused.levels).
        let t2 = DataTable(columns: [
            ("y", ["1", "2", "NA", "4"]),
            ("f", ["a", "b", "c", "b"]),
        ])
        let f2 = try build("y ~ f", t2)
        XCTAssertEqual(f2.fixedEffectNames, ["(Intercept)", "fb"])
        XCTAssertEqual(f2.droppedForMissing, 1)
    }

    // MARK: Errors

    func testNonNumericValueInFunctionNamesLineAndColumn() throws {
        let t = try DataTable(text: "y,g,t\n1,a,5\n2,b,abc\n3,a,7\n", sourceName: "words.csv")
        XCTAssertThrowsError(try build("y ~ log(t)", t)) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .nonNumericVariable(variable: "log(t)",
                                               detail: .nonNumeric(file: "words.csv", line: 3, column: "t",
                                                                   columnNumber: 3, value: "abc")))
            XCTAssertTrue(String(describing: error).contains("words.csv:3"))
        }
        XCTAssertThrowsError(try build("g ~ t", t)) { error in
            guard case .responseNotNumeric(let name, let detail)? = error as? ModelFrameError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(name, "g")
            XCTAssertEqual(detail, .nonNumeric(file: "words.csv", line: 2, column: "g", columnNumber: 2, value: "a"))
        }
    }

    func testUnknownColumn() throws {
        XCTAssertThrowsError(try build("y ~ service + wrong + (1|dept)", serviceDept)) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .unknownColumn(name: "wrong", available: ["y", "service", "dept", "x"]))
            let text = String(describing: error)
            XCTAssertTrue(text.contains("'wrong'") && text.contains("'dept'"), text)
        }
    }

    func testGroupingNeedsTwoLevels() {
        let t = DataTable(columns: [("y", ["1", "2", "3"]), ("g", ["a", "a", "b"]), ("h", ["k", "k", "k"])])
        XCTAssertThrowsError(try build("y ~ 1 + (1|h)", t)) { error in
            XCTAssertEqual(error as? ModelFrameError, .groupingTooFewLevels(grouping: "h", levels: 1))
        }
        XCTAssertNoThrow(try build("y ~ 1 + (1|g)", t))
        XCTAssertThrowsError(try build("y ~ h", t)) { error in
            XCTAssertEqual(error as? ModelFrameError, .factorTooFewLevels(factor: "h", levels: 1))
        }
    }

    func testNoRowsLeft() {
        let t = DataTable(columns: [("y", ["1", "NA"]), ("x", ["NA", "2"])])
        XCTAssertThrowsError(try build("y ~ x", t)) { error in
            XCTAssertEqual(error as? ModelFrameError, .noRowsLeft(totalRows: 2, droppedForMissing: 2))
        }
    }

    func testLogOfNonPositive() throws {
        let t = try DataTable(text: "y,x\n1,2\n2,NA\n3,0\n4,5\n", sourceName: "l.csv")
        XCTAssertThrowsError(try build("y ~ log(x)", t)) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .nonPositiveLog(expression: "log(x)", value: 0, file: "l.csv", line: 4))
            XCTAssertTrue(String(describing: error).contains("l.csv:4"))
        }
        XCTAssertThrowsError(try build("y ~ I(1/(x - 2))", t)) { error in
            XCTAssertEqual(error as? ModelFrameError, .nonFinite(expression: "I(1/(x - 2))", file: "l.csv", line: 2))
        }
    }

    func testLevelOrderMustCoverData() throws {
        XCTAssertThrowsError(try build("y ~ dept", serviceDept, levelOrders: ["dept": ["a", "b"]])) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .levelNotInOrder(column: "dept", value: "c", file: "sd.csv", line: 6))
        }
    }

    func testResponseDeclaredFactor() {
        XCTAssertThrowsError(try build("y ~ x", serviceDept, factors: ["y"])) { error in
            XCTAssertEqual(error as? ModelFrameError, .responseNotNumeric(name: "y", detail: nil))
        }
    }

    // MARK: Subsets

    func testSubset() throws {
        let frame = try build("y ~ x + (1|dept)", serviceDept)
        let sub = frame.subset([4, 1])
        XCTAssertEqual(sub.n, 2)
        XCTAssertEqual(sub.y, [5, 2])
        XCTAssertEqual(column(sub.X, 1), [2.5, 1])
        XCTAssertEqual(sub.rowIndices, [4, 1])
        XCTAssertEqual(sub.randomTerms[0].levels, ["a", "b", "c"])
        XCTAssertEqual(sub.randomTerms[0].levelIndex, [2, 0])
        XCTAssertEqual(sub.randomTerms[0].columns.rows, 2)
        XCTAssertEqual(sub.fixedEffectNames, frame.fixedEffectNames)
    }

    // MARK: Model-matrix size guard

    func testModelMatrixTooLargeIsReportedBeforeAllocating() throws {
        // A lowered limit on a small table: 30 rows × (intercept + x + 2 + 29 contrasts) columns.
        let levels = (0..<30).map { "w\($0)" }
        let small = DataTable(columns: [
            ("y", (0..<30).map { String($0) }),
            ("item", levels),
            ("subj", (0..<30).map { "s\($0 % 3)" }),
            ("x", (0..<30).map { String(Double($0) / 7) }),
        ], sourceName: "small.csv")
        let formula = try Formula.parse("y ~ x + subj + item")
        XCTAssertThrowsError(try ModelFrame.build(formula: formula, table: small, maxMatrixElements: 30 * 33 - 1)) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .modelMatrixTooLarge(rows: 30, columns: 33, limit: 989, factors: ["item": 30, "subj": 3]))
            let message = String(describing: error)
            XCTAssertTrue(message.contains("30 rows × 33 columns"), message)
            XCTAssertTrue(message.contains("factor 'item' has 30 levels, factor 'subj' has 3 levels"), message)
            XCTAssertTrue(message.contains("(1 | item)"), message)
        }
        // At the limit it builds.
        let frame = try ModelFrame.build(formula: formula, table: small, maxMatrixElements: 30 * 33)
        XCTAssertEqual(frame.X.cols, 33)

        // The default limit (250 million elements): 20,000 rows × 15,000 columns would need 2.4 GB.
        let n = 20_000
        let big = DataTable(columns: [
            ("rt", (0..<n).map { String(300 + $0 % 97) }),
            ("item", (0..<n).map { "i\($0 % 15_000)" }),
        ], sourceName: "big.tsv")
        XCTAssertThrowsError(try build("rt ~ item", big)) { error in
            XCTAssertEqual(error as? ModelFrameError,
                           .modelMatrixTooLarge(rows: n, columns: 15_000, limit: ModelFrame.maxModelMatrixElements,
                                                factors: ["item": 15_000]))
            XCTAssertTrue(String(describing: error).contains("(1 | item)"), String(describing: error))
        }
        XCTAssertEqual(ModelFrame.maxModelMatrixElements, 250_000_000)
        // As a random effect the same factor is fine.
        let mixed = try build("rt ~ 1 + (1 | item)", big)
        XCTAssertEqual(mixed.randomTerms[0].levels.count, 15_000)
    }

    /// Factor levels come from the distinct strings: equal strings (also canonically equivalent
    /// spellings) share a level, numbers with the same R label share a level.
    func testFactorLevelsFromDistinctValues() throws {
        let t = DataTable(columns: [
            ("y", ["1", "2", "3", "4", "5", "6", "7"]),
            ("g", ["b", "\u{e9}", "e\u{301}", "B", "b", nil, "a"]),
            ("n", ["1", "1.0", "2", "10", "1e0", "2.50", "2.5"]),
        ])
        let frame = try build("y ~ g + n", t, factors: ["n"])
        XCTAssertEqual(frame.n, 6)
        XCTAssertEqual(frame.fixedEffectNames, ["(Intercept)", "gb", "gB", "g\u{e9}", "n2", "n2.5", "n10"])
        XCTAssertEqual(column(frame.X, 3), [0, 1, 1, 0, 0, 0])
        XCTAssertEqual(column(frame.X, 4), [0, 0, 1, 0, 0, 0])
        XCTAssertEqual(column(frame.X, 5), [0, 0, 0, 0, 0, 1])
        let grouped = try build("y ~ 1 + (1 | n)", t)
        XCTAssertEqual(grouped.randomTerms[0].levels, ["1", "2", "2.5", "10"])
        XCTAssertEqual(grouped.n, 7)
        XCTAssertEqual(grouped.randomTerms[0].levelIndex, [0, 0, 1, 3, 0, 2, 2])
    }
}
