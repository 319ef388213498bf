import XCTest

@testable import Charts
@testable import Domain

final class RoadmapTests: XCTestCase {
    var seed: Dataset!

    override func setUpWithError() throws {
        seed = try DatasetFormat.read(try SeedFolder.read())
    }

    func testActorFilterIncludesChildrenAndPhaseFilterDropsMilestones() {
        let r = Roadmap(dataset: seed, filter: RoadmapFilter(actor: "helse-sor-ost", phase: .innforing))
        let activities = r.sections.flatMap { $0.initiatives.flatMap { $0.rows.flatMap(\.activities) } }
        XCTAssertFalse(activities.isEmpty)
        XCTAssertTrue(activities.allSatisfy { $0.phase == .innforing })
        let actors = Set(activities.map(\.actorSlug))
        XCTAssertTrue(
            actors.isSubset(of: ["helse-sor-ost", "ahus", "sorlandet-sykehus", "vestre-viken", "sykehuspartner"]),
            "\(actors)")
        XCTAssertTrue(actors.contains("ahus"), "an HF's activities belong to its RHF's roadmap")
        XCTAssertEqual(r.milestoneCount, 0)
    }

    func testYearFilterKeepsOnlyOverlappingActivities() {
        let r = Roadmap(dataset: seed, filter: RoadmapFilter(year: 2026))
        for a in r.sections.flatMap({ $0.initiatives.flatMap { $0.rows.flatMap(\.activities) } }) {
            XCTAssertTrue(a.span.overlaps(year: 2026), a.id)
        }
        XCTAssertTrue(
            r.sections.flatMap { $0.initiatives.flatMap { $0.rows.flatMap(\.milestones) } }.allSatisfy {
                $0.date.year == 2026
            })
    }

    func testEachInitiativeIsDrawnOnceUnderItsFirstSubgoal() {
        let r = Roadmap(dataset: seed, filter: RoadmapFilter())
        let slugs = r.sections.flatMap { $0.initiatives.map(\.initiative.slug) }
        XCTAssertEqual(slugs.count, Set(slugs).count)
        XCTAssertEqual(
            r.sections.first { s in s.initiatives.contains { $0.initiative.slug == "pll" } }?.subgoal?.id, "2.B")
    }

    func testPagesSplitTheInitiativesInOrderEachExactlyOnce() {
        let whole = Roadmap(dataset: seed, filter: RoadmapFilter())
        let all = whole.sections.flatMap { $0.initiatives.map(\.initiative.slug) }
        let size = 7
        let pages = Roadmap.pageCount(initiatives: whole.initiativeCount, size: size)
        XCTAssertEqual(pages, (all.count + size - 1) / size)
        var joined: [String] = []
        for n in 1...pages {
            let page = whole.page(n, size: size)
            XCTAssertLessThanOrEqual(page.initiativeCount, size)
            XCTAssertFalse(page.sections.contains { $0.initiatives.isEmpty }, "no empty section headings")
            joined += page.sections.flatMap { $0.initiatives.map(\.initiative.slug) }
        }
        XCTAssertEqual(joined, all)
        XCTAssertTrue(whole.page(pages + 1, size: size).isEmpty)
        XCTAssertEqual(whole.page(1, size: 1000), whole)
        XCTAssertEqual(Roadmap.pageCount(initiatives: 0, size: 60), 1)
    }

    func testPriorityGroupingIsInRankOrder() {
        let r = Roadmap(dataset: seed, filter: RoadmapFilter(), grouping: .byPriority)
        XCTAssertEqual(r.sections.count, 1)
        XCTAssertEqual(r.sections[0].initiatives.compactMap(\.initiative.priorityRank), [1, 2, 3, 4, 5])
    }

    /// The 2023 PLL table in 001 (sak 35/22) is the year view of PLL for 2023.
    func testYearPlanReproducesThe2023PLLTable() {
        let plan = Roadmap.yearPlan(dataset: seed, initiative: "pll", year: 2023)
        let byActor = Dictionary(uniqueKeysWithValues: plan.map { ($0.actor.slug, $0.activities.map(\.description)) })
        XCTAssertEqual(byActor["fastleger"]?.count, 2)
        XCTAssertEqual(byActor["apotek"], ["Videre innføring av e-multidose."])
        XCTAssertEqual(
            byActor["direktoratet-for-e-helse"],
            ["Starte koordinert nasjonal innføring av PLL sammen med Norsk helsenett."])
        XCTAssertNotNil(byActor["helse-vest"])
        XCTAssertNil(byActor["helse-bergen"])
        let total = plan.first { $0.actor.slug == "direktoratet-for-e-helse" }!.activities[0].span.norwegian
        XCTAssertEqual(total, "2023 → 2028")
    }

