import Domain
import Foundation
import XCTest

/// Reporting rounds, roadmap versions, what changed between them, milestone trends and the delay figures of a round.
final class CycleTests: XCTestCase {
    let q4 = Period.quarter(2026, 4)

    func dataset(activities: [Activity] = [], milestones: [Milestone] = []) -> Dataset {
        Dataset(
            strategy: Strategy(title: "S", version: "1", periodStart: 2023, periodEnd: 2030, vision: "V"),
            overarchingGoals: [], goals: [Goal(id: "1", title: "G", description: "", outcomes: [])],
            subgoals: [Subgoal(id: "1.A", goalId: "1", title: "SG", status: .adopted, description: "")],
            actors: [
                Actor(slug: "a", name: "Aktør A", shortName: "A", type: .rhf, parentSlug: nil, description: ""),
                Actor(slug: "b", name: "Aktør B", shortName: "B", type: .rhf, parentSlug: nil, description: ""),
                Actor(slug: "c", name: "Aktør C", shortName: "C", type: .rhf, parentSlug: nil, description: ""),
            ],
            initiatives: [
                Initiative(
                    slug: "i", title: "Tiltak I", shortTitle: "I", kind: .national, priorityRank: nil,
                    subgoalIds: ["1.A"],
                    target: "", description: ""),
                Initiative(
                    slug: "j", title: "Tiltak J", shortTitle: "J", kind: .national, priorityRank: nil,
                    subgoalIds: ["1.A"],
                    target: "", description: ""),
                Initiative(
                    slug: "k", title: "Tiltak K", shortTitle: "K", kind: .actor, priorityRank: nil, subgoalIds: ["1.A"],
                    target: "", description: ""),
            ],
            activities: activities, milestones: milestones)
    }

    func activity(
        _ id: String, _ initiative: String, _ actor: String, _ start: Period?, _ end: Period?, delay: Delay? = nil,
        done: Bool = false
    ) throws -> Activity {
        Activity(
            id: id, initiativeSlug: initiative, actorSlug: actor, phase: .utvikling,
            span: try Span(start: start, end: end),
            tentative: false, description: "", delay: delay, done: done)
    }

    func milestone(_ id: String, _ initiative: String, _ date: Period, delay: Delay? = nil) -> Milestone {
        Milestone(
            id: id, initiativeSlug: initiative, actorSlug: "a", kind: .tilgjengelig, date: date, tentative: false,
            description: "M",
            delay: delay)
    }

    // MARK: rounds

    func testDefaultScopeIsTheNationalInitiativesAndTheActorsWorkingInThem() throws {
        let d = dataset(
            activities: [
                try activity("x", "i", "a", .year(2025), .year(2026)), try activity("y", "k", "c", .year(2025), nil),
            ],
            milestones: [milestone("m", "j", .quarter(2026, 2))])
        let scope = ReportingRound.defaultScope(in: d)
        XCTAssertEqual(scope.initiatives, ["i", "j"])
        XCTAssertEqual(scope.actors, ["a"], "c works only in an actor-led initiative; b has no work")
        let round = ReportingRound(
            period: q4, deadline: Day(year: 2026, month: 12, day: 15)!, actors: ["a", "b"], initiatives: ["i", "j"])
        XCTAssertEqual(round.initiatives(of: "a", in: d), ["i", "j"])
        XCTAssertEqual(round.initiatives(of: "b", in: d), [])
        XCTAssertEqual(round.id, "2026-Q4")
    }

    func testOpeningARoundChecksEveryFieldAndKeepsTheDatasetOrder() {
        let d = dataset()
        let bad = ReportingRound.problems(
            period: "2026-Q5", deadline: "31.02.2026", actors: [], initiatives: ["i", "finnes-ikke"], in: d,
            existing: [])
        XCTAssertNil(bad.round)
        XCTAssertEqual(Set(bad.errors.messages.keys), ["period", "deadline", "actors", "initiatives"])
        let taken = ReportingRound.problems(
            period: "2026-Q4", deadline: "2026-12-15", actors: ["a"], initiatives: ["i"], in: d,
            existing: ["2026-Q4"])
        XCTAssertEqual(taken.errors["period"], "Det finnes allerede en rapporteringsrunde for 4. kv. 2026.")
        XCTAssertEqual(ReportingRound.day("15.12.2026"), Day(year: 2026, month: 12, day: 15))
        XCTAssertEqual(ReportingRound.day("1.2.2027"), Day(year: 2027, month: 2, day: 1))
        for bad in ["15.12.26", "15-12-2026", "+1.2.2027", ""] { XCTAssertNil(ReportingRound.day(bad), bad) }
        let ok = ReportingRound.problems(
            period: " 2026-Q4 ", deadline: "2026-12-15", actors: ["b", "a"], initiatives: ["j", "i"], in: d,
            existing: [])
        XCTAssertEqual(ok.round?.actors, ["a", "b"])
        XCTAssertEqual(ok.round?.initiatives, ["i", "j"])
    }

