import XCTest

@testable import Domain

final class PeriodTests: XCTestCase {
    func testParsesEveryPrecision() throws {
        XCTAssertEqual(try Period.parse("2025"), .year(2025))
        XCTAssertEqual(try Period.parse("2025-Q1"), .quarter(2025, 1))
        XCTAssertEqual(try Period.parse("2025-q4"), .quarter(2025, 4))
        XCTAssertEqual(try Period.parse("2025-06"), .month(2025, 6))
        XCTAssertEqual(try Period.parse(" 2025-06-30 "), .day(Day(year: 2025, month: 6, day: 30)!))
    }

    func testRejectsMalformedPeriodsWithAReason() {
        for bad in [
            "", "25", "2025-Q5", "2025-13", "2025-02-30", "2025-6", "1850", "2025-06-30-01", "20x5", "２０２５",
        ] {
            XCTAssertThrowsError(try Period.parse(bad), bad) { error in
                XCTAssertTrue(String(describing: error).contains("ugyldig periode"), "\(bad): \(error)")
            }
        }
    }

    func testBoundsFollowPrecision() throws {
        XCTAssertEqual(Period.year(2024).firstDay.description, "2024-01-01")
        XCTAssertEqual(Period.year(2024).lastDay.description, "2024-12-31")
        XCTAssertEqual(Period.quarter(2025, 1).lastDay.description, "2025-03-31")
        XCTAssertEqual(Period.quarter(2025, 4).firstDay.description, "2025-10-01")
        XCTAssertEqual(Period.month(2024, 2).lastDay.description, "2024-02-29")
        XCTAssertEqual(Period.month(2023, 2).lastDay.description, "2023-02-28")
    }

    func testOrderingByStartThenCoarserFirst() throws {
        let sorted = [
            Period.month(2025, 1), .day(Day(year: 2024, month: 12, day: 31)!), .quarter(2025, 1), .year(2025),
        ].sorted()
        XCTAssertEqual(sorted.map(\.description), ["2024-12-31", "2025", "2025-Q1", "2025-01"])
    }

    func testDayRoundTripsAcrossCenturies() {
        for ordinal in stride(from: -800_000, through: 800_000, by: 997) {
            let d = Day(ordinal: ordinal)
            let c = d.components
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), d)
        }
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)?.ordinal, 0)
        XCTAssertEqual(Day(secondsSince1970: 86_400 * 1.5).description, "1970-01-02")
    }

    func testCanonicalTextRoundTrips() throws {
        for text in ["2021", "2025-Q3", "2024-11", "2024-01-01"] {
            XCTAssertEqual(try Period.parse(text).description, text)
        }
    }

    func testNorwegianDisplay() {
        XCTAssertEqual(Period.quarter(2025, 1).norwegian, "1. kv. 2025")
        XCTAssertEqual(Period.month(2025, 6).norwegian, "juni 2025")
        XCTAssertEqual(Period.day(Day(year: 2024, month: 2, day: 1)!).norwegian, "01.02.2024")
    }

    func testSpanRules() throws {
        XCTAssertThrowsError(try Span(start: nil, end: nil)) { XCTAssertEqual($0 as? Span.Invalid, .empty) }
        XCTAssertThrowsError(try Span(start: .year(2025), end: .year(2024)))
        // The same quarter as start and end is fine; a month inside the start year ends after the year starts.
        XCTAssertNoThrow(try Span(start: .quarter(2025, 2), end: .quarter(2025, 2)))
        XCTAssertNoThrow(try Span(start: .year(2025), end: .month(2025, 3)))
        let open = try Span(start: .year(2023), end: nil)
        XCTAssertTrue(open.overlaps(year: 2030))
        XCTAssertFalse(open.overlaps(year: 2022))
        let before = try Span(start: nil, end: .year(2023))
        XCTAssertTrue(before.overlaps(year: 2023))
        XCTAssertTrue(before.overlaps(year: 2019))
        XCTAssertFalse(before.overlaps(year: 2024))
        XCTAssertEqual(before.norwegian, "→ 2023")
        XCTAssertEqual(open.norwegian, "2023 →")
        XCTAssertEqual(try Span(start: .year(2023), end: .year(2028)).norwegian, "2023 → 2028")
    }
}

final class PhaseTests: XCTestCase {
    func testDefaultValueChainOrderAndNames() {
        let phases = PhaseCatalog.defaults
        XCTAssertEqual(phases.all.map(\.code), [.konsept, .utvikling, .tilpasning, .innforing, .nyPraksis])
        XCTAssertLessThan(phases.order(.konsept), phases.order(.nyPraksis))
        XCTAssertEqual(
            phases.all.map(\.name),
            [
                "Konsept/mandat", "Utvikling og begrenset utprøving",
                "Tilpasning og utvidet utprøving", "Innføring", "Ny praksis i bruk",
            ])
        XCTAssertEqual(phases.number(.nyPraksis), 5)
        XCTAssertFalse(phases.contains(Phase(rawValue: "Innføring")), "files use the code, not the display name")
        XCTAssertEqual(phases.name(Phase(rawValue: "ukjent")), "ukjent", "an unknown code is shown as written")
    }

    /// Every default colour carries its number at WCAG's 3:1 for graphics, the rule imports enforce.
    func testDefaultPhaseColoursMeetTheImportRule() throws {
        for phase in PhaseCatalog.defaults.all {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(Contrast.ratio(phase.colour, phase.textColour)), 3, phase.name)
        }
        XCTAssertEqual(try XCTUnwrap(Contrast.ratio("#000000", "#ffffff")), 21, accuracy: 0.001)
        XCTAssertNil(Contrast.ratio("blue", "#ffffff"))
    }
}
