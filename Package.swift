// swift-tools-version:6.2
import PackageDescription

/// One settings array for every target, tests included (see STYLE.md).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Hearth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hearth", targets: ["hearth"]),
        .executable(name: "hearth-server", targets: ["hearth-server"]),
        .executable(name: "hearth-bench", targets: ["hearth-bench"]),
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "Replica", targets: ["Replica"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Pure core: version vectors, dots, record states, the merge function. No I/O, no SQLite.
        .target(
            name: "SyncCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Wire types shared by server and client; the spec sits beside them.
        .target(
            name: "HearthProtocol",
            dependencies: [
                "SyncCore", "CZlib",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Protocol",
            exclude: ["PROTOCOL.md", "openapi.yaml"],
            swiftSettings: swiftSettings
        ),
        // The SQLite replica: schema, records API, change capture, apply, conflicts, digest.
        .target(
            name: "Replica",
            dependencies: [
                "SyncCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The sync engine over a transport, and its HTTP transport.
        .target(
            name: "SyncClient",
            dependencies: [
                "SyncCore", "Replica", "HearthProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The central server: Hummingbird application, routes, node registry, auth, its store.
        .target(
            name: "SyncServer",
            dependencies: [
                "SyncCore", "Replica", "HearthProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The central office on PostgreSQL: a `ServerStore` over postgres-nio, for several servers on one database.
        .target(
            name: "ServerPostgres",
            dependencies: [
                "SyncCore", "Replica", "SyncServer", "HearthProtocol",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Terminal output for the `hearth` CLI: CJK-aware tables, JSON rendering of records.
        .target(
            name: "HearthCLI",
            dependencies: ["SyncCore", "Replica"],
            swiftSettings: swiftSettings
        ),
        // The scripted demo and other multi-part flows, kept out of the executable so tests reach them.
        .target(
            name: "HearthKit",
            dependencies: [
                "SyncCore", "Replica", "HearthProtocol", "SyncClient", "SyncServer", "HearthCLI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hearth",
            dependencies: [
                "SyncCore", "Replica", "HearthCLI", "HearthKit", "SyncClient", "HearthProtocol", "SyncServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "ClientApp",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hearth-server",
            dependencies: [
                "SyncServer", "ServerPostgres", "Replica",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "ServerApp",
            swiftSettings: swiftSettings
        ),
        // The system libsqlite3 with its session extension declared: used only by hearth-bench
        // (raw-SQLite baseline and SQLite's own change capture as a peer).
        // The system zlib's CRC-32, for the gzip trailer check (compress-nio does not export zlib).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CSQLiteSession",
            path: "Sources/CSQLiteSession",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Benchmarks (issue 5): never part of `swift test`; `hearth-bench --quick` is the smoke run.
        .executableTarget(
            name: "hearth-bench",
            dependencies: [
                "SyncCore", "Replica", "SyncClient", "SyncServer", "ServerPostgres", "HearthProtocol", "CSQLiteSession",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/HearthBench",
            swiftSettings: swiftSettings
        ),
        // Seeded random generators and seed replay, shared by the test targets.
        .target(
            name: "HearthTestSupport",
            path: "Tests/HearthTestSupport",
            swiftSettings: swiftSettings
        ),
        // A fresh PostgreSQL database per test, on the cluster `.ci/postgres.sh` starts.
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "Replica", "ServerPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/PostgresTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", "HearthTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReplicaTests",
            dependencies: ["SyncCore", "Replica", "HearthTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "SyncCore", "Replica", "HearthProtocol", "SyncClient", "SyncServer", "ServerPostgres", "HearthKit",
                "HearthTestSupport", "PostgresTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "SyncCore", "Replica", "HearthCLI", "HearthTestSupport", "PostgresTestSupport", "hearth", "hearth-server",
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