    func testAPartReadsOnlyTheActorsInitiativesWithTheReportCodes() throws {
        let d = dataset(activities: [try activity("x", "i", "a", .year(2025), .year(2026))])
        let round = ReportingRound(
            period: q4, deadline: Day(year: 2026, month: 12, day: 15)!, actors: ["a"], initiatives: ["i", "j"])
        let good = RoundPart.read([("i", "gul", "mot-rodt", " Forsinket ")], round: round, actor: "a", in: d)
        XCTAssertTrue(good.errors.isEmpty)
        XCTAssertEqual(
            good.statuses,
            [
                InitiativeStatus(
                    initiative: "i",
                    assessment: Assessment(
                        status: .gul, tendency: .motRodt,
                        comment: "Forsinket"))
            ])
        let bad = RoundPart.read(
            [("j", "gul", "", ""), ("i", "blå", "opp", ""), ("zz", "", "", "")], round: round, actor: "a", in: d)
        XCTAssertEqual(bad.errors["status-j"], "J er ikke med i runden for Aktør A.")
        XCTAssertEqual(bad.errors["status-i"], "Ukjent status «blå»; velg grønn, gul eller rød.")
        XCTAssertNotNil(bad.errors["tendency-i"])
        XCTAssertEqual(bad.errors["status-zz"], "Tiltaket «zz» finnes ikke.")
        let tendencyAlone = RoundPart.read([("i", "", "mot-gront", "")], round: round, actor: "a", in: d)
        XCTAssertEqual(tendencyAlone.errors["tendency-i"], "Velg en status før retningen.")
    }

    func testTheBoardStateFollowsDeliveryAndTheDeadline() {
        let round = ReportingRound(
            period: q4, deadline: Day(year: 2026, month: 12, day: 15)!, actors: ["a"], initiatives: ["i"])
        let before = Day(year: 2026, month: 12, day: 15)!
        let after = Day(year: 2026, month: 12, day: 16)!
        XCTAssertEqual(RoundBoard.state(of: nil, in: round, today: before), .ikkePaabegynt)
        XCTAssertEqual(
            RoundBoard.state(of: RoundPart(round: round.id, actor: "a"), in: round, today: before), .underArbeid)
        XCTAssertEqual(RoundBoard.state(of: RoundPart(round: round.id, actor: "a"), in: round, today: after), .forfalt)
        XCTAssertEqual(RoundBoard.state(of: nil, in: round, today: after), .forfalt)
        XCTAssertEqual(
            RoundBoard.state(of: RoundPart(round: round.id, actor: "a", delivered: true), in: round, today: after),
            .levert)
    }

    // MARK: versions and changes

    func testVersionNumbersAreNumbersNotText() {
        XCTAssertEqual(VersionNumber.next(after: []), "1.0")
        XCTAssertEqual(VersionNumber.next(after: ["1.0", "1.9"]), "1.10")
        XCTAssertTrue(VersionNumber.precedes("1.9", "1.10"))
        XCTAssertNil(VersionNumber.problem("2.0", existing: ["1.0", "1.10"]))
        XCTAssertNotNil(VersionNumber.problem("1.2", existing: ["1.0", "1.10"]), "lower than the latest")
        XCTAssertNotNil(VersionNumber.problem("1.0", existing: ["1.0"]))
        for bad in ["1", "1.0.0", "v1.0", "1.-1", "", "１.0", "+2.0", "-0.5", "01.5", "1.05", "1.1234567"] {
            XCTAssertNotNil(VersionNumber.problem(bad, existing: []), bad)
        }
    }

