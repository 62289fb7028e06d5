import Foundation
import Numerics
import Tables

/// Problems turning a formula and a table into model matrices.
public enum ModelFrameError: Error, Equatable, CustomStringConvertible {
    /// A column named in the formula is not in the table.
    case unknownColumn(name: String, available: [String])
    /// The response is text, or was declared a factor. `detail` names the first bad value.
    case responseNotNumeric(name: String, detail: DataError?)
    /// A function or arithmetic (`log(x)`, `I(x^2)`) was applied to a text column.
    case nonNumericVariable(variable: String, detail: DataError)
    /// A grouping factor has fewer than two levels among the rows used.
    case groupingTooFewLevels(grouping: String, levels: Int)
    /// A fixed-effect (or random-slope) factor has fewer than two levels among the rows used.
    case factorTooFewLevels(factor: String, levels: Int)
    /// Every row has a missing value in some used column.
    case noRowsLeft(totalRows: Int, droppedForMissing: Int)
    /// `log`, `log2` or `log10` of zero or a negative value.
    case nonPositiveLog(expression: String, value: Double, file: String, line: Int)
    /// `sqrt` of a negative value.
    case negativeSqrt(expression: String, value: Double, file: String, line: Int)
    /// A variable evaluates to an infinite or NaN value (e.g. `Inf` in the data, division by 0).
    case nonFinite(expression: String, file: String, line: Int)
    /// `scale(x)` of a constant (zero standard deviation, or fewer than two rows).
    case constantScale(expression: String)
    /// A value of a factor column is not among the levels given in `levelOrders`.
    case levelNotInOrder(column: String, value: String, file: String, line: Int)
    /// The model matrix would have more than `limit` elements (`ModelFrame.maxModelMatrixElements`).
    /// `factors` gives the number of levels of each factor (column name) in the matrix.
    case modelMatrixTooLarge(rows: Int, columns: Int, limit: Int, factors: [String: Int])

    public var description: String {
        switch self {
        case let .unknownColumn(name, available):
            return "the formula uses column '\(name)', which is not in the data; available columns: "
                + available.map { "'\($0)'" }.joined(separator: ", ")
        case let .responseNotNumeric(name, detail):
            if let detail { return "the response '\(name)' must be numeric: \(detail)" }
            return "the response '\(name)' must be numeric, but it was declared a factor"
        case let .nonNumericVariable(variable, detail):
            return "'\(variable)' needs numeric data: \(detail)"
        case let .groupingTooFewLevels(grouping, levels):
            return "grouping factor '\(grouping)' has \(levels) level\(levels == 1 ? "" : "s") in the rows used; it needs at least 2"
        case let .factorTooFewLevels(factor, levels):
            return "factor '\(factor)' has \(levels) level\(levels == 1 ? "" : "s") in the rows used; contrasts need at least 2"
        case let .noRowsLeft(total, dropped):
            return "no rows left: all \(total) rows have a missing value in a column the model uses (\(dropped) dropped)"
        case let .nonPositiveLog(expression, value, file, line):
            return "\(file):\(line): \(expression) is undefined for the non-positive value \(rNumberString(value))"
        case let .negativeSqrt(expression, value, file, line):
            return "\(file):\(line): \(expression) is undefined for the negative value \(rNumberString(value))"
        case let .nonFinite(expression, file, line):
            return "\(file):\(line): '\(expression)' is not a finite number"
        case let .constantScale(expression):
            return "\(expression): cannot scale a variable with zero standard deviation"
        case let .levelNotInOrder(column, value, file, line):
            return "\(file):\(line): value '\(value)' of factor '\(column)' is not in the level order given for it"
        case let .modelMatrixTooLarge(rows, columns, limit, factors):
            let values = Double(rows) * Double(columns)
            var text = "the model matrix would have \(rows) rows × \(columns) columns "
                + "(\(String(format: "%.3g", values)) values, \(String(format: "%.3g", values * 8 / 1e9)) GB as doubles), "
                + "more than the limit of \(limit) values (\(String(format: "%.3g", Double(limit) * 8 / 1e9)) GB)"
            let largest = factors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
            guard let top = largest.first else { return text }
            text += "; " + largest.map { "factor '\($0.key)' has \($0.value) levels" }.joined(separator: ", ")
            let name = formulaDisplayName(top.key)
            text += ". A factor with that many levels is better modelled as a random effect: "
                + "use (1 | \(name)) instead of the fixed effect \(name)"
            return text
        }
    }
}

