// swift-tools-version:6.2
// Baton: fair locks, leader election and a watched key tree over plain HTTP (etcd v2 compatible),
// one libuv reactor thread. Module graph (see ARCHITECTURE.md): baton → Server → {UV, HTTP, Store,
// Modules, Persistence}; Modules → Store. HTTP and Store import nothing of ours.
import PackageDescription

// Release builds skip the run-time exclusivity checks (swift_beginAccess on every class-property access):
// on the request path they were ~10% of the server's instructions (callgrind, /health). Debug builds — and
// so the test suite — keep them, and the server is single-threaded, so a violation would be a plain
// program-order bug that the tests catch in debug.
let serverCode: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibUV",
            path: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        .target(name: "UV", dependencies: ["CLibUV"], swiftSettings: serverCode),
        .target(name: "HTTP", swiftSettings: serverCode),
        .target(name: "Store", swiftSettings: serverCode),
        .target(name: "Modules", dependencies: [
            "Store",
            .product(name: "DequeModule", package: "swift-collections"),
        ], resources: [.embedInCode("Dashboard/Assets")], swiftSettings: serverCode),
        .target(name: "Persistence", dependencies: ["Store", "UV"], swiftSettings: serverCode),
        .target(name: "Server", dependencies: [
            "UV", "HTTP", "Store", "Modules", "Persistence",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: serverCode),
        // `baton bench`: the load generator, on one libuv loop like the server.
        .target(name: "LoadGenerator", dependencies: [
            "UV", "HTTP",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], swiftSettings: serverCode),
        .executableTarget(name: "baton", dependencies: [
            "Server", "LoadGenerator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers shared by the test targets (the seeded generator of the property and crash tests).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "UVTests", dependencies: ["UV"]),
        .testTarget(name: "HTTPTests", dependencies: ["TestSupport", "HTTP"]),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Store"]),
        .testTarget(name: "ModulesTests", dependencies: ["TestSupport", "Modules", "Store"]),
        .testTarget(name: "LoadGeneratorTests", dependencies: ["LoadGenerator"]),
        .testTarget(name: "PersistenceTests", dependencies: ["TestSupport", "Persistence", "Store"]),
        // Black-box tests: they start the real `baton` binary, so they depend on it to get it built; a few unit
        // tests of the server's own helpers (NodeJSONCache) import Server.
        .testTarget(name: "ServerTests", dependencies: ["TestSupport", "baton", "Server", "Store", "HTTP"]),
    ],
    swiftLanguageModes: [.v6]
)
