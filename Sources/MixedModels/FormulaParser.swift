// Tokenizer and expression parser for model formulas. The parser builds a syntax tree with
// R's operator precedence; `Formula.swift` gives the tree its formula meaning.

/// A malformed formula: the formula text, a 0-based character offset and a message.
/// `description` prints the formula with a caret under the offending position.
public struct FormulaError: Error, Equatable, CustomStringConvertible {
    /// The formula as given.
    public let formula: String
    /// 0-based offset (in characters) of the problem; may equal the length (end of input).
    public let offset: Int
    /// What is wrong.
    public let message: String

    /// Creates an error for `formula` at character `offset`.
    public init(formula: String, offset: Int, message: String) {
        self.formula = formula
        self.offset = offset
        self.message = message
    }

    /// The message, then the formula with a caret under the offset; a formula longer than 100
    /// characters is shown as the 80 characters around the offset, elided with `…`.
    public var description: String {
        let chars = Array(formula)
        var (start, end) = (0, chars.count)
        if chars.count > 100 {
            start = max(0, min(offset - 40, chars.count - 80))
            end = min(chars.count, start + 80)
        }
        let shown = (start > 0 ? "…" : "") + String(chars[start..<end]) + (end < chars.count ? "…" : "")
        let caret = max(0, offset - start) + (start > 0 ? 1 : 0)
        return "formula error: \(message)\n  \(shown)\n  \(String(repeating: " ", count: caret))^"
    }
}

// MARK: - Tokens

enum TokenKind: Equatable {
    case name(String)
    case number(Double)
    case op(String)          // ~ + - * / : ^ | ||
    case leftParen, rightParen, comma
    case end
}

struct Token {
    let kind: TokenKind
    let offset: Int

    var text: String {
        switch kind {
        case .name(let s): return s
        case .number(let v): return rNumberString(v)
        case .op(let s): return s
        case .leftParen: return "("
        case .rightParen: return ")"
        case .comma: return ","
        case .end: return "end of formula"
        }
    }
}

// MARK: - Syntax tree

indirect enum SyntaxNode {
    case name(String, offset: Int)
    case number(Double, offset: Int)
    case call(String, args: [SyntaxNode], offset: Int)
    case paren(SyntaxNode, offset: Int)
    case unary(String, SyntaxNode, offset: Int)
    case binary(String, SyntaxNode, SyntaxNode, opOffset: Int)

    /// Offset of the node's first character.
    var offset: Int {
        switch self {
        case .name(_, let o), .number(_, let o), .call(_, _, let o), .paren(_, let o), .unary(_, _, let o):
            return o
        case .binary(_, let l, _, _):
            return l.offset
        }
    }
}

// MARK: - Parser

struct FormulaSyntaxParser {
    let text: String
    private let chars: [Character]
    private var tokens: [Token] = []
    private var position = 0
    /// Current recursion depth of `parseExpression`.
    private var nesting = 0

    /// The deepest syntax tree accepted: nested parentheses, calls and unary minuses, and
    /// chains of operators (`a + b + c` is two levels), together. The tree is walked
    /// recursively, so without a limit a hostile formula would overflow the stack.
    static let maxDepth = 500

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    func error(_ offset: Int, _ message: String) -> FormulaError {
        FormulaError(formula: text, offset: offset, message: message)
    }

    /// Parses `lhs ~ rhs`, returning both sides.
    mutating func parseFormula() throws -> (lhs: SyntaxNode, tilde: Int, rhs: SyntaxNode) {
        tokens = try tokenize()
        guard tokens.contains(where: { $0.kind == .op("~") }) else {
            throw error(chars.count, "a formula needs '~' between the response and the terms (e.g. y ~ x)")
        }
        if peek.kind == .op("~") {
            throw error(peek.offset, "missing response before '~' (one-sided formulas are not supported)")
        }
        let lhs = try parseExpression(0).node
        guard peek.kind == .op("~") else { throw unexpected(peek, expecting: "'~'") }
        let tilde = peek.offset
        position += 1
        let rhs = try parseExpression(0, after: "~").node
        if peek.kind != .end { throw unexpected(peek, expecting: "an operator or the end of the formula") }
        return (lhs, tilde, rhs)
    }

    private var peek: Token { tokens[position] }

    private func unexpected(_ t: Token, expecting: String) -> FormulaError {
        switch t.kind {
        case .end: return error(t.offset, "unexpected end of formula, expected \(expecting)")
        case .op("~"): return error(t.offset, "unexpected second '~'")
        case .rightParen: return error(t.offset, "unmatched ')'")
        default: return error(t.offset, "unexpected '\(t.text)', expected \(expecting)")
        }
    }

    /// Binding powers (left, right) of binary operators, following R's precedence.
    private static func bindingPower(_ op: String) -> (Int, Int)? {
        switch op {
        case "|", "||": return (2, 3)
        case "+", "-": return (4, 5)
        case "*", "/": return (6, 7)
        case ":": return (8, 9)
        case "^": return (13, 12)   // right-associative, tighter than unary minus
        default: return nil
        }
    }
    private static let unaryMinusPower = 10

    private func tooDeep(_ offset: Int) -> FormulaError {
        error(offset, "the formula is nested too deeply: more than \(Self.maxDepth) levels of parentheses, calls, unary minuses or chained operators")
    }

