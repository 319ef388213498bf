import Domain
import Foundation
import Persistence
import SQLKit
import Vapor
import XCTVapor
import XCTest

@testable import App

final class PageCacheTests: XCTestCase {
    func get(_ app: Application, _ path: String, _ headers: [(String, String)] = []) async throws -> (
        status: HTTPStatus, body: String, headers: HTTPHeaders
    ) {
        var result: (HTTPStatus, String, HTTPHeaders) = (.ok, "", [:])
        try await app.test(
            .GET, path,
            beforeRequest: { req in
                for (name, value) in headers { req.headers.replaceOrAdd(name: name, value: value) }
            }, afterResponse: { res async in result = (res.status, res.body.string, res.headers) })
        return result
    }

    func testVisitorsGetCachedPagesWithETagsAndConditionalAnswers() async throws {
        try await TestApp.run { app in
            let first = try await get(app, "/tiltak/pll")
            XCTAssertEqual(first.headers.first(name: "X-Veikart-Cache"), "miss")
            let second = try await get(app, "/tiltak/pll")
            XCTAssertEqual(second.headers.first(name: "X-Veikart-Cache"), "hit")
            XCTAssertEqual(second.body, first.body)
            let etag = try XCTUnwrap(second.headers.first(name: .eTag))
            XCTAssertEqual(etag, first.headers.first(name: .eTag))
            XCTAssertEqual(second.headers.first(name: .cacheControl), "public, no-cache")
            XCTAssertEqual(second.headers.contentType, .html)
            let revalidated = try await get(app, "/tiltak/pll", [("If-None-Match", etag)])
            XCTAssertEqual(revalidated.status, .notModified)
            XCTAssertEqual(revalidated.body, "")
            XCTAssertEqual(revalidated.headers.first(name: .eTag), etag)
            let lastModified = try XCTUnwrap(second.headers.first(name: .lastModified))
            XCTAssertNotNil(HTTPDate.parse(lastModified), lastModified)
            let since = try await get(app, "/tiltak/pll", [("If-Modified-Since", lastModified)])
            XCTAssertEqual(since.status, .notModified)
            let older = try await get(app, "/tiltak/pll", [("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")])
            XCTAssertEqual(older.status, .ok)
            let other = try await get(app, "/tiltak/pll", [("If-None-Match", "\"1-abc\"")])
            XCTAssertEqual(other.status, .ok)
            // API answers and SVG downloads are cached the same way.
            _ = try await get(app, "/api/v1/initiatives/pll")
            let api = try await get(app, "/api/v1/initiatives/pll")
            XCTAssertEqual(api.headers.first(name: "X-Veikart-Cache"), "hit")
            XCTAssertEqual(api.headers.contentType?.subType, "json")
            // Errors and probes are never cached.
            _ = try await get(app, "/tiltak/finnes-ikke")
            let missing = try await get(app, "/tiltak/finnes-ikke")
            XCTAssertNil(missing.headers.first(name: "X-Veikart-Cache"))
            let health = try await get(app, "/healthz")
            XCTAssertNil(health.headers.first(name: .eTag))
        }
    }

