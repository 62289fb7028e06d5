// lme4-style model formulas: `y ~ fixed terms + (random | grouping)`.

/// Arithmetic operators allowed inside function calls and `I()`.
public enum ArithmeticOperator: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
}

/// Functions a formula may apply to data. `scale` centres and divides by the sample standard
/// deviation over the rows used; `identity` is R's `I()`.
public enum FormulaFunction: String, CaseIterable, Hashable, Sendable {
    case log, log2, log10, exp, sqrt, abs, scale
    case identity = "I"
}

/// A numeric expression over data columns, as written inside a formula.
public indirect enum FormulaExpression: Hashable, Sendable, CustomStringConvertible {
    /// A data column (its name without backticks).
    case column(String)
    /// A numeric constant.
    case number(Double)
    /// Unary minus.
    case negate(FormulaExpression)
    /// `lhs op rhs`.
    case binary(ArithmeticOperator, FormulaExpression, FormulaExpression)
    /// A supported function applied to one argument.
    case call(FormulaFunction, FormulaExpression)
    /// Parentheses written by the user (kept so the display name matches R).
    case parenthesized(FormulaExpression)

    /// The expression as R deparses it: `log(x)`, `I(x^2)`, `I(x * 2)`, `I(x/2)`, `` `my var` ``.
    public var description: String {
        switch self {
        case .column(let name): return formulaDisplayName(name)
        case .number(let v): return rNumberString(v)
        case .negate(let e): return "-" + e.description
        case let .binary(op, l, r):
            switch op {
            case .divide, .power: return "\(l)\(op.rawValue)\(r)"
            default: return "\(l) \(op.rawValue) \(r)"
            }
        case let .call(f, e): return "\(f.rawValue)(\(e))"
        case .parenthesized(let e): return "(\(e))"
        }
    }

    /// Data columns the expression reads, in order of first appearance.
    public var columns: [String] {
        var out: [String] = []
        func walk(_ e: FormulaExpression) {
            switch e {
            case .column(let c): if !out.contains(c) { out.append(c) }
            case .number: break
            case .negate(let x), .call(_, let x), .parenthesized(let x): walk(x)
            case let .binary(_, l, r): walk(l); walk(r)
            }
        }
        walk(self)
        return out
    }
}

/// One variable of a formula: a bare column or a function of columns.
public struct FormulaVariable: Hashable, Sendable, CustomStringConvertible {
    public let expression: FormulaExpression

    /// Wraps an expression (a bare `.column` may act as a factor).
    public init(_ expression: FormulaExpression) { self.expression = expression }

    /// The name R prints for it (`Days`, `log(x)`, `scale(x)`, `I(x^2)`).
    public var name: String { expression.description }
    /// Data columns it reads.
    public var columns: [String] { expression.columns }
    /// The column name if the variable is a bare column (which may be a factor), else nil.
    public var columnName: String? {
        if case .column(let c) = expression { return c }
        return nil
    }
    public var description: String { name }
}

/// A model term: an ordered list of variables multiplied together (an interaction when more
/// than one). Variables are in R's order (order of first appearance in the formula part).
public struct FormulaTerm: Hashable, Sendable, CustomStringConvertible {
    public let variables: [FormulaVariable]

    /// A term from its variables, in the order they should be named.
    public init(_ variables: [FormulaVariable]) { self.variables = variables }

    /// R's term label, e.g. `service:dept`.
    public var name: String { variables.map(\.name).joined(separator: ":") }
    /// Number of variables (1 = main effect).
    public var order: Int { variables.count }
    public var description: String { name }
}

/// A random-effects term `(lhs | grouping)` after expansion of `||` and `/`.
public struct RandomEffectTerm: Hashable, Sendable, CustomStringConvertible {
    /// Whether the term has a random intercept.
    public let hasIntercept: Bool
    /// The non-intercept terms of the left-hand side, in R's model-matrix order.
    public let terms: [FormulaTerm]
    /// Grouping columns; more than one means their interaction (`["cask", "batch"]`).
    public let grouping: [String]

    /// A random term; `grouping` lists the columns whose interaction groups the rows.
    public init(hasIntercept: Bool, terms: [FormulaTerm], grouping: [String]) {
        self.hasIntercept = hasIntercept
        self.terms = terms
        self.grouping = grouping
    }

