/// Something with a header and rows that readers can go through: a CSV/TSV file or a sheet of
/// an `.xlsx` workbook. Column look-ups and row errors name the file and line (or sheet row).
public protocol TableSource {
    /// The file (and sheet) name used in messages.
    var file: String { get }
    /// The header fields.
    var header: [String] { get }
    /// Calls `body` for each data row, in order.
    func forEachRow(expectedFields: Int?, _ body: (TableRow) throws -> Void) throws
}

extension TableSource {
    /// The index of the first of `names` in the header (exact, then ignoring case).
    public func column(_ names: [String]) -> Int? {
        for n in names { if let i = header.firstIndex(of: n) { return i } }
        for n in names { if let i = header.firstIndex(where: { $0.lowercased() == n.lowercased() }) { return i } }
        return nil
    }

    /// The index of a column that must exist; the error lists the columns that are there.
    public func requireColumn(_ name: String, aliases: [String] = []) throws -> Int {
        if let i = column([name] + aliases) { return i }
        let shown = header.prefix(30).map { "'\($0)'" }.joined(separator: ", ")
        throw CorpusError("missing column '\(name)'\(aliases.isEmpty ? "" : " (or \(aliases.map { "'\($0)'" }.joined(separator: ", ")))"); the header has \(shown)\(header.count > 30 ? ", …" : "")",
                          file: file, line: 1)
    }

    /// Calls `body` for each row, checking that every row is as wide as the header.
    public func forEachRow(_ body: (TableRow) throws -> Void) throws { try forEachRow(expectedFields: nil, body) }
}

extension DelimitedFile: TableSource {}