    func testDateFormatIsTheHTTPOne() {
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: 0)), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: 1_795_349_025)), "Sun, 22 Nov 2026 12:03:45 GMT")
        XCTAssertEqual(HTTPDate.parse("Sun, 22 Nov 2026 12:03:45 GMT"), 1_795_349_025)
        XCTAssertNil(HTTPDate.parse("22.11.2026"))
    }

    /// Every kind of write, through any route, makes the cached pages it affects fresh on the very next request.
    func testNoWriteEverLeavesAStalePageInTheCache() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            func warm(_ path: String) async throws -> String {
                _ = try await get(app, path)
                let page = try await get(app, path)
                XCTAssertEqual(page.headers.first(name: "X-Veikart-Cache"), "hit", path)
                return page.body
            }

            // A record edit through the form.
            _ = try await warm("/tiltak/pasientens-maledata")
            _ = try await warm("/api/v1/initiatives/pasientens-maledata")
            let edited = try await editor.submit(
                "/tiltak/pasientens-maledata/rediger", ["target": "Minst fem virksomheter deler måledata i 2026."])
            XCTAssertEqual(edited.status, .seeOther, edited.body)
            let page = try await get(app, "/tiltak/pasientens-maledata")
            XCTAssertEqual(page.headers.first(name: "X-Veikart-Cache"), "miss")
            XCTAssertTrue(page.body.contains("Minst fem virksomheter deler måledata i 2026."))
            let fresh1 = try await get(app, "/api/v1/initiatives/pasientens-maledata").body
            XCTAssertTrue(fresh1.contains("Minst fem virksomheter"))

            // A measurement import.
            _ = try await warm("/indikatorer/epj-effektivt")
            let form = try await editor.get("/indikatorer/epj-effektivt/importer")
            let csv = "periode,region,verdi,merknad\n2025,,50,\n2026,,57,\n"
            let preview = try await editor.upload(
                "/indikatorer/epj-effektivt/importer",
                fields: ["_csrf": Client.csrf(in: form.body), "begrunnelse": "Ny måling"],
                file: ("fil", "epj.csv", csv))
            let imported = try await editor.confirmImport(
                "/indikatorer/epj-effektivt/importer", preview: preview.body, csv: csv, mode: "slaa-sammen",
                reason: "Ny måling")
            XCTAssertEqual(imported.status, .seeOther, imported.body)
            let fresh2 = try await get(app, "/indikatorer/epj-effektivt").body
            XCTAssertTrue(fresh2.contains("57 % (2026)"))

            // A council case, which also shows on the initiative page and in search.
            _ = try await warm("/tiltak/netthinne")
            _ = try await warm("/sok?q=netthinneunders%C3%B8kelse")
            let meetingPage = try await sec.get("/rad/strategiradet/moter/2022-09-21")
            let csrf = Client.csrf(in: meetingPage.body)
            let added = try await sec.post(
                "/rad/strategiradet/moter/2022-09-21/saker/ny",
                [
                    "_csrf": csrf, "tittel": "Netthinneundersøkelse for diabetikere",
                    "kobling.1.mal": "initiative:netthinne",
                ])
            XCTAssertEqual(added.status, .seeOther, added.body)
            let fresh3 = try await get(app, "/tiltak/netthinne").body
            XCTAssertTrue(fresh3.contains("Sak 38/22 Netthinneundersøkelse for diabetikere"))
            let fresh4 = try await get(app, "/sok?q=netthinneunders%C3%B8kelse").body
            XCTAssertTrue(fresh4.contains("#sak-38-22"))

            // A whole-dataset import from the command line path.
            let before = try await warm("/mal/1")
            var d = try await DatasetStore.load(on: app.db)!
            d.goals[0].title = "Endret av import"
            try await DatasetStore.replace(with: d, on: app.db)
            let after = try await get(app, "/mal/1")
            XCTAssertNotEqual(after.body, before)
            XCTAssertTrue(after.body.contains("Endret av import"))

            // An old ETag no longer matches after a write.
            let etag = try XCTUnwrap(after.headers.first(name: .eTag))
            d.goals[0].title = "Endret igjen"
            try await DatasetStore.replace(with: d, on: app.db)
            let changed = try await get(app, "/mal/1", [("If-None-Match", etag)])
            XCTAssertEqual(changed.status, .ok)
            XCTAssertTrue(changed.body.contains("Endret igjen"))
        }
    }

    func testSignedInPagesAndSignInAreNeverCachedOrShared() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor, name: "Rita Redaktør")
            let mine = try await editor.get("/tiltak/pll")
            XCTAssertTrue(mine.body.contains("Rita Redaktør"))
            XCTAssertNil(mine.headers.first(name: "X-Veikart-Cache"))
            XCTAssertEqual(mine.headers.first(name: .cacheControl), "private, no-cache")
            XCTAssertNotNil(mine.headers.first(name: .eTag), "signed-in pages still revalidate")
            let visitor = try await get(app, "/tiltak/pll")
            XCTAssertFalse(visitor.body.contains("Rita Redaktør"), "a visitor never sees a signed-in page")
            let again = try await get(app, "/tiltak/pll")
            XCTAssertFalse(again.body.contains("Rita Redaktør"))
            _ = try await get(app, "/logg-inn")
            let login = try await get(app, "/logg-inn")
            XCTAssertNil(login.headers.first(name: "X-Veikart-Cache"), "the sign-in form carries a per-visitor token")
        }
    }
}

