import Corpora
import Foundation
import ZIPFoundation

/// GECO's `.xlsx` reading data. Fuzzing the zip bytes would mostly exercise the archive's own
/// checks (CRCs), so the input is the two XML parts rtpipe parses — the sheet and the shared
/// strings, separated by a NUL byte — and the target packs them into a workbook with a fixed
/// `xl/workbook.xml` and relationships.
enum WorkbookTarget {
    static let workbookXML = #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DATA" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    static let relsXML = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#

    /// A stored (uncompressed) zip of `entries`, made in memory.
    static func zip(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 0)) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return [UInt8](archive.data ?? Data())
    }

    /// A sheet row of cells: numbers as `<v>`, `s:N` as a shared-string index, other text inline.
    static func row(_ r: Int, _ cells: [String]) -> String {
        let columns = Array("ABCDEFGHIJ")
        var xml = "<row r=\"\(r)\">"
        for (c, cell) in cells.enumerated() {
            let ref = "\(columns[c])\(r)"
            if cell.hasPrefix("s:") { xml += "<c r=\"\(ref)\" t=\"s\"><v>\(cell.dropFirst(2))</v></c>" }
            else if Double(cell) != nil { xml += "<c r=\"\(ref)\"><v>\(cell)</v></c>" }
            else { xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(cell)</t></is></c>" }
        }
        return xml + "</row>"
    }

    static let seedSheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        + row(1, ["PP_NR", "PART", "TRIAL", "WORD_ID", "WORD", "WORD_FIRST_FIXATION_DURATION", "WORD_GAZE_DURATION",
                  "WORD_GO_PAST_TIME", "WORD_TOTAL_READING_TIME", "WORD_SKIP"])
        + row(2, ["s:0", "1", "1", "1-1-1", "s:1", "180", "180", "180", "180", "0"])
        + row(3, ["s:0", "1", "1", "1-1-2", "was", ".", ".", ".", "0", "1"])
        + row(4, ["pp02", "1", "1", "1-1-3", "late.", "200", "350", "420", "350", "0"])
        + row(5, ["pp02", "2", "1", "2-1-2", "indeed.", "230", "230", "230", "230", "0"])
        + "</sheetData></worksheet>"
    static let seedStrings = #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2"><si><t xml:space="preserve">pp01</t></si><si><r><t>I</t></r><r><rPr><b/></rPr><t>t</t></r></si></sst>"#

    static let target = CorpusTargets.target(
        "corpus-geco-xlsx", "GECO MonolingualReadingData.xlsx: sheet and shared-strings XML, NUL-separated (XLSXWorkbook)",
        fuzzed: "MonolingualReadingData.xlsx.parts", files: [("EnglishMaterial.csv", CorpusTargets.gecoMaterial)],
        seeds: [("sheet-and-strings.xml", utf8(seedSheet) + [0] + utf8(seedStrings))]
    ) { folder, parts in
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: parts)))
        let split = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        var entries = [("xl/workbook.xml", utf8(workbookXML)), ("xl/_rels/workbook.xml.rels", utf8(relsXML)),
                       ("xl/worksheets/sheet1.xml", Array(split[0]))]
        if split.count > 1 { entries.append(("xl/sharedStrings.xml", Array(split[1]))) }
        try FuzzScratch.write(try zip(entries), "MonolingualReadingData.xlsx", in: folder)
        return try GECOReader.load(path: folder)
    }
}
