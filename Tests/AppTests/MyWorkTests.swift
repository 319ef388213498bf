import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// "Mitt arbeid": a reporter lands there, sees only their actors' items, flagged against today, and confirms, marks
/// done and moves them in one step each.
final class MyWorkTests: XCTestCase {
    func version(_ body: String, of id: String) -> String {
        let pattern = try! Regex(
            "name=\"id\" value=\"\(id)\"/?><input type=\"hidden\" name=\"versjon\" value=\"(\\d+)\"")
        return body.firstMatch(of: pattern).map { String($0.output[1].substring ?? "") } ?? ""
    }

    func testAReporterLandsOnTheirWorkAndSeesOnlyTheirActors() async throws {
        try await TestApp.run { app in
            try await makeUser(app, "rap-arbeid@example.no", .rapportor, actors: ["helse-vest"])
            var client = Client(app: app)
            let form = try await client.get("/logg-inn?neste=%2F")
            let res = try await client.post(
                "/logg-inn",
                [
                    "_csrf": Client.csrf(in: form.body), "epost": "rap-arbeid@example.no",
                    "passord": EditingTests.password, "neste": "/",
                ])
            XCTAssertEqual(res.headers.first(name: .location), "/mitt-arbeid")
            let page = try await client.get("/mitt-arbeid")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("<h2 id=\"aktor-helse-vest\">Helse Vest RHF</h2>"))
            XCTAssertTrue(
                page.body.contains("<option value=\"helse-bergen\""), "actors beneath the reporter's are theirs too")
            XCTAssertFalse(page.body.contains("aktor-helse-nord"))
            XCTAssertFalse(
                page.body.contains("Hele tiltaket (ingen enkelt aktør)"),
                "whole-initiative milestones are the editors'"
            )
            // Seeded items were never confirmed in Veikart; items whose end has passed say so.
            XCTAssertTrue(page.body.contains("Aldri bekreftet i Veikart"))
            let d = try await DatasetStore.load(on: app.db)!
            let today = app.settings.today()
            let overdue = d.activities.filter {
                ["helse-vest", "helse-bergen"].contains($0.actorSlug) && ($0.span.end?.lastDay ?? today) < today
            }
            if let first = overdue.first {
                XCTAssertTrue(
                    page.body.contains("Sluttdatoen (\(first.span.end!.norwegian)) er passert"),
                    "an overdue item is flagged")
            }
            // Error pages keep the signed-in header (who is signed in, the way to Mitt arbeid and out).
            let missing = try await client.get("/aktivitet/finnes-ikke/flytt")
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertTrue(missing.body.contains("Innlogget som rap-arbeid@example.no"), missing.body)
            XCTAssertTrue(missing.body.contains("href=\"/mitt-arbeid\""))
            // A reader has no workspace.
            var reader = try await signedIn(app, "les-arbeid@example.no", .leser)
            let refused = try await reader.get("/mitt-arbeid")
            XCTAssertEqual(refused.status, .forbidden)
        }
    }

    func testConfirmMarkDoneAndMoveInOneStepEach() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "rap-steg@example.no", .rapportor, actors: ["helse-vest"])
            let d = try await DatasetStore.load(on: app.db)!
            let item = try XCTUnwrap(d.activities.first { $0.actorSlug == "helse-vest" && $0.span.end != nil })
            var page = try await client.get("/mitt-arbeid")
            let csrf = Client.csrf(in: page.body)
            var v = version(page.body, of: item.id)
            XCTAssertFalse(v.isEmpty)
            // Confirm unchanged: a new version and an audit entry, nothing else changes.
            var res = try await client.post(
                "/mitt-arbeid",
                ["_csrf": csrf, "type": "aktivitet", "id": item.id, "versjon": v, "handling": "bekreft"])
            XCTAssertEqual(res.status, .seeOther)
            page = try await client.get(res.headers.first(name: .location) ?? "")
            XCTAssertTrue(page.body.contains("Bekreftet uendret. Takk!"))
            let trail = try await RoadmapWrites.history(entityType: "activity", entityId: item.id, on: app.db)
            XCTAssertEqual(trail.first?.action, "confirm")
            let confirmed = try await DatasetStore.load(on: app.db)!.activities.first { $0.id == item.id }
            XCTAssertEqual(confirmed, item)
            // The old version is stale now: a conflict, not a silent second write.
            res = try await client.post(
                "/mitt-arbeid", ["_csrf": csrf, "type": "aktivitet", "id": item.id, "versjon": v, "handling": "ferdig"])
            XCTAssertEqual(res.status, .conflict)
            XCTAssertTrue(res.body.contains("etter at du åpnet siden"))
            v = version(res.body, of: item.id)
            res = try await client.post(
                "/mitt-arbeid", ["_csrf": csrf, "type": "aktivitet", "id": item.id, "versjon": v, "handling": "ferdig"])
            XCTAssertEqual(res.status, .seeOther)
            let finished = try await DatasetStore.load(on: app.db)!.activities.first { $0.id == item.id }
            XCTAssertEqual(finished?.done, true)
            // Move: the old end becomes the baseline; a significant delay needs its cause.
            let move = try await client.get("/aktivitet/\(item.id)/flytt")
            XCTAssertEqual(move.status, .ok)
            let mv = move.body.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/aktivitet/\(item.id)/flytt", ["_csrf": csrf, "versjon": mv, "end": "2031", "delayKind": "innforing"])
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.body.contains("Velg årsaken til forsinkelsen."))
            XCTAssertTrue(res.body.contains("value=\"2031\""), "the input is kept")
            res = try await client.post(
                "/aktivitet/\(item.id)/flytt",
                [
                    "_csrf": csrf, "versjon": mv, "end": "2031", "delayKind": "innforing",
                    "delayCause": "finansiering", "delayNote": "Venter på budsjett",
                ])
            XCTAssertEqual(res.status, .seeOther)
            let moved = try await DatasetStore.load(on: app.db)!.activities.first { $0.id == item.id }!
            XCTAssertEqual(moved.span.end, .year(2031))
            XCTAssertEqual(moved.baseline, item.baseline ?? item.span.end)
            XCTAssertEqual(moved.delay, Delay(kind: .innforing, cause: .finansiering, note: "Venter på budsjett"))
            // Another actor's item cannot be touched.
            let foreign = try XCTUnwrap(d.activities.first { $0.actorSlug == "helse-nord" })
            res = try await client.post(
                "/mitt-arbeid",
                ["_csrf": csrf, "type": "aktivitet", "id": foreign.id, "versjon": "1", "handling": "bekreft"])
            XCTAssertEqual(res.status, .forbidden)
            let other = try await client.get("/aktivitet/\(foreign.id)/flytt")
            XCTAssertEqual(other.status, .forbidden)
        }
    }

    func testAnEditorSeesEveryActorAndCanNarrowToOne() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red-arbeid@example.no", .redaktor)
            let all = try await client.get("/mitt-arbeid")
            XCTAssertTrue(all.body.contains("aktor-helse-nord"))
            XCTAssertTrue(all.body.contains("Hele tiltaket (ingen enkelt aktør)"))
            let one = try await client.get("/mitt-arbeid?aktor=helse-nord&vis=flagget&maneder=12")
            XCTAssertTrue(one.body.contains("aktor-helse-nord"))
            XCTAssertFalse(one.body.contains("aktor-helse-vest"))
            XCTAssertTrue(one.body.contains("<option value=\"12\" selected"))
        }
    }
}

