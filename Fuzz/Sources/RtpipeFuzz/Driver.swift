import Foundation

// The fuzzing executable's entry point. Built only with RTPIPE_FUZZ=1 (see Package.swift and
// docs/FUZZING.md), with `-sanitize=fuzzer,address -parse-as-library`.
//
//     rtpipe-fuzz --list                        the targets, one a line, with what each reads
//     rtpipe-fuzz --write-seeds TARGET DIR      writes TARGET's built-in seed inputs into DIR
//     rtpipe-fuzz --check-seeds                 runs every built-in seed once: each should be
//                                               accepted, so fuzzing starts from valid input
//     rtpipe-fuzz TARGET [libFuzzer options and corpus folders]
//
// SwiftPM links an executable with `main` defined as `<module>_main`; this module defines that
// symbol itself and hands control to libFuzzer's driver (`LLVMFuzzerRunDriver`), so the target
// can be chosen on the command line. The chosen name is also put in RTPIPE_FUZZ_TARGET, which
// libFuzzer's `-fork` children inherit.

/// libFuzzer's callback type.
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> CInt

/// The target this process fuzzes (set once in `main`, before libFuzzer starts).
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// libFuzzer calls this once per input. A thrown error is an ordinary outcome (bad input was
/// refused); only a trap, a sanitizer report, a hang or running out of memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget?.run(bytes)
    return 0
}

@_cdecl("RtpipeFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var args = (0..<Int(argc)).map { String(cString: argv[$0]!) }
    func fail(_ message: String) -> CInt {
        FileHandle.standardError.write(Data("rtpipe-fuzz: \(message)\n".utf8)); return 2
    }
    func named(_ name: String) -> FuzzTarget? { FuzzTarget.all.first { $0.name == name } }

    if args.count >= 2, args[1] == "--list" {
        for t in FuzzTarget.all { print("\(t.name)\t\(t.summary)") }
        return 0
    }
    if args.count >= 2, args[1] == "--write-seeds" {
        guard args.count == 4, let t = named(args[2]) else { return fail("usage: rtpipe-fuzz --write-seeds TARGET DIR") }
        do { try t.writeSeeds(to: args[3]) } catch { return fail("cannot write seeds into \(args[3]): \(error.localizedDescription)") }
        return 0
    }
    if args.count >= 2, args[1] == "--check-seeds" {
        var refused = 0
        for t in FuzzTarget.all {
            FuzzScratch.prepare(t)
            for s in t.seeds {
                do { try t.body(s.bytes); print("ok       \(t.name)/\(s.name)") } catch {
                    refused += 1; print("REFUSED  \(t.name)/\(s.name): \(error)")
                }
            }
        }
        return refused == 0 ? 0 : 1
    }
    // The target: the first argument (removed before libFuzzer parses the rest), else the
    // environment (libFuzzer's fork-mode children).
    var name = ProcessInfo.processInfo.environment["RTPIPE_FUZZ_TARGET"]
    if args.count >= 2, !args[1].hasPrefix("-"), named(args[1]) != nil {
        name = args.remove(at: 1)
        setenv("RTPIPE_FUZZ_TARGET", name!, 1)
    }
    guard let name, let target = named(name) else {
        return fail("name a target first (rtpipe-fuzz --list shows them), e.g. rtpipe-fuzz formula -max_total_time=60 CORPUS_DIR")
    }
    selectedTarget = target
    FuzzScratch.prepare(target)

    // libFuzzer keeps pointers into argv for the whole run: the C strings are never freed.
    var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    var count = CInt(args.count)
    return cArgs.withUnsafeMutableBufferPointer { buffer in
        var base = buffer.baseAddress!
        return LLVMFuzzerRunDriver(&count, &base, fuzzOneInput)
    }
}

/// AddressSanitizer's defaults for this executable: no leak report at exit. Foundation keeps
/// some buffers for the process's lifetime on purpose (`FileManager.fileSystemRepresentation`),
/// which LeakSanitizer would report after every run. ASAN_OPTIONS still overrides this.
@_cdecl("__asan_default_options")
public func asanDefaultOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(StaticString("detect_leaks=0").utf8Start).assumingMemoryBound(to: CChar.self)
}
