// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Sijill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sijill", targets: ["sijill"]),
        .library(name: "SijillCore", targets: ["SijillCore"]),
        .library(name: "SijillIngest", targets: ["SijillIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries from Debian, each a module map + shim header.
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        .systemLibrary(name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "CPopplerCpp", pkgConfig: "poppler-cpp", providers: [.apt(["libpoppler-cpp-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        // Reading PDFs delivered in boxes: pages, their images (JPEG bytes as they are), text, rendering.
        .target(name: "CSijillPDFReader", dependencies: ["CPoppler", "CPopplerCpp", "CQPDF"], linkerSettings: [.linkedLibrary("z")]),
        // The certification page of copies (Cairo + Pango, drawn as an image), QR codes, zlib.
        .target(name: "CSijillPDF", dependencies: ["CPangoCairo", "CQRencode"], linkerSettings: [.linkedLibrary("z")]),
        // Models compiled into the binary (C23 #embed of Ingest/models/*).
        .target(name: "CSijillModels", cSettings: [.unsafeFlags(["-std=c23"])]),
        // The web pages' templates and stylesheet and the OpenAPI file, compiled in (C23 #embed).
        .target(name: "CSijillAssets", exclude: ["web"], cSettings: [.unsafeFlags(["-std=c23"])]),
        // The FTS5 ranking function (C: it runs once per matching row).
        .target(name: "CSijillRank", linkerSettings: [.linkedLibrary("sqlite3")]),

        // Domain types, content IDs, Arabic text analysis. No I/O.
        .target(name: "SijillCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Content-addressed blob store.
        .target(name: "SijillStore", dependencies: [
            "SijillCore", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // OCR engine seam and the Tesseract implementation.
        .target(name: "SijillOCR", dependencies: [
            "SijillCore", "CTesseract", "CLeptonica", "CSijillModels", "CSijillPDFReader",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The catalog and search index: SQLite (GRDB, FTS5) embedded, or PostgreSQL (postgres-nio).
        .target(name: "SijillCatalog", dependencies: [
            "SijillCore", "CSijillRank", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        // Box reading, manifests, the ingest pipeline and its reconciliation report.
        .target(name: "SijillIngest", dependencies: [
            "SijillCore", "SijillStore", "SijillOCR", "SijillCatalog", "CArchive", "CLeptonica",
            .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Retention schedules (YAML in Retention/), due dates, states, holds, reports.
        .target(name: "SijillRetention", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", .product(name: "Yams", package: "Yams"),
        ]),
        // Certified copies: signing keys (P-256, X.509), CMS signatures, verification.
        .target(name: "SijillCertify", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", "CSijillPDF", "CLeptonica", "CQRencode",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The HTTP API and web pages (Hummingbird): roles, access codes, audit of reads.
        .target(name: "SijillServer", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", "SijillIngest", "SijillRetention", "SijillCertify", "CSijillAssets",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The command-line tool: parses arguments, calls the libraries.
        .executableTarget(name: "sijill", dependencies: [
            "SijillCore", "SijillStore", "SijillOCR", "SijillCatalog", "SijillIngest", "SijillRetention", "SijillCertify",
            "SijillServer", .product(name: "X509", package: "swift-certificates"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Shared test helpers: fixture paths, expected.json, temporary homes, CER.
        .target(name: "SijillTestSupport", dependencies: ["SijillCore", "SijillCatalog"], path: "Tests/SijillTestSupport"),
        // Benchmarks (not tests): run by the scripts in bench/.
        .executableTarget(
            name: "sijill-search-bench", dependencies: ["SijillCore", "SijillCatalog", .product(name: "GRDB", package: "GRDB.swift")],
            path: "bench/SearchBench"),

        .testTarget(name: "SijillCoreTests", dependencies: ["SijillCore", "SijillTestSupport"]),
        .testTarget(name: "SijillStoreTests", dependencies: [
            "SijillCore", "SijillStore", "SijillTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "SijillCatalogTests", dependencies: ["SijillCore", "SijillCatalog", "SijillTestSupport"]),
        .testTarget(name: "SijillOCRTests", dependencies: ["SijillCore", "SijillOCR", "SijillTestSupport", "CLeptonica"]),
        .testTarget(name: "SijillIngestTests", dependencies: [
            "SijillCore", "SijillStore", "SijillOCR", "SijillCatalog", "SijillIngest", "SijillTestSupport", "CLeptonica",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SijillRetentionTests", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", "SijillRetention", "SijillTestSupport",
        ]),
        .testTarget(name: "SijillCertifyTests", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", "SijillCertify", "SijillTestSupport",
        ]),
        .testTarget(name: "SijillServerTests", dependencies: [
            "SijillCore", "SijillStore", "SijillCatalog", "SijillIngest", "SijillServer", "SijillCertify", "SijillTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "SijillCLITests", dependencies: ["sijill", "SijillCore", "SijillCatalog", "SijillTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
