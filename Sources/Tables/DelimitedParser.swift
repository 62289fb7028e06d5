import Foundation

/// The delimited-text reader: one pass over a mutable UTF-8 buffer that calls back once per
/// record (blank lines skipped). Each field's text is written back into the buffer at a write
/// position that never passes the read position (separators, quotes and the CR of CRLF are
/// dropped), so the fields end up back to back, record after record, without a copy: field k
/// of a record spans `fieldStart(k)..<fieldEnd(k)` in the buffer, and stays there after the
/// callback (the text of skipped blank lines is overwritten).
///
/// The rules it implements are listed in `TablesModule`.
public struct DelimitedParser {
    /// One record, valid during the callback.
    public struct Record {
        /// The buffer the fields lie in.
        public let bytes: UnsafePointer<UInt8>
        /// Where the first field starts.
        public let start: Int
        /// Number of fields.
        public let count: Int
        /// The 1-based line the record starts on.
        public let line: Int
        let ends: UnsafePointer<Int>
        let quotedFlags: UnsafePointer<Bool>

        /// Offset just past field `k`.
        @inline(__always) public func fieldEnd(_ k: Int) -> Int { ends[k] }
        /// Offset of field `k`'s first byte.
        @inline(__always) public func fieldStart(_ k: Int) -> Int { k == 0 ? start : ends[k - 1] }
        /// Whether field `k` was quoted.
        @inline(__always) public func isQuoted(_ k: Int) -> Bool { quotedFlags[k] }
        /// Field `k` as a String.
        public func string(_ k: Int) -> String {
            String(decoding: UnsafeBufferPointer(start: bytes + fieldStart(k), count: fieldEnd(k) - fieldStart(k)), as: UTF8.self)
        }
    }

    private let p: UnsafeMutablePointer<UInt8>
    private let n: Int
    private let separator: UInt8?
    private let quoting: Bool
    /// Bit c set for the bytes c < 64 that need attention outside quotes.
    private let specialMask: UInt64

    private var i: Int  // read position
    private var w: Int  // write position
    private var recordStart: Int  // write position where the record's text begins
    private var fieldStart: Int  // write position where the field's text begins
    private var quoted = false  // the current field began with a quote
    private var closedQuote = false  // … and its closing quote has been read
    private var inQuotes = false
    private var quoteLine = 0
    private var line = 1
    private var lineStart: Int  // read position of the current line's first byte
    private var recordLine = 1
    private var fieldEnds: [Int] = []
    private var fieldQuoted: [Bool] = []

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// Where the text starts after a UTF-8 byte-order mark, if any.
    public static func bodyStart(_ p: UnsafePointer<UInt8>, count n: Int) -> Int {
        n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    /// A reader of `p[start..<n]` (overwritten as it is read).
    public init(_ p: UnsafeMutablePointer<UInt8>, count n: Int, from start: Int, separator: FieldSeparator, quoting: Quoting) {
        self.p = p
        self.n = n
        self.separator = separator.byte
        self.quoting = quoting == .rfc4180 && separator != .whitespace
        var mask: UInt64 = 0
        var special = [DelimitedParser.lf, DelimitedParser.cr]
        if let byte = separator.byte { special.append(byte) } else { special += [DelimitedParser.space, DelimitedParser.tab] }
        if self.quoting { special.append(DelimitedParser.quote) }
        for c in special { mask |= 1 << UInt64(c) }
        specialMask = mask
        i = start
        w = start
        recordStart = start
        fieldStart = start
        lineStart = start
    }

    /// Reads every record; throws `TableError` for an unclosed quote or text after one.
    public mutating func run(_ onRecord: (Record) throws -> Void) throws {
        let quote = Self.quote, lf = Self.lf, cr = Self.cr
        let whitespace = separator == nil
        while i < n {
            let c = p[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < n, p[i + 1] == quote {
                        p[w] = quote
                        w += 1
                        i += 2
                        continue
                    }
                    inQuotes = false
                    closedQuote = true
                } else {
                    if c == lf { line += 1; lineStart = i + 1 }
                    p[w] = c
                    w += 1
                }
                i += 1
                continue
            }
            if c >= 64 || specialMask & (1 << UInt64(c)) == 0 {
                if closedQuote {
                    guard c == Self.space || c == Self.tab else {
                        throw TableError.textAfterQuote(line: line, column: i - lineStart + 1)
                    }
                } else {
                    p[w] = c
                    w += 1
                }
                i += 1
                continue
            }
            if c == cr && (i + 1 == n || p[i + 1] == lf) {
                i += 1  // the CR of CRLF, or a CR ending the text
                continue
            }
            if c == lf {
                if !whitespace || w != fieldStart { endField() }
                try endRecord(onRecord)
                line += 1
                lineStart = i + 1
                recordLine = line
            } else if whitespace {
                // A run of blanks (or a lone CR) ends a field.
                if w != fieldStart { endField() }
            } else if c == separator {
                endField()
            } else if c == quote {
                if !quoted && fieldIsBlankSoFar() {
                    w = fieldStart
                    quoted = true
                    inQuotes = true
                    quoteLine = line
                } else if closedQuote {
                    throw TableError.textAfterQuote(line: line, column: i - lineStart + 1)
                } else {
                    p[w] = c
                    w += 1
                }
            } else {  // a lone CR inside a field
                if closedQuote { throw TableError.textAfterQuote(line: line, column: i - lineStart + 1) }
                p[w] = c
                w += 1
            }
            i += 1
        }
        if inQuotes { throw TableError.unterminatedQuote(line: quoteLine) }
        if w != fieldStart || quoted || !fieldEnds.isEmpty {
            if !whitespace || w != fieldStart { endField() }
            try endRecord(onRecord)
        }
    }

    /// The field so far holds only spaces (and tabs, unless tab is the separator).
    private func fieldIsBlankSoFar() -> Bool {
        for k in fieldStart..<w where !(p[k] == Self.space || p[k] == Self.tab && separator != Self.tab) {
            return false
        }
        return true
    }

    @inline(__always)
    private mutating func endField() {
        fieldEnds.append(w)
        fieldQuoted.append(quoted)
        fieldStart = w
        quoted = false
        closedQuote = false
    }

    private mutating func endRecord(_ onRecord: (Record) throws -> Void) throws {
        defer {
            fieldEnds.removeAll(keepingCapacity: true)
            fieldQuoted.removeAll(keepingCapacity: true)
            recordStart = w
            fieldStart = w
        }
        // A blank line (no field, or one empty, unquoted field) is skipped, and its text dropped.
        if fieldEnds.isEmpty || fieldEnds.count == 1 && !fieldQuoted[0] && Self.isBlank(p, recordStart, fieldEnds[0]) {
            w = recordStart
            return
        }
        let start = recordStart, line = recordLine
        try fieldEnds.withUnsafeBufferPointer { ends in
            try fieldQuoted.withUnsafeBufferPointer { flags in
                try onRecord(
                    Record(
                        bytes: p, start: start, count: ends.count, line: line,
                        ends: ends.baseAddress!, quotedFlags: flags.baseAddress!))
            }
        }
    }

    /// Whether `p[start..<end]` is empty after trimming white space (a blank line).
    private static func isBlank(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end, p[k] == 32 || p[k] == 9 { k += 1 }
        if k == end { return true }
        let raw = UnsafeBufferPointer(start: p + start, count: end - start)
        guard raw.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces).isEmpty
    }
}
