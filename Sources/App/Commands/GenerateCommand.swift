import Domain
import Foundation
import Persistence
import Vapor

/// `veikart generate --scale N [--seed S] [--out folder]`: a large, realistic, reproducible dataset for load tests
/// (docs/data-format.md, "Generated data"). Replaces the database's content, or writes an import folder with `--out`.
struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "scale", help: "Omtrent hvor mange ganger seed-innholdet (1–1000, standard 10)")
        var scale: Int?
        @Option(name: "seed", help: "Frø for tilfeldighetene; samme frø og skala gir samme data (standard 2030)")
        var seed: Int?
        @Option(name: "out", help: "Skriv en importmappe hit i stedet for å erstatte databasen")
        var out: String?
        @Flag(
            name: "kommunefordeling",
            help: "Gi hver indikator en fordeling per kommune hvert år (omtrent 0,9 millioner måleverdier "
                + "ved skala 10)"
        )
        var municipalityBreakdowns: Bool
    }

    var help: String {
        """
        Lager et stort, realistisk og reproduserbart datasett for lasttester (erstatter databasen, eller skriver \
        en mappe med --out).
        """
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let scale = signature.scale ?? 10
        guard (1...1000).contains(scale) else {
            context.console.error("--scale må være mellom 1 og 1000.")
            throw ExitCode(1)
        }
        let started = Date()
        let generated = try Self.generate(
            scale: scale, seed: UInt64(signature.seed ?? 2030),
            municipalityBreakdowns: signature.municipalityBreakdowns)
        // The generated data must pass the same checks as any import.
        _ = try DatasetFormat.read(DatasetFormat.write(generated.dataset))
        let problems = generated.councils.problems(
            targets: LinkTargets(
                dataset: generated.dataset,
                reportPeriods: generated.reports.compactMap { ReportRules.parsePeriod($0.period) },
                scoringRounds: generated.rounds.map { ($0.id, $0.title) }))
        guard problems.isEmpty else {
            context.console.error(problems.prefix(10).joined(separator: "\n"))
            throw ExitCode(1)
        }
        if let out = signature.out {
            try DatasetImport.writeFolder(
                URL(fileURLWithPath: out), dataset: generated.dataset, history: nil, reports: generated.reports,
                rounds: generated.rounds,
                models: Array(
                    Dictionary(generated.rounds.map { ("\($0.model.id)#\($0.model.version)", $0.model) }) { a, _ in a }
                        .sorted { $0.key < $1.key }.map(\.value)),
                councils: generated.councils, cycle: CycleFile(rounds: [], parts: [], versions: []))
        } else {
            try await DatasetStore.replace(
                with: generated.dataset, reports: generated.reports, scoringRounds: generated.rounds,
                councils: generated.councils,
                on: context.application.db)
        }
        let d = generated.dataset
        context.console.info(
            """
            Skala \(scale): \(d.actors.count) aktører, \(d.initiatives.count) tiltak, \(d.activities.count) \
            aktiviteter,\u{20}
            """
                + """
                \(d.milestones.count) milepæler, \(d.indicators.count) indikatorer, \(d.measurements.count) \
                måleverdier, \(generated.reports.count) rapporter,\u{20}
                """
                    + """
                    \(generated.councils.meetings.count) møter, \(generated.councils.cases.count) saker, \
                    \(generated.rounds.count) prioriteringsrunder\u{20}
                    """
                + "(\(String(format: "%.1f", Date().timeIntervalSince(started))) s).")
    }

    static func generate(scale: Int, seed: UInt64, municipalityBreakdowns: Bool = false) throws -> Generator.Output {
        let dataset = try SeedData.load()
        let reports = try SeedData.reports()
        let round = try SeedData.scoringRound(initiatives: Set(dataset.initiatives.map(\.slug)))
        let targets = LinkTargets(
            dataset: dataset, reportPeriods: reports.compactMap { ReportRules.parsePeriod($0.period) },
            scoringRounds: [(round.id, round.title)])
        let councils = try SeedData.councils(targets: targets)
        return Generator.generate(
            scale: scale, seed: seed,
            base: .init(dataset: dataset, reports: reports, rounds: [round], councils: councils),
            municipalityBreakdowns: municipalityBreakdowns)
    }
}
