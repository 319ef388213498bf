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
            // Refused before it is read: a file far over the limit would otherwise be held in memory whole.
            if let problem = tooLarge(url.appendingPathComponent(name), limit: ImportLimits.fileBytes(name)) {
                issues.append(ImportIssue(file: name, line: nil, message: problem))
                continue
            }
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(
                    ImportIssue(
                        file: name, line: nil,
                        message: "filen er ikke gyldig UTF-8; lagre den som UTF-8 (CSV UTF-8 i Excel)"))
                continue
            }
            contents[name] = text
        }
        if !issues.isEmpty { throw ImportFailure(issues: issues) }
        return contents
    }

    /// "filen er for stor (…)" when the file at `url` is over `limit` bytes.
    static func tooLarge(_ url: URL, limit: Int) -> String? {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size > limit else { return nil }
        return "filen er for stor (\(ImportLimits.megabytes(size)); høyst \(ImportLimits.megabytes(limit)))"
    }

    /// A JSON part of a dataset folder (reports, scoring, councils), or nil when the folder has none.
    static func readPart(_ url: URL, issues: inout [ImportIssue]) -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        if let problem = tooLarge(url, limit: ImportLimits.jsonBytes) {
            issues.append(ImportIssue(file: url.lastPathComponent, line: nil, message: problem))
            return nil
        }
        return FileManager.default.contents(atPath: url.path)
    }

    public static func load() throws -> Dataset {
        try DatasetFormat.read(try readFolder(directory))
    }

    /// The seed's scoring round as `Seed/scoring/rounds.json` lists it: a sheet (CSV) scored with a model (JSON).
    struct SeedRound: Decodable { let id: String, title: String, date: String, sheet: String, model: String }
    static var scoringFolder: URL {
        Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent("scoring")
    }

    static func seedRound() throws -> SeedRound {
        struct File: Decodable { let rounds: [SeedRound] }
        let rounds = try JSONDecoder().decode(
            File.self, from: Data(contentsOf: scoringFolder.appendingPathComponent("rounds.json")))
        guard let first = rounds.rounds.first else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: "rounds.json", line: nil,
                    message: "ingen runde")
            ])
        }
        return first
    }

    /// The seed's scoring model (the model of 001).
    public static func scoringModel() throws -> ScoringModel {
        let url = scoringFolder.appendingPathComponent(try seedRound().model)
        return try JSONDecoder().decode(ScoringModel.self, from: Data(contentsOf: url))
    }

    /// The seed's scoring round (the council's sheet of 21 September 2022).
    public static func scoringRound(initiatives: Set<String>) throws -> ScoringRound {
        let round = try seedRound()
        let text = try String(contentsOf: scoringFolder.appendingPathComponent(round.sheet), encoding: .utf8)
        return try ScoringCSV.read(
            text, file: round.sheet, id: round.id, title: round.title, date: Day.parse(round.date),
            model: try scoringModel(), initiatives: initiatives)
    }

    /// The shipped status reports (`Seed/reports/reports.json`), oldest first.
    public static func reports() throws -> [ReportFile] {
        let url = Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent(
            "reports/reports.json")
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
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: nil, message: "ugyldig JSON for statusrapporter: \(error)")
            ])
        }
    }

    public static func write(_ reports: [ReportFile]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(Wrapper(reports: reports))
    }
}

/// `councils.json`: the council model as one `CouncilData` document; keys starting with `_` are comments.
public enum CouncilFiles {
    public static let file = "councils.json"