/// One random-effects term as matrices: grouping factor and the term's model-matrix columns.
public struct RandomTermFrame {
    /// Grouping factor name as lme4 prints it: `Subject`, `cask:batch`.
    public let groupingName: String
    /// Level labels in factor order (interaction levels are `l1:l2`).
    public let levels: [String]
    /// Per model row, the 0-based index into `levels`.
    public let levelIndex: [Int32]
    /// lme4 column names: `(Intercept)`, `Days`.
    public let columnNames: [String]
    /// n × k matrix of the term's model-matrix columns.
    public let columns: Matrix<Double>

    /// Memberwise initialiser (for tests and for code that builds terms directly).
    public init(groupingName: String, levels: [String], levelIndex: [Int32], columnNames: [String],
                columns: Matrix<Double>) {
        self.groupingName = groupingName
        self.levels = levels
        self.levelIndex = levelIndex
        self.columnNames = columnNames
        self.columns = columns
    }
}

/// The numeric model built from a `Formula` and a `DataTable`: response, fixed-effects model
/// matrix with R's treatment-contrast coding and names, and one `RandomTermFrame` per random term.
public struct ModelFrame {
    /// The response as written (`Reaction`, `log(RT)`).
    public let responseName: String
    /// Response values, one per model row.
    public let y: [Double]
    /// n × p fixed-effects model matrix.
    public let X: Matrix<Double>
    /// R's column names: `(Intercept)`, `Days`, `service1`, `service1:dept5`.
    public let fixedEffectNames: [String]
    /// Random terms in formula order (after `||` and `/` expansion); a fitter may reorder them.
    public let randomTerms: [RandomTermFrame]
    /// 0-based table rows used, in table order.
    public let rowIndices: [Int]
    /// Rows dropped because a used column was missing.
    public let droppedForMissing: Int
    /// Number of model rows.
    public var n: Int { y.count }
    /// Columns read as factors only because a few of their values are not numbers (each a
    /// sentence naming the column, its level count and the first such value with its line):
    /// the likely cause when a fit has more coefficients than rows.
    public var textFactorNotes: [String] = []
    /// `textFactorNotes` as one sentence, or nil when there are none.
    public var textFactorCause: String? { textFactorNotes.isEmpty ? nil : textFactorNotes.joined(separator: "; ") }

    /// Memberwise initialiser; most code should use `build(formula:table:factors:levelOrders:)`.
    public init(responseName: String, y: [Double], X: Matrix<Double>, fixedEffectNames: [String],
                randomTerms: [RandomTermFrame], rowIndices: [Int], droppedForMissing: Int) {
        self.responseName = responseName
        self.y = y
        self.X = X
        self.fixedEffectNames = fixedEffectNames
        self.randomTerms = randomTerms
        self.rowIndices = rowIndices
        self.droppedForMissing = droppedForMissing
    }

    /// Column of `X` with this name, or nil.
    public func columnIndex(of name: String) -> Int? { fixedEffectNames.firstIndex(of: name) }