    /// The grouping factor's name as lme4 prints it, e.g. `Subject` or `cask:batch`.
    public var groupingName: String { grouping.map(formulaDisplayName).joined(separator: ":") }
    /// All data columns used (left-hand side, then grouping).
    public var columns: [String] {
        var out: [String] = []
        for c in terms.flatMap({ $0.variables.flatMap(\.columns) }) + grouping where !out.contains(c) { out.append(c) }
        return out
    }
    /// `(1 + Days | Subject)`, `(0 + Days | Subject)`, `(1 | cask:batch)`.
    public var description: String {
        let lhs = [hasIntercept ? "1" : "0"] + terms.map(\.name)
        return "(\(lhs.joined(separator: " + ")) | \(groupingName))"
    }
}

/// A parsed lme4 formula.
///
/// Supported syntax: `+`, `-` (term removal, `- 1`), `0`/`1` (intercept), `a*b` (= `a + b + a:b`),
/// `a:b`, `(a+b)^2`, `a/b` (= `a + a:b`), parentheses, backtick-quoted names, functions
/// `log log2 log10 exp sqrt abs scale I` (arithmetic `+ - * / ^` and numbers inside), and
/// random terms `(lhs | g)`, `(lhs || g)` (uncorrelated: one term per column), `(lhs | g1:g2)`,
/// `(lhs | g1/g2)`. As in lme4, `(1 | g1/g2)` becomes `(1 | g2:g1) + (1 | g1)` (that order).
/// Fixed terms are ordered as R orders them: by number of variables, then by appearance.
public struct Formula: Sendable, CustomStringConvertible {
    /// The text that was parsed.
    public let text: String
    /// The left-hand side (a column or a numeric expression such as `log(RT)`).
    public let response: FormulaVariable
    /// Whether the fixed part has an intercept (default yes; removed by `0 +`, `+ 0`, `- 1`).
    public let hasIntercept: Bool
    /// Fixed-effect terms, excluding the intercept, in R's order.
    public let fixedTerms: [FormulaTerm]
    /// Random-effect terms in formula order (after `||` and `/` expansion).
    public let randomTerms: [RandomEffectTerm]

    /// Parses a formula; throws `FormulaError` with the offset of the problem.
    public static func parse(_ text: String) throws -> Formula {
        var parser = FormulaSyntaxParser(text)
        let (lhs, _, rhs) = try parser.parseFormula()
        var interpreter = FormulaInterpreter(parser: parser)
        let response = FormulaVariable(try interpreter.expression(lhs, context: "the response"))
        let set = try interpreter.terms(rhs, allowBars: true)
        return Formula(text: text, response: response, hasIntercept: set.intercept ?? true,
                       fixedTerms: interpreter.finalTerms(set), randomTerms: interpreter.randomTerms)
    }

    /// Every data column the formula reads (response, fixed part, random part), in order.
    public var columns: [String] {
        var out: [String] = []
        let all = response.columns + fixedTerms.flatMap { $0.variables.flatMap(\.columns) }
            + randomTerms.flatMap(\.columns)
        for c in all where !out.contains(c) { out.append(c) }
        return out
    }

    /// A normalised rendering, e.g. `Reaction ~ 1 + Days + (1 + Days | Subject)`.
    public var description: String {
        let rhs = [hasIntercept ? "1" : "0"] + fixedTerms.map(\.name) + randomTerms.map(\.description)
        return "\(response.name) ~ \(rhs.joined(separator: " + "))"
    }
}

/// A name as R prints it: backtick-quoted unless it is syntactic.
func formulaDisplayName(_ name: String) -> String {
    let reserved: Set<String> = ["if", "else", "repeat", "while", "function", "for", "next", "break",
                                 "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "in"]
    guard let first = name.first else { return "``" }
    var syntactic = (first.isLetter || first == ".") && !reserved.contains(name)
    if first == ".", let second = name.dropFirst().first, second.isNumber { syntactic = false }
    if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) { syntactic = false }
    return syntactic ? name : "`\(name)`"
}

// MARK: - Interpretation of the syntax tree

/// Terms as sorted arrays of variable indices, plus the intercept flag (nil = not mentioned).
struct TermSet {
    var terms: [[Int]] = []
    var intercept: Bool? = nil

    mutating func add(_ t: [Int]) { if !terms.contains(t) { terms.append(t) } }
    mutating func add(contentsOf ts: [[Int]]) { for t in ts { add(t) } }
    var allVariables: [Int] { Array(Set(terms.flatMap { $0 })).sorted() }
}

struct FormulaInterpreter {
    let parser: FormulaSyntaxParser
    private(set) var variables: [FormulaVariable] = []
    private var variableIndex: [FormulaVariable: Int] = [:]
    private(set) var randomTerms: [RandomEffectTerm] = []

