import Foundation
import XCTest

@testable import Domain

final class StatusReportTests: XCTestCase {
    func testWorkflowAllowsOnlyTheDocumentedTransitions() {
        XCTAssertTrue(ReportState.utkast.canMove(to: .tilGjennomgang))
        XCTAssertFalse(ReportState.utkast.canMove(to: .publisert), "nothing is published without review")
        XCTAssertTrue(ReportState.tilGjennomgang.canMove(to: .utkast))
        XCTAssertTrue(ReportState.tilGjennomgang.canMove(to: .publisert))
        for next in ReportState.allCases {
            XCTAssertFalse(ReportState.publisert.canMove(to: next), "a published revision is frozen")
        }
        XCTAssertFalse(ReportState.publisert.isEditable)
    }

    func testThePreviousPeriodIsTheLatestPublishedBefore() {
        let published: [Period] = [.quarter(2023, 1), .quarter(2023, 3), .quarter(2024, 1)]
        XCTAssertEqual(ReportRules.previousPeriod(of: .quarter(2024, 1), published: published), .quarter(2023, 3))
        XCTAssertEqual(ReportRules.previousPeriod(of: .quarter(2024, 2), published: published), .quarter(2024, 1))
        XCTAssertNil(ReportRules.previousPeriod(of: .quarter(2023, 1), published: published))
        XCTAssertNil(ReportRules.parsePeriod("2024-06"), "reports are per quarter or year")
        XCTAssertEqual(ReportRules.parsePeriod("2024-Q1"), .quarter(2024, 1))
    }

    func testChangeBetweenPeriods() {
        let gul = Assessment(status: .gul)
        let rod = Assessment(status: .rod)
        XCTAssertEqual(gul.change(since: rod), "Bedre")
        XCTAssertEqual(rod.change(since: gul), "Verre")
        XCTAssertEqual(gul.change(since: gul), "Uendret")
        XCTAssertEqual(Assessment(status: .gul, tendency: .motGront).change(since: gul), "Uendret, peker mot grønt")
        XCTAssertNil(gul.change(since: Assessment()), "no change against an unassessed status")
        XCTAssertEqual(Assessment(status: .gul, tendency: .motRodt).statusText, "Gul, peker mot rødt")
        XCTAssertEqual(Assessment().statusText, "Ikke vurdert")
    }

    func dataset() throws -> Dataset { try DatasetFormat.read(SeedFolder.read()) }

    func testDelayFiguresCountRecordedDelaysByCauseAmongRunningDeliveries() throws {
        var d = try dataset()
        let national = Set(d.initiatives.filter { $0.kind == .national }.map(\.slug))
        let running = d.activities.indices.filter {
            national.contains(d.activities[$0].initiativeSlug)
                && (d.activities[$0].span.end.map { $0.lastDay >= Period.quarter(2024, 1).firstDay } ?? true)
        }
        let milestones = d.milestones.filter {
            national.contains($0.initiativeSlug) && $0.date.lastDay >= Period.quarter(2024, 1).firstDay
        }.count
        let causes: [DelayCause] = [.regelverk, .regelverk, .finansiering, .finansiering, .leverandor]
        for (i, cause) in zip(running, causes) {
            d.activities[i].delay = Delay(kind: .utvikling, cause: cause, note: "")
        }
        d.activities[running[5]].delay = Delay(kind: .innforing, cause: .annet, note: "")
        let figures = DelayFigures.compute(d, at: .quarter(2024, 1))
        let dev = figures.first { $0.kind == .utvikling }!
        XCTAssertEqual(dev.total, running.count + milestones)
        XCTAssertEqual(dev.delayed, 5)
        XCTAssertEqual(dev.byCause, [.regelverk: 2, .finansiering: 2, .leverandor: 1])
        XCTAssertEqual(dev.text, "\(Int((5.0 / Double(dev.total) * 100).rounded())) % (5 av \(dev.total))")
        XCTAssertEqual(figures.first { $0.kind == .innforing }!.delayed, 1)
        // The seed's own figure, as the report states it: 5 of 17.
        XCTAssertEqual(DelayFigures(kind: .utvikling, delayed: 5, total: 17, byCause: [:]).text, "29 % (5 av 17)")
        XCTAssertEqual(DelayFigures(kind: .innforing, delayed: 2, total: 17, byCause: [:]).text, "12 % (2 av 17)")
    }

    func testSurveySharesAsInTheSeedReport() {
        var answers: [String: SurveyAnswer] = [:]
        for i in 0..<12 { answers["ja-\(i)"] = .ja }
        for i in 0..<4 { answers["nei-\(i)"] = .nei }
        for i in 0..<3 { answers["ikke-\(i)"] = .ikkeSvart }
        let shares = SurveyShares(answers)
        XCTAssertEqual([shares.percent(.ja), shares.percent(.nei), shares.percent(.ikkeSvart)], [63, 21, 16])
        XCTAssertEqual(SurveyShares([:]).text, "Ingen svar registrert")
    }

