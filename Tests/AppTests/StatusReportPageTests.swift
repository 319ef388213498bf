import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

final class StatusReportPageTests: XCTestCase {
    func testTheSeedReportReadsLikeTheSourceWithPreviousPeriodAndComputedFigures() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let list = try await client.get("/status")
            XCTAssertTrue(list.body.contains("href=\"/status/2024-Q1\""))
            XCTAssertTrue(list.body.contains("href=\"/status/2023-Q1\""))
            let page = try await client.get("/status/2024-Q1")
            XCTAssertEqual(page.status, .ok)
            let body = page.body
            XCTAssertTrue(body.contains("Sammenlignet med 1. kv. 2023."))
            XCTAssertTrue(
                body.contains("Gul, peker mot rødt</span> · 1. kv. 2023: <span class=\"light light-gul\">"),
                "goal 2 with Q1 2023 beside it")
            XCTAssertTrue(body.contains("Gul, peker mot grønt"), "goal 5")
            XCTAssertTrue(body.contains("fremdriften er derfor satt til gult"))
            XCTAssertTrue(body.contains("28 % (2023)"), "indicator value of the period")
            XCTAssertTrue(body.contains("29 % (5 av 17)"), "the reported delay figure is kept in the comment")
            XCTAssertTrue(body.contains("Beregnet fra veikartet og porteføljeundersøkelsen"))
            XCTAssertTrue(body.contains("– Ikke vurdert"), "unassessed stays unassessed")
            let md = try await client.get("/status/2024-Q1.md")
            XCTAssertEqual(md.headers.contentType?.subType, "markdown")
            XCTAssertTrue(md.body.hasPrefix("# Statusrapport 1. kv. 2024"))
            XCTAssertTrue(md.body.contains("| Digitale ferdigheter hos helsepersonell | 76 % (2023) |"))
            let goal = try await client.get("/mal/2")
            XCTAssertTrue(goal.body.contains("Status over tid"), "the goal page shows its status history")
            XCTAssertTrue(goal.body.contains("href=\"/status/2024-Q1#mal-2\""))
            let missing = try await client.get("/status/2022-Q1")
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testDraftReviewPublishAndTheFrozenPageNeverChanges() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let list = try await editor.get("/status")
            XCTAssertTrue(list.body.contains("value=\"2024-Q2\""), "the next period is suggested")
            let created = try await editor.post("/status", ["_csrf": Client.csrf(in: list.body), "periode": "2024-Q2"])
            XCTAssertEqual(created.status, .seeOther)
            XCTAssertEqual(created.headers.first(name: .location), "/status/2024-Q2/utkast")

            var public_ = Client(app: app)
            let hidden = try await public_.get("/status/2024-Q2")
            XCTAssertEqual(hidden.status, .notFound, "the public never sees a draft")
            let publicList = try await public_.get("/status")
            XCTAssertFalse(publicList.body.contains("2024-Q2"))

            let draft = try await editor.get("/status/2024-Q2/utkast")
            XCTAssertTrue(
                draft.body.contains("fremdriften er derfor satt til gult"), "texts are copied from the previous period")
            XCTAssertTrue(draft.body.contains("Send til gjennomgang"))
            let section = try await editor.submit(
                "/status/2024-Q2/rediger/mal-2",
                ["status": "rod", "tendency": "", "comment": "Rødt nå", "begrunnelse": "Ny vurdering"])
            XCTAssertEqual(section.status, .seeOther, section.body)

