// swift-tools-version:6.2
import PackageDescription

// Builds the swift-openapi-generator command (from the package mirror) for scripts/generate-api.
// Nothing here is linked into Veikart: the generated code is committed in Sources/APIContract/Generated.
let package = Package(
    name: "openapi-generator-tool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")
    ]
)