final class MyWorkDomainTests: XCTestCase {
    func testFlagsOverdueAndUnconfirmedItems() throws {
        let d = try SeedData.load()
        let today = Day(year: 2026, month: 12, day: 1)!
        let mine: Set<String> = ["helse-vest"]
        let recent = Day(year: 2026, month: 11, day: 1)!
        let items = MyWork.items(
            in: d, actors: mine,
            lastConfirmed: Dictionary(
                d.activities.map { ("aktivitet:\($0.id)", recent) },
                uniquingKeysWith: { a, _ in a }),
            today: today, months: 3)
        XCTAssertTrue(items.allSatisfy { $0.actorSlug == "helse-vest" })
        for item in items where item.kind == .activity {
            let overdue = item.due.map { $0.lastDay < today } ?? false
            XCTAssertEqual(item.flags.contains(.overdue(item.due ?? .year(0))), overdue && !item.planning.done, item.id)
            XCTAssertFalse(
                item.flags.contains { if case .unconfirmed = $0 { true } else { false } }, "confirmed a month ago")
        }
        let flaggedFirst = items.firstIndex { $0.flags.isEmpty } ?? items.count
        XCTAssertTrue(items[flaggedFirst...].allSatisfy(\.flags.isEmpty), "flagged items come first")
        // Four months ago is too long for three months, not for six.
        let old = Day(year: 2026, month: 8, day: 1)!
        let stale = MyWork.items(
            in: d, actors: mine,
            lastConfirmed: Dictionary(
                d.activities.map { ("aktivitet:\($0.id)", old) },
                uniquingKeysWith: { a, _ in a }), today: today, months: 3)
        XCTAssertTrue(stale.filter { $0.kind == .activity }.allSatisfy { $0.flags.contains(.unconfirmed(since: old)) })
        let lenient = MyWork.items(
            in: d, actors: mine,
            lastConfirmed: Dictionary(
                d.activities.map { ("aktivitet:\($0.id)", old) },
                uniquingKeysWith: { a, _ in a }), today: today, months: 6)
        XCTAssertFalse(lenient.filter { $0.kind == .activity }.contains { $0.flags.contains(.unconfirmed(since: old)) })
    }
}
