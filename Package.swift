// swift-tools-version:6.1
// rtpipe — does language-model surprisal predict human reading times?
import PackageDescription

var package = Package(
    name: "rtpipe",
    products: [
        .executable(name: "rtpipe", targets: ["rtpipe"]),
        .library(name: "Numerics", targets: ["Numerics"]),
        .library(name: "MixedModels", targets: ["MixedModels"]),
        .library(name: "Statistics", targets: ["Statistics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev liblapacke-dev libnlopt-dev libsqlite3-dev).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE"),
        .systemLibrary(name: "CNLopt", path: "Sources/CNLopt"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // SHA-256 and CRC-32: the digests and checksums the caches key and verify files with.
        .target(name: "Hashing", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The one reader of delimited text (CSV/TSV): separators, quoting, missing values, numbers.
        .target(name: "Tables", swiftSettings: [.swiftLanguageMode(.v6)]),
        // Dense linear algebra, BLAS kernel selection, derivative-free optimisation.
        .target(name: "Numerics", dependencies: ["CBLAS", "CLAPACKE", "CNLopt"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // The TOML reader (with line and column of every key and value) for analysis files and --config.
        .target(name: "TOML", swiftSettings: [.swiftLanguageMode(.v6)]),
        // Formulas, model matrices, OLS, linear mixed models, ΔLogLik.
        .target(name: "MixedModels", dependencies: ["Numerics", "Tables"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Inference across seeds and between models: mean ± SE, paired t, dependent correlations, permutation and bootstrap.
        .target(name: "Statistics", dependencies: ["Numerics"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // WordPiece (the encoder's tokenizer), BPE (the LSTM LMs'), word↔token alignment.
        .target(name: "Tokenization", dependencies: ["Numerics"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // safetensors, the BERT/MiniLM forward pass, pooling, prefix embeddings and their cache.
        .target(name: "Encoders", dependencies: ["Numerics", "Tokenization", "Hashing"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Reading-time corpora: readers, measures, exclusions, aggregation, predictors, simulation.
        .target(name: "Corpora", dependencies: ["Numerics", "Tokenization", "Tables", .product(name: "ZIPFoundation", package: "ZIPFoundation")], swiftSettings: [.swiftLanguageMode(.v6)]),
        // SIMD kernels for the LSTM's fixed-weight products (packed panels, AVX-512 with a portable fallback).
        .target(name: "CLMKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // LSTM language models with sentence-embedding fusion: training, perplexity, surprisal.
        .target(name: "LanguageModels", dependencies: ["Numerics", "Tokenization", "CLMKernels"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // SQLite store of every result with its provenance.
        .target(name: "Store", dependencies: ["CSQLite"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Report tables (Markdown, LaTeX, CSV) and SVG figures regenerated from the store.
        .target(name: "Reports", dependencies: ["Store", "Statistics"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Analysis files (TOML) → validated plan → stages with content-addressed caching.
        .target(name: "Pipeline", dependencies: ["Hashing", "TOML", "Numerics", "MixedModels", "Tokenization", "Encoders", "LanguageModels", "Corpora", "Store", "Reports"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Shared pieces of the command-line tool (environment report, paths, version).
        .target(name: "RtpipeCore", dependencies: ["Numerics", "CSQLite", "CLAPACKE"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "rtpipe",
            dependencies: [
                "Numerics", "MixedModels", "RtpipeCore", "TOML", "Tokenization", "Encoders", "Corpora", "LanguageModels", "Store", "Reports", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),

        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "MixedModelsTests", dependencies: ["MixedModels", "Numerics", "Tables"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Numerics"]),
        .testTarget(name: "TablesTests", dependencies: ["Tables"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization"]),
        .testTarget(name: "EncodersTests", dependencies: ["Encoders", "Tokenization", "Numerics", "Hashing"]),
        .testTarget(name: "CorporaTests", dependencies: ["Corpora", "Tokenization", "Numerics", "Tables"]),
        .testTarget(name: "LanguageModelsTests", dependencies: ["LanguageModels", "Tokenization", "Numerics"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TOML", "Corpora", "LanguageModels", "MixedModels", "Store", "Reports", "Statistics"]),
        .testTarget(name: "CLITests", dependencies: ["rtpipe"]),
    ],
    swiftLanguageModes: [.v5]
)

// libFuzzer targets (docs/FUZZING.md): declared only when RTPIPE_FUZZ=1, and built by
// scripts/fuzz into .build-fuzz with -sanitize=fuzzer,address, so the normal build, the tests
// and CI never see them.
if Context.environment["RTPIPE_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "RtpipeFuzz",
        dependencies: ["MixedModels", "TOML", "Tokenization", "Encoders", "Corpora", "LanguageModels", "Pipeline",
                       .product(name: "ZIPFoundation", package: "ZIPFoundation")],
        path: "Fuzz/Sources/RtpipeFuzz"))
}
