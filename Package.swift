// swift-tools-version: 6.2
import PackageDescription

/// One settings array for every target: Swift 6 mode, explicit `any`, internal imports unless
/// a module re-exports on purpose, and warnings treated as errors.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "StoryClust",
    products: [
        .executable(name: "storyclust", targets: ["storyclust"]),
        .library(name: "StoryClust", targets: ["Corpus", "Vectors", "Cluster", "Report", "Evaluation", "StoryState", "StoryPipeline", "StoryShards"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // MARK: - Pipeline stages: Corpus -> Vectors -> Cluster -> Report
        .target(
            name: "Corpus",
            dependencies: [
                "CZlib", "CZstd",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Vectors", dependencies: ["Corpus", "COpenBLAS"],
            // The licences travel with the generated lists and the word-piece table; they are not resources.
            exclude: ["StopWords/LICENSE-python-stop-words", "Resources/NOTICE-wordpieces.md"],
            resources: [.copy("Resources/wordpieces.bin")], swiftSettings: settings
        ),
        .target(
            name: "Cluster",
            dependencies: ["Corpus", "Vectors"],
            swiftSettings: settings
        ),
        .target(
            name: "Report",
            dependencies: ["Corpus", "Vectors", "Cluster", "Evaluation", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: settings
        ),

        // MARK: - What daily runs remember: stored articles, stable story ids, runs (SQLite)
        // Beside the stages, not inside them: it needs only articles and clusters, and the
        // pipeline drives it. The id rule (StoryMatcher) is pure, for sharding to reuse.
        .target(
            name: "StoryState",
            dependencies: ["Corpus", "Cluster", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),

        // MARK: - The stages wired into one run, for every front end (cluster, update, sharding)
        .target(
            name: "StoryPipeline",
            dependencies: ["Corpus", "Vectors", "Cluster", "Report", "StoryState"],
            swiftSettings: settings
        ),

        // MARK: - Past one machine: time shards planned, clustered one by one, merged from their reports
        // After the pipeline: a shard is a pipeline run on part of the input; the merge reads
        // reports back (Report) and joins clusters by the daily runs' id rule (StoryState).
        .target(
            name: "StoryShards",
            dependencies: ["Corpus", "Cluster", "Vectors", "Report", "StoryState", "StoryPipeline"],
            swiftSettings: settings
        ),

        // MARK: - Scoring against true labels (pure: no dependencies)
        .target(name: "Evaluation", swiftSettings: settings),

        // MARK: - Executable
        .executableTarget(
            name: "storyclust",
            dependencies: [
                "Corpus", "Vectors", "Cluster", "Report", "Evaluation", "StoryPipeline", "StoryState", "StoryShards",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),

        // MARK: - Tests
        // What several test targets use (the seeded generator); no product depends on it.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: settings),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(name: "VectorsTests", dependencies: ["Vectors", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "ReportTests",
            dependencies: ["Report", "Cluster", "Vectors", "Corpus", "Evaluation", "TestSupport", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StoryPipelineTests",
            dependencies: ["StoryPipeline", "Report", "Cluster", "Corpus"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StoryStateTests",
            dependencies: ["StoryState", "Corpus", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StoryShardsTests",
            dependencies: ["StoryShards", "StoryPipeline", "Report", "Corpus", "Vectors", "CZlib", "CZstd"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StoryclustTests",
            dependencies: ["storyclust", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: settings
        ),
    ]
)

// MARK: - Fuzz targets (only with STORYCLUST_FUZZ set; see Fuzz/README.md)
// libFuzzer entry points for the readers. They exist only when STORYCLUST_FUZZ is set, so the
// ordinary build and test never see them; scripts/fuzz builds them with -sanitize=fuzzer,address.
if Context.environment["STORYCLUST_FUZZ"] != nil {
    package.targets += [
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["Corpus", "CLibFuzzer"], path: "Fuzz/Support", swiftSettings: settings),
    ]
    for name in ["FuzzFrontMatter", "FuzzJSONLines", "FuzzJSON", "FuzzCSV", "FuzzFeed", "FuzzURL", "FuzzInflate"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzSupport"], path: "Fuzz/\(name)", swiftSettings: settings))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
