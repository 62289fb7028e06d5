import Foundation

/// A hand-written TOML reader producing `TOMLTable`s with positions (see `TOMLDocument.swift`).
public struct TOMLParser {
    private let file: String
    private let chars: [Character]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    /// Current nesting: table-header parts, dotted-key parts, arrays and inline tables.
    private var depth = 0
    /// How each table path of the document was defined (`Definitions`), for TOML's rules on
    /// defining a table twice or extending a closed value.
    private var definitions = Definitions()

    /// The deepest nesting accepted (tables, dotted keys, arrays and inline tables together).
    /// Values are parsed recursively, so without a limit a hostile file (`[` nested 50,000
    /// deep) would overflow the stack.
    static let maxDepth = 128

    public static func parse(_ text: String, file: String = "<memory>") throws -> TOMLTable {
        // Swift reads "\r\n" as one Character, which would never equal "\n": CRLF files are
        // read as LF files (TOML treats both as a newline).
        var p = TOMLParser(file: file, chars: Array(text.replacingOccurrences(of: "\r\n", with: "\n")))
        return try p.document()
    }

    private init(file: String, chars: [Character]) {
        self.file = file
        self.chars = chars
    }

    private var position: TOMLPosition { TOMLPosition(line: line, column: i - lineStart + 1) }
    private var atEnd: Bool { i >= chars.count }
    private var current: Character? { i < chars.count ? chars[i] : nil }
    private func peek(_ k: Int = 1) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    private func fail(_ message: String, at pos: TOMLPosition? = nil) -> TOMLError {
        TOMLError(file: file, position: pos ?? position, message: message)
    }

    /// Adds `levels` to the nesting depth, or throws when that passes `maxDepth`.
    private mutating func enter(_ levels: Int = 1, at pos: TOMLPosition? = nil) throws {
        depth += levels
        guard depth <= Self.maxDepth else {
            throw fail("nested too deeply: more than \(Self.maxDepth) levels of tables, dotted keys, arrays and inline tables", at: pos)
        }
    }

    private mutating func advance() {
        if chars[i] == "\n" { line += 1; lineStart = i + 1 }
        i += 1
    }

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    /// Spaces, then an optional comment, then end of line or file.
    private mutating func endOfLine() throws {
        skipSpaces()
        if current == "#" { while let c = current, c != "\n" { advance() } }
        if current == "\r" && peek() == "\n" { advance() }
        if let c = current {
            guard c == "\n" else { throw fail("unexpected '\(c)' after the value; expected the end of the line") }
            advance()
        }
    }

    /// Blank lines, comments and white space (inside arrays).
    private mutating func skipTrivia() {
        while let c = current {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
            else if c == "#" { while let d = current, d != "\n" { advance() } }
            else { break }
        }
    }

    // MARK: Document

    private mutating func document() throws -> TOMLTable {
        var root = TOMLTable(position: TOMLPosition(line: 1, column: 1))
        var path: [String] = []           // current table path
        var pathIsArray = false
        while true {
            skipTrivia()
            guard let c = current else { break }
            let pos = position
            if c == "[" {
                let isArray = peek() == "["
                advance(); if isArray { advance() }
                skipSpaces()
                let keys = try dottedKey()
                skipSpaces()
                guard current == "]" else { throw fail("expected ']' to close the table header") }
                advance()
                if isArray { guard current == "]" else { throw fail("expected ']]' to close the array-of-tables header") }; advance() }
                try endOfLine()
                depth = 0
                try enter(keys.count, at: pos)
                if let problem = definitions.header(keys, isArray: isArray) { throw fail(problem, at: pos) }
                if isArray {
                    try appendArrayTable(&root, keys, at: pos)
                } else {
                    try ensureTable(&root, keys, at: pos)
                }
                path = keys
                pathIsArray = isArray
                continue
            }
            let keyPos = position
            let keys = try dottedKey()
            skipSpaces()
            guard current == "=" else { throw fail("expected '=' after the key '\(keys.joined(separator: "."))'") }
            advance()
            skipSpaces()
            depth = path.count
            try enter(keys.count - 1, at: keyPos)
            let value = try parseValue()
            try endOfLine()
            if let problem = definitions.keyValue(path, keys, value: value.value) { throw fail(problem, at: keyPos) }
            try insert(&root, tablePath: path, inArray: pathIsArray, keys: keys, value: value, keyPosition: keyPos)
        }
        return root
    }

    // MARK: Keys

