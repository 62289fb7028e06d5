import Corpora
import Foundation
import MixedModels

extension DataTable {
    /// The export's word table as a regression table, in memory: the same columns, cells and
    /// errors as writing `table.tsv()` and reading it back, without the text in between.
    /// (Header names are trimmed unless `tsv()` would quote them, as the reader does.)
    init(_ table: WordTable, sourceName: String) throws {
        let names = table.header.map { name in
            name.contains(where: { $0 == "\"" || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                ? name
                : name.trimmingCharacters(in: .whitespaces)
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw DataError.duplicateColumn(file: sourceName, name: name)
        }
        for (i, row) in table.rows.enumerated() where row.count != names.count {
            throw DataError.raggedRow(file: sourceName, line: i + 2, expected: names.count, got: row.count)
        }
        let columns = names.indices.map { j in (names[j], table.rows.map { Optional($0[j]) }) }
        self.init(columns: columns, sourceName: sourceName)
    }
}
