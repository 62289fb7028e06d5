/// A fixed-size, zero-initialised block of scalars owned by a class (so hot loops can work on a
/// raw pointer without copy-on-write or bounds checks). Use `Scratch` for buffers that grow.
final class Buffer<T: LMScalar>: @unchecked Sendable {
    let count: Int
    let p: UnsafeMutablePointer<T>

    init(count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [T]) {
        self.init(count: values.count)
        for i in values.indices { p[i] = values[i] }
    }

    deinit { p.deallocate() }

    func zero() { p.update(repeating: 0, count: count) }
    var array: [T] { Array(UnsafeBufferPointer(start: p, count: count)) }
    func copy(from other: Buffer<T>) { p.update(from: other.p, count: min(count, other.count)) }
}

/// A reusable work buffer that only ever grows; `get(n)` returns a pointer to at least `n`
/// scalars (contents unspecified unless `zeroed`).
final class Scratch<T: LMScalar>: @unchecked Sendable {
    private var buffer = Buffer<T>(count: 0)

    func get(_ n: Int, zeroed: Bool = false) -> UnsafeMutablePointer<T> {
        if buffer.count < n { buffer = Buffer<T>(count: n + n / 4) }
        if zeroed { buffer.p.update(repeating: 0, count: n) }
        return buffer.p
    }
}