    func testChangesNameWhatIsNewRemovedMovedAndChanged() throws {
        let old = [
            VersionItem(try activity("keep", "i", "a", .year(2025), .year(2026))),
            VersionItem(try activity("gone", "i", "a", .year(2025), .year(2026))),
            VersionItem(try activity("phase", "i", "a", .year(2025), .year(2026))),
            VersionItem(milestone("m", "i", .quarter(2026, 1))),
        ]
        var changedPhase = try activity("phase", "i", "a", .year(2025), .year(2026))
        changedPhase.phase = .innforing
        let new = [
            VersionItem(try activity("keep", "i", "a", .year(2025), .year(2026))),
            VersionItem(changedPhase),
            VersionItem(
                milestone("m", "i", .quarter(2026, 3), delay: Delay(kind: .utvikling, cause: .leverandor, note: ""))),
            VersionItem(try activity("new", "j", "b", .year(2027), nil)),
        ]
        let changes = RoadmapChanges.compare(old, new, phaseName: { $0.capitalized })
        XCTAssertEqual(
            changes.map { "\($0.kind.rawValue):\($0.item.id)" },
            ["endret:phase", "flyttet:m", "ny:new", "fjernet:gone"])
        XCTAssertEqual(changes[0].details, ["Fase: Utvikling → Innforing"])
        // From the last day of Q1 to the last day of Q3 2026.
        XCTAssertEqual(
            changes[1].days, Day(year: 2026, month: 9, day: 30)!.ordinal - Day(year: 2026, month: 3, day: 31)!.ordinal)
        XCTAssertEqual(RoadmapChanges.movedText(days: 183), "183 dager senere")
        XCTAssertEqual(RoadmapChanges.movedText(days: -1), "1 dag tidligere")
        XCTAssertTrue(RoadmapChanges.compare(new, new).isEmpty)
    }

    func testAVersionAppliedToADatasetDrawsItsOwnItemsAndLeavesOutWhatIsGone() throws {
        let d = dataset(activities: [try activity("now", "i", "a", .year(2027), .year(2028))])
        let version = RoadmapVersion(
            number: "1.0", publishedOn: Day(year: 2024, month: 8, day: 21)!,
            items: [
                VersionItem(try activity("then", "i", "a", .year(2024), .year(2025))),
                VersionItem(try activity("retired", "gone", "a", .year(2024), nil)),
            ])
        let applied = version.applied(to: d)
        XCTAssertEqual(applied.activities.map(\.id), ["then"])
        XCTAssertEqual(version.missing(in: d), 1)
        // A version round-trips through its JSON form unchanged.
        let data = try JSONEncoder().encode(version)
        XCTAssertEqual(try JSONDecoder().decode(RoadmapVersion.self, from: data), version)
    }

    func testTheMilestoneTrendFlagsMovesInSeveralVersionsInARow() {
        func version(_ n: String, _ day: Int, _ date: Period) -> RoadmapVersion {
            RoadmapVersion(number: n, publishedOn: Day(ordinal: day), items: [VersionItem(milestone("m", "i", date))])
        }
        let versions = [
            version("1.2", 30, .quarter(2026, 4)), version("1.0", 10, .quarter(2026, 1)),
            version("1.1", 20, .quarter(2026, 2)),
        ]
        let today = Day(year: 2026, month: 12, day: 3)!
        let trend = MilestoneTrend.of(
            "m", versions: versions, current: milestone("m", "i", .quarter(2026, 4)), today: today)
        XCTAssertEqual(
            trend.points.map(\.version), ["1.0", "1.1", "1.2"], "today's plan equals the latest version: no extra point"
        )
        XCTAssertEqual(trend.movesInARow, 2)
        XCTAssertTrue(trend.isFlagged)
        let moved = MilestoneTrend.of(
            "m", versions: Array(versions.prefix(1)), current: milestone("m", "i", .quarter(2027, 1)), today: today)
        XCTAssertEqual(moved.points.map(\.version), ["1.2", nil])
        XCTAssertFalse(moved.isFlagged)
    }

    // MARK: figures from the data

    func testDelayFiguresCountInitiativesWithANewSignificantDelay() throws {
        let late = Delay(kind: .utvikling, cause: .finansiering, note: "")
        let previous = [
            VersionItem(milestone("m1", "i", .quarter(2026, 1))),
            VersionItem(milestone("m2", "j", .quarter(2026, 1), delay: late)),
        ]
        let current = [
            VersionItem(milestone("m1", "i", .quarter(2026, 3), delay: late)),
            // Carried over unchanged from the previous version: not new in this round.
            VersionItem(milestone("m2", "j", .quarter(2026, 1), delay: late)),
        ]
        let figures = RoundDelayFigures.compute(scope: ["i", "j"], previous: previous, current: current)
        let development = try XCTUnwrap(figures.first { $0.kind == .utvikling })
        XCTAssertEqual(development.initiatives, ["i"])
        XCTAssertEqual(development.text, "50 % (1 av 2)")
        XCTAssertEqual(development.byCause[.finansiering], ["i"])
        XCTAssertEqual(figures.first { $0.kind == .innforing }?.text, "0 % (0 av 2)")
        // Rewording the note or naming another cause of the same kind is not a new delay.
        let reworded = [
            VersionItem(
                milestone("m2", "j", .quarter(2026, 1), delay: Delay(kind: .utvikling, cause: .annet, note: "ny tekst"))
            )
        ]
        XCTAssertTrue(RoundDelayFigures.newDelays(previous: previous, current: reworded).isEmpty)
        // Without a previous version every recorded delay counts.
        XCTAssertEqual(
            RoundDelayFigures.compute(scope: ["i", "j"], previous: nil, current: current).first?.initiatives,
            ["i", "j"])
    }