    /// The frame restricted to `rows` (indices into this frame's rows, in the order given).
    /// Level lists, column names and already-computed values (including `scale()` centring)
    /// are kept as they are; `droppedForMissing` is that of the original frame.
    public func subset(_ rows: [Int]) -> ModelFrame {
        func pick(_ m: Matrix<Double>) -> Matrix<Double> {
            var out = Matrix<Double>(rows: rows.count, cols: m.cols)
            for j in 0..<m.cols { for (i, r) in rows.enumerated() { out[i, j] = m[r, j] } }
            return out
        }
        let terms = randomTerms.map { t in
            RandomTermFrame(groupingName: t.groupingName, levels: t.levels,
                            levelIndex: rows.map { t.levelIndex[$0] }, columnNames: t.columnNames,
                            columns: pick(t.columns))
        }
        var frame = ModelFrame(responseName: responseName, y: rows.map { y[$0] }, X: pick(X),
                               fixedEffectNames: fixedEffectNames, randomTerms: terms,
                               rowIndices: rows.map { rowIndices[$0] }, droppedForMissing: droppedForMissing)
        frame.textFactorNotes = textFactorNotes
        return frame
    }

    /// Builds the model.
    ///
    /// - A bare column is a factor if it is not numeric, is named in `factors`, or has an entry in
    ///   `levelOrders`. Grouping columns are always factors. Columns inside functions and `I()`
    ///   are always read as numbers.
    /// - Default level order is R's: text sorted as in an English locale (case-insensitive first,
    ///   lower case before upper case on ties); numeric columns sorted by value with R's labels
    ///   (`1`, `2.5`). `levelOrders[column]` fixes the order; a value not listed is an error.
    ///   Levels that do not occur in the rows used are dropped (as `lm`/`lmer` do).
    /// - Rows with a missing value in any used column are dropped and counted.
    /// - `scale(x)` centres by the mean and divides by the sample SD (n − 1) of the rows used.
    /// - Factors use treatment contrasts with R's rule (as `model.matrix`): in a term, factor F
    ///   gets contrasts if the term without F is the empty term or is contained in an earlier
    ///   term, else one indicator per level; without an intercept the first factor of the first
    ///   term containing a factor gets indicators. Columns of an interaction vary the first
    ///   variable fastest and are named `a1:b2`.
    /// - Column names are made unique as R's `make.unique` does: R's `model.matrix` can give two
    ///   columns one name (level `2` of factor `x` and a numeric column `x2` are both `x2`); the
    ///   first keeps it and each later one gets the first free suffix `.1`, `.2`, … (`x2.1`).
    ///
    /// Throws `ModelFrameError.modelMatrixTooLarge`, before allocating anything of that size,
    /// when a model matrix would have more than `maxModelMatrixElements` elements.
    public static func build(formula: Formula, table: DataTable, factors: Set<String> = [],
                             levelOrders: [String: [String]] = [:]) throws -> ModelFrame {
        try build(formula: formula, table: table, factors: factors, levelOrders: levelOrders,
                  maxMatrixElements: maxModelMatrixElements)
    }

    /// `names` with repeats renamed as R's `make.unique` does: the first occurrence keeps its
    /// name, each later one gets the first suffix `.1`, `.2`, … that no other name has.
    /// Deterministic, and the identity when the names are already unique.
    public static func uniqueNames(_ names: [String]) -> [String] {
        var taken = Set(names)
        var seen = Set<String>()
        var nextSuffix: [String: Int] = [:]
        return names.map { name in
            if seen.insert(name).inserted { return name }
            var k = nextSuffix[name, default: 1]
            while taken.contains("\(name).\(k)") { k += 1 }
            nextSuffix[name] = k + 1
            let renamed = "\(name).\(k)"
            taken.insert(renamed)
            return renamed
        }
    }

    /// The most elements (rows × columns) a model matrix may have: 250 million doubles, 2 GB.
    public static let maxModelMatrixElements = 250_000_000

    /// `build` with another limit on the model-matrix size (for tests).
    static func build(formula: Formula, table: DataTable, factors: Set<String> = [],
                      levelOrders: [String: [String]] = [:], maxMatrixElements: Int) throws -> ModelFrame {
        var builder = ModelFrameBuilder(formula: formula, table: table, factors: factors, levelOrders: levelOrders,
                                        maxMatrixElements: maxMatrixElements)
        return try builder.build()
    }
}

// MARK: - Builder

private enum VariableData {
    case numeric([Double])
    case factor(levels: [String], codes: [Int32])
}

