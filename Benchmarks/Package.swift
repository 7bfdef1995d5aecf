// swift-tools-version:6.2
// Baton's micro benchmarks (package-benchmark): the HTTP parser, the JSON writer, the key tree, the timer
// wheel and the lock queue. A package of its own so that the main build and CI never compile the harness
// (as swift-nio does). Run from this directory: `swift package benchmark` (see README.md here).
//
// The benchmarked modules use `package` access, which does not cross package boundaries, so this package
// compiles the very same sources through the symlinks Sources/{HTTP,Store,Modules} -> ../../Sources/…
// instead of depending on the root package: no `public` API is added for benchmarks' sake.
import PackageDescription

let package = Package(
    name: "BatonBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "HTTP", path: "Sources/HTTP"),
        .target(name: "Store", path: "Sources/Store"),
        .target(name: "Modules", dependencies: [
            "Store",
            .product(name: "DequeModule", package: "swift-collections"),
        ], path: "Sources/Modules", resources: [.embedInCode("Dashboard/Assets")]),
        .executableTarget(
            name: "BatonBenchmarks",
            dependencies: [
                "HTTP", "Store", "Modules",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/BatonBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