    func testTheReportedColourIsFlaggedWhenTheDataDisagree() throws {
        let round = ReportingRound(
            period: q4, deadline: Day(year: 2026, month: 12, day: 15)!, actors: ["a", "b"], initiatives: ["i"])
        let late = Delay(kind: .innforing, cause: .annet, note: "")
        let previous = [VersionItem(milestone("m1", "i", .quarter(2026, 4)))]
        let current = [
            VersionItem(milestone("m1", "i", .quarter(2027, 1), delay: late)),
            VersionItem(try activity("old", "i", "a", .year(2025), .quarter(2026, 2))),
        ]
        let parts = [
            RoundPart(
                round: round.id, actor: "a",
                statuses: [InitiativeStatus(initiative: "i", assessment: Assessment(status: .gronn))]),
            RoundPart(
                round: round.id, actor: "b",
                statuses: [InitiativeStatus(initiative: "i", assessment: Assessment(status: .gul))]),
        ]
        let s = InitiativeRoundStatus.compute(
            initiative: "i", round: round, parts: parts, previous: previous, current: current)
        XCTAssertEqual(s.delayed, 1)
        XCTAssertEqual(s.overdue, 1, "the activity ended before the deadline without being done")
        XCTAssertEqual(s.worst, .gul)
        XCTAssertEqual(s.disagreement, "Rapportert grønn, men 1 ny forsinkelse og 1 forfalt leveranse")
        let calm = InitiativeRoundStatus.compute(
            initiative: "i", round: round,
            parts: [
                RoundPart(
                    round: round.id, actor: "a",
                    statuses: [InitiativeStatus(initiative: "i", assessment: Assessment(status: .rod))])
            ],
            previous: previous, current: [VersionItem(milestone("m1", "i", .quarter(2026, 4)))])
        XCTAssertEqual(calm.disagreement, "Rapportert rød, men ingen nye forsinkelser eller forfalte leveranser")
    }

    // MARK: the file

    func testTheCycleFileFillsDefaultsAndListsEveryBrokenReference() throws {
        let d = dataset(activities: [try activity("x", "i", "a", .year(2025), .year(2026))])
        let json = """
            {"rounds": [{"period": "2024-Q1", "deadline": "2024-03-31"}],
             "versions": [{"number": "1.0", "publishedOn": "2024-08-21"}]}
            """
        let file = try JSONDecoder().decode(CycleFile.self, from: Data(json.utf8))
        let resolved = try file.resolved(with: d)
        XCTAssertEqual(resolved.rounds.first?.initiatives, ["i", "j"])
        XCTAssertEqual(resolved.rounds.first?.actors, ["a"])
        XCTAssertEqual(
            resolved.versions.first?.items.map(\.id), ["x"], "a version without items is the dataset's roadmap")
        let broken = """
            {"rounds": [{"period": "2024-Q1", "deadline": "2024-03-31", "actors": ["zz"], "initiatives": ["i"]}],
             "parts": [{"round": "2025-Q1", "actor": "a", "statuses": [], "note": "", "delivered": false}],
             "versions": [{"number": "1.0", "publishedOn": "2024-08-21"}, {"number": "0.9", "publishedOn": \
            "2024-09-21", "round": "2023-Q1"}]}
            """
        let brokenFile = try JSONDecoder().decode(CycleFile.self, from: Data(broken.utf8))
        XCTAssertThrowsError(try brokenFile.resolved(with: d)) { error in
            let issues = (error as? ImportFailure)?.issues.map(\.message) ?? []
            XCTAssertEqual(issues.count, 4, "\(issues)")
            XCTAssertTrue(issues.allSatisfy { !$0.isEmpty })
        }
    }
}
