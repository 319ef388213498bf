import Domain
import Foundation
import Persistence
import XCTest

@testable import App

final class GeneratorTests: XCTestCase {
    /// The generator takes its vocabulary from the base it scales: on another strategy, no word of the seed appears.
    func testTheGeneratorScalesAnotherStrategyInItsOwnTerms() throws {
        let d = try DatasetFormat.read(try SeedData.readFolder(OtherStrategyTests.fixture))
        let base = Generator.Output(
            dataset: d, reports: [], rounds: [],
            councils: CouncilData(councils: [], members: [], meetings: [], cases: []))
        let g = Generator.generate(scale: 2, seed: 7, base: base)
        XCTAssertEqual(try DatasetFormat.read(DatasetFormat.write(g.dataset)), g.dataset, "valid and lossless")
        XCTAssertGreaterThanOrEqual(g.dataset.activities.count, 420)
        XCTAssertEqual(g.dataset.indicators.count, 60)
        let text = DatasetFormat.write(g.dataset).values.joined(separator: "\n")
        for word in OtherStrategyTests.seedText + ["kommune", "Helse", "helseforetak"] {
            XCTAssertFalse(text.contains(word), "generated data says «\(word)»")
        }
        let years = g.dataset.activities.compactMap { $0.span.start?.firstDay.year }
        XCTAssertGreaterThanOrEqual(years.min() ?? 0, d.strategy.periodStart - 1, "years follow the strategy's period")
    }

    func testTheGeneratorIsReproducibleValidAndScales() throws {
        let a = try GenerateCommand.generate(scale: 2, seed: 7)
        let b = try GenerateCommand.generate(scale: 2, seed: 7)
        XCTAssertEqual(a.dataset, b.dataset, "the same seed gives the same data")
        XCTAssertEqual(a.councils, b.councils)
        let other = try GenerateCommand.generate(scale: 2, seed: 8)
        XCTAssertNotEqual(other.dataset, a.dataset)
        XCTAssertEqual(
            try DatasetFormat.read(DatasetFormat.write(a.dataset)), a.dataset,
            "it passes import validation and exports losslessly")
        let targets = LinkTargets(
            dataset: a.dataset, reportPeriods: a.reports.compactMap { ReportRules.parsePeriod($0.period) },
            scoringRounds: a.rounds.map { ($0.id, $0.title) })
        XCTAssertEqual(a.councils.problems(targets: targets), [])
        XCTAssertGreaterThanOrEqual(a.dataset.activities.count, 420)
        XCTAssertEqual(a.dataset.indicators.count, 60)
        XCTAssertEqual(a.reports.count, 10)
        XCTAssertEqual(a.councils.meetings.count, 20)
        XCTAssertEqual(a.rounds.count, 4)
        XCTAssertEqual(a.dataset.actors.filter { $0.slug.hasPrefix("gen-aktor-") }.count, 72)
    }

    func testGeneratedDataLoadsAndEveryMainPageAnswers() async throws {
        try await TestApp.run(seed: false) { app in
            let g = try GenerateCommand.generate(scale: 1, seed: 2030)
            try await DatasetStore.replace(
                with: g.dataset, reports: g.reports, scoringRounds: g.rounds, councils: g.councils, on: app.db)
            var client = Client(app: app)
            for path in [
                "/", "/veikart", "/indikatorer", "/dashbord", "/status", "/rad", "/prioritering", "/aktorer",
                "/sok?q=generert",
                "/tiltak/gen-tiltak-0001", "/rad/moter.ics", "/api/v1/roadmap",
            ] {
                let res = try await client.get(path)
                XCTAssertEqual(res.status, .ok, path)
            }
        }
    }

    func testALargeRoadmapIsPaged() async throws {
        try await TestApp.run(seed: false) { app in
            let g = try GenerateCommand.generate(scale: 3, seed: 2030)
            try await DatasetStore.replace(
                with: g.dataset, reports: g.reports, scoringRounds: g.rounds, councils: g.councils, on: app.db)
            var client = Client(app: app)
            let first = try await client.get("/veikart")
            let pages = (g.dataset.initiatives.count + 59) / 60
            XCTAssertGreaterThan(pages, 1)
            XCTAssertTrue(
                first.body.contains("Tiltak 1–60 av \(g.dataset.initiatives.count), side 1 av \(pages)."), "paged")
            XCTAssertTrue(first.body.contains("href=\"/veikart?side=2\" rel=\"next\""))
            let second = try await client.get("/veikart?side=2&aktortype=")
            XCTAssertTrue(second.body.contains("side 2 av \(pages)."))
            XCTAssertNotEqual(first.body.count, 0)
            XCTAssertLessThan(first.body.utf8.count, 3_000_000)
            let beyond = try await client.get("/veikart?side=999")
            XCTAssertTrue(beyond.body.contains("side \(pages) av \(pages)."), "past the end shows the last page")
            let bad = try await client.get("/veikart?side=null")
            XCTAssertEqual(bad.status, .badRequest)
            let svg = try await client.get("/veikart.svg?side=2")
            XCTAssertEqual(svg.status, .ok)
        }
    }
}
