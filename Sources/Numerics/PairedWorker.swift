import Foundation
import Synchronization

/// A second thread for short parallel sections repeated many times a second, such as the
/// phases of one mixed-model evaluation (a millisecond or less each).
///
/// Why not Dispatch: on this project's virtual machines a sleeping thread takes 0.1–0.3 ms to
/// wake (the idle virtual CPU has to be rescheduled by the host), which is as long as the work
/// being split; `DispatchQueue.concurrentPerform` on two 0.25 ms halves took 0.42 ms. This
/// worker instead waits for work by polling an atomic (yielding the CPU to anything else
/// runnable every 256 polls) and goes to sleep only after `idleSpin` seconds without work, so
/// back-to-back sections start at once (two 0.25 ms halves: 0.27 ms).
///
/// The split of the work is always the caller's, never the core count's: with one core (or no
/// worker) both pieces run one after the other on the calling thread and compute the same
/// numbers.
public final class PairedWorker: @unchecked Sendable {
    private let shared: Shared
    /// Seconds without work after which the worker stops spinning and sleeps.
    public var idleSpin: Double { shared.idleSpin }

    /// nil when the process has only one core, or when the environment sets RTPIPE_NO_WORKER
    /// (to time the same work on one thread); the caller then runs both pieces itself.
    public init?(idleSpin: Double = 0.02) {
        guard BLASRuntime.cores > 1, ProcessInfo.processInfo.environment["RTPIPE_NO_WORKER"] == nil else { return nil }
        let shared = Shared(idleSpin: idleSpin)
        self.shared = shared
        let thread = Thread { shared.loop() }   // the thread holds only the shared state
        thread.name = "rtpipe-paired-worker"
        thread.start()
    }

    /// Ends the worker thread (it finishes on its own once it sees the request).
    deinit { shared.stop() }

    /// Runs `main` on the calling thread and `alongside` on the worker at the same time;
    /// returns when both are done. The two must not write to the same memory. Not reentrant:
    /// one caller at a time.
    public func run(_ main: () -> Void, alongside: () -> Void) {
        withoutActuallyEscaping(alongside) { other in shared.run(main, other) }
    }

    /// Runs the two pieces on two threads when `worker` exists, else one after the other.
    public static func run(_ worker: PairedWorker?, _ main: () -> Void, alongside: () -> Void) {
        if let worker { worker.run(main, alongside: alongside) } else { main(); alongside() }
    }

    /// State shared by the caller and the worker thread.
    private final class Shared: @unchecked Sendable {
        /// Generation of the last posted job, and of the last finished one.
        let posted = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        /// 1 while the worker sleeps on `wake` (a poster must signal), 0 while it spins.
        let sleeping = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let idleSpin: Double
        /// The posted job: written before `posted` is raised, read after the worker sees it.
        var job: (() -> Void)?

        init(idleSpin: Double) { self.idleSpin = idleSpin }

        func run(_ main: () -> Void, _ other: @escaping () -> Void) {
            job = other
            let generation = posted.load(ordering: .relaxed) + 1
            posted.store(generation, ordering: .sequentiallyConsistent)
            if sleeping.exchange(0, ordering: .sequentiallyConsistent) == 1 { wake.signal() }
            main()
            // Poll without a system call, yielding now and then in case the worker lost its core.
            var polls = 0
            while finished.load(ordering: .acquiring) != generation {
                polls &+= 1
                if polls & 255 == 0 { sched_yield() }
            }
            job = nil
        }

        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            if sleeping.exchange(0, ordering: .sequentiallyConsistent) == 1 { wake.signal() }
        }

        func loop() {
            var seen = 0
            var idleSince = Shared.now()
            var polls = 0
            while !stopping.load(ordering: .sequentiallyConsistent) {
                let generation = posted.load(ordering: .sequentiallyConsistent)
                if generation != seen {
                    seen = generation
                    job!()
                    finished.store(generation, ordering: .releasing)
                    idleSince = Shared.now()
                    continue
                }
                // Poll without a system call; now and then yield and look at the clock.
                polls &+= 1
                if polls & 255 != 0 { continue }
                if Shared.now() - idleSince < idleSpin { sched_yield(); continue }
                // Sleep: announce it, then look once more for work (or a stop) posted meanwhile.
                sleeping.store(1, ordering: .sequentiallyConsistent)
                if posted.load(ordering: .sequentiallyConsistent) != seen || stopping.load(ordering: .sequentiallyConsistent) {
                    // A poster that already saw the flag will signal: consume that signal.
                    if sleeping.exchange(0, ordering: .sequentiallyConsistent) == 0 { wake.wait() }
                    continue
                }
                wake.wait()
                idleSince = Shared.now()
            }
        }

        static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
    }
}
