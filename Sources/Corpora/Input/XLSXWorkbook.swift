import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal reader for `.xlsx` workbooks as Excel writes them (GECO's files): the zip archive
/// is opened with ZIPFoundation and the sheet XML is parsed with Foundation's `XMLParser`.
/// Cell values are returned as text (shared strings resolved, numbers as written); formatting,
/// formulas and dates are not interpreted.
public struct XLSXWorkbook {
    /// The workbook's path (for messages).
    public let file: String
    /// Sheet names in workbook order.
    public let sheetNames: [String]
    private let archive: Archive
    private let sheetPaths: [String: String]
    private let sharedStrings: [String]

    /// Opens the workbook at `path`.
    public init(path: String) throws {
        file = path
        guard FileManager.default.fileExists(atPath: path) else { throw CorpusError("file not found", file: path) }
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw CorpusError("not a readable .xlsx (zip) file: \(error)", file: path)
        }
        let workbookXML = try Self.entry(archive, "xl/workbook.xml", file: path)
        let relsXML = try Self.entry(archive, "xl/_rels/workbook.xml.rels", file: path)
        let sheets = try XMLElements.collect(workbookXML, element: "sheet", file: "\(path) (xl/workbook.xml)")
        let rels = try XMLElements.collect(relsXML, element: "Relationship", file: "\(path) (xl/_rels/workbook.xml.rels)")
        var targets: [String: String] = [:]
        for r in rels { if let id = r["Id"], let t = r["Target"] { targets[id] = t.hasPrefix("/") ? String(t.dropFirst()) : "xl/" + t } }
        var names: [String] = [], paths: [String: String] = [:]
        for s in sheets {
            guard let name = s["name"], let rid = s["r:id"] ?? s.first(where: { $0.key.hasSuffix(":id") })?.value, let target = targets[rid] else { continue }
            names.append(name)
            paths[name] = target
        }
        sheetNames = names
        sheetPaths = paths
        if archive["xl/sharedStrings.xml"] != nil {
            sharedStrings = try SharedStringsParser.parse(try Self.entry(archive, "xl/sharedStrings.xml", file: path), file: "\(path) (xl/sharedStrings.xml)")
        } else {
            sharedStrings = []
        }
    }

    /// The sheet named `name` (or the first sheet when nil) as a table whose first row is the header.
    public func sheet(_ name: String? = nil) throws -> XLSXSheet {
        guard let chosen = name ?? sheetNames.first else { throw CorpusError("the workbook has no sheets", file: file) }
        guard let path = sheetPaths[chosen] else {
            throw CorpusError("no sheet named '\(chosen)'; the workbook has \(sheetNames.map { "'\($0)'" }.joined(separator: ", "))", file: file)
        }
        let label = "\(file)[\(chosen)]"
        let xml = try Self.entry(archive, path, file: file)
        let rows = try SheetParser.parse(xml, sharedStrings: sharedStrings, file: label)
        guard let first = rows.first else { throw CorpusError("the sheet is empty", file: label) }
        return XLSXSheet(file: label, header: first.cells.map { $0.trimmingCharacters(in: .whitespaces) }, rows: Array(rows.dropFirst()))
    }

    private static func entry(_ archive: Archive, _ path: String, file: String) throws -> Data {
        guard let e = archive[path] else { throw CorpusError("not an .xlsx workbook: it has no \(path)", file: file) }
        var data = Data()
        do { _ = try archive.extract(e) { data.append($0) } } catch {
            throw CorpusError("cannot unpack \(path): \(error)", file: file)
        }
        try checkUTF8(data, part: "\(file) (\(path))")
        return data
    }

    /// Workbook parts are UTF-8 XML (or UTF-16 with a byte-order mark, left to the parser).
    /// Foundation's XMLParser traps on an element name that is not valid UTF-8, so a damaged
    /// part is refused here, naming its line and column.
    ///
    /// Processing instructions (`<?name data?>`) other than the XML declaration at the very start
    /// are refused too: spreadsheet programs write none, and Foundation's XMLParser crashes on
    /// one without data (`<?xml?>` inside a document; found by fuzzing).
    static func checkUTF8(_ data: Data, part: String) throws {
        let bytes = [UInt8](data)
        let text: String
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            guard let decoded = String(data: data, encoding: .utf16) else { throw CorpusError("a UTF-16 part that does not decode: the workbook is damaged", file: part) }
            text = decoded
        } else {
            if let bad = TextDecoding.firstInvalidUTF8(bytes[...]) {
                let (line, column) = TextDecoding.lineAndColumn(bytes, bad)
                throw CorpusError(String(format: "byte 0x%02X is not valid UTF-8: the workbook is damaged", bytes[bad]), file: part, line: line, column: column)
            }
            text = String(decoding: bytes, as: UTF8.self)
        }
        let scalars = Array(text.unicodeScalars)
        var line = 1, column = 1
        for (i, c) in scalars.enumerated() {
            if c == "<", i + 1 < scalars.count, scalars[i + 1] == "?", i > (scalars.first == "\u{FEFF}" ? 1 : 0) {
                throw CorpusError("a processing instruction (<?…?>) inside a workbook part: spreadsheet programs write none; the workbook is damaged",
                                  file: part, line: line, column: column)
            }
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
    }
}

/// One sheet of a workbook: a header row and data rows, each remembering its spreadsheet row
/// number (reported as the "line" in messages).
public struct XLSXSheet: TableSource {
    public let file: String
    public let header: [String]
    let rows: [(number: Int, cells: [String])]