    func testSnapshotFreezesNamesValuesAndPreviousStatuses() throws {
        var d = try dataset()
        var content = ReportContent.blank(for: d, horizon: "2025")
        content.goals[1].assessment = Assessment(status: .gul, tendency: .motRodt, comment: "Peker mot rødt")
        content.goals[3].indicators = [
            ItemAssessment(id: "tilgang-pasientinformasjon", assessment: Assessment(status: .rod))
        ]
        let previous = ReportSnapshot.build(
            period: .quarter(2023, 1), revision: 1, content: content, previous: nil, dataset: d)
        content.goals[1].assessment = Assessment(status: .gul, tendency: .motGront)
        let snapshot = ReportSnapshot.build(
            period: .quarter(2024, 1), revision: 1, content: content, previous: previous, dataset: d)
        XCTAssertEqual(snapshot.previousPeriod, "2023-Q1")
        XCTAssertEqual(snapshot.goals[1].previous?.tendency, .motRodt)
        let item = snapshot.goals[3].indicators[0]
        XCTAssertEqual(item.value, "28 % (2023)", "the value as of the period")
        XCTAssertEqual(
            previous.goals[3].indicators[0].value, "26 % (2022)", "a 2023-Q1 report sees only what was measured by then"
        )
        XCTAssertEqual(item.computed, ProgressCategory.ingenAmbisjon.rawValue)
        XCTAssertFalse(item.disagreement, "no computed light, no disagreement")
        // Renaming a goal later does not touch a snapshot once encoded.
        let frozen = try snapshot.encoded()
        d.goals[1].title = "Nytt navn"
        XCTAssertEqual(try ReportSnapshot.decode(frozen), snapshot)
        XCTAssertEqual(try ReportSnapshot.decode(frozen).goals[1].title, "Mål 2: Enklere arbeidshverdag")
    }

    /// The computed delay figures go where the strategy says (the seed: goal 5), else into the overall section.
    func testDelayFiguresBelongToTheDataNamedGoalOrTheWholeReport() throws {
        var d = try dataset()
        let content = ReportContent.blank(for: d, horizon: "2025")
        XCTAssertEqual(d.strategy.delayGoal, "5")
        XCTAssertEqual(
            ReportSnapshot.build(period: .quarter(2024, 1), revision: 1, content: content, previous: nil, dataset: d)
                .delayFiguresGoal, "5")
        d.strategy.delayGoal = nil
        XCTAssertNil(
            ReportSnapshot.build(period: .quarter(2024, 1), revision: 1, content: content, previous: nil, dataset: d)
                .delayFiguresGoal)
        d.strategy.delayGoal = "9"
        XCTAssertNil(
            ReportSnapshot.build(period: .quarter(2024, 1), revision: 1, content: content, previous: nil, dataset: d)
                .delayFiguresGoal, "a goal the report has no section for: the whole report")
        // A snapshot frozen before the field existed keeps its figures where they were published: in goal 5.
        let frozen = try ReportSnapshot.build(
            period: .quarter(2024, 1), revision: 1, content: content, previous: nil, dataset: d
        )
        .encoded()
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(frozen.utf8)) as? [String: Any])
        json["delayGoal"] = nil
        let legacy = try ReportSnapshot.decode(
            String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
        XCTAssertNil(legacy.delayGoal)
        XCTAssertEqual(legacy.delayFiguresGoal, "5")
    }

    /// A new report is assessed against the next ambition year, or the strategy's end without one.
    func testDefaultHorizonFollowsThePeriod() throws {
        var d = try dataset()
        XCTAssertEqual(ReportContent.defaultHorizon(for: .quarter(2026, 4), in: d), "2027")
        XCTAssertEqual(ReportContent.defaultHorizon(for: .quarter(2028, 1), in: d), "2030")
        d.ambitions = []
        XCTAssertEqual(ReportContent.defaultHorizon(for: .quarter(2028, 1), in: d), "2030")
        XCTAssertEqual(
            ReportContent.defaultHorizon(for: .quarter(2032, 1), in: d), "2032", "never a year already passed")
    }

    func testDisagreementBetweenAssessedAndComputedIsFlagged() throws {
        var d = try dataset()
        d.ambitions.append(
            Ambition(indicatorId: "tilgang-pasientinformasjon", period: .year(2025), value: 40, state: .vedtatt))
        var content = ReportContent.blank(for: d, horizon: "2025")
        content.goals[3].indicators = [
            ItemAssessment(id: "tilgang-pasientinformasjon", assessment: Assessment(status: .gronn))
        ]
        let s = ReportSnapshot.build(
            period: .quarter(2024, 1), revision: 1, content: content, previous: nil, dataset: d)
        let item = s.goals[3].indicators[0]
        XCTAssertEqual(item.computed, ProgressCategory.noeFremgang.rawValue, "26 → 28 against a path to 40 in 2025")
        XCTAssertTrue(item.disagreement, "green by hand, some progress (yellow) computed")
    }

    func testSectionFormsRoundTripAndExplainErrors() throws {
        let d = try dataset()
        var section = GoalSection(goalId: "2")
        section.subgoals = [ItemAssessment(id: "2.A", assessment: Assessment(status: .gul, comment: "x"))]
        section.indicators = [ItemAssessment(id: "digitale-ferdigheter", assessment: Assessment(status: .rod))]
        section.candidateSubgoals = "Kandidat"
        let values = ReportForms.values(section)
        XCTAssertEqual(try ReportForms.goal(values, base: section, in: d).get(), section)
        var bad = values
        bad["sub.2.A.status"] = "lilla"
        bad["ind.digitale-ferdigheter.status"] = ""
        bad["ind.digitale-ferdigheter.tendency"] = "mot-gront"
        bad["indicatorIds"] = "digitale-ferdigheter finnes-ikke"
        guard case .failure(let errors) = ReportForms.goal(bad, base: section, in: d) else {
            return XCTFail("should be refused")
        }
        XCTAssertEqual(errors.messages["sub.2.A.status"], "Velg grønn, gul, rød eller ikke vurdert.")
        XCTAssertEqual(errors.messages["indicatorIds"], "Indikatoren «finnes-ikke» finnes ikke.")
        XCTAssertEqual(
            errors.messages["ind.digitale-ferdigheter.tendency"],
            "En retning hører til en status; velg status først.")
    }
}
