/// A dense, column-major matrix of `Float` or `Double`, the storage layout BLAS and LAPACK use.
///
/// Element (i, j) lives at `storage[i + j * rows]`. Value semantics (copy on write via the array).
public struct Matrix<Scalar: BLASScalar>: Equatable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    /// Column-major elements, `rows * cols` of them.
    public var storage: [Scalar]

    /// A `rows × cols` matrix filled with `value`.
    @inlinable
    public init(rows: Int, cols: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Scalar](repeating: value, count: rows * cols)
    }

    /// A matrix over existing column-major storage; throws if the count does not match.
    @inlinable
    public init(rows: Int, cols: Int, columnMajor: [Scalar]) throws {
        guard rows >= 0, cols >= 0, columnMajor.count == rows * cols else {
            throw NumericsError.dimensionMismatch(
                operation: "Matrix(rows:cols:columnMajor:)",
                detail: "\(rows)×\(cols) needs \(max(0, rows * cols)) elements, got \(columnMajor.count)")
        }
        self.rows = rows
        self.cols = cols
        self.storage = columnMajor
    }

    /// A matrix from rows written out as nested arrays (convenient in tests and small examples).
    @inlinable
    public init(_ rowArrays: [[Scalar]]) throws {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == c }) else {
            throw NumericsError.dimensionMismatch(operation: "Matrix(rows)", detail: "rows have different lengths")
        }
        self.init(rows: r, cols: c)
        for i in 0..<r { for j in 0..<c { self[i, j] = rowArrays[i][j] } }
    }

    /// The `n × n` identity.
    @inlinable
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Scalar {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    /// Column `j` as a new array.
    @inlinable
    public func column(_ j: Int) -> [Scalar] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// The transpose, as a new matrix.
    @inlinable
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for j in 0..<cols { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// True for a square matrix.
    public var isSquare: Bool { rows == cols }

    public var description: String {
        var lines: [String] = []
        for i in 0..<min(rows, 12) {
            let row = (0..<min(cols, 8)).map { j in "\(self[i, j])" }.joined(separator: " ")
            lines.append(row + (cols > 8 ? " …" : ""))
        }
        if rows > 12 { lines.append("…") }
        return "Matrix \(rows)×\(cols)\n" + lines.joined(separator: "\n")
    }
}