    private mutating func dottedKey() throws -> [String] {
        var keys = [try simpleKey()]
        while true {
            skipSpaces()
            guard current == "." else { break }
            guard keys.count < Self.maxDepth else { throw fail("key has more than \(Self.maxDepth) dotted parts") }
            advance()
            skipSpaces()
            keys.append(try simpleKey())
        }
        return keys
    }

    private mutating func simpleKey() throws -> String {
        guard let c = current else { throw fail("expected a key") }
        if c == "\"" { return try basicString() }
        if c == "'" { return try literalString() }
        var key = ""
        while let d = current, d.isASCII && (d.isLetter || d.isNumber || d == "_" || d == "-") { key.append(d); advance() }
        guard !key.isEmpty else { throw fail("expected a key, found '\(c)'") }
        return key
    }

    // MARK: Tables

    private func tablePathError(_ keys: [String], _ pos: TOMLPosition) -> TOMLError {
        fail("'\(keys.joined(separator: "."))' is already a value, not a table", at: pos)
    }

    /// Creates the nested tables of `keys` (the last of an array of tables is its last element).
    private func ensureTable(_ root: inout TOMLTable, _ keys: [String], at pos: TOMLPosition) throws {
        try modify(&root, keys[...], pos) { _ in }
    }

    private func modify(_ table: inout TOMLTable, _ keys: ArraySlice<String>, _ pos: TOMLPosition, _ body: (inout TOMLTable) throws -> Void) throws {
        guard let key = keys.first else { try body(&table); return }
        var node = table[key] ?? TOMLNode(value: .table(TOMLTable(position: pos)), position: pos)
        switch node.value {
        case .table(var t):
            try modify(&t, keys.dropFirst(), pos, body)
            node = TOMLNode(value: .table(t), position: node.position)
        case .array(var items):
            guard let last = items.last, case .table(var t) = last.value else { throw tablePathError(Array(keys), pos) }
            try modify(&t, keys.dropFirst(), pos, body)
            items[items.count - 1] = TOMLNode(value: .table(t), position: last.position)
            node = TOMLNode(value: .array(items), position: node.position)
        default:
            throw tablePathError(Array(keys), pos)
        }
        table.set(key, node, keyPosition: table.keyPositions[key] ?? pos)
    }

    private func appendArrayTable(_ root: inout TOMLTable, _ keys: [String], at pos: TOMLPosition) throws {
        try modify(&root, keys.dropLast()[...], pos) { parent in
            let key = keys.last!
            var items: [TOMLNode] = []
            if let existing = parent[key] {
                guard case .array(let a) = existing.value else { throw self.fail("'\(key)' is already a value; cannot add [[\(keys.joined(separator: "."))]]", at: pos) }
                items = a
            }
            items.append(TOMLNode(value: .table(TOMLTable(position: pos)), position: pos))
            parent.set(key, TOMLNode(value: .array(items), position: parent[key]?.position ?? pos), keyPosition: parent.keyPositions[key] ?? pos)
        }
    }

    private func insert(_ root: inout TOMLTable, tablePath: [String], inArray: Bool, keys: [String], value: TOMLNode, keyPosition: TOMLPosition) throws {
        try modify(&root, tablePath[...], keyPosition) { table in
            try self.modify(&table, keys.dropLast()[...], keyPosition) { inner in
                let key = keys.last!
                if inner[key] != nil { throw self.fail("key '\(keys.joined(separator: "."))' is defined twice", at: keyPosition) }
                inner.set(key, value, keyPosition: keyPosition)
            }
        }
    }

    // MARK: Values

