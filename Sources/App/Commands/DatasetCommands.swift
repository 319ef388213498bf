import Domain
import FluentKit
import Foundation
import Persistence
import Vapor

/// `veikart import <folder>`: validates every file and replaces the dataset in one transaction, or changes nothing.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "path", help: "Mappe med CSV-filene (se docs/data-format.md)")
        var path: String
        @Flag(
            name: "erstatt-alt",
            help: "Erstatt også statusrapporter, prioriteringsrunder, poengmodeller og rådsmodellen: "
                + "det mappen ikke har, tømmes (for å bytte til en annen strategi)")
        var replaceEverything: Bool
    }

    var help: String { "Importerer hele datasettet fra en mappe med CSV-filer. Ved feil endres ingenting." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let dataset: Dataset
        do {
            dataset = try await DatasetImport.importFolder(
                URL(fileURLWithPath: signature.path),
                replaceEverything: signature.replaceEverything,
                on: context.application.db)
        } catch let failure as ImportFailure {
            context.console.error(failure.description)
            throw ExitCode(1)
        }
        let c = NumberText.count
        context.console.info(
            """
            Importert: \(dataset.goals.count) mål, \(dataset.subgoals.count) delmål, \(dataset.initiatives.count) \
            tiltak,\u{20}
            """
                + """
                \(c(dataset.activities.count, "aktivitet", "aktiviteter")), \
                \(c(dataset.milestones.count, "milepæl", "milepæler")),\u{20}
                """
                + "\(c(dataset.actors.count, "aktør", "aktører")).")
    }
}

/// The import path shared by the command and tests: validate everything, then replace in one transaction.
public enum DatasetImport {
    /// Status reports travel with the dataset as JSON (docs/data-format.md).
    static let reportsFile = "reports.json"

