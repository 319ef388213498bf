// swift-tools-version:6.2
import PackageDescription

// Builds the swift-openapi-generator command (from the package mirror) for scripts/generate-api.
// Nothing here is linked into Veikart: the generated code is committed in Sources/APIContract/Generated.
// The generator's own dependencies are pinned exactly too (no Package.resolved is committed), so every machine
// generates the same code and `scripts/generate-api --check` fails only when the document changed.
let package = Package(
    name: "openapi-generator-tool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", exact: "6.4.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-algorithms", exact: "1.2.1"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    ]
)
