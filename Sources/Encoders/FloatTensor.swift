/// A read-only float32 tensor in row-major order: either a zero-copy view into a memory-mapped
/// weights file or memory of its own. Cheap to copy (the storage is shared).
public struct FloatTensor: @unchecked Sendable {
    /// Dimensions, outermost first (PyTorch order: a Linear weight is `[out, in]`).
    public let shape: [Int]
    /// The first element; valid as long as this value (or a copy) lives.
    public let pointer: UnsafePointer<Float>
    private let owner: AnyObject

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// A view of `pointer` kept alive by `owner` (e.g. the `MappedFile`).
    init(shape: [Int], pointer: UnsafePointer<Float>, owner: AnyObject) {
        self.shape = shape
        self.pointer = pointer
        self.owner = owner
    }

    /// A tensor owning a copy of `values` (`values.count` must equal the product of `shape`).
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "FloatTensor: \(values.count) values for shape \(shape)")
        let box = OwnedFloats(values)
        self.init(shape: shape, pointer: UnsafePointer(box.pointer), owner: box)
    }

    /// The elements as an array (a copy).
    public var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Heap memory for an owned tensor.
final class OwnedFloats {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(1, count))
        values.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { pointer.initialize(from: b, count: count) }
        }
    }
    init(count: Int, fill: (UnsafeMutablePointer<Float>) -> Void) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        fill(pointer)
    }
    deinit { pointer.deallocate() }
}
