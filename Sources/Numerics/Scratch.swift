/// A fixed-size, zero-initialised block of scalars owned by a class, so hot loops can work on a
/// raw pointer without copy-on-write or bounds checks. Use `Scratch` for buffers that grow.
///
/// `@unchecked Sendable`: it is raw storage, shared on purpose between the two threads of a
/// `PairedWorker` step, which write disjoint parts of it; no lock could keep those loops fast.
public final class ScalarBuffer<T: Numeric>: @unchecked Sendable {
    /// Number of scalars.
    public let count: Int
    /// The storage: `count` initialised scalars (at least one allocated).
    public let p: UnsafeMutablePointer<T>

    /// `count` zeros.
    public init(count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }

    /// A copy of `values`.
    public convenience init(_ values: [T]) {
        self.init(count: values.count)
        for i in values.indices { p[i] = values[i] }
    }

    deinit { p.deallocate() }

    /// Sets every scalar to zero.
    public func zero() { p.update(repeating: 0, count: count) }
    /// The scalars as an array (a copy).
    public var array: [T] { Array(UnsafeBufferPointer(start: p, count: count)) }
    /// Copies the first min(count, other.count) scalars of `other`.
    public func copy(from other: ScalarBuffer<T>) { p.update(from: other.p, count: min(count, other.count)) }
}

/// A reusable work buffer that only ever grows: the one scratch type of the encoder's and the
/// language models' hot loops. `get(n)` returns a pointer to at least `n` scalars, valid until
/// the next `get` with a larger `n`; the contents are unspecified (but initialised) unless
/// `zeroed`.
public final class Scratch<T: Numeric>: @unchecked Sendable {
    private var buffer = ScalarBuffer<T>(count: 0)

    public init() {}

    /// At least `n` scalars; with `zeroed`, the first `n` are set to zero.
    public func get(_ n: Int, zeroed: Bool = false) -> UnsafeMutablePointer<T> {
        if buffer.count < n { buffer = ScalarBuffer<T>(count: n + n / 4) }
        if zeroed { buffer.p.update(repeating: 0, count: n) }
        return buffer.p
    }
}
