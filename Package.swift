// swift-tools-version:6.1
// rtpipe — does language-model surprisal predict human reading times?
import PackageDescription

var package = Package(
    name: "rtpipe",
    products: [
        .executable(name: "rtpipe", targets: ["rtpipe"]),
        .library(name: "Numerics", targets: ["Numerics"]),
        .library(name: "MixedModels", targets: ["MixedModels"]),
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

        // Dense linear algebra, BLAS kernel selection, derivative-free optimisation.
        .target(name: "Numerics", dependencies: ["CBLAS", "CLAPACKE", "CNLopt"]),
        // The TOML reader (with line and column of every key and value) for analysis files and --config.
        .target(name: "TOML"),
        // Formulas, model matrices, OLS, linear mixed models, ΔLogLik.
        .target(name: "MixedModels", dependencies: ["Numerics"]),
        // WordPiece (the encoder's tokenizer), BPE (the LSTM LMs'), word↔token alignment.
        .target(name: "Tokenization", dependencies: ["Numerics"]),
        // safetensors, the BERT/MiniLM forward pass, pooling, prefix embeddings and their cache.
        .target(name: "Encoders", dependencies: ["Numerics", "Tokenization"]),
        // Reading-time corpora: readers, measures, exclusions, aggregation, predictors, simulation.
        .target(name: "Corpora", dependencies: ["Numerics", "Tokenization", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // SIMD kernels for the LSTM's fixed-weight products (packed panels, AVX-512 with a portable fallback).
        .target(name: "CLMKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // LSTM language models with sentence-embedding fusion: training, perplexity, surprisal.
        .target(name: "LanguageModels", dependencies: ["Numerics", "Tokenization", "CLMKernels"]),
        // SQLite store of every result with its provenance.
        .target(name: "Store", dependencies: ["CSQLite"]),
        // Report tables (Markdown, LaTeX, CSV) and SVG figures regenerated from the store.
        .target(name: "Reports", dependencies: ["Store"]),
        // Analysis files (TOML) → validated plan → stages with content-addressed caching.
        .target(name: "Pipeline", dependencies: ["TOML", "Numerics", "MixedModels", "Tokenization", "Encoders", "LanguageModels", "Corpora", "Store", "Reports"]),
        // Shared pieces of the command-line tool (environment report, paths, version).
        .target(name: "RtpipeCore", dependencies: ["Numerics", "CSQLite", "CLAPACKE"]),
        .executableTarget(
            name: "rtpipe",
            dependencies: [
                "Numerics", "MixedModels", "RtpipeCore", "TOML", "Tokenization", "Encoders", "Corpora", "LanguageModels", "Store", "Reports", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "MixedModelsTests", dependencies: ["MixedModels", "Numerics"]),
        .testTarget(name: "EncodersTests", dependencies: ["Encoders", "Tokenization", "Numerics"]),
        .testTarget(name: "CorporaTests", dependencies: ["Corpora", "Tokenization", "Numerics"]),
        .testTarget(name: "LanguageModelsTests", dependencies: ["LanguageModels", "Tokenization", "Numerics"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TOML", "Corpora", "LanguageModels", "MixedModels", "Store", "Reports"]),
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