/// Cache keys finer than one data version: a write evicts the pages that show what it changed, and the others stay.
final class PageTopicTests: XCTestCase {
    func get(_ app: Application, _ path: String) async throws -> (body: String, cache: String?) {
        var result: (String, String?) = ("", nil)
        try await app.test(
            .GET, path,
            afterResponse: { res async in
                XCTAssertEqual(res.status, .ok, path)
                result = (res.body.string, res.headers.first(name: "X-Veikart-Cache"))
            })
        return result
    }

    func assertCached(_ app: Application, _ paths: [String], _ expected: String, _ line: UInt = #line) async throws {
        for path in paths {
            let cache = try await get(app, path).cache
            XCTAssertEqual(cache, expected, path, line: line)
        }
    }

    static let pages = [
        "/", "/tiltak/pll", "/tiltak/netthinne", "/veikart", "/aktorer/helse-vest", "/aktorer", "/mal/1", "/dashbord",
        "/indikatorer", "/indikatorer/epj-effektivt", "/indikatorer/epj-effektivt.csv", "/rad", "/rad/strategiradet",
        "/rad/strategiradet/moter/2022-09-21", "/prioritering", "/delmal/1.A", "/mal/3", "/delmal/3.A",
        "/aktorer/helse-nord", "/veikart?ar=2025",
    ]

    func testAWriteEvictsOnlyThePagesThatShowWhatItChanged() async throws {
        try await TestApp.run { app in
            for path in Self.pages { _ = try await get(app, path) }
            try await assertCached(app, Self.pages, "hit")
            let loads = app.readModel.fullLoads

            // One activity saved, as any instance saves it (the store call is all a write is).
            let (activity, version) = try await RoadmapWrites.record(Activity.self, id: "pll-hv-innforing", on: app.db)!
            var edited = activity
            edited.description = "Endret i rapporteringsuken"
            let saved = try await RoadmapWrites.update(
                Activity.self, edited, expectedVersion: version, author: .commandLine, reason: "",
                on: app.db)
            guard case .saved = saved else { return XCTFail("\(saved)") }
            let page = try await get(app, "/tiltak/pll")
            XCTAssertEqual(page.cache, "miss")
            XCTAssertTrue(page.body.contains("Endret i rapporteringsuken"))
            // A filter on fields an edit changes (the year) may now draw other rows: the whole roadmap is its topic.
            try await assertCached(
                app, ["/veikart", "/aktorer/helse-vest", "/aktorer", "/mal/1", "/delmal/1.A", "/veikart?ar=2025"],
                "miss")
            // Pages whose roadmaps do not draw the initiative (another goal, another actor) are untouched.
            try await assertCached(app, ["/mal/3", "/delmal/3.A", "/aktorer/helse-nord"], "hit")
            try await assertCached(
                app,
                [
                    "/", "/tiltak/netthinne", "/dashbord", "/indikatorer", "/indikatorer/epj-effektivt", "/rad",
                    "/rad/strategiradet", "/rad/strategiradet/moter/2022-09-21", "/prioritering",
                ], "hit")
            XCTAssertEqual(
                app.readModel.fullLoads, loads, "an edit is replayed record by record, never by reloading everything")

            // The values of one indicator: its pages and the lists, not the roadmap or another indicator.
            try await IndicatorStore.replaceMeasurements(
                of: ["epj-effektivt"],
                with: [
                    IndicatorMeasurement(
                        indicatorId: "epj-effektivt", period: try Period.parse("2026"), value: 61,
                        dimension: "", member: "", note: "", source: "")
                ],
                author: .commandLine, reason: "", on: app.db)
            let indicator = try await get(app, "/indikatorer/epj-effektivt")
            XCTAssertEqual(indicator.cache, "miss")
            XCTAssertTrue(indicator.body.contains("61 % (2026)"), "the new value is shown")
            // Meeting pages name the indicators their cases link to.
            try await assertCached(
                app,
                [
                    "/indikatorer/epj-effektivt.csv", "/dashbord", "/indikatorer", "/mal/1",
                    "/rad/strategiradet/moter/2022-09-21",
                ], "miss")
            try await assertCached(
                app, ["/", "/tiltak/pll", "/veikart", "/rad", "/rad/strategiradet", "/prioritering"], "hit")
            XCTAssertEqual(app.readModel.fullLoads, loads)

            // A renamed initiative is named on many pages: everything that shows names is rendered again.
            let (initiative, iv) = try await RoadmapWrites.record(Initiative.self, id: "netthinne", on: app.db)!
            var renamed = initiative
            renamed.title = "Netthinnebilder vurdert med kunstig intelligens"
            _ = try await RoadmapWrites.update(
                Initiative.self, renamed, expectedVersion: iv, author: .commandLine, reason: "", on: app.db)
            try await assertCached(app, Self.pages, "miss")
            let roadmap = try await get(app, "/tiltak/netthinne").body
            XCTAssertTrue(roadmap.contains("Netthinnebilder vurdert med kunstig intelligens"))
            XCTAssertEqual(app.readModel.fullLoads, loads)

            // A writer that names nothing (an older version of Veikart, a hand-made fix): a gap in the feed, so the
            // instance starts over and no page is trusted.
            try await assertCached(app, Self.pages, "hit")
            try await app.db.sql.raw("UPDATE data_version SET version = version + 1 WHERE id = 1").run()
            try await assertCached(app, Self.pages, "miss")
            XCTAssertEqual(app.readModel.fullLoads, loads + 1)
        }
    }