    init(parser: FormulaSyntaxParser) { self.parser = parser }

    private func error(_ offset: Int, _ message: String) -> FormulaError { parser.error(offset, message) }

    private mutating func register(_ v: FormulaVariable) -> Int {
        if let i = variableIndex[v] { return i }
        variables.append(v)
        variableIndex[v] = variables.count - 1
        return variables.count - 1
    }

    /// Terms ordered by degree, then appearance; variables in order of first appearance.
    func finalTerms(_ set: TermSet) -> [FormulaTerm] {
        let ordered = set.terms.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count < b.element.count : a.offset < b.offset
        }
        return ordered.map { FormulaTerm($0.element.map { variables[$0] }) }
    }

    private static func product(_ a: [Int], _ b: [Int]) -> [Int] { Array(Set(a + b)).sorted() }

    private func requireNoIntercept(_ s: TermSet, _ offset: Int, _ op: String) throws {
        if s.intercept != nil {
            throw error(offset, "0 or 1 cannot be used with '\(op)'")
        }
    }

    private static func unwrapParens(_ node: SyntaxNode) -> SyntaxNode {
        if case .paren(let inner, _) = node { return unwrapParens(inner) }
        return node
    }

    /// Formula meaning of a right-hand side (or a random term's left-hand side).
    mutating func terms(_ node: SyntaxNode, allowBars: Bool) throws -> TermSet {
        switch node {
        case let .binary("+", l, r, _):
            let a = try terms(l, allowBars: allowBars)
            let b = try terms(r, allowBars: allowBars)
            var out = a
            out.add(contentsOf: b.terms)
            out.intercept = b.intercept ?? a.intercept
            return out
        case let .binary("-", l, r, _):
            let a = try terms(l, allowBars: allowBars)
            return try subtract(a, r)
        case let .unary("-", x, _):
            return try subtract(TermSet(), x)
        case let .binary(op, l, r, opOffset) where op == "*" || op == ":":
            let a = try terms(l, allowBars: false)
            let b = try terms(r, allowBars: false)
            try requireNoIntercept(a, l.offset, op)
            try requireNoIntercept(b, r.offset, op)
            var out = TermSet()
            if op == "*" {
                out.add(contentsOf: a.terms)
                out.add(contentsOf: b.terms)
            }
            for tb in b.terms { for ta in a.terms { out.add(Self.product(ta, tb)) } }
            if out.terms.isEmpty { throw error(opOffset, "'\(op)' needs terms on both sides") }
            return out
        case let .binary("/", l, r, _):
            let a = try terms(l, allowBars: false)
            let b = try terms(r, allowBars: false)
            try requireNoIntercept(a, l.offset, "/")
            try requireNoIntercept(b, r.offset, "/")
            var out = a
            let outer = a.allVariables
            for tb in b.terms { out.add(Self.product(outer, tb)) }
            return out
        case let .binary("^", l, r, _):
            let a = try terms(l, allowBars: false)
            try requireNoIntercept(a, l.offset, "^")
            guard case .number(let v, _) = Self.unwrapParens(r), v >= 1, v == v.rounded(), v <= 64 else {
                throw error(r.offset, "the power of a term must be a whole number ≥ 1, e.g. (a + b)^2")
            }
            var out = a
            if v >= 2 {
                for _ in 2...Int(v) {
                    let current = out.terms
                    for t in current { for u in a.terms { out.add(Self.product(t, u)) } }
                }
            }
            return out
        case let .binary(op, _, _, opOffset) where op == "|" || op == "||":
            throw error(opOffset, "a random-effect term must be in parentheses, e.g. (1 | g)")
        case let .binary(op, _, _, opOffset):
            throw error(opOffset, "operator '\(op)' is not supported here")
        case let .paren(inner, offset):
            let bare = Self.unwrapParens(inner)
            if case let .binary(op, l, r, opOffset) = bare, op == "|" || op == "||" {
                guard allowBars else {
                    throw error(offset, "a random-effect term can only be added to the formula (not combined with other operators)")
                }
                randomTerms += try randomTerm(lhs: l, grouping: r, uncorrelated: op == "||", barOffset: opOffset)
                return TermSet()
            }
            return try terms(inner, allowBars: allowBars)
        case let .number(v, offset):
            if v == 0 { return TermSet(terms: [], intercept: false) }
            if v == 1 { return TermSet(terms: [], intercept: true) }
            throw error(offset, "only 0 or 1 may appear as a term (use I() for arithmetic)")
        case .name, .call:
            let v = FormulaVariable(try expression(node, context: "a term"))
            return TermSet(terms: [[register(v)]], intercept: nil)
        case let .unary(op, _, offset):
            throw error(offset, "unary '\(op)' is not supported here")
        }
    }

    private mutating func subtract(_ a: TermSet, _ r: SyntaxNode) throws -> TermSet {
        let b = try terms(r, allowBars: false)
        var out = TermSet(terms: a.terms.filter { !b.terms.contains($0) }, intercept: a.intercept)
        if let bi = b.intercept { out.intercept = !bi }   // `- 1` removes, `- 0` restores
        return out
    }

    private mutating func randomTerm(lhs: SyntaxNode, grouping: SyntaxNode, uncorrelated: Bool,
                                     barOffset: Int) throws -> [RandomEffectTerm] {
        var sub = FormulaInterpreter(parser: parser)
        let set = try sub.terms(lhs, allowBars: false)
        let intercept = set.intercept ?? true
        let lhsTerms = sub.finalTerms(set)
        if !intercept && lhsTerms.isEmpty {
            throw error(lhs.offset, "random-effect term has no intercept and no variables")
        }
        let groupings = Self.expandGrouping(try groupTree(grouping))
        var parts: [(Bool, [FormulaTerm])] = []
        if uncorrelated {
            if intercept { parts.append((true, [])) }
            for t in lhsTerms { parts.append((false, [t])) }
        } else {
            parts.append((intercept, lhsTerms))
        }
        var out: [RandomEffectTerm] = []
        for (hasIntercept, ts) in parts {
            for g in groupings { out.append(RandomEffectTerm(hasIntercept: hasIntercept, terms: ts, grouping: g)) }
        }
        return out
    }

    private indirect enum GroupTree {
        case leaf([String])
        case nest(GroupTree, [String])
    }

    private func groupTree(_ node: SyntaxNode) throws -> GroupTree {
        let problem = "the grouping factor must be a column, an interaction a:b or a nesting a/b"
        switch node {
        case .name(let n, _): return .leaf([n])
        case .paren(let inner, _): return try groupTree(inner)
        case let .binary(":", l, r, opOffset):
            guard case .leaf(let a) = try groupTree(l), case .leaf(let b) = try groupTree(r) else {
                throw error(opOffset, "'/' cannot be used inside ':' in a grouping factor")
            }
            if let dup = b.first(where: a.contains) {
                throw error(r.offset, "'\(dup)' appears twice in the grouping factor")
            }
            return .leaf(a + b)
        case let .binary("/", l, r, opOffset):
            guard case .leaf(let b) = try groupTree(r) else {
                throw error(opOffset, "nested grouping must be written left to right, e.g. a/b/c")
            }
            return .nest(try groupTree(l), b)
        default:
            throw error(node.offset, problem)
        }
    }

    /// lme4's `expandSlash`: `a/b` → [b:a, a]; `a/b/c` → [c:b:a, b:a, a].
    private static func expandGrouping(_ tree: GroupTree) -> [[String]] {
        switch tree {
        case .leaf(let v): return [v]
        case let .nest(outer, inner):
            let expanded = expandGrouping(outer)
            return [inner + expanded[0]] + expanded
        }
    }

    /// Arithmetic meaning of a node (the response, or a function's argument).
    func expression(_ node: SyntaxNode, context: String) throws -> FormulaExpression {
        switch node {
        case .name(let n, _): return .column(n)
        case .number(let v, _): return .number(v)
        case .paren(let inner, _): return .parenthesized(try expression(inner, context: context))
        case let .unary(op, x, offset):
            guard op == "-" else { throw error(offset, "unary '\(op)' is not supported") }
            return .negate(try expression(x, context: context))
        case let .binary(op, l, r, opOffset):
            guard let aop = ArithmeticOperator(rawValue: op) else {
                throw error(opOffset, "operator '\(op)' cannot be used in \(context)")
            }
            return .binary(aop, try expression(l, context: context), try expression(r, context: context))
        case let .call(name, args, offset):
            guard let f = FormulaFunction(rawValue: name) else {
                let known = FormulaFunction.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(offset, "unknown function '\(name)' (supported: \(known))")
            }
            guard args.count == 1 else {
                throw error(offset, "'\(name)' takes exactly one argument, got \(args.count)")
            }
            return .call(f, try expression(args[0], context: "the argument of \(name)()"))
        }
    }
}
