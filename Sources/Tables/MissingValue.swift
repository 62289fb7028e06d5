import Foundation

/// The one set of missing-value markers of every table rtpipe reads.
public enum MissingValue {
    /// Tokens that mean "missing", compared after trimming white space: empty, `NA`, `.`, `NaN`,
    /// `nan`, `N/A`, `NULL`, `na`, and the error values a spreadsheet writes into a cell (`#N/A`,
    /// `#VALUE!`, …), which workbooks and their CSV exports contain.
    public static let tokens: Set<String> = [
        "", "NA", ".", "NaN", "nan", "N/A", "NULL", "na",
        "#N/A", "#NA", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
    ]

    /// The tokens as bytes, by length (none is longer than 7 bytes).
    private static let byLength: [[[UInt8]]] = {
        var out = [[[UInt8]]](repeating: [], count: 8)
        for t in tokens { out[t.utf8.count].append(Array(t.utf8)) }
        return out
    }()

    /// The value without surrounding white space. Values that neither start nor end with a space
    /// or tab are returned as they are (the common case, and no String work); others lose all
    /// of Foundation's white space at both ends.
    public static func trimmed(_ s: String) -> Substring {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return Substring(s) }
        if f != 32 && f != 9 && l != 32 && l != 9 { return Substring(s) }
        return Substring(s.trimmingCharacters(in: .whitespaces))
    }

    /// Whether `s` is a missing-value token after trimming white space.
    public static func isMissing(_ s: String) -> Bool { tokens.contains(String(trimmed(s))) }

    /// `isMissing` of the UTF-8 text `p[start..<end]`, without making a String unless trimming
    /// meets a non-ASCII character (which Foundation's white-space set might also remove).
    @inline(__always)
    public static func isMissing(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var a = start, b = end
        while a < b, p[a] == 32 || p[a] == 9 { a += 1 }
        while b > a, p[b - 1] == 32 || p[b - 1] == 9 { b -= 1 }
        if a < b, a != start || b != end, p[a] >= 0x80 || p[b - 1] >= 0x80 {
            return isMissing(String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self))
        }
        let length = b - a
        guard length < byLength.count else { return false }
        if length == 0 { return true }
        for token in byLength[length] where token[0] == p[a] {
            var k = 1
            while k < length && token[k] == p[a + k] { k += 1 }
            if k == length { return true }
        }
        return false
    }
}