            func move(_ to: String) async throws -> HTTPStatus {
                let page = try await editor.get("/status/2024-Q2/utkast")
                let version = try XCTUnwrap(page.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1
                return try await editor.post(
                    "/status/2024-Q2/tilstand",
                    ["_csrf": Client.csrf(in: page.body), "versjon": String(version), "til": to]
                ).status
            }
            let skip = try await move("publisert")
            XCTAssertEqual(skip, .unprocessableEntity, "a draft cannot be published without review")
            let review = try await move("til-gjennomgang")
            XCTAssertEqual(review, .seeOther)
            // A colleague edits a section after the page was opened: publishing from that page is refused.
            let opened = try await editor.get("/status/2024-Q2/utkast")
            let openedVersion = String(try XCTUnwrap(opened.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1)
            var colleague = try await signedIn(app, "kollega@example.no", .redaktor)
            let late = try await colleague.submit(
                "/status/2024-Q2/rediger/mal-3", ["comment": "Sen endring", "begrunnelse": "Glemte noe"])
            XCTAssertEqual(late.status, .seeOther, late.body)
            let stale = try await editor.post(
                "/status/2024-Q2/tilstand",
                [
                    "_csrf": Client.csrf(in: opened.body), "versjon": openedVersion,
                    "til": "publisert",
                ])
            XCTAssertEqual(
                stale.status, .conflict, "a report changed since the page was opened is not published unseen")
            let stillHidden = try await public_.get("/status/2024-Q2")
            XCTAssertEqual(stillHidden.status, .notFound)
            let draftPage = try await editor.get("/status/2024-Q2/utkast")
            XCTAssertTrue(
                draftPage.body.contains("href=\"publiser\">Publiser …</a>"),
                "publishing starts with a confirmation page")
            let confirmation = try await editor.get("/status/2024-Q2/publiser")
            XCTAssertTrue(confirmation.body.contains("Publisere statusrapporten for 2. kv. 2024?"), confirmation.body)
            XCTAssertTrue(confirmation.body.contains("name=\"til\" value=\"publisert\""))
            let publish = try await move("publisert")
            XCTAssertEqual(publish, .seeOther)

            let published = try await public_.get("/status/2024-Q2")
            XCTAssertEqual(published.status, .ok)
            XCTAssertTrue(
                published.body.contains("Rød</span> · 1. kv. 2024: <span class=\"light light-gul\">"),
                "previous period beside it")
            XCTAssertTrue(published.body.contains("Endring: Verre"))

            // Change everything underneath: a goal's title, an indicator value, the report's section (refused) — the
            // page stays byte-for-byte the same.
            _ = try await editor.submit("/mal/2/rediger", ["title": "Et helt nytt navn på mål 2"])
            let form = try await editor.get("/indikatorer/digitale-ferdigheter/importer")
            _ = try await editor.upload(
                "/indikatorer/digitale-ferdigheter/importer",
                fields: ["_csrf": Client.csrf(in: form.body), "tekst": "periode,verdi\n2024-Q1,99\n"], file: nil)
            let frozenEdit = try await editor.get("/status/2024-Q2/rediger/mal-2")
            XCTAssertEqual(frozenEdit.status, .conflict, "a published report is not edited")
            let again = try await public_.get("/status/2024-Q2")
            XCTAssertEqual(again.body, published.body)
            XCTAssertFalse(again.body.contains("Et helt nytt navn"))
        }
    }

