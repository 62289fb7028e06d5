import Foundation

/// The instruction-set extensions this CPU (and the running kernel) supports, read from the
/// `flags` line of `/proc/cpuinfo` (Linux clears flags the OS cannot save state for, e.g. AVX-512).
public struct CPUFeatures: Sendable, Equatable {
    public let flags: Set<String>
    public let modelName: String

    public init(flags: Set<String>, modelName: String = "") {
        self.flags = flags
        self.modelName = modelName
    }

    /// Reads `/proc/cpuinfo` (or the given text); empty flags when unavailable.
    public static func current(cpuinfo path: String = "/proc/cpuinfo") -> CPUFeatures {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return CPUFeatures(flags: []) }
        return parse(cpuinfo: text)
    }

    /// Parses the text of `/proc/cpuinfo` (first processor entry).
    public static func parse(cpuinfo text: String) -> CPUFeatures {
        var flags: Set<String> = []
        var model = ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if key == "flags" && flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
            if key == "model name" && model.isEmpty { model = value }
        }
        return CPUFeatures(flags: flags, modelName: model)
    }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// AVX-512 foundation plus the BW/DQ/VL/CD subsets OpenBLAS's SkylakeX kernels use.
    public var hasAVX512Core: Bool { ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(has) }
    /// AVX2 with fused multiply-add (Haswell-class kernels).
    public var hasAVX2FMA: Bool { has("avx2") && has("fma") }
}