    /// An expression and the depth of its tree (a leaf is 1).
    private mutating func parseExpression(_ minPower: Int, after context: String? = nil) throws -> (node: SyntaxNode, depth: Int) {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxDepth else { throw tooDeep(peek.offset) }
        var (lhs, depth) = try parsePrefix(after: context)
        guard depth <= Self.maxDepth else { throw tooDeep(lhs.offset) }
        while case .op(let op) = peek.kind, let (lp, rp) = Self.bindingPower(op), lp >= minPower {
            let opOffset = peek.offset
            position += 1
            let rhs = try parseExpression(rp, after: op)
            lhs = .binary(op, lhs, rhs.node, opOffset: opOffset)
            depth = max(depth, rhs.depth) + 1
            guard depth <= Self.maxDepth else { throw tooDeep(opOffset) }
        }
        return (lhs, depth)
    }

    private mutating func parsePrefix(after context: String?) throws -> (node: SyntaxNode, depth: Int) {
        let t = peek
        switch t.kind {
        case .name(let name):
            position += 1
            if peek.kind == .leftParen {
                let open = peek.offset
                position += 1
                var args: [SyntaxNode] = []
                var depth = 1
                if peek.kind != .rightParen {
                    while true {
                        let arg = try parseExpression(0, after: args.isEmpty ? "(" : ",")
                        args.append(arg.node)
                        depth = max(depth, arg.depth + 1)
                        if peek.kind == .comma { position += 1; continue }
                        break
                    }
                }
                guard peek.kind == .rightParen else {
                    if peek.kind == .end { throw error(open, "unclosed '(' in call to '\(name)'") }
                    throw unexpected(peek, expecting: "')' or an operator")
                }
                position += 1
                return (.call(name, args: args, offset: t.offset), depth)
            }
            return (.name(name, offset: t.offset), 1)
        case .number(let v):
            position += 1
            return (.number(v, offset: t.offset), 1)
        case .leftParen:
            position += 1
            let inner = try parseExpression(0, after: "(")
            guard peek.kind == .rightParen else {
                if peek.kind == .end { throw error(t.offset, "unclosed '(' (missing ')')") }
                throw unexpected(peek, expecting: "')' or an operator")
            }
            position += 1
            return (.paren(inner.node, offset: t.offset), inner.depth + 1)
        case .op("-"):
            position += 1
            let operand = try parseExpression(Self.unaryMinusPower, after: "-")
            return (.unary("-", operand.node, offset: t.offset), operand.depth + 1)
        case .end:
            if let context { throw error(t.offset, "expected a term after '\(context)'") }
            throw error(t.offset, "expected a term")
        case .rightParen:
            if context == "(" { throw error(t.offset, "empty parentheses") }
            throw error(t.offset, "unmatched ')'")
        case .op("~"):
            throw error(t.offset, "unexpected second '~'")
        default:
            throw error(t.offset, "expected a term, found '\(t.text)'")
        }
    }

    // MARK: Tokenizer

    private func tokenize() throws -> [Token] {
        var out: [Token] = []
        var i = 0
        let n = chars.count
        func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "." }
        func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "." || c == "_" }
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        while i < n {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            switch c {
            case "(": out.append(Token(kind: .leftParen, offset: i)); i += 1
            case ")": out.append(Token(kind: .rightParen, offset: i)); i += 1
            case ",": out.append(Token(kind: .comma, offset: i)); i += 1
            case "~", "+", "-", "*", "/", ":", "^":
                out.append(Token(kind: .op(String(c)), offset: i)); i += 1
            case "|":
                if i + 1 < n, chars[i + 1] == "|" {
                    out.append(Token(kind: .op("||"), offset: i)); i += 2
                } else {
                    out.append(Token(kind: .op("|"), offset: i)); i += 1
                }
            case "`":
                var j = i + 1
                while j < n, chars[j] != "`" { j += 1 }
                guard j < n else { throw error(start, "unterminated backtick-quoted name") }
                let name = String(chars[(i + 1)..<j])
                guard !name.isEmpty else { throw error(start, "empty backtick-quoted name") }
                out.append(Token(kind: .name(name), offset: start))
                i = j + 1
            case "%":
                var j = i + 1
                while j < n, chars[j] != "%" { j += 1 }
                let op = String(chars[i..<min(j + 1, n)])
                throw error(start, "operator '\(op)' is not supported")
            default:
                if isDigit(c) || (c == "." && i + 1 < n && isDigit(chars[i + 1])) {
                    var j = i
                    while j < n, isDigit(chars[j]) { j += 1 }
                    if j < n, chars[j] == "." {
                        j += 1
                        while j < n, isDigit(chars[j]) { j += 1 }
                    }
                    if j < n, chars[j] == "e" || chars[j] == "E" {
                        var k = j + 1
                        if k < n, chars[k] == "+" || chars[k] == "-" { k += 1 }
                        if k < n, isDigit(chars[k]) {
                            while k < n, isDigit(chars[k]) { k += 1 }
                            j = k
                        }
                    }
                    if j < n, isNameChar(chars[j]) {
                        throw error(j, "unexpected '\(chars[j])' in number")
                    }
                    guard let v = Double(String(chars[i..<j])) else { throw error(start, "malformed number") }
                    out.append(Token(kind: .number(v), offset: start))
                    i = j
                } else if isNameStart(c) {
                    var j = i + 1
                    while j < n, isNameChar(chars[j]) { j += 1 }
                    out.append(Token(kind: .name(String(chars[i..<j])), offset: start))
                    i = j
                } else {
                    throw error(start, "unexpected character '\(c)'")
                }
            }
        }
        out.append(Token(kind: .end, offset: n))
        return out
    }
}
