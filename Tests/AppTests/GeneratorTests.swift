@testable import App
import Domain
import Foundation
import Persistence
import XCTest

final class GeneratorTests: XCTestCase {
    func testTheGeneratorIsReproducibleValidAndScales() throws {
        let a = try GenerateCommand.generate(scale: 2, seed: 7)
        let b = try GenerateCommand.generate(scale: 2, seed: 7)
        XCTAssertEqual(a.dataset, b.dataset, "the same seed gives the same data")
        XCTAssertEqual(a.councils, b.councils)
        let other = try GenerateCommand.generate(scale: 2, seed: 8)
        XCTAssertNotEqual(other.dataset, a.dataset)
        XCTAssertEqual(try DatasetFormat.read(DatasetFormat.write(a.dataset)), a.dataset, "it passes import validation and exports losslessly")
        let targets = LinkTargets(dataset: a.dataset, reports: a.reports.map { ($0.period, $0.period) }, scoringRounds: a.rounds.map { ($0.id, $0.title) })
        XCTAssertEqual(a.councils.problems(targets: targets), [])
        XCTAssertGreaterThanOrEqual(a.dataset.activities.count, 420)
        XCTAssertEqual(a.dataset.indicators.count, 60)
        XCTAssertEqual(a.reports.count, 10)
        XCTAssertEqual(a.councils.meetings.count, 20)
        XCTAssertEqual(a.rounds.count, 4)
        XCTAssertEqual(a.dataset.actors.filter { $0.type == .kommune && $0.slug.hasPrefix("gen-") }.count, 72)
    }

    func testGeneratedDataLoadsAndEveryMainPageAnswers() async throws {
        try await TestApp.run(seed: false) { app in
            let g = try GenerateCommand.generate(scale: 1, seed: 2030)
            try await DatasetStore.replace(with: g.dataset, reports: g.reports, scoringRounds: g.rounds, councils: g.councils, on: app.db)
            var client = Client(app: app)
            for path in ["/", "/veikart", "/indikatorer", "/dashbord", "/status", "/rad", "/prioritering", "/aktorer", "/sok?q=generert",
                         "/tiltak/gen-tiltak-0001", "/rad/moter.ics", "/api/v1/roadmap"] {
                let res = try await client.get(path)
                XCTAssertEqual(res.status, .ok, path)
            }
        }
    }
}