    public static func read(_ data: Data, file: String = file) throws -> CouncilData {
        do { return try JSONDecoder().decode(CouncilData.self, from: data) } catch let error as DecodingError {
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: nil, message: "ugyldig innhold for rådsmodellen: \(describe(error))")
            ])
        } catch {
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: nil, message: "ugyldig JSON: \(error.localizedDescription)")
            ])
        }
    }

    /// Reads and checks against what links may point at; every problem is listed, nothing half-read is returned.
    public static func read(_ data: Data, file: String = file, targets: LinkTargets) throws -> CouncilData {
        let councils = try read(data, file: file)
        let problems = councils.problems(targets: targets)
        guard problems.isEmpty else {
            throw ImportFailure(issues: problems.map { ImportIssue(file: file, line: nil, message: $0) })
        }
        return councils
    }

    public static func write(_ data: CouncilData) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(data)
    }

    /// Where in the document decoding failed, as a path like `meetings[2].startsOn`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { acc, key in
                key.intValue.map { acc + "[\($0)]" } ?? (acc.isEmpty ? key.stringValue : acc + "." + key.stringValue)
            }
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])) mangler"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)) har feil type"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "ikke gyldig JSON" : "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}

extension SeedData {
    /// The shipped reporting round and roadmap version (`Seed/cycle/cycle.json`), resolved against `dataset`.
    public static func cycle(dataset: Dataset) throws -> (
        rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion]
    ) {
        let url = Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent(
            "cycle/\(CycleFile.file)")
        return try CycleFiles.read(try Data(contentsOf: url)).resolved(with: dataset)
    }

    /// The council model of the meeting papers (`Seed/councils/councils.json`).
    public static func councils(targets: LinkTargets) throws -> CouncilData {
        let url = Bundle.module.url(forResource: "Seed", withExtension: nil)!.appendingPathComponent(
            "councils/\(CouncilFiles.file)")
        return try CouncilFiles.read(try Data(contentsOf: url), targets: targets)
    }
}

/// `scoring-rounds.json`: `{"rounds": [ScoringRound…]}`, each round with the model version it used, answers and
/// notes.
public enum ScoringFiles {
    public static let file = "scoring-rounds.json"
    /// `models`: every version of every scoring model, also those no round uses (absent in files from before it).
    struct Wrapper: Codable {
        let rounds: [ScoringRound]
        let models: [ScoringModel]?
    }

    public static func read(_ data: Data, file: String = file) throws -> (
        rounds: [ScoringRound], models: [ScoringModel]?
    ) {
        let rounds: [ScoringRound]
        let models: [ScoringModel]?
        do {
            let wrapper = try JSONDecoder().decode(Wrapper.self, from: data)
            rounds = wrapper.rounds
            models = wrapper.models
        } catch let error as DecodingError {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: file, line: nil,
                    message: "ugyldig innhold for prioriteringsrunder: \(CouncilFiles.describe(error))")
            ])
        }
        var issues: [ImportIssue] = []
        if Set(rounds.map(\.id)).count != rounds.count {
            issues.append(ImportIssue(file: file, line: nil, message: "to runder har samme id"))
        }
        for r in rounds where !r.model.problems.isEmpty {
            issues.append(
                ImportIssue(
                    file: file, line: nil, message: "runden «\(r.id)»: " + r.model.problems.joined(separator: "; ")))
        }
        for m in models ?? [] where !m.problems.isEmpty {
            issues.append(
                ImportIssue(
                    file: file, line: nil,
                    message: "modellen «\(m.id)» versjon \(m.version): " + m.problems.joined(separator: "; ")))
        }
        if let models, Set(models.map { "\($0.id)#\($0.version)" }).count != models.count {
            issues.append(ImportIssue(file: file, line: nil, message: "to modeller har samme id og versjon"))
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        return (rounds, models)
    }

    public static func write(_ rounds: [ScoringRound], models: [ScoringModel]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(Wrapper(rounds: rounds, models: models))
    }
}

/// `cycle.json`: reporting rounds, parts and roadmap versions (`CycleFile`); keys starting with `_` are comments.
public enum CycleFiles {
    public static func read(_ data: Data, file: String = CycleFile.file) throws -> CycleFile {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(CycleFile.self, from: data) } catch let error as DecodingError {
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: nil, message: "ugyldig innhold: \(CouncilFiles.describe(error))")
            ])
        } catch {
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: nil, message: "ugyldig JSON: \(error.localizedDescription)")
            ])
        }
    }

    public static func write(_ cycle: CycleFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(cycle)
    }
}
