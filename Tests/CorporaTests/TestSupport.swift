import Foundation
import XCTest
@testable import Corpora

/// Helpers shared by the corpus tests: a scratch folder per test, fixture writing, the shared
/// Natural Stories folder, and a tiny `.xlsx` writer (stored zip) for GECO fixtures.
enum Fixture {
    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/corpora/naturalstories` beside the package, or a skip with a clear message.
    static func naturalStoriesFolder() throws -> String {
        let dir = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/naturalstories")
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("all_stories.tok").path),
              FileManager.default.fileExists(atPath: dir.appendingPathComponent("processed_wordinfo.tsv").path) else {
            throw XCTSkip("Natural Stories files not found at \(dir.path) (the shared folder beside the checkout); skipping the real-corpus check")
        }
        return dir.path
    }

    /// A new empty folder under the temporary directory.
    static func folder(_ name: String = #function) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtpipe-corpora-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// Writes UTF-8 text to `folder/name` and returns the path.
    @discardableResult
    static func write(_ text: String, _ name: String, in folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes raw bytes to `folder/name`.
    @discardableResult
    static func write(bytes: [UInt8], _ name: String, in folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Latin-1 bytes of a string whose characters are all below U+0100.
    static func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }
}

/// Writes minimal `.xlsx` workbooks: every sheet's cells are given as text; cells that parse as
/// numbers are written as numbers, others as shared strings (or inline strings, to cover both).
enum XLSXFixture {
    static func workbook(_ sheets: [(name: String, rows: [[String]])], inlineStrings: Bool = false) -> [UInt8] {
        var shared: [String] = [], sharedIndex: [String: Int] = [:]
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func column(_ i: Int) -> String {
            var n = i + 1, s = ""
            while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
            return s
        }
        var files: [(String, String)] = []
        for (k, sheet) in sheets.enumerated() {
            var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            for (r, row) in sheet.rows.enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, cell) in row.enumerated() where !cell.isEmpty {
                    let ref = "\(column(c))\(r + 1)"
                    if Double(cell) != nil {
                        xml += "<c r=\"\(ref)\"><v>\(cell)</v></c>"
                    } else if inlineStrings {
                        xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(esc(cell))</t></is></c>"
                    } else {
                        let i = sharedIndex[cell] ?? { shared.append(cell); sharedIndex[cell] = shared.count - 1; return shared.count - 1 }()
                        xml += "<c r=\"\(ref)\" t=\"s\"><v>\(i)</v></c>"
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData></worksheet>"
            files.append(("xl/worksheets/sheet\(k + 1).xml", xml))
        }
        let sheetList = sheets.enumerated().map { "<sheet name=\"\($0.element.name)\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined()
        let rels = sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
        // Shared strings: the first one written as a rich-text run pair to cover <r><t>.
        let si = shared.enumerated().map { i, s -> String in
            if s.contains(" ") { return "<si><r><t>\(esc(String(s.prefix(1))))</t></r><r><rPr><b/></rPr><t>\(esc(String(s.dropFirst())))</t></r></si>" }
            return "<si><t xml:space=\"preserve\">\(esc(s))</t></si>"
        }.joined()
        files += [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"# + sheetList + "</sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"# + rels + "</Relationships>"),
            ("xl/sharedStrings.xml", #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(shared.count)">"# + si + "</sst>"),
        ]
        return StoredZip.archive(files.map { ($0.0, Array($0.1.utf8)) })
    }
}

/// A zip archive with stored (uncompressed) entries — enough for test workbooks.
enum StoredZip {
    static func archive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
        for e in entries {
            let name = Array(e.name.utf8), crc = crc32(e.data), offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(e.data.count), &out); u32(UInt32(e.data.count), &out); u16(name.count, &out); u16(0, &out)
            out += name + e.data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0x21, &central)
            u32(crc, &central); u32(UInt32(e.data.count), &central); u32(UInt32(e.data.count), &central)
            u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central)
            central += name
        }
        let cdOffset = out.count
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(UInt32(cdOffset), &out); u16(0, &out)
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Assertion helpers.
extension XCTestCase {
    /// Asserts that `body` throws a `CorpusError` whose description contains every fragment.
    func assertCorpusError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected an error containing \(fragments)", file: file, line: line)
        } catch let e as CorpusError {
            for f in fragments { XCTAssertTrue(e.description.contains(f), "error '\(e.description)' lacks '\(f)'", file: file, line: line) }
        } catch {
            XCTFail("expected a CorpusError, got \(error)", file: file, line: line)
        }
    }

    /// The value of `measure` for `subject` on the word at `position` of `text`.
    func value(_ data: CorpusData, _ measure: Measure, subject: String, text: String, position: Int) -> Double?? {
        guard let w = data.corpus.wordID(text: text, position: position), let s = data.measurements.subjects.firstIndex(of: subject),
              let column = data.measurements.values(measure) else { return .none }
        for i in 0..<data.measurements.count where data.measurements.word[i] == w && data.measurements.subject[i] == s { return .some(column[i]) }
        return .none
    }
}
