import Foundation
import Tables
import XCTest
@testable import MixedModels

final class DataTableTests: XCTestCase {
    func testCommaSeparatedWithQuotesAndLineNumbers() throws {
        let text = #"""
        "id","name",score
        1,"Smith, J.",3.5
        2,"say ""hi""",4

        3,"two
        lines",-1e2
        """#
        let t = try DataTable(text: text, sourceName: "scores.csv")
        XCTAssertEqual(t.columnNames, ["id", "name", "score"])
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(try t.textColumn("name"), ["Smith, J.", "say \"hi\"", "two\nlines"])
        XCTAssertEqual(try t.numericColumn("score"), [3.5, 4, -100])
        // Blank line 4 is skipped; the record starting on line 5 keeps its line number.
        XCTAssertEqual((0..<3).map { t.lineNumber(ofRow: $0) }, [2, 3, 5])
        XCTAssertEqual(t.sourceName, "scores.csv")
        XCTAssertEqual(t.columnNumber(of: "score"), 3)
        XCTAssertNil(t.columnNumber(of: "nope"))
    }

    func testDelimiterDetectionAndCRLF() throws {
        let tsv = try DataTable(text: "a\tb\r\n1\tx,y\r\n2\tz;w\r\n")
        XCTAssertEqual(tsv.columnNames, ["a", "b"])
        XCTAssertEqual(try tsv.textColumn("b"), ["x,y", "z;w"])
        XCTAssertEqual(try tsv.numericColumn("a"), [1, 2])

        let semi = try DataTable(text: "a;b;c\n1,5;2;3\n")
        XCTAssertEqual(semi.columnNames, ["a", "b", "c"])
        XCTAssertEqual(try semi.textColumn("a"), ["1,5"])
        XCTAssertFalse(semi.isNumeric("a"))   // decimal comma is not a number
        XCTAssertTrue(semi.isNumeric("b"))

        // A comma inside a quoted header name does not count.
        let quotedHeader = try DataTable(text: "\"x,y\"\tz\n1\t2\n")
        XCTAssertEqual(quotedHeader.columnNames, ["x,y", "z"])
    }

    func testMissingValues() throws {
        let t = try DataTable(text: "x,y\n1,a\nNA,\n.,b\nNaN, NA \n5,\"\"\n")
        XCTAssertEqual(try t.numericColumn("x"), [1, nil, nil, nil, 5])
        XCTAssertEqual(try t.textColumn("y"), ["a", nil, "b", nil, nil])
        XCTAssertTrue(t.isNumeric("x"))
        XCTAssertFalse(t.isNumeric("y"))
        XCTAssertFalse(t.isNumeric("missing column"))
        XCTAssertNil(try t.value(row: 1, column: "x"))
        XCTAssertEqual(try t.value(row: 0, column: "y"), "a")
    }

    /// One set of missing markers with the corpus readers: spreadsheet error values and `NULL`
    /// are missing, not text that makes a column non-numeric.
    func testSpreadsheetMissingMarkers() throws {
        let t = try DataTable(text: "x,y\n1,a\n#N/A,NULL\nN/A,#VALUE!\n4,b\n")
        XCTAssertTrue(t.isNumeric("x"))
        XCTAssertEqual(try t.numericColumn("x"), [1, nil, nil, 4])
        XCTAssertEqual(try t.textColumn("y"), ["a", nil, nil, "b"])
    }

    /// Only blanks may follow a closing quote: anything else is an error naming line and column.
    func testTextAfterClosingQuoteIsAnError() {
        XCTAssertThrowsError(try DataTable(text: "a,b\n1,\"2\"3\n", sourceName: "q.csv")) { error in
            XCTAssertEqual(error as? DataError, .textAfterQuote(file: "q.csv", line: 2, column: 6))
            XCTAssertTrue(String(describing: error).hasPrefix("q.csv:2:6:"))
        }
    }

    func testNonNumericErrorNamesFirstBadValue() throws {
        let t = try DataTable(text: "a,b,rt\n1,x,300\n2,y,31O\n3,z,oops\n", sourceName: "rt.csv")
        XCTAssertThrowsError(try t.numericColumn("rt")) { error in
            XCTAssertEqual(error as? DataError,
                           .nonNumeric(file: "rt.csv", line: 3, column: "rt", columnNumber: 3, value: "31O"))
            let message = String(describing: error)
            XCTAssertTrue(message.contains("rt.csv:3"), message)
            XCTAssertTrue(message.contains("'31O'"), message)
            XCTAssertTrue(message.contains("column 3"), message)
        }
        XCTAssertThrowsError(try t.numericColumn("b")) { error in
            XCTAssertEqual(error as? DataError,
                           .nonNumeric(file: "rt.csv", line: 2, column: "b", columnNumber: 2, value: "x"))
        }
    }

    func testNumberSyntax() {
        for good in ["1", "-2.5", "+3", ".5", "5.", "1e-3", "2E+10", " 7 ", "Inf", "-Inf"] {
            XCTAssertNotNil(DecimalNumber.parse(good), good)
        }
        for bad in ["", "abc", "1,5", "0x10", "1e", "e5", "--1", "1.2.3", "nan", "1 2", "."] {
            XCTAssertNil(DecimalNumber.parse(bad), bad)
        }
        XCTAssertEqual(DecimalNumber.parse("-1e-3"), -0.001)
    }

    func testStructuralErrors() {
        XCTAssertThrowsError(try DataTable(text: "a,b\n1,2\n3\n", sourceName: "f.csv")) { error in
            XCTAssertEqual(error as? DataError, .raggedRow(file: "f.csv", line: 3, expected: 2, got: 1))
            XCTAssertTrue(String(describing: error).contains("f.csv:3"))
        }
        XCTAssertThrowsError(try DataTable(text: "a,b\n1,2\n3,\"abc\n4,5\n", sourceName: "f.csv")) { error in
            XCTAssertEqual(error as? DataError, .unterminatedQuote(file: "f.csv", line: 3))
        }
        XCTAssertThrowsError(try DataTable(text: "\n\n", sourceName: "e.csv")) { error in
            XCTAssertEqual(error as? DataError, .emptyFile(file: "e.csv"))
        }
        XCTAssertThrowsError(try DataTable(text: "a,b,a\n1,2,3\n", sourceName: "d.csv")) { error in
            XCTAssertEqual(error as? DataError, .duplicateColumn(file: "d.csv", name: "a"))
        }
        let t = try? DataTable(text: "a,b\n1,2\n")
        XCTAssertThrowsError(try t?.textColumn("c")) { error in
            XCTAssertEqual(error as? DataError, .unknownColumn(name: "c", available: ["a", "b"]))
            XCTAssertTrue(String(describing: error).contains("'a', 'b'"))
        }
    }

    func testHeaderOnlyAndNoTrailingNewline() throws {
        let header = try DataTable(text: "x,y")
        XCTAssertEqual(header.rowCount, 0)
        XCTAssertEqual(header.columnNames, ["x", "y"])
        let last = try DataTable(text: "\u{FEFF}x,y\n1,2")
        XCTAssertEqual(last.columnNames, ["x", "y"])
        XCTAssertEqual(try last.numericColumn("y"), [2])
    }

    func testColumnsInitializer() throws {
        let t = DataTable(columns: [("g", ["a", "b", nil]), ("x", ["1", "NA", "3"])], sourceName: "built")
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(try t.numericColumn("x"), [1, nil, 3])
        XCTAssertEqual(try t.textColumn("g"), ["a", "b", nil])
        XCTAssertEqual(t.lineNumber(ofRow: 0), 2)
        XCTAssertTrue(t.hasColumn("g"))
        XCTAssertFalse(t.hasColumn("G"))
    }

    func testLoadFromFile() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("datatable-test-\(ProcessInfo.processInfo.processIdentifier).tsv")
        try "subj\trt\ns1\t312\ns2\tNA\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try DataTable.load(path: url.path)
        XCTAssertEqual(t.sourceName, url.path)
        XCTAssertEqual(try t.numericColumn("rt"), [312, nil])

        XCTAssertThrowsError(try DataTable.load(path: "/nonexistent/dir/file.csv")) { error in
            guard case .cannotRead(let file, _)? = error as? DataError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(file, "/nonexistent/dir/file.csv")
        }
    }

    func testRNumberFormatting() {
        XCTAssertEqual(rNumberString(1), "1")
        XCTAssertEqual(rNumberString(2.5), "2.5")
        XCTAssertEqual(rNumberString(308), "308")
        XCTAssertEqual(rNumberString(-0.25), "-0.25")
        XCTAssertEqual(rNumberString(100000), "1e+05")
        XCTAssertEqual(rNumberString(120000), "120000")
        XCTAssertEqual(rNumberString(-3000), "-3000")
        XCTAssertEqual(rNumberString(1e15), "1e+15")
        XCTAssertEqual(rNumberString(123456789012), "123456789012")
        XCTAssertEqual(rNumberString(123456), "123456")
        XCTAssertEqual(rNumberString(0.0001), "1e-04")
        XCTAssertEqual(rNumberString(0.001), "0.001")
        XCTAssertEqual(rNumberString(0.1 + 0.2), "0.3")
        XCTAssertEqual(rNumberString(1.0 / 3.0), "0.333333333333333")
    }

    func testRCollationOrder() {
        let sorted = ["b", "B", "A", "a", "c10", "c9", "ab"].sorted(by: rCollationLess)
        XCTAssertEqual(sorted, ["a", "A", "ab", "b", "B", "c10", "c9"])
    }

    // MARK: Fast paths agree with the String-based rules

    /// The byte parser on `s` (as the loader calls it).
    private func fastParse(_ s: String) -> Double? {
        let bytes = Array(s.utf8) + [0]
        return bytes.withUnsafeBufferPointer { DecimalNumber.parse($0.baseAddress!, 0, bytes.count - 1) }
    }

    private func fastIsMissing(_ s: String) -> Bool {
        let bytes = Array(s.utf8) + [0]
        return bytes.withUnsafeBufferPointer { MissingValue.isMissing($0.baseAddress!, 0, bytes.count - 1) }
    }

    /// Checks that the fast parser returns exactly (bit for bit) what `parseNumber(String)` returns,
    /// and that a number is exactly `Double(_:)` of the trimmed text.
    private func checkNumber(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        let fast = fastParse(s)
        let reference = DecimalNumber.parse(s)
        XCTAssertEqual(fast?.bitPattern, reference?.bitPattern, "'\(s)'", file: file, line: line)
        if let fast {
            let double = Double(String(MissingValue.trimmed(s)))
            XCTAssertEqual(fast.bitPattern, double?.bitPattern, "'\(s)' vs Double(_:)", file: file, line: line)
        }
    }

    func testFastNumberParsingIsBitIdenticalToDouble() {
        let edgeCases = [
            "0.1", "1e22", "1e23", "123456789012345678", "-0", ".5", "5.", "1E-5", "  3 ", "Inf",
            "0", "+0", "-0.0", "0e999", "-0e-999", "1e-22", "1e-23", "22e21", "9007199254740992",
            "9007199254740993", "-9007199254740993", "18014398509481985", "1234567890123456789",
            "12345678901234567890", "99999999999999999999999", "0.30000000000000004", "2.675",
            "1.00000000000000011102230246251565404236316680908203125", "4.9e-324", "2.4703282292062327e-324",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308", "1.8e308", "1e309",
            "-1e400", "1e-400", "0.000000000000000000000000000001", "00000000000000000000000001.5",
            "1.000000000000000000000000001", "3.141592653589793238462643383279", "+.5e+3", "5.e2", "1e+0022",
            "1e0000000000000000000022", "1e99999999999999999999", "1e-99999999999999999999",
            "-Infinity", "INF", "+inf", "iNfInItY", "infinit", "infinityy", "nan", "NaN", "-", "+", ".", "e5",
            "1e", "1e+", "1.2.3", "0x10", "1,5", "1 2", "\t42\t", " -7.25 ", "\u{A0}7", " \u{A0}7", "7\u{A0} ",
            "\u{2003} 8", "\u{FF17}", "1\u{301}", " I\u{301}nf", "1d5", "1f", "١",
        ]
        for s in edgeCases { checkNumber(s) }

        // Random decimal strings: sign, up to 25 integer and fraction digits, optional exponent.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(next(10))) })
        }
        for _ in 0..<50_000 {
            var s = ["", "-", "+"][next(3)]
            let intDigits = [0, 1, 1, 2, 3, 5, 8, 15, 16, 17, 19, 20, 25][next(13)]
            s += digits(intDigits)
            if next(3) > 0 { s += "." + digits([0, 1, 2, 3, 6, 10, 15, 20][next(8)]) }
            if next(2) == 0 { s += ["e", "E"][next(2)] + ["", "-", "+"][next(3)] + String(next(40)) }
            if next(20) == 0 { s = " " + s + "\t" }
            checkNumber(s)
        }
        // Exactly representable integers and short decimals near the fast-path limits.
        for k in 0..<2_000 {
            checkNumber(String(9_007_199_254_740_992 - 1_000 + k))
            checkNumber("\(k).\(k)e-\(k % 30)")
            checkNumber("0.\(k)e\(k % 30)")
        }
    }

    func testFastMissingTokensAgreeWithStringRules() {
        let cases = ["", " ", "\t", "NA", " NA", "NA\t", " NA ", ".", " . ", "NaN", " NaN", "na", "N A", "NAN",
                     "\u{A0}NA", " \u{A0}NA", "NA\u{A0} ", "\t\u{2003}.", "\u{A0}", " \u{A0} ", "x", " NA x",
                     "..", "NaNa", "\u{301}"]
        for s in cases {
            XCTAssertEqual(fastIsMissing(s), MissingValue.isMissing(s), "'\(s)'")
        }
    }

    func testDistinctValues() throws {
        let t = DataTable(columns: [("g", ["b", "a", nil, "b", " NA", "é", "e\u{301}", "a"])])
        let (values, codes) = try t.distinctValues("g")
        // Distinct as byte strings (canonically equivalent spellings stay apart here).
        XCTAssertEqual(values.map { Array($0.utf8) }, ["b", "a", "é", "e\u{301}"].map { Array($0.utf8) })
        XCTAssertEqual(codes, [0, 1, -1, 0, -1, 2, 3, 1])
        XCTAssertEqual(try t.missingMask("g"), [false, false, true, false, true, false, false, false])

        // Many distinct values (the hash table grows).
        let many = DataTable(columns: [("x", (0..<5_000).map { "v\($0 % 1_777)" })])
        let (manyValues, manyCodes) = try many.distinctValues("x")
        XCTAssertEqual(manyValues, (0..<1_777).map { "v\($0)" })
        XCTAssertEqual(manyCodes, (0..<5_000).map { Int32($0 % 1_777) })
        XCTAssertThrowsError(try many.distinctValues("y"))
    }

    /// Random small delimited texts (quotes, CR/LF, blank lines, missing tokens, numbers, non-ASCII)
    /// read by the loader and by the previous String-per-cell reader give the same table or error.
    func testLoaderMatchesReferenceReaderOnRandomInput() throws {
        let pieces = ["a", "b", "1", "2.5", "-3", "1e3", ".", "NA", "NaN", " ", "\t", ",", ",", ";", "\"", "\"\"",
                      "\n", "\n", "\r\n", "\r", "é", "\u{A0}", "x y", "Inf", "0", ",\"q,\"", "\"\n\""]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var compared = 0
        for trial in 0..<4_000 {
            var text = ""
            if trial % 2 == 0 {
                text = ["", "h1,h2\n", "h1\th2\tNA\n", "a;b\n", "\u{FEFF}x,y\n", "\"p\",q\n"][next(6)]
                for _ in 0..<next(40) { text += pieces[next(pieces.count)] }
            } else {
                // Rows with the header's number of fields: plain values, or quoted text with
                // delimiters, quotes and line breaks inside; blank lines and CRLF here and there.
                let delimiter = [",", "\t", ";"][next(3)]
                let columns = 1 + next(4)
                let values = ["1", "-2.5", " 3 ", "1e5", "NA", " NA ", ".", "", "NaN", "abc", "é", "\u{A0}NA",
                               " \u{A0}", "Inf", "0x1", "12345678901234567890", "\"a\"\"b\"", "\"x\(delimiter)y\"",
                               "\"l1\nl2\"", " \"q\" ", "\"\"", "\"7\"", "a\"b", "\r"]
                text = (0..<columns).map { "c\($0)" }.joined(separator: delimiter) + ["\n", "\r\n"][next(2)]
                for _ in 0..<next(8) {
                    if next(8) == 0 { text += ["\n", " \n", "\t\r\n", "\u{A0}\n"][next(4)] }
                    text += (0..<columns).map { _ in values[next(values.count)] }.joined(separator: delimiter)
                    if next(6) > 0 { text += ["\n", "\r\n"][next(2)] }
                }
            }
            let reference: Result<ReferenceTable, Error> = Result { try ReferenceTable(text: text) }
            let fast: Result<DataTable, Error> = Result { try DataTable(text: text, sourceName: "<memory>") }
            switch (reference, fast) {
            case let (.failure(e1), .failure(e2)):
                XCTAssertEqual(e1 as? DataError, e2 as? DataError, "trial \(trial): \(text.debugDescription)")
            case let (.success(r), .success(t)):
                compared += 1
                let message = "trial \(trial): \(text.debugDescription)"
                XCTAssertEqual(t.columnNames, r.names, message)
                XCTAssertEqual(t.rowCount, r.lines.count, message)
                XCTAssertEqual((0..<t.rowCount).map { t.lineNumber(ofRow: $0) }, r.lines, message)
                for (j, name) in r.names.enumerated() where r.names.firstIndex(of: name) == j {
                    XCTAssertEqual(try t.textColumn(name), r.columns[j], message)
                    for row in 0..<t.rowCount {
                        XCTAssertEqual(try t.value(row: row, column: name), r.columns[j][row], message)
                    }
                    let bad = r.columns[j].firstIndex { v in v.map { DecimalNumber.parse($0) == nil } ?? false }
                    XCTAssertEqual(t.isNumeric(name), bad == nil, message)
                    if let bad {
                        XCTAssertThrowsError(try t.numericColumn(name)) { error in
                            XCTAssertEqual(error as? DataError,
                                           .nonNumeric(file: "<memory>", line: r.lines[bad], column: name,
                                                       columnNumber: j + 1, value: r.columns[j][bad] ?? ""), message)
                        }
                    } else {
                        let expected = r.columns[j].map { $0.flatMap(DecimalNumber.parse)?.bitPattern }
                        XCTAssertEqual(try t.numericColumn(name).map { $0?.bitPattern }, expected, message)
                    }
                }
            default:
                XCTFail("trial \(trial): one reader failed, the other did not: \(text.debugDescription) \(reference) \(fast)")
            }
        }
        XCTAssertGreaterThan(compared, 1_500)
    }
}

/// A plain reader (one String per cell) of the rules in `TablesModule`, the reference for the
/// loader's behaviour.
private struct ReferenceTable {
    var names: [String] = []
    var columns: [[String?]] = []
    var lines: [Int] = []

    init(text: String, sourceName: String = "<memory>") throws {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let delimiter = ReferenceTable.detectDelimiter(bytes)
        var header: [String]? = nil
        var columns: [[String?]] = []
        var lines: [Int] = []
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var fields: [(text: String, quoted: Bool)] = []
        var field: [UInt8] = []
        var quoted = false
        var closed = false   // the field's closing quote has been read
        var lineStart = 0
        var inQuotes = false
        var quoteLine = 0
        var line = 1
        var recordLine = 1
        var i = 0
        let n = bytes.count
        func endField() {
            fields.append((String(decoding: field, as: UTF8.self), quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
            closed = false
        }
        func endRecord() throws {
            defer { fields.removeAll(keepingCapacity: true) }
            if fields.isEmpty { return }
            if fields.count == 1, !fields[0].quoted,
               fields[0].text.trimmingCharacters(in: .whitespaces).isEmpty { return }
            guard let names = header else {
                let names = fields.map { $0.quoted ? $0.text : $0.text.trimmingCharacters(in: .whitespaces) }
                var seen = Set<String>()
                for name in names where !seen.insert(name).inserted {
                    throw DataError.duplicateColumn(file: sourceName, name: name)
                }
                header = names
                columns = Array(repeating: [], count: names.count)
                return
            }
            guard fields.count == names.count else {
                throw DataError.raggedRow(file: sourceName, line: recordLine, expected: names.count, got: fields.count)
            }
            for (j, f) in fields.enumerated() {
                columns[j].append(MissingValue.isMissing(f.text) ? nil : f.text)
            }
            lines.append(recordLine)
        }
        while i < n {
            let c = bytes[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < n, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    closed = true
                } else {
                    if c == lf { line += 1; lineStart = i + 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            if c == cr && (i + 1 == n || bytes[i + 1] == lf) { i += 1; continue }   // CRLF, or CR at the end
            if delimiter == nil {   // white space separates; no quoting
                switch c {
                case space, tab, cr:
                    if !field.isEmpty { endField() }
                case lf:
                    if !field.isEmpty { endField() }
                    try endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case quote where !quoted && field.allSatisfy({ $0 == space || $0 == tab && delimiter != tab }):
                field.removeAll(keepingCapacity: true)
                quoted = true
                inQuotes = true
                quoteLine = line
            case delimiter:
                endField()
            case lf:
                endField()
                try endRecord()
                line += 1
                lineStart = i + 1
                recordLine = line
            default:
                if closed {
                    // Only blanks may follow a closing quote.
                    guard c == space || c == tab else {
                        throw DataError.textAfterQuote(file: sourceName, line: line, column: i - lineStart + 1)
                    }
                } else {
                    field.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw DataError.unterminatedQuote(file: sourceName, line: quoteLine) }
        if !field.isEmpty || quoted || !fields.isEmpty {
            if delimiter != nil || !field.isEmpty { endField() }
            try endRecord()
        }
        guard let names = header else { throw DataError.emptyFile(file: sourceName) }
        self.names = names
        self.columns = columns
        self.lines = lines
    }

    /// The separator byte, or nil for white space (none of tab, comma, semicolon on the line).
    private static func detectDelimiter(_ bytes: [UInt8]) -> UInt8? {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")
        let candidates: [UInt8] = [UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";")]
        var counts = [0, 0, 0]
        var inQuotes = false
        var sawContent = false
        for c in bytes {
            if c == quote { inQuotes.toggle(); sawContent = true; continue }
            if inQuotes { continue }
            if c == lf {
                if sawContent { break } else { continue }
            }
            if c != UInt8(ascii: "\r") && c != UInt8(ascii: " ") { sawContent = true }
            if let k = candidates.firstIndex(of: c) { counts[k] += 1 }
        }
        guard let best = counts.max(), best > 0, let k = counts.firstIndex(of: best) else { return nil }
        return candidates[k]
    }
}