private struct ModelFrameBuilder {
    let formula: Formula
    let table: DataTable
    let factors: Set<String>
    let levelOrders: [String: [String]]
    let maxMatrixElements: Int
    var kept: [Int] = []
    /// Numeric columns as numbers (NaN where missing; such rows are never kept).
    var numericCache: [String: [Double]] = [:]
    var variableCache: [FormulaVariable: VariableData] = [:]
    var textFactorNotes: [String] = []

    init(formula: Formula, table: DataTable, factors: Set<String>, levelOrders: [String: [String]],
         maxMatrixElements: Int) {
        self.formula = formula
        self.table = table
        self.factors = factors
        self.levelOrders = levelOrders
        self.maxMatrixElements = maxMatrixElements
    }

    func isCategorical(_ column: String) -> Bool {
        !table.isNumeric(column) || factors.contains(column) || levelOrders[column] != nil
    }

    func line(_ k: Int) -> Int { table.lineNumber(ofRow: kept[k]) }

    mutating func build() throws -> ModelFrame {
        let columns = formula.columns
        for c in columns where !table.hasColumn(c) {
            throw ModelFrameError.unknownColumn(name: c, available: table.columnNames)
        }

        // Numeric conversions (over whole columns, so a bad value is reported wherever it is).
        let response = formula.response
        if let c = response.columnName, factors.contains(c) || levelOrders[c] != nil {
            throw ModelFrameError.responseNotNumeric(name: response.name, detail: nil)
        }
        for c in response.columns {
            do { numericCache[c] = try table.numericValues(c) } catch let e as DataError {
                throw ModelFrameError.responseNotNumeric(name: response.name, detail: e)
            }
        }
        let lhsVariables = formula.fixedTerms.flatMap(\.variables)
            + formula.randomTerms.flatMap { $0.terms.flatMap(\.variables) }
        for v in lhsVariables {
            if let c = v.columnName, isCategorical(c) { continue }
            for c in v.columns where numericCache[c] == nil {
                do { numericCache[c] = try table.numericValues(c) } catch let e as DataError {
                    throw ModelFrameError.nonNumericVariable(variable: v.name, detail: e)
                }
            }
        }

        // Drop rows with a missing value in any used column.
        var missing = [Bool](repeating: false, count: table.rowCount)
        for c in columns {
            for (r, m) in try table.missingMask(c).enumerated() where m { missing[r] = true }
        }
        kept = (0..<table.rowCount).filter { !missing[$0] }
        let dropped = table.rowCount - kept.count
        guard !kept.isEmpty else {
            throw ModelFrameError.noRowsLeft(totalRows: table.rowCount, droppedForMissing: dropped)
        }

        let y = try evaluate(response)

        // Fixed effects.
        let (X, names) = try design(terms: formula.fixedTerms, intercept: formula.hasIntercept)

        // Random effects.
        var randomFrames: [RandomTermFrame] = []
        for term in formula.randomTerms {
            let (levels, codes) = try groupingFactor(term.grouping)
            if levels.count < 2 {
                throw ModelFrameError.groupingTooFewLevels(grouping: term.groupingName, levels: levels.count)
            }
            let (Z, znames) = try design(terms: term.terms, intercept: term.hasIntercept)
            randomFrames.append(RandomTermFrame(groupingName: term.groupingName, levels: levels,
                                                levelIndex: codes, columnNames: znames, columns: Z))
        }

        var frame = ModelFrame(responseName: response.name, y: y, X: X, fixedEffectNames: names,
                               randomTerms: randomFrames, rowIndices: kept, droppedForMissing: dropped)
        frame.textFactorNotes = textFactorNotes
        return frame
    }

    // MARK: Variables

    mutating func data(for v: FormulaVariable) throws -> VariableData {
        if let d = variableCache[v] { return d }
        let d: VariableData
        if let c = v.columnName, isCategorical(c) {
            let (levels, codes) = try factorLevels(c)
            if levels.count < 2 { throw ModelFrameError.factorTooFewLevels(factor: c, levels: levels.count) }
            noteIfMostlyNumeric(c, levels: levels)
            d = .factor(levels: levels, codes: codes)
        } else {
            d = .numeric(try evaluate(v))
        }
        variableCache[v] = d
        return d
    }