    func testFilterParsingRejectsUnknownValues() throws {
        XCTAssertEqual(
            try RoadmapFilter.parse(
                ["fase": "innforing", "aktor": "helse-vest", "ar": "2025", "prioriterte": "1", "delmal": "2.b"],
                dataset: seed),
            RoadmapFilter(subgoal: "2.B", actor: "helse-vest", phase: .innforing, prioritizedOnly: true, year: 2025))
        XCTAssertEqual(try RoadmapFilter.parse(["fase": "", "mal": " "], dataset: seed), RoadmapFilter())
        for (key, value) in [
            ("fase", "test"), ("aktor", "helse-sor"), ("ar", "20x5"), ("ar", "1999"), ("mal", "9"), ("delmal", "9.Z"),
            ("aktortype", "x"), ("prioriterte", "kanskje"),
        ] {
            XCTAssertThrowsError(try RoadmapFilter.parse([key: value], dataset: seed), "\(key)=\(value)") {
                XCTAssertEqual(($0 as? RoadmapFilter.Invalid)?.parameter, key)
            }
        }
    }

    func testQueryStringRoundTrips() throws {
        let f = RoadmapFilter(goal: "2", actor: "helse-sor-ost", phase: .tilpasning, prioritizedOnly: true, year: 2024)
        let items = Dictionary(uniqueKeysWithValues: f.queryItems)
        XCTAssertEqual(try RoadmapFilter.parse(items, dataset: seed), f)
        XCTAssertEqual(f.queryString, "mal=2&aktor=helse-sor-ost&fase=tilpasning&ar=2024&prioriterte=1")
    }
}

final class GanttLayoutTests: XCTestCase {
    func dataset(_ activities: [Activity], milestones: [Milestone] = []) -> Dataset {
        Dataset(
            strategy: Strategy(title: "S", version: "1", periodStart: 2023, periodEnd: 2030, vision: "V"),
            overarchingGoals: [], goals: [Goal(id: "1", title: "G", description: "", outcomes: [])],
            subgoals: [Subgoal(id: "1.A", goalId: "1", title: "SG", status: .adopted, description: "")],
            actors: [Actor(slug: "a", name: "A", shortName: "A", type: .rhf, parentSlug: nil, description: "")],
            initiatives: [
                Initiative(
                    slug: "i", title: "I", shortTitle: "I", kind: .national, priorityRank: nil, subgoalIds: ["1.A"],
                    target: "", description: "")
            ],
            activities: activities, milestones: milestones)
    }

    func activity(_ id: String, _ start: Period?, _ end: Period?, phase: Phase = .utvikling) throws -> Activity {
        Activity(
            id: id, initiativeSlug: "i", actorSlug: "a", phase: phase, span: try Span(start: start, end: end),
            tentative: false, description: "")
    }

    func layout(_ d: Dataset) -> GanttLayout {
        GanttLayout(
            roadmap: Roadmap(dataset: d, filter: RoadmapFilter()), fromYear: 2021, toYear: 2030,
            today: Day(year: 2026, month: 7, day: 2)!, width: 1300, labelWidth: 300)
    }

    func testAxisMapsYearsLinearly() {
        let axis = TimeAxis(fromYear: 2021, toYear: 2030, x0: 300, x1: 1300)
        XCTAssertEqual(axis.x(Period.year(2021).firstDay), 300, accuracy: 0.001)
        XCTAssertEqual(axis.x(axis.endDay), 1300, accuracy: 0.001)
        XCTAssertEqual(
            axis.x(Period.year(2026).firstDay),
            300 + 1000 * Double(Period.year(2026).firstDay.ordinal - Period.year(2021).firstDay.ordinal)
                / Double(axis.endDay.ordinal - axis.firstDay.ordinal), accuracy: 0.001)
    }

    func testOverlappingActivitiesGetSeparateLanesAndTouchingOnesShare() throws {
        let l = layout(
            dataset([
                try activity("a", .year(2023), .year(2024)),
                try activity("b", .year(2024), .year(2025)),  // overlaps a in 2024
                try activity("c", .year(2025), .year(2026)),  // starts the day after a ends: same lane as a
            ]))
        let y = Dictionary(uniqueKeysWithValues: l.bars.map { ($0.activityId, $0.y) })
        XCTAssertNotEqual(y["a"], y["b"])
        XCTAssertEqual(y["a"], y["c"])
    }

    func testBarsAreClippedToTheAxisAndMarkedAsContinuing() throws {
        let l = layout(
            dataset([
                try activity("early", .year(2018), .year(2022)),
                try activity("open", .year(2029), nil),
                try activity("gone", .year(2010), .year(2012)),
                try activity("unknown-start", nil, .year(2023)),
            ]))
        let bars = Dictionary(uniqueKeysWithValues: l.bars.map { ($0.activityId, $0) })
        XCTAssertNil(bars["gone"], "a bar wholly outside the axis is not drawn")
        XCTAssertEqual(bars["early"]!.x, l.axis.x0, accuracy: 0.001)
        XCTAssertTrue(bars["early"]!.continuesLeft)
        XCTAssertFalse(bars["early"]!.continuesRight)
        XCTAssertEqual(bars["open"]!.x + bars["open"]!.width, l.axis.x1, accuracy: 0.001)
        XCTAssertTrue(bars["open"]!.continuesRight)
        // No start given: drawn over its end period only, marked as begun earlier.
        XCTAssertEqual(bars["unknown-start"]!.x, l.axis.x(Period.year(2023).firstDay), accuracy: 0.001)
        XCTAssertTrue(bars["unknown-start"]!.continuesLeft)
    }

