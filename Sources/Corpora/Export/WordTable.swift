import Foundation
import Numerics

/// A rectangular table of text cells with a header — the export's output, ready for
/// `rtpipe fit`. Missing values are written as `NA`.
public struct WordTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The column named `name`.
    public func column(_ name: String) -> [String]? {
        header.firstIndex(of: name).map { i in rows.map { $0[i] } }
    }

    /// Tab-separated text with a header line. Fields holding a quote, tab or line break are
    /// quoted as in RFC 4180 (`"` doubled), which `rtpipe fit`'s reader undoes.
    public func tsv() -> String {
        var out = ""
        out.reserveCapacity(rows.count * 64)
        for r in [header] + rows {
            out += r.map(Self.escape).joined(separator: "\t")
            out += "\n"
        }
        return out
    }

    /// Writes `tsv()` to `path`.
    public func write(to path: String) throws {
        do { try tsv().write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CorpusError("cannot write the table: \(SystemErrorText.reason(error))", file: path)
        }
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "\"" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number as text: shortest exact form ("426.0921052631579", "3"), `NA` when missing.
    public static func cell(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "NA" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}
