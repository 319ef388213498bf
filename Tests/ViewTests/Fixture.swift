import Domain
import Foundation
import SnapshotTesting

/// Fixed inputs for the snapshot tests: another strategy's data (Tests/Fixtures/other-strategy, not the seed) and a
/// fixed day, so a page or chart only changes when its code does.
enum Fixture {
    static let today = Day(year: 2027, month: 3, day: 15)!

    static let dataset: Dataset = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/other-strategy")
        let names = try! FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        var files: [String: String] = [:]
        for name in names {
            files[name] = try! String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return try! DatasetFormat.read(files)
    }()
}

extension Snapshotting where Value == String, Format == String {
    /// HTML or SVG with a line break between adjacent tags, so a snapshot reads and diffs line by line. The break is
    /// only added to the snapshot, never to what the server sends.
    static var markup: Snapshotting<String, String> {
        Snapshotting<String, String>.lines.pullback { (text: String) -> String in
            text.replacingOccurrences(of: "><", with: ">\n<")
        }
    }
}