    func testPrecisionDecidesTheExtent() throws {
        let l = layout(
            dataset([
                try activity("q", .quarter(2025, 2), .quarter(2025, 2)), try activity("y", .year(2025), .year(2025)),
            ]))
        let bars = Dictionary(uniqueKeysWithValues: l.bars.map { ($0.activityId, $0) })
        XCTAssertEqual(bars["q"]!.width * 4, bars["y"]!.width, accuracy: 1.0)
    }

    func testTodayLineOnlyInsideTheAxis() {
        let d = dataset([])
        XCTAssertNotNil(layout(d).todayX)
        XCTAssertNil(
            GanttLayout(
                roadmap: Roadmap(dataset: d, filter: RoadmapFilter()), fromYear: 2021, toYear: 2025,
                today: Day(year: 2026, month: 1, day: 1)!
            ).todayX)
    }

    func testSVGEscapesTextAndUsesFixedPrecision() throws {
        var d = dataset([try activity("a", .year(2023), .month(2024, 7))])
        d.initiatives[0].shortTitle = "<script>alert(1)</script> & co"
        let svg = GanttSVG.render(layout(d), title: "T<>", description: "D")
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        XCTAssertTrue(svg.contains("<title id=\"veikart-title\">T&lt;&gt;</title>"))
        // Every coordinate has at most one decimal.
        let numbers = svg.matches(of: /\ (?:x|y|x1|x2|y1|y2|width|height)="(-?[0-9.]+)"/).map { String($0.1) }
        XCTAssertFalse(numbers.isEmpty)
        XCTAssertTrue(
            numbers.allSatisfy { !$0.contains(".") || $0.split(separator: ".")[1].count == 1 }, "\(numbers.prefix(20))")
    }

    func testSvgNumber() {
        XCTAssertEqual(svgNumber(12), "12")
        XCTAssertEqual(svgNumber(12.345), "12.3")
        XCTAssertEqual(svgNumber(-0.06), "-0.1")
        XCTAssertEqual(svgNumber(0.04), "0")
    }
}

final class SearchTextTests: XCTestCase {
    func testNormalisationFoldsCaseAndPunctuation() {
        XCTAssertEqual(SearchText.tokens("Helse Sør-Øst RHF"), ["helse", "sør", "øst", "rhf"])
        XCTAssertEqual(SearchText.queryTerms("sør-øst"), SearchText.queryTerms("SØR ØST"))
        XCTAssertEqual(SearchText.normalize("Pasientens legemiddelliste (PLL)"), "pasientens legemiddelliste pll")
        // Decomposed å (a + combining ring) is the same word as precomposed å.
        XCTAssertEqual(SearchText.tokens("prøvesvar på"), SearchText.tokens("prøvesvar pa\u{030A}"))
    }

    func testQueryTermsAreBoundedAndSafe() {
        XCTAssertEqual(SearchText.queryTerms("\"; DROP TABLE x; --"), ["drop", "table", "x"])
        XCTAssertEqual(SearchText.queryTerms("a a a b"), ["a", "b"])
        XCTAssertEqual(SearchText.queryTerms(String(repeating: "ord ", count: 20)).count, 1)
        XCTAssertEqual(SearchText.queryTerms("en to tre fire fem seks sju åtte ni ti").count, 8)
        XCTAssertTrue(SearchText.queryTerms("*** ---").isEmpty)
    }

    func testHighlightMarksWordsByPrefix() {
        let segments = SearchText.highlight("Pasientens legemiddelliste og legemidler", terms: ["legemiddel"])
        XCTAssertEqual(segments.filter(\.isMatch).map(\.text), ["legemiddelliste"])
        XCTAssertEqual(segments.map(\.text).joined(), "Pasientens legemiddelliste og legemidler")
        let sorost = SearchText.highlight("Helse Sør-Øst RHF", terms: SearchText.queryTerms("sør-øst"))
        XCTAssertEqual(sorost.filter(\.isMatch).map(\.text), ["Sør", "Øst"])
    }

    func testHighlightWindowsLongTextAroundTheFirstMatch() {
        let text = String(repeating: "fyll ", count: 100) + "prøvesvar" + String(repeating: " fyll", count: 100)
        let segments = SearchText.highlight(text, terms: ["prøvesvar"], maxLength: 80)
        XCTAssertEqual(segments.first?.text, "… ")
        XCTAssertEqual(segments.last?.text, " …")
        XCTAssertEqual(segments.filter(\.isMatch).map(\.text), ["prøvesvar"])
        XCTAssertLessThanOrEqual(segments.map(\.text).joined().count, 90)
    }

    func testEveryEntityIsIndexed() throws {
        let d = try DatasetFormat.read(try SeedFolder.read())
        let docs = SearchDocument.all(from: d)
        XCTAssertEqual(
            docs.count,
            d.goals.count + d.subgoals.count + d.initiatives.count + d.activities.count + d.actors.count
                + d.indicators.count)
        XCTAssertEqual(Set(docs.map { "\($0.kind)/\($0.id)" }).count, docs.count)
    }
}