    func testACorrectionIsANewRevisionAndBothRemainReadable() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/status/2024-Q1")
            XCTAssertTrue(page.body.contains("Lag rettet utgave"))
            let missingReason = try await editor.post(
                "/status/2024-Q1/rett-opp", ["_csrf": Client.csrf(in: page.body), "begrunnelse": " "])
            XCTAssertEqual(missingReason.status, .unprocessableEntity)
            let corrected = try await editor.post(
                "/status/2024-Q1/rett-opp", ["_csrf": Client.csrf(in: page.body), "begrunnelse": "Feil tall for DHO"])
            XCTAssertEqual(corrected.status, .seeOther)
            _ = try await editor.submit("/status/2024-Q1/rediger/mal-1", ["comment": "Rettet kommentar"])
            for to in ["til-gjennomgang", "publisert"] {
                let draft = try await editor.get("/status/2024-Q1/utkast")
                let version = try XCTUnwrap(draft.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1
                _ = try await editor.post(
                    "/status/2024-Q1/tilstand",
                    ["_csrf": Client.csrf(in: draft.body), "versjon": String(version), "til": to])
            }
            var reader = Client(app: app)
            let latest = try await reader.get("/status/2024-Q1")
            XCTAssertTrue(latest.body.contains("Rettet utgave: </strong>Feil tall for DHO"))
            XCTAssertTrue(latest.body.contains("Rettet kommentar"))
            XCTAssertTrue(latest.body.contains("href=\"/status/2024-Q1/revisjon/1\""))
            let first = try await reader.get("/status/2024-Q1/revisjon/1")
            XCTAssertEqual(first.status, .ok)
            XCTAssertFalse(first.body.contains("Rettet kommentar"))
        }
    }

    func testTwoEditorsOnOneSectionDoNotOverwriteEachOther() async throws {
        try await TestApp.run { app in
            var first = try await signedIn(app, "a@example.no", .redaktor)
            var second = try await signedIn(app, "b@example.no", .redaktor)
            let list = try await first.get("/status")
            _ = try await first.post("/status", ["_csrf": Client.csrf(in: list.body), "periode": "2024-Q2"])
            let formA = try await first.get("/status/2024-Q2/rediger/mal-3")
            let formB = try await second.get("/status/2024-Q2/rediger/mal-3")
            func fields(_ html: String, _ comment: String) -> [String: String] {
                [
                    "_csrf": Client.csrf(in: html),
                    "versjon": html.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? "",
                    "comment": comment,
                    "indicatorIds": "helsedata-soknader",
                ]
            }
            let a = try await first.post("/status/2024-Q2/rediger/mal-3", fields(formA.body, "Førstes tekst"))
            XCTAssertEqual(a.status, .seeOther)
            let b = try await second.post("/status/2024-Q2/rediger/mal-3", fields(formB.body, "Andres tekst"))
            XCTAssertEqual(b.status, .conflict)
            XCTAssertTrue(b.body.contains("Noen andre har lagret denne delen"))
            XCTAssertTrue(b.body.contains("Førstes tekst"), "the newer text is shown")
            XCTAssertTrue(b.body.contains(">Andres tekst</textarea>"), "what the second typed is kept")
            let draft = try await first.get("/status/2024-Q2/utkast")
            XCTAssertTrue(draft.body.contains("Førstes tekst"))
            XCTAssertFalse(draft.body.contains("Andres tekst"), "nothing was overwritten")
        }
    }

    func testOnlyEditorsWriteReports() async throws {
        try await TestApp.run { app in
            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let page = try await reporter.get("/status")
            XCTAssertFalse(page.body.contains("Ny rapporteringsperiode"))
            let token = Client.csrf(in: try await reporter.get("/konto").body)
            let refused = try await reporter.post("/status", ["_csrf": token, "periode": "2024-Q2"])
            XCTAssertEqual(refused.status, .forbidden)
            let correct = try await reporter.post("/status/2024-Q1/rett-opp", ["_csrf": token, "begrunnelse": "x"])
            XCTAssertEqual(correct.status, .forbidden)
            let reports = try await ReportStore.all(on: app.db)
            XCTAssertEqual(reports.count, 2)
        }
    }

    func testARecordedDelayShowsOnTheRoadmapAndInTheComputedFigures() async throws {
        try await TestApp.run { app in
            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let saved = try await reporter.submit(
                "/aktivitet/pll-hv-innforing/rediger",
                [
                    "baseline": "2025", "delayKind": "innforing", "delayCause": "finansiering",
                    "delayNote": "Venter på midler",
                ])
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let page = try await reporter.get("/tiltak/pll")
            XCTAssertTrue(page.body.contains("(opprinnelig: 2025)"))
            XCTAssertTrue(page.body.contains("Forsinkelse i innføring (finansiering): Venter på midler"))
            let missingCause = try await reporter.submit(
                "/aktivitet/pll-hv-innforing/rediger", ["delayKind": "utvikling", "delayCause": ""])
            XCTAssertEqual(missingCause.status, .unprocessableEntity)
            XCTAssertTrue(missingCause.body.contains("Velg årsaken til forsinkelsen."))

            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let list = try await editor.get("/status")
            _ = try await editor.post("/status", ["_csrf": Client.csrf(in: list.body), "periode": "2024-Q2"])
            let draft = try await editor.get("/status/2024-Q2/utkast")
            let d = try await DatasetStore.load(on: app.db)!
            let figures = DelayFigures.compute(d, at: .quarter(2024, 2)).first { $0.kind == .innforing }!
            XCTAssertEqual(figures.delayed, 1)
            XCTAssertTrue(draft.body.contains(figures.text + ", fordelt etter årsak: 1 finansiering"), draft.body)
        }
    }
}