    /// Moving an end past the last year widens every drawing's axis and every year filter, also on pages that do not
    /// draw the edited initiative.
    func testAnEditThatWidensTheYearsRendersEveryRoadmapAgain() async throws {
        try await TestApp.run { app in
            for path in Self.pages + ["/mal/3"] { _ = try await get(app, path) }
            try await assertCached(app, ["/mal/3"], "hit")
            let (activity, version) = try await RoadmapWrites.record(Activity.self, id: "pll-hv-innforing", on: app.db)!
            var edited = activity
            edited.span = try Span(start: activity.span.start, end: .year(2036))
            let saved = try await RoadmapWrites.update(
                Activity.self, edited, expectedVersion: version, author: .commandLine,
                reason: "", on: app.db)
            guard case .saved = saved else { return XCTFail("\(saved)") }
            let other = try await get(app, "/mal/3")
            XCTAssertEqual(other.cache, "miss", "goal 3 does not draw the initiative, but its axis runs to 2036 now")
            XCTAssertTrue(other.body.contains(">2036</text>"))
            let roadmap = try await get(app, "/veikart")
            XCTAssertTrue(roadmap.body.contains("<option value=\"2036\">2036</option>"))
        }
    }

    func testTopicsOfPaths() {
        XCTAssertEqual(PageTopics.topics(forPath: "/"), [])
        XCTAssertEqual(PageTopics.topics(forPath: "/tiltak/pll"), ["initiative:pll", "councils", "versions"])
        XCTAssertEqual(PageTopics.topics(forPath: "/veikart/endringer"), ["roadmap", "versions"])
        XCTAssertEqual(PageTopics.topics(forPath: "/rad/moter.ics"), ["councils", "rounds"])
        XCTAssertEqual(PageTopics.topics(forPath: "/veikart/prioriterte"), ["roadmap"])
        XCTAssertEqual(
            PageTopics.topics(forPath: "/indikatorer/EPJ-Effektivt.csv"),
            ["indicator:epj-effektivt", "councils", "reports"])
        XCTAssertNil(PageTopics.topics(forPath: "/sok"), "a page not listed depends on everything")
        XCTAssertNil(PageTopics.topics(forPath: "/status/2024-Q1"))
        XCTAssertNil(PageTopics.topics(forPath: "/api/v1/initiatives/pll"))
    }
}