    /// Notes a column that is a factor only because some of its values are not numbers while at
    /// least half of its levels are (one "abc" in a column of reading times, say).
    mutating func noteIfMostlyNumeric(_ column: String, levels: [String]) {
        guard !factors.contains(column), levelOrders[column] == nil, levels.count > 2,
              !textFactorNotes.contains(where: { $0.hasPrefix("column '\(column)' ") }) else { return }
        let numericLevels = levels.filter { DecimalNumber.parse($0) != nil }.count
        guard numericLevels * 2 >= levels.count else { return }
        var where_ = ""
        do { _ = try table.numericColumn(column) } catch let DataError.nonNumeric(file, line, _, _, value) {
            where_ = " such as '\(value)' (\(file):\(line))"
        } catch {}
        textFactorNotes.append("column '\(column)' is read as a factor with \(levels.count) levels because of its non-numeric values\(where_)")
    }

    /// Evaluates a numeric variable over the kept rows and checks that every value is finite.
    func evaluate(_ v: FormulaVariable) throws -> [Double] {
        let values = try evaluate(v.expression)
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw ModelFrameError.nonFinite(expression: v.name, file: table.sourceName, line: line(k))
        }
        return values
    }

    func evaluate(_ e: FormulaExpression) throws -> [Double] {
        let n = kept.count
        switch e {
        case .column(let c):
            let col = numericCache[c]!
            return kept.map { col[$0] }
        case .number(let v):
            return [Double](repeating: v, count: n)
        case .negate(let x):
            return try evaluate(x).map { -$0 }
        case .parenthesized(let x):
            return try evaluate(x)
        case let .binary(op, l, r):
            let a = try evaluate(l), b = try evaluate(r)
            switch op {
            case .add: return zip(a, b).map { $0 + $1 }
            case .subtract: return zip(a, b).map { $0 - $1 }
            case .multiply: return zip(a, b).map { $0 * $1 }
            case .divide: return zip(a, b).map { $0 / $1 }
            case .power: return zip(a, b).map { Foundation.pow($0, $1) }
            }
        case let .call(f, x):
            let a = try evaluate(x)
            switch f {
            case .log, .log2, .log10:
                if let k = a.firstIndex(where: { $0 <= 0 }) {
                    throw ModelFrameError.nonPositiveLog(expression: e.description, value: a[k],
                                                         file: table.sourceName, line: line(k))
                }
                switch f {
                case .log: return a.map { Foundation.log($0) }
                case .log2: return a.map { Foundation.log2($0) }
                default: return a.map { Foundation.log10($0) }
                }
            case .sqrt:
                if let k = a.firstIndex(where: { $0 < 0 }) {
                    throw ModelFrameError.negativeSqrt(expression: e.description, value: a[k],
                                                       file: table.sourceName, line: line(k))
                }
                return a.map { $0.squareRoot() }
            case .exp: return a.map { Foundation.exp($0) }
            case .abs: return a.map { Swift.abs($0) }
            case .identity: return a
            case .scale:
                let mean = a.reduce(0, +) / Double(n)
                let ss = a.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                let sd = n > 1 ? (ss / Double(n - 1)).squareRoot() : 0
                guard sd > 0, sd.isFinite else { throw ModelFrameError.constantScale(expression: e.description) }
                return a.map { ($0 - mean) / sd }
            }
        }
    }

    /// Level labels and per-kept-row codes of a factor column (levels that occur, in order).
    func factorLevels(_ column: String) throws -> (levels: [String], codes: [Int32]) {
        let (values, valueCodes) = try table.distinctValues(column)
        let numeric = table.isNumeric(column)
        // Label of each kept row (numbers printed as R prints them), as an index into `labels`;
        // values whose labels are equal strings share the label first seen among the kept rows.
        var valueLabel = [Int32](repeating: -1, count: values.count)
        var labelIndex: [String: Int32] = [:]
        var labels: [String] = []
        var labelValues: [Double] = []
        let rowLabels: [Int32] = kept.map { r in
            let d = Int(valueCodes[r])
            if valueLabel[d] >= 0 { return valueLabel[d] }
            let v = numeric ? DecimalNumber.parse(values[d])! : 0
            let l = numeric ? rNumberString(v) : values[d]
            let k: Int32
            if let existing = labelIndex[l] {
                k = existing
            } else {
                k = Int32(labels.count)
                labelIndex[l] = k
                labels.append(l)
                labelValues.append(v)
            }
            valueLabel[d] = k
            return k
        }
        var order: [String]
        var labelCode: [Int32]   // per label, its index in `order`
        if let given = levelOrders[column] {
            order = given.map { g in numeric ? (DecimalNumber.parse(g).map(rNumberString) ?? g) : g }
            var seen = Set<String>()
            order = order.filter { seen.insert($0).inserted }
            let known = Set(order)
            let labelKnown = labels.map(known.contains)
            if let k = rowLabels.firstIndex(where: { !labelKnown[Int($0)] }) {
                throw ModelFrameError.levelNotInOrder(column: column, value: values[Int(valueCodes[kept[k]])],
                                                      file: table.sourceName, line: line(k))
            }
            let present = Set(labels)
            order = order.filter(present.contains)
            var index: [String: Int32] = [:]
            for (i, l) in order.enumerated() { index[l] = Int32(i) }
            labelCode = labels.map { index[$0]! }
        } else {
            let sorted = numeric
                ? labels.indices.sorted { labelValues[$0] < labelValues[$1] }
                : rCollationSortedIndices(labels)
            order = sorted.map { labels[$0] }
            labelCode = [Int32](repeating: 0, count: labels.count)
            for (i, l) in sorted.enumerated() { labelCode[l] = Int32(i) }
        }
        return (order, rowLabels.map { labelCode[Int($0)] })
    }

    /// Grouping factor over one column or the interaction of several (labels `l1:l2`; only
    /// combinations that occur; the first column varies slowest, as R's `factor(a:b)`).
    func groupingFactor(_ columns: [String]) throws -> (levels: [String], codes: [Int32]) {
        let parts = try columns.map { try factorLevels($0) }
        if parts.count == 1 { return parts[0] }
        let n = kept.count
        // Each combination as one integer (mixed radix, first column most significant), so that
        // integer order is the lexicographic order of the code tuples.
        var radixProduct = 1, fits = true
        for p in parts {
            let (product, overflow) = radixProduct.multipliedReportingOverflow(by: max(p.levels.count, 1))
            if overflow { fits = false; break }
            radixProduct = product
        }
        if fits {
            var keys = [Int](repeating: 0, count: n)
            for p in parts {
                let radix = p.levels.count
                for i in 0..<n { keys[i] = keys[i] * radix + Int(p.codes[i]) }
            }
            let combos = Array(Set(keys)).sorted()
            var index: [Int: Int32] = [:]
            for (i, c) in combos.enumerated() { index[c] = Int32(i) }
            let levels = combos.map { key in
                var rest = key
                var labels: [String] = []
                for p in parts.reversed() {
                    labels.append(p.levels[rest % p.levels.count])
                    rest /= p.levels.count
                }
                return labels.reversed().joined(separator: ":")
            }
            return (levels, keys.map { index[$0]! })
        }
        let keys: [[Int32]] = (0..<n).map { i in parts.map { $0.codes[i] } }
        let combos = Array(Set(keys)).sorted { $0.lexicographicallyPrecedes($1) }
        var index: [[Int32]: Int32] = [:]
        for (i, c) in combos.enumerated() { index[c] = Int32(i) }
        let levels = combos.map { c in zip(parts, c).map { $0.levels[Int($1)] }.joined(separator: ":") }
        return (levels, keys.map { index[$0]! })
    }

    // MARK: Model matrices

    /// R's `model.matrix` for the given terms (see `ModelFrame.build` for the coding rule).
    /// Counts the columns first and throws `modelMatrixTooLarge` before allocating a matrix over
    /// the limit; then fills the matrix in place.
    mutating func design(terms: [FormulaTerm], intercept: Bool) throws -> (Matrix<Double>, [String]) {
        /// One model-matrix column of one variable: numeric values, or the indicator of a level.
        enum Factor {
            case values([Double])
            case indicator(codes: [Int32], level: Int32)
        }
        let n = kept.count
        var names: [String] = []
        // Per term, the columns of each variable (with their names).
        var plans: [[[(Factor, String)]]] = []
        var factorLevelCounts: [String: Int] = [:]
        if intercept { names.append("(Intercept)") }
        let termSets = terms.map { Set($0.variables) }
        var fullCodingAssigned = intercept   // without an intercept, one factor gets full coding
        for (ti, term) in terms.enumerated() {
            var plan: [[(Factor, String)]] = []
            for v in term.variables {
                var vcols: [(Factor, String)] = []
                switch try data(for: v) {
                case .numeric(let values):
                    vcols = [(.values(values), v.name)]
                case let .factor(levels, codes):
                    factorLevelCounts[v.columnName ?? v.name] = levels.count
                    var rest = termSets[ti]
                    rest.remove(v)
                    var contrasts = rest.isEmpty || termSets[..<ti].contains { rest.isSubset(of: $0) }
                    if !fullCodingAssigned {
                        fullCodingAssigned = true
                        contrasts = false
                    }
                    for l in (contrasts ? 1 : 0)..<levels.count {
                        vcols.append((.indicator(codes: codes, level: Int32(l)), v.name + levels[l]))
                    }
                }
                plan.append(vcols)
            }
            plans.append(plan)
        }
        // Column count: intercept plus, per term, the product of its variables' column counts.
        var count = intercept ? 1 : 0
        var countOverflow = false
        for plan in plans {
            var product = 1
            for vcols in plan {
                let (p, o) = product.multipliedReportingOverflow(by: vcols.count)
                product = p
                countOverflow = countOverflow || o
            }
            let (c, o) = count.addingReportingOverflow(product)
            count = c
            countOverflow = countOverflow || o
        }
        let (elements, elementsOverflow) = n.multipliedReportingOverflow(by: count)
        if countOverflow || elementsOverflow || elements > maxMatrixElements {
            throw ModelFrameError.modelMatrixTooLarge(rows: n, columns: countOverflow ? Int.max : count,
                                                      limit: maxMatrixElements, factors: factorLevelCounts)
        }

        var m = Matrix<Double>(rows: n, cols: count)
        m.storage.withUnsafeMutableBufferPointer { storage in
            var column = 0
            if intercept {
                for i in 0..<n { storage[i] = 1 }
                column = 1
            }
            for plan in plans {
                // Columns of the term: the first variable varies fastest (R's order); each column
                // is 1 × (value of the first variable) × (value of the second) …, as model.matrix.
                var choice = [Int](repeating: 0, count: plan.count)
                var termNames: [String] = [""]
                for vcols in plan {
                    var next: [String] = []
                    for (_, vn) in vcols { for cn in termNames { next.append(cn.isEmpty ? vn : cn + ":" + vn) } }
                    termNames = next
                }
                for name in termNames {
                    let base = column * n
                    for i in 0..<n { storage[base + i] = 1 }
                    for (v, vcols) in plan.enumerated() {
                        switch vcols[choice[v]].0 {
                        case .values(let values):
                            for i in 0..<n { storage[base + i] *= values[i] }
                        case let .indicator(codes, level):
                            for i in 0..<n { storage[base + i] *= codes[i] == level ? 1 : 0 }
                        }
                    }
                    names.append(name)
                    column += 1
                    // Next combination: the first variable varies fastest.
                    for v in plan.indices {
                        choice[v] += 1
                        if choice[v] < plan[v].count { break }
                        choice[v] = 0
                    }
                }
            }
        }
        return (m, ModelFrame.uniqueNames(names))
    }
}