    private mutating func parseValue() throws -> TOMLNode {
        let pos = position
        guard let c = current else { throw fail("expected a value") }
        switch c {
        case "\"":
            if peek() == "\"" && peek(2) == "\"" { return TOMLNode(value: .string(try multilineString(quote: "\"")), position: pos) }
            return TOMLNode(value: .string(try basicString()), position: pos)
        case "'":
            if peek() == "'" && peek(2) == "'" { return TOMLNode(value: .string(try multilineString(quote: "'")), position: pos) }
            return TOMLNode(value: .string(try literalString()), position: pos)
        case "[":
            try enter(at: pos)
            defer { depth -= 1 }
            advance()
            var items: [TOMLNode] = []
            while true {
                skipTrivia()
                if current == "]" { advance(); break }
                items.append(try parseValue())
                skipTrivia()
                if current == "," { advance(); continue }
                guard current == "]" else { throw fail("expected ',' or ']' in the array that starts at \(pos)") }
                advance()
                break
            }
            return TOMLNode(value: .array(items), position: pos)
        case "{":
            try enter(at: pos)
            defer { depth -= 1 }
            advance()
            var table = TOMLTable(position: pos)
            skipSpaces()
            if current == "}" { advance(); return TOMLNode(value: .table(table), position: pos) }
            while true {
                skipSpaces()
                let kp = position
                let keys = try dottedKey()
                skipSpaces()
                guard current == "=" else { throw fail("expected '=' in the inline table") }
                advance(); skipSpaces()
                try enter(keys.count - 1, at: kp)
                let v = try parseValue()
                depth -= keys.count - 1
                try modify(&table, keys.dropLast()[...], kp) { inner in
                    if inner[keys.last!] != nil { throw self.fail("key '\(keys.joined(separator: "."))' is defined twice", at: kp) }
                    inner.set(keys.last!, v, keyPosition: kp)
                }
                skipSpaces()
                if current == "," { advance(); continue }
                guard current == "}" else { throw fail("expected ',' or '}' in the inline table") }
                advance()
                break
            }
            return TOMLNode(value: .table(table), position: pos)
        default:
            var token = ""
            while let d = current, !(d == "," || d == "]" || d == "}" || d == "#" || d == "\n" || d == "\r" || d == " " || d == "\t") {
                token.append(d); advance()
            }
            guard !token.isEmpty else { throw fail("expected a value, found '\(c)'") }
            if token == "true" { return TOMLNode(value: .bool(true), position: pos) }
            if token == "false" { return TOMLNode(value: .bool(false), position: pos) }
            if let v = TOMLParser.number(token) { return TOMLNode(value: v, position: pos) }
            throw fail("'\(token)' is not a TOML value (strings need quotes)", at: pos)
        }
    }

    /// Integer or float per TOML's rules (underscores only between digits).
    static func number(_ token: String) -> TOMLValue? {
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if token.contains("__") || token.hasPrefix("_") || token.hasSuffix("_") { return nil }
        let clean = token.replacingOccurrences(of: "_", with: "")
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where clean.hasPrefix(prefix) {
            return Int(clean.dropFirst(2), radix: radix).map { .integer($0) }
        }
        let digits = clean.hasPrefix("+") || clean.hasPrefix("-") ? String(clean.dropFirst()) : clean
        guard let first = digits.first, first.isNumber else { return nil }
        if digits.count > 1 && first == "0" && digits.dropFirst().first?.isNumber == true { return nil }   // no leading zeros
        if let v = Int(clean) { return .integer(v) }
        if clean.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), let d = Double(clean), !clean.hasSuffix("."), !clean.contains(".e"), !clean.hasPrefix(".") {
            return .float(d)
        }
        return nil
    }

    private mutating func basicString() throws -> String {
        let start = position
        advance()   // opening quote
        var s = ""
        while true {
            guard let c = current, c != "\n" else { throw fail("unterminated string", at: start) }
            advance()
            if c == "\"" { return s }
            if c == "\\" { s.append(try escape()) } else { s.append(c) }
        }
    }

    private mutating func escape() throws -> Character {
        guard let e = current else { throw fail("unterminated escape") }
        advance()
        switch e {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let count = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<count { guard let h = current else { break }; hex.append(h); advance() }
            guard hex.count == count, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else { throw fail("invalid \\\(e) escape") }
            return Character(scalar)
        default: throw fail("invalid escape '\\\(e)'")
        }
    }

    private mutating func literalString() throws -> String {
        let start = position
        advance()
        var s = ""
        while true {
            guard let c = current, c != "\n" else { throw fail("unterminated string", at: start) }
            advance()
            if c == "'" { return s }
            s.append(c)
        }
    }

    /// A multi-line string between triple `quote`s: `"""` basic (with escapes, and a line-ending
    /// backslash that trims the white space and newlines after it), `'''` literal (as written).
    /// A newline right after the opening quotes is not part of the string.
    private mutating func multilineString(quote: Character) throws -> String {
        let start = position
        let basic = quote == "\""
        advance(); advance(); advance()
        if current == "\n" { advance() }
        var s = ""
        while true {
            guard let c = current else { throw fail("unterminated multi-line string", at: start) }
            if c == quote && peek() == quote && peek(2) == quote { advance(); advance(); advance(); return s }
            advance()
            guard basic, c == "\\" else { s.append(c); continue }
            // A line-ending backslash trims the white space and newlines that follow (a '#'
            // there is text, not a comment).
            if let n = current, n == "\n" || n == " " || n == "\t" || n == "\r" {
                while let w = current, w == " " || w == "\t" || w == "\n" || w == "\r" { advance() }
                continue
            }
            s.append(try escape())
        }
    }
}
