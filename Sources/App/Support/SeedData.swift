import Domain
import Foundation

/// The dataset that ships with the binary (package resources), so `serve` works from any directory.
public enum SeedData {
    public static var directory: URL {
        Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent("dataset")
    }

    /// Reads every `*.csv` in a folder as name → contents. Other files are ignored.
    public static func readFolder(_ url: URL) throws -> [String: String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw ImportFailure(issues: [ImportIssue(file: url.path, line: nil, message: "mappen finnes ikke")])
        }
        var contents: [String: String] = [:]
        var issues: [ImportIssue] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".csv") {
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(ImportIssue(file: name, line: nil, message: "filen er ikke gyldig UTF-8; lagre den som UTF-8 (CSV UTF-8 i Excel)"))
                continue
            }
            contents[name] = text
        }
        if !issues.isEmpty { throw ImportFailure(issues: issues) }
        return contents
    }

    public static func load() throws -> Dataset {
        try DatasetFormat.read(try readFolder(directory))
    }

    /// The national e-health council's scoring round of 21 September 2022 (`Seed/scoring/`).
    public static func scoringRound(initiatives: Set<String>) throws -> ScoringRound {
        let url = Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent("scoring/ehelseradet-2022-09-21.csv")
        return try ScoringCSV.read(try String(contentsOf: url, encoding: .utf8), file: "ehelseradet-2022-09-21.csv", id: "ehelseradet-2022-09-21",
                                   title: "Nasjonalt e-helseråd 21.09.2022", date: Day(year: 2022, month: 9, day: 21), model: .ehelseraadet2022,
                                   initiatives: initiatives)
    }

    /// The shipped status reports (`Seed/reports/reports.json`), oldest first.
    public static func reports() throws -> [ReportFile] {
        let url = Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent("reports/reports.json")
        return try ReportFiles.read(Data(contentsOf: url), file: "reports.json")
    }
}

/// `reports.json`: `{"reports": [ReportFile…]}`; keys starting with `_` are comments.
public enum ReportFiles {
    struct Wrapper: Codable { let reports: [ReportFile] }

    public static func read(_ data: Data, file: String) throws -> [ReportFile] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(Wrapper.self, from: data).reports } catch {
            throw ImportFailure(issues: [ImportIssue(file: file, line: nil, message: "ugyldig JSON for statusrapporter: \(error)")])
        }
    }

    public static func write(_ reports: [ReportFile]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(Wrapper(reports: reports))
    }
}
