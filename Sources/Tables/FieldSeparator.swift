/// How fields are separated in delimited text.
public enum FieldSeparator: String, Sendable {
    case tab, comma, semicolon
    /// Runs of spaces and tabs (Dundee's `.dat` files).
    case whitespace

    /// The byte that separates fields (nil for `whitespace`).
    public var byte: UInt8? {
        switch self {
        case .tab: return 0x09
        case .comma: return 0x2C
        case .semicolon: return 0x3B
        case .whitespace: return nil
        }
    }

    /// The separator of a text from its first non-blank line: the most frequent of tab, comma
    /// and semicolon outside quotes (ties: tab, then comma, then semicolon); with none of them,
    /// white space.
    public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> FieldSeparator {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")
        let candidates: [(UInt8, FieldSeparator)] = [(0x09, .tab), (0x2C, .comma), (0x3B, .semicolon)]
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
            if let k = candidates.firstIndex(where: { $0.0 == c }) { counts[k] += 1 }
        }
        guard let best = counts.max(), best > 0, let k = counts.firstIndex(of: best) else { return .whitespace }
        return candidates[k].1
    }
}

/// Whether `"` quotes fields.
public enum Quoting: Sendable {
    /// RFC 4180 quoting (see `TablesModule`).
    case rfc4180
    /// Quotes are ordinary characters.
    case none

    /// The rule for a separator: RFC 4180 for tab, comma and semicolon; none for white space.
    public static func standard(for separator: FieldSeparator) -> Quoting {
        separator == .whitespace ? .none : .rfc4180
    }
}
