import CBLAS
import Synchronization

/// A scoped limit on OpenBLAS's thread count: the one way code changes the count for a while.
///
/// OpenBLAS keeps one process-wide thread count. Code that makes many small BLAS calls, or runs
/// its own second thread (`PairedWorker`), needs fewer BLAS threads for a while; saving the
/// count, setting it and "restoring" it later goes wrong as soon as two such regions overlap
/// out of order (one restores a count the other set). Instead each region holds a
/// `BLASThreadLimit`: the count in force is that of the most recently taken limit still held,
/// or the configured count (`BLASRuntime.setThreads`) when none is. Releasing a limit — by
/// `release()` or when the last reference goes — recomputes the count from what is still held,
/// so the order of release does not matter.
///
///     let limit = BLASThreadLimit(1)   // many small calls follow
///     defer { limit.release() }
///
/// or, lexically, `BLASRuntime.withThreads(1) { … }`.
public final class BLASThreadLimit: Sendable {
    private let id: UInt64

    /// Limits BLAS to `threads` (at least 1) until released. With `parkWorkers`, OpenBLAS's
    /// worker threads are also stopped (they spin for ~0.1 s after each multi-threaded call,
    /// taking a second core from the caller's own worker thread; see `PairedWorker`); they
    /// start again on the next multi-threaded call.
    public init(_ threads: Int, parkWorkers: Bool = false) {
        id = BLASThreadRegistry.acquire(max(1, threads))
        if parkWorkers { _ = blas_thread_shutdown_() }
    }

    /// Ends the limit (only the first call counts).
    public func release() { BLASThreadRegistry.release(id) }

    deinit { release() }
}

/// The process-wide state behind `BLASThreadLimit` and `BLASRuntime.setThreads`.
enum BLASThreadRegistry {
    private struct State {
        /// The count asked for when no limit is held; nil until first needed (then OpenBLAS's own).
        var configured: Int?
        /// Limits held, oldest first.
        var held: [(id: UInt64, threads: Int)] = []
        var nextID: UInt64 = 0
    }

    private static let state = Mutex(State())

    /// Applies the count in force (locked, so the library and the state never disagree).
    private static func apply(_ s: inout State) {
        let current = Int(openblas_get_num_threads())
        if s.configured == nil { s.configured = current }
        let wanted = s.held.last?.threads ?? s.configured!
        // Unchanged counts are not set: OpenBLAS would restart parked worker threads.
        if wanted != current { openblas_set_num_threads(Int32(wanted)) }
    }

    static func acquire(_ threads: Int) -> UInt64 {
        state.withLock { s in
            if s.held.isEmpty { s.configured = Int(openblas_get_num_threads()) }
            s.nextID += 1
            s.held.append((s.nextID, threads))
            apply(&s)
            return s.nextID
        }
    }

    static func release(_ id: UInt64) {
        state.withLock { s in
            guard let i = s.held.firstIndex(where: { $0.id == id }) else { return }
            s.held.remove(at: i)
            apply(&s)
        }
    }

    /// Sets the configured count; it takes effect now unless a limit is held.
    static func configure(_ threads: Int) {
        state.withLock { s in
            s.configured = max(1, threads)
            apply(&s)
        }
    }
}
