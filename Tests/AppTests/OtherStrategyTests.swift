import Domain
import Persistence
import SQLKit
import XCTVapor
import XCTest

@testable import App

/// Veikart for a strategy that is not the Norwegian seed: other years (2025–2035, work to 2036), seven goals, four
/// phases with their own names and colours, regions and agencies as actors (Tests/Fixtures/other-strategy).
final class OtherStrategyTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/other-strategy")

    /// Words of the Norwegian seed that must not appear on any page of another strategy.
    static let seedText = [
        "e-helse", "2023–2030", "Helse Sør-Øst", "Helse Vest", "Frem mot 2030", "Konsept/mandat",
        "Ny praksis i bruk", "Regionalt helseforetak", "Norges", "sak 6/26", "De fem", "tre råd",
        "Helsedirektoratet", "legemiddel", "Ambisjon 2030", "samhandlingstiltak",
    ]

    func temporaryCopy(of folder: URL) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func get(_ app: Application, _ path: String, file: StaticString = #filePath, line: UInt = #line) async throws
        -> String
    {
        var body = ""
        try await app.test(.GET, path) { res async in
            XCTAssertEqual(res.status, .ok, path, file: file, line: line)
            body = res.body.string
        }
        for text in Self.seedText {
            XCTAssertFalse(body.contains(text), "\(path) says «\(text)»", file: file, line: line)
        }
        return body
    }

    func testTheFixtureReadsBackAsWrittenAndExportsToItself() throws {
        let d = try DatasetFormat.read(try SeedData.readFolder(Self.fixture))
        XCTAssertEqual(d.strategy.period, 2025...2035)
        XCTAssertEqual(d.strategy.phases.all.map(\.code.rawValue), ["discovery", "build", "scale", "operate"])
        XCTAssertEqual(d.strategy.actorTypes.all.map(\.pluralName), ["Regions", "Ministries", "Agencies", "Vendors"])
        XCTAssertEqual(d.strategy.delayGoal, "3")
        XCTAssertEqual(d.dataYears.upperBound, 2036, "work after the period widens the years")
        XCTAssertEqual(
            try DatasetFormat.read(DatasetFormat.write(d)), d, "import(export(x)) == x, phases and types included")
    }

    func testAnotherStrategyShowsOnEveryPageWithNothingOfTheSeed() async throws {
        try await TestApp.run(seed: false) { app in
            _ = try await DatasetImport.importFolder(Self.fixture, on: app.db)

            let front = try await get(app, "/")
            XCTAssertTrue(front.contains("<span class=\"brand-sub\"> · Digital Health Nordmark</span>"))
            XCTAssertTrue(front.contains("<title>Veikart – Digital Health Nordmark</title>"))
            XCTAssertTrue(
                front.contains("Veikart viser Digital Health Nordmark 2025–2035"),
                "the footer speaks of this strategy")
            XCTAssertTrue(
                front.contains("Nordmark Digital Health Agency, the four health regions"), "with its own source text")
            for goal in 1...7 { XCTAssertTrue(front.contains("href=\"/mal/\(goal)\""), "goal \(goal)") }

            let roadmap = try await get(app, "/veikart")
            XCTAssertTrue(roadmap.contains(">2036</text>"), "the axis runs to the last planned year")
            XCTAssertTrue(roadmap.contains("<option value=\"2036\">2036</option>"), "the year filter offers it")
            XCTAssertTrue(
                roadmap.contains("<option value=\"scale\">3 Scale-up</option>"),
                "the phase filter offers the data's phases")
            XCTAssertTrue(roadmap.contains("<option value=\"region\">Region</option>"), "and its actor types")
            XCTAssertTrue(roadmap.contains("fill=\"#00798c\""), "bars in the data's colours")
            XCTAssertTrue(roadmap.contains(">In operation</text>"), "the legend names the data's phases")
            XCTAssertTrue(
                roadmap.contains("<ul class=\"phase-legend\" aria-label=\"Faser i verdikjeden\">"),
                "the key comes first")
            let later = try await get(app, "/veikart?ar=2036")
            XCTAssertTrue(later.contains("Operation and new services"), "a year after the period can be chosen")
            let svg = try await get(app, "/veikart.svg")
            XCTAssertTrue(svg.contains(">2036</text>"))
            XCTAssertTrue(
                svg.contains("class=\"baseline\"") && svg.contains("class=\"delay\""), "a moved, delayed bar shows both"
            )
            XCTAssertTrue(
                svg.contains(
                    "opprinnelig planlagt slutt 4. kv. 2026, forsinkelse i utvikling: Leverandørutfordringer"))
            XCTAssertTrue(
                svg.contains(">Opprinnelig planlagt slutt (før flytting)</text>"), "and the legend explains them")

            let prioritized = try await get(app, "/veikart/prioriterte")
            XCTAssertTrue(prioritized.contains("De ni tiltakene som er prioritert"), "the count comes from the data")

            let css = try await get(app, "/assets/veikart.css")
            XCTAssertTrue(css.contains(".phase-discovery{background:#f4d35e;color:#1a1a1a}"))
            XCTAssertFalse(css.contains(".phase-konsept"))
            XCTAssertTrue(front.contains("href=\"/assets/veikart.css?v="), "versioned by the colours")

            let actors = try await get(app, "/aktorer")
            XCTAssertTrue(actors.contains("<h2>Regions</h2>") && actors.contains("<h2>Agencies</h2>"))
            _ = try await get(app, "/aktorer/arctic-coast")
            let initiative = try await get(app, "/tiltak/health-network-identity")
            XCTAssertTrue(initiative.contains(">2036</text>"), "an initiative's own roadmap reaches its last year")
            XCTAssertTrue(
                initiative.contains("Hva skjer i 2034"), "nothing this year: the next year that has something")
            let chosen = try await get(app, "/tiltak/regional-clinical-workspace?ar=2035")
            XCTAssertTrue(
                chosen.contains("<option value=\"2035\" selected>"), "the selector shows the year the heading names")
            _ = try await get(app, "/tiltak/health-network-identity?ar=2036")
            XCTAssertTrue(roadmap.contains("gjennom verdikjeden fra discovery til in operation."))

            let goal = try await get(app, "/mal/1")
            XCTAssertTrue(
                goal.contains("<h2 id=\"oppna\">By 2035 we will have achieved</h2>"), "the strategy's own heading")

            let indicators = try await get(app, "/indikatorer")
            XCTAssertTrue(indicators.contains("Endelig ambisjon"))
            XCTAssertTrue(indicators.contains(" i 2033 ("), "the final ambition whatever its year")
            XCTAssertTrue(indicators.contains("Plassering på internasjonale målinger"))
            let portal = try await get(app, "/indikatorer/portal-users")
            XCTAssertTrue(portal.contains("trukket til 2033"), "the trend runs to the last ambition year")
            _ = try await get(app, "/indikatorer/referral-wait-days")
            _ = try await get(app, "/dashbord")
            _ = try await get(app, "/status")
            let councils = try await get(app, "/rad")
            XCTAssertTrue(councils.contains("Ingen råd er registrert ennå."))
            _ = try await get(app, "/prioritering")
            let search = try await get(app, "/sok?q=summary")
            XCTAssertTrue(search.contains("href=\"/tiltak/patient-summary\""), search)
            let api = try await get(app, "/api/v1/actors/arctic-coast")
            XCTAssertTrue(api.contains("\"typeName\":\"Region\""))
            let moved = try await get(app, "/api/v1/activities/ps-build-ndha")
            XCTAssertTrue(moved.contains("\"baseline\":\"2026-Q4\""), moved)
            XCTAssertTrue(moved.contains("\"kind\":\"utvikling\"") && moved.contains("\"cause\":\"leverandor\""), moved)
        }
    }

    func testImportingAnotherStrategyOverTheSeedListsWhatWouldPointAtNothing() async throws {
        try await TestApp.run { app in
            let before = try await DatasetStore.load(on: app.db)
            do {
                _ = try await DatasetImport.importFolder(Self.fixture, on: app.db)
                XCTFail("the seed's reports, scoring round and council cases would link to records that are gone")
            } catch let failure as ImportFailure {
                let text = failure.description
                XCTAssertTrue(text.contains("statusrapportene i databasen (mappen har ingen reports.json)"), text)
                XCTAssertTrue(
                    text.contains("prioriteringsrundene i databasen") && text.contains("tiltaket «pll»"), text)
                XCTAssertTrue(
                    text.contains("rådsmodellen i databasen") && text.contains("peker på noe som ikke finnes"), text)
            }
            let unchanged = try await DatasetStore.load(on: app.db)
            XCTAssertEqual(unchanged, before, "nothing changed")

            // One command replaces the whole installation: the seed's reports, rounds, models and councils go too.
            _ = try await DatasetImport.importFolder(Self.fixture, replaceEverything: true, on: app.db)
            let reports = try await ReportStore.files(on: app.db)
            let rounds = try await ScoringStore.all(on: app.db)
            let models = try await ScoringStore.models(on: app.db)
            let councils = try await CouncilStore.data(on: app.db)
            XCTAssertTrue(
                reports.isEmpty && rounds.isEmpty && models.isEmpty && councils.cases.isEmpty
                    && councils.councils.isEmpty)
            _ = try await get(app, "/")
            _ = try await get(app, "/rad")
            _ = try await get(app, "/prioritering")
            _ = try await get(app, "/status")
        }
    }

    /// A seeded installation from before M018 (profile columns empty) gets the seed's texts and vocabulary back on
    /// start, so an upgrade changes nothing users see; another strategy's row is left alone.
    func testAnUpgradedSeedInstallationKeepsItsLook() async throws {
        try await TestApp.run { app in
            let seeded = try await DatasetStore.load(on: app.db)
            let sql = app.db.sql
            try await sql.raw(
                """
                UPDATE strategy SET short_name = NULL, summary = NULL, source = NULL, outcomes_heading = NULL,
                delay_goal = NULL, roadmap_start = NULL, phases = NULL, actor_types = NULL
                """
            ).run()
            let title = try await DatasetStore.strategyWithoutProfile(on: app.db)
            XCTAssertEqual(title, seeded?.strategy.title)
            try await DatasetStore.completeProfile(from: try SeedData.load().strategy, on: app.db)
            let completed = try await DatasetStore.load(on: app.db)
            XCTAssertEqual(completed?.strategy, seeded?.strategy)
            let after = try await DatasetStore.strategyWithoutProfile(on: app.db)
            XCTAssertNil(after)
        }
    }

    func testPhasesAndLimitsAreCheckedOnImport() async throws {
        let folder = try temporaryCopy(of: Self.fixture)
        let phases = folder.appendingPathComponent("phases.csv")
        var text = try String(contentsOf: phases, encoding: .utf8)
        text = text.replacingOccurrences(of: "#f4d35e,#1a1a1a", with: "#f4d35e,#ffffff")
        try text.write(to: phases, atomically: true, encoding: .utf8)
        let activities = folder.appendingPathComponent("activities.csv")
        let long = String(repeating: "x", count: ImportLimits.fieldCharacters + 1)
        try
            (try String(contentsOf: activities, encoding: .utf8)
            + "too-long,patient-summary,arctic-coast,konsept,2026,2027,planlagt,\(long),,,,\n")
            .write(to: activities, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetFormat.read(try SeedData.readFolder(folder))
            XCTFail("should be refused")
        } catch let failure as ImportFailure {
            let text = failure.description
            XCTAssertTrue(
                text.contains("phases.csv:4: fasenummeret (#ffffff) har for lav kontrast mot fargen #f4d35e: 1,"), text)
            XCTAssertTrue(text.contains("«description» er for lang (10001 tegn; høyst 10000)"), text)
            XCTAssertTrue(
                text.contains(
                    "ukjent verdi «konsept» i «phase»; gyldige verdier er discovery, build, scale, operate"),
                "the seed's phases are not this strategy's: \(text)")
        }
        // Without phases.csv and actor_types.csv the Norwegian defaults apply, so older folders still import.
        let seed = try SeedData.readFolder(SeedData.directory).filter { !DatasetFormat.optionalFiles.contains($0.key) }
        XCTAssertEqual(try DatasetFormat.read(seed).strategy.phases, .defaults)
    }
}