    public func forEachRow(expectedFields: Int?, _ body: (TableRow) throws -> Void) throws {
        let width = expectedFields ?? header.count
        for r in rows {
            var cells = r.cells
            if cells.allSatisfy({ $0.isEmpty }) { continue }
            if cells.count > width {
                if cells[width...].allSatisfy({ $0.isEmpty }) { cells.removeLast(cells.count - width) } else {
                    throw CorpusError("row has \(cells.count) cells but the header has \(width)", file: file, line: r.number)
                }
            }
            // Spreadsheets leave trailing empty cells out; they are empty, not truncated.
            if cells.count < width { cells += Array(repeating: "", count: width - cells.count) }
            try body(TableRow(file: file, line: r.number, fields: cells, header: header))
        }
    }
}

/// Collects the attributes of every element with a given name.
enum XMLElements {
    static func collect(_ data: Data, element: String, file: String) throws -> [[String: String]] {
        final class Delegate: NSObject, XMLParserDelegate {
            let name: String
            var found: [[String: String]] = []
            init(_ name: String) { self.name = name }
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes: [String: String] = [:]) {
                if elementName == name || elementName.hasSuffix(":" + name) { found.append(attributes) }
            }
        }
        let parser = XMLParser(data: data)
        let d = Delegate(element)
        parser.delegate = d
        guard parser.parse() else { throw CorpusError("malformed XML at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "unknown error")", file: file) }
        return d.found
    }
}

/// Parses `xl/sharedStrings.xml`: each `<si>` is one string, the concatenation of its `<t>`
/// texts (rich-text runs included, phonetic `<rPh>` runs left out).
enum SharedStringsParser {
    static func parse(_ data: Data, file: String) throws -> [String] {
        final class Delegate: NSObject, XMLParserDelegate {
            var strings: [String] = []
            var current = ""
            var inT = false, inPhonetic = false
            func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                switch e {
                case "si": current = ""
                case "t": inT = true
                case "rPh": inPhonetic = true
                default: break
                }
            }
            func parser(_ parser: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                switch e {
                case "si": strings.append(current)
                case "t": inT = false
                case "rPh": inPhonetic = false
                default: break
                }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if inT && !inPhonetic { current += string } }
        }
        let parser = XMLParser(data: data)
        let d = Delegate()
        parser.delegate = d
        guard parser.parse() else { throw CorpusError("malformed XML at line \(parser.lineNumber)", file: file) }
        return d.strings
    }
}

/// Parses a worksheet's `<sheetData>` into rows of cell texts, placing cells by their
/// reference ("C7") so that empty cells Excel leaves out become empty strings.
enum SheetParser {
    static func parse(_ data: Data, sharedStrings: [String], file: String) throws -> [(number: Int, cells: [String])] {
        final class Delegate: NSObject, XMLParserDelegate {
            let shared: [String]
            var rows: [(number: Int, cells: [String])] = []
            var cells: [String] = []
            var rowNumber = 0
            var cellColumn = 0, cellType = "", cellText = ""
            var inValue = false, inInline = false
            var problem: String?
            init(_ shared: [String]) { self.shared = shared }
            func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
                switch e {
                case "row":
                    rowNumber = a["r"].flatMap { Int($0) } ?? rowNumber + 1
                    cells = []
                case "c":
                    cellType = a["t"] ?? "n"
                    cellText = ""
                    cellColumn = a["r"].flatMap(SheetParser.columnIndex) ?? cells.count
                    if cellColumn >= SheetParser.maxColumns {
                        problem = problem ?? "row \(rowNumber): cell reference '\(a["r"] ?? "")' lies beyond Excel's last column XFD"
                        cellColumn = -1   // not stored
                    }
                case "v": inValue = true
                case "is": inInline = true
                case "t": if inInline { inValue = true }
                default: break
                }
            }
            func parser(_ parser: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                switch e {
                case "v": inValue = false
                case "t": if inInline { inValue = false }
                case "is": inInline = false
                case "c":
                    var value = cellText
                    if cellType == "s" {
                        if let i = Int(cellText.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count { value = shared[i] } else {
                            problem = problem ?? "row \(rowNumber): shared-string index '\(cellText)' is out of range"
                            value = ""
                        }
                    } else if cellType == "b" {
                        value = cellText == "1" ? "TRUE" : "FALSE"
                    }
                    guard cellColumn >= 0 else { break }
                    if cellColumn >= cells.count { cells += Array(repeating: "", count: cellColumn - cells.count + 1) }
                    cells[cellColumn] = value
                case "row": rows.append((rowNumber, cells))
                default: break
                }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { cellText += string } }
        }
        let parser = XMLParser(data: data)
        let d = Delegate(sharedStrings)
        parser.delegate = d
        guard parser.parse() else { throw CorpusError("malformed sheet XML at line \(parser.lineNumber)", file: file) }
        if let p = d.problem { throw CorpusError(p, file: file) }
        return d.rows
    }

    /// Excel's number of columns (A … XFD).
    static let maxColumns = 16_384

    /// 0-based column index of a cell reference such as "AB12" (nil if it has no letters).
    /// Saturates at `Int32.max` for absurdly long references instead of overflowing.
    static func columnIndex(_ reference: String) -> Int? {
        var n = 0, seen = false
        for u in reference.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 || u.value >= 97 && u.value <= 122 else { break }
            n = min(n * 26 + Int((u.value & ~0x20) - 64), Int(Int32.max))
            seen = true
        }
        return seen ? n - 1 : nil
    }
}