extension PageTopicTests {
    /// Two instances on one database: a write through one is seen by the other on its very next request, which
    /// replays just that change and keeps its unaffected pages cached.
    func testAnotherInstanceReplaysAWriteAndKeepsItsUnaffectedPages() async throws {
        try await TestApp.run { writer in
            try await TestApp.withSecondInstance { reader in
                for path in ["/tiltak/pll", "/dashbord", "/rad"] { _ = try await get(reader, path) }
                try await assertCached(reader, ["/tiltak/pll", "/dashbord", "/rad"], "hit")
                let loads = reader.readModel.fullLoads

                let user = try await Accounts.create(
                    email: "vest@example.no", name: "Vest", passwordHash: try Bcrypt.hash("x", cost: 4),
                    role: .rapportor, actors: ["helse-vest"], on: writer.db)
                let token = APIAuth.newToken()
                _ = try await APITokens.create(
                    userId: user.id, name: "test", tokenHash: APIAuth.hash(token), prefix: String(token.prefix(10)),
                    on: writer.db)
                let version = try await RoadmapWrites.record(Activity.self, id: "pll-hv-innforing", on: writer.db)!
                    .version
                var status: HTTPStatus = .internalServerError
                try await writer.test(
                    .PATCH, "/api/v1/activities/pll-hv-innforing",
                    beforeRequest: { req in
                        req.headers.bearerAuthorization = BearerAuthorization(token: token)
                        req.headers.contentType = .json
                        req.body = ByteBuffer(
                            data: try JSONSerialization.data(withJSONObject: [
                                "version": version, "description": "Levert fra Helse Vest",
                            ]))
                    }, afterResponse: { res async in status = res.status })
                XCTAssertEqual(status, .ok)

                let page = try await get(reader, "/tiltak/pll")
                XCTAssertEqual(page.cache, "miss")
                XCTAssertTrue(
                    page.body.contains("Levert fra Helse Vest"), "the other instance never serves the page as it was")
                try await assertCached(reader, ["/dashbord", "/rad"], "hit")
                XCTAssertEqual(reader.readModel.fullLoads, loads, "replayed from the feed, not reloaded")

                // A whole-dataset import from the command line reaches every instance too.
                var d = try await DatasetStore.load(on: writer.db)!
                d.goals[0].title = "Endret av import"
                try await DatasetStore.replace(with: d, on: writer.db)
                let goal = try await get(reader, "/mal/1")
                XCTAssertTrue(goal.body.contains("Endret av import"))
                try await assertCached(reader, ["/dashbord"], "miss")
            }
        }
    }
}

extension PageTopicTests {
    /// Visitors of one page at once share one render, and never one older than their own request.
    func testConcurrentVisitorsShareOneRenderNoOlderThanTheirRequest() async throws {
        let flights = RenderFlights()
        guard case .leader = await flights.enter("/veikart", version: 7) else { return XCTFail("the first renders") }
        guard case .independent = await flights.enter("/veikart", version: 8) else {
            return XCTFail("a request after a newer write does not take a render that started before it")
        }
        let follower = Task { await flights.enter("/veikart", version: 7) }
        let other = Task { await flights.enter("/veikart", version: 6) }
        try await Task.sleep(nanoseconds: 50_000_000)
        let entry = PageCache.Entry(
            version: 7, topics: [], day: TestApp.today, headers: [:], body: ByteBuffer(string: "x"), etag: "e",
            lastModified: Date())
        flights.finish("/veikart", with: entry)
        for task in [follower, other] {
            guard case .joined(let shared?) = await task.value else {
                return XCTFail("waiting visitors get the render")
            }
            XCTAssertEqual(shared.version, 7)
        }
        guard case .leader = await flights.enter("/veikart", version: 9) else {
            return XCTFail("a finished render is gone")
        }
        flights.finish("/veikart", with: nil)
    }
}