    /// With a `history.csv` in the folder the audit trail is restored from it as well. Parts the folder leaves out
    /// (reports, scoring, councils) are kept as stored, or emptied with `replaceEverything`; either way nothing kept or
    /// imported may point at a record the new dataset lacks.
    public static func importFolder(_ url: URL, replaceEverything: Bool = false, on db: any Database) async throws
        -> Dataset
    {
        let files = try SeedData.readFolder(url)
        var issues: [ImportIssue] = []
        var dataset: Dataset?
        var history: [HistoryRecord]?
        var reports: [ReportFile]?
        do { dataset = try DatasetFormat.read(files) } catch { issues += error.issues }
        if let text = files[HistoryFormat.file] {
            do { history = try HistoryFormat.read(text) } catch { issues += error.issues }
        }
        let reportsURL = url.appendingPathComponent(reportsFile)
        if let data = SeedData.readPart(reportsURL, issues: &issues) {
            do { reports = try ReportFiles.read(data, file: reportsFile) } catch let failure as ImportFailure {
                issues += failure.issues
            }
            for r in reports ?? [] where ReportRules.parsePeriod(r.period) == nil {
                issues.append(
                    ImportIssue(
                        file: reportsFile, line: nil,
                        message: "«\(r.period)» er ikke en rapporteringsperiode (bruk f.eks. 2024-Q1)"))
            }
        }
        var rounds: [ScoringRound]?
        var models: [ScoringModel]?
        if let data = SeedData.readPart(url.appendingPathComponent(ScoringFiles.file), issues: &issues) {
            do { (rounds, models) = try ScoringFiles.read(data) } catch let failure as ImportFailure {
                issues += failure.issues
            }
        }
        var councils: CouncilData?
        let councilsData = SeedData.readPart(url.appendingPathComponent(CouncilFiles.file), issues: &issues)
        var cycleFile: CycleFile?
        if let data = SeedData.readPart(url.appendingPathComponent(CycleFile.file), issues: &issues) {
            do { cycleFile = try CycleFiles.read(data) } catch let failure as ImportFailure { issues += failure.issues }
        }
        var cycle: (rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion])?
        if replaceEverything {
            reports = reports ?? []
            rounds = rounds ?? []
            if models == nil {
                // An older scoring file without its models: the versions its rounds used.
                var seen: Set<String> = []
                models = (rounds ?? []).map(\.model).filter { seen.insert("\($0.id)/\($0.version)").inserted }
            }
            if councilsData == nil { councils = CouncilData(councils: [], members: [], meetings: [], cases: []) }
            if cycleFile == nil { cycle = ([], [], []) }
        }
        if let dataset {
            typealias Source = CrossReferences.Source
            // What the installation holds after the import: the folder's parts, or the stored ones it keeps.
            let keptReports = reports == nil ? try await ReportStore.files(on: db) : nil
            let keptRounds = rounds == nil ? try await ScoringStore.all(on: db) : nil
            issues += CrossReferences.reports(
                reports ?? keptReports ?? [], dataset: dataset,
                from: reports != nil ? .file(reportsFile) : .stored("statusrapportene", file: reportsFile))
            issues += CrossReferences.scoringRounds(
                rounds ?? keptRounds ?? [], dataset: dataset,
                from: rounds != nil
                    ? .file(ScoringFiles.file)
                    : .stored("prioriteringsrundene", file: ScoringFiles.file))
            // Links may point at the imported dataset, reports and scoring rounds (or the stored ones when the folder
            // has none).
            let reportPeriods = (reports ?? keptReports ?? []).compactMap { ReportRules.parsePeriod($0.period) }
            let roundTitles = (rounds ?? keptRounds ?? []).map { ($0.id, $0.title) }
            let targets = LinkTargets(dataset: dataset, reportPeriods: reportPeriods, scoringRounds: roundTitles)
            if let councilsData {
                do { councils = try CouncilFiles.read(councilsData, targets: targets) } catch let failure
                    as ImportFailure
                {
                    issues += failure.issues
                }
            } else if councils == nil {
                issues += CrossReferences.councils(
                    try await CouncilStore.data(on: db), targets: targets,
                    from: .stored("rådsmodellen", file: CouncilFiles.file))
            }
            // Reporting rounds name actors and initiatives: the file's, or the stored ones kept, must find them.
            do {
                if let cycleFile {
                    cycle = try cycleFile.resolved(with: dataset)
                } else if cycle == nil {
                    let stored = CycleFile(
                        rounds: try await RoundStore.rounds(on: db).map(\.round),
                        parts: try await RoundStore.allParts(on: db), versions: try await RoundStore.versions(on: db))
                    _ = try stored.resolved(with: dataset, file: "\(CycleFile.file) (rundene som er lagret)")
                }
            } catch let failure as ImportFailure { issues += failure.issues }
        }
        guard issues.isEmpty, let dataset else { throw ImportFailure(issues: issues) }
        try await DatasetStore.replace(
            with: dataset, history: history, reports: reports, scoringModels: models, scoringRounds: rounds,
            councils: councils, cycle: cycle, on: db)
        return dataset
    }

    public static func exportFolder(_ url: URL, on db: any Database) async throws -> Dataset? {
        guard let dataset = try await DatasetStore.load(on: db) else { return nil }
        try writeFolder(
            url, dataset: dataset, history: try await RoadmapWrites.historyRecords(on: db),
            reports: try await ReportStore.files(on: db),
            rounds: try await ScoringStore.all(on: db), models: try await ScoringStore.models(on: db),
            councils: try await CouncilStore.data(on: db),
            cycle: CycleFile(
                rounds: try await RoundStore.rounds(on: db).map(\.round), parts: try await RoundStore.allParts(on: db),
                versions: try await RoundStore.versions(on: db)))
        return dataset
    }

    /// Every file `importFolder` reads; `history` is left out when nil.
    static func writeFolder(
        _ url: URL, dataset: Dataset, history: [HistoryRecord]?, reports: [ReportFile], rounds: [ScoringRound],
        models: [ScoringModel], councils: CouncilData, cycle: CycleFile
    ) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var files = DatasetFormat.write(dataset)
        if let history { files[HistoryFormat.file] = HistoryFormat.write(history) }
        for (name, contents) in files {
            try Data(contents.utf8).write(to: url.appendingPathComponent(name), options: .atomic)
        }
        try ReportFiles.write(reports).write(to: url.appendingPathComponent(reportsFile), options: .atomic)
        try ScoringFiles.write(rounds, models: models).write(
            to: url.appendingPathComponent(ScoringFiles.file), options: .atomic)
        try CouncilFiles.write(councils).write(to: url.appendingPathComponent(CouncilFiles.file), options: .atomic)
        try CycleFiles.write(cycle).write(to: url.appendingPathComponent(CycleFile.file), options: .atomic)
    }
}

/// `veikart export <folder>`: writes the whole dataset in the format import reads.
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "path", help: "Mappe som CSV-filene skrives til (opprettes om den mangler)")
        var path: String
    }

    var help: String { "Eksporterer hele datasettet som CSV-filer som kan importeres igjen." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.path)
        guard try await DatasetImport.exportFolder(url, on: context.application.db) != nil else {
            context.console.error("Databasen har ingen data å eksportere.")
            throw ExitCode(1)
        }
        context.console.info(
            """
            Eksportert \(DatasetFormat.files.count + 4) filer (med historikken, statusrapportene, \
            prioriteringsrundene og rådsmodellen) til \(url.path).
            """
        )
    }
}

/// Ends the process with a status after the command has printed its own explanation.
struct ExitCode: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { "kommandoen avsluttet med feilkode \(code)" }
}
