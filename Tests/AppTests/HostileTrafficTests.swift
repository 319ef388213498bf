import Domain
import Foundation
import NIOConcurrencyHelpers
import Persistence
import Vapor
import Views
import XCTVapor
import XCTest

@testable import App

/// The anonymous attacks of issue 21, each shown not to work: made-up cookies and query strings neither skip the page
/// cache nor write to the database, the Host header never reaches a shared answer, a stranger cannot lock out an
/// account, sign-in redirects stay on the site, report PDFs are made once and never many at a time.
final class HostileTrafficTests: XCTestCase {
    func get(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws
        -> (status: HTTPStatus, body: String, headers: HTTPHeaders)
    {
        var result: (HTTPStatus, String, HTTPHeaders) = (.ok, "", [:])
        try await app.test(.GET, path, headers: headers) { res async in
            result = (res.status, res.body.string, res.headers)
        }
        return result
    }

    func testMadeUpSessionCookiesAndAnonymousVisitsWriteNothingAndHitTheCache() async throws {
        try await TestApp.run { app in
            let first = try await get(app, "/")
            XCTAssertEqual(first.headers.first(name: "X-Veikart-Cache"), "miss")
            var hits = 0
            for i in 0..<20 {
                let junk = i % 2 == 0 ? UUID().uuidString : "abc\(i).def"  // random, and shaped like a signed value
                let page = try await get(app, "/", headers: ["Cookie": "veikart-sesjon=\(junk)"])
                XCTAssertEqual(page.status, .ok)
                XCTAssertFalse(page.headers[.setCookie].joined().contains("veikart-sesjon="), "no session is started")
                if page.headers.first(name: "X-Veikart-Cache") == "hit" { hits += 1 }
            }
            XCTAssertEqual(hits, 20, "an unknown session cookie is no session: the cached page is served")
            for _ in 0..<20 { _ = try await get(app, "/logg-inn") }
            let sessions = try await SessionStore.count(on: app.db)
            XCTAssertEqual(sessions, 0, "anonymous requests write no session rows")
        }
    }

    func testEndedAndExpiredSessionsAreNoSessions() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let cookie = try XCTUnwrap(editor.sessionCookie)
            let count = try await SessionStore.count(on: app.db)
            XCTAssertEqual(count, 1)
            // Reading pages does not rewrite the session row on every request.
            let before = try await SessionStore.count(on: app.db)
            for _ in 0..<3 { _ = try await editor.get("/konto") }
            let after = try await SessionStore.count(on: app.db)
            XCTAssertEqual(after, before)
            // Sign out: the row is gone and the old cookie grants nothing.
            let account = try await editor.get("/konto")
            let signOut = try await editor.post("/logg-ut", ["_csrf": Client.csrf(in: account.body)])
            XCTAssertEqual(signOut.status, .seeOther)
            let remaining = try await SessionStore.count(on: app.db)
            XCTAssertEqual(remaining, 0)
            let replay = try await get(app, "/konto", headers: ["Cookie": cookie])
            XCTAssertEqual(replay.status, .seeOther, "a removed session is no session")
            XCTAssertTrue(
                replay.headers[.setCookie].joined().contains("veikart-sesjon=;")
                    || replay.headers[.setCookie].joined().contains("Max-Age=0"), "the stale cookie is cleared")
            // Idle too long: the server ends it, whatever the cookie says.
            var idle = Client(app: app)
            try await idle.mustSignIn("red@example.no", EditingTests.password)
            let key = try XCTUnwrap(
                app.cookieSigner.verify(
                    String(try XCTUnwrap(idle.sessionCookie).dropFirst("veikart-sesjon=".count)), purpose: .session))
            let live = try await SessionStore.find(key: key, on: app.db)
            XCTAssertNotNil(live)
            let later = Date().addingTimeInterval(SessionStore.idleLimit + 1)
            let expired = try await SessionStore.find(key: key, now: later, on: app.db)
            XCTAssertNil(expired, "idle limit")
            let tooOld = try await SessionStore.find(
                key: key, now: Date().addingTimeInterval(SessionStore.absoluteLimit + 1), on: app.db)
            XCTAssertNil(tooOld, "absolute limit")
            try await SessionStore.purgeExpired(now: later, on: app.db)
            let purged = try await SessionStore.count(on: app.db)
            XCTAssertEqual(purged, 0, "expired rows are removed")
        }
    }

    func testAPasswordChangeOrDisablingEndsTheOtherSessions() async throws {
        try await TestApp.run { app in
            var laptop = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            var phone = Client(app: app)
            try await phone.mustSignIn("vest@example.no", EditingTests.password)
            let account = try await laptop.get("/konto")
            XCTAssertTrue(
                account.body.contains("Du er også logget inn i én annen nettleser"), "the other session is shown")
            let changed = try await laptop.post(
                "/konto/passord",
                [
                    "_csrf": Client.csrf(in: account.body), "gammelt": EditingTests.password,
                    "nytt": "et-helt-nytt-passord-2026",
                ])
            XCTAssertTrue(
                changed.body.contains("Andre innlogginger på kontoen er avsluttet"), String(changed.body.prefix(400)))
            let stillIn = try await laptop.get("/konto")
            XCTAssertEqual(stillIn.status, .ok, "the session that changed the password stays")
            let other = try await phone.get("/konto")
            XCTAssertEqual(other.status, .seeOther, "every other session of the account has ended")
            // An administrator disabling the account ends the remaining one too.
            var admin = try await signedIn(app, "admin@example.no", .administrator)
            let found = try await Accounts.user(email: "vest@example.no", on: app.db)
            let user = try XCTUnwrap(found)
            let edit = try await admin.get("/admin/brukere/\(user.id.uuidString)")
            XCTAssertEqual(edit.status, .ok)
            _ = try await admin.post(
                "/admin/brukere/\(user.id.uuidString)",
                [
                    "_csrf": Client.csrf(in: edit.body), "role": "rapportor",
                    "actors[]": "helse-vest", "disabled": "on",
                ])
            let disabled = try await laptop.get("/konto")
            XCTAssertEqual(disabled.status, .seeOther)
            let rows = try await SessionStore.count(on: app.db)
            XCTAssertEqual(rows, 1, "only the administrator's session is left")
        }
    }

    func testSignOutEverywhereEndsEverySessionOfTheAccount() async throws {
        try await TestApp.run { app in
            var laptop = try await signedIn(app, "red@example.no", .redaktor)
            var phone = Client(app: app)
            try await phone.mustSignIn("red@example.no", EditingTests.password)
            var other = try await signedIn(app, "annen@example.no", .redaktor)
            let account = try await phone.get("/konto")
            let out = try await phone.post("/konto/logg-ut-overalt", ["_csrf": Client.csrf(in: account.body)])
            XCTAssertEqual(out.status, .seeOther)
            let laptopAfter = try await laptop.get("/konto")
            let phoneAfter = try await phone.get("/konto")
            let otherAfter = try await other.get("/konto")
            XCTAssertEqual(laptopAfter.status, .seeOther)
            XCTAssertEqual(phoneAfter.status, .seeOther)
            XCTAssertEqual(otherAfter.status, .ok, "another account's session is untouched")
            // An administrator ends another user's sessions from the user's page.
            var admin = try await signedIn(app, "admin@example.no", .administrator)
            let annen = try await Accounts.user(email: "annen@example.no", on: app.db)
            let edit = try await admin.get("/admin/brukere/\(try XCTUnwrap(annen?.id).uuidString)")
            XCTAssertTrue(edit.body.contains("Avslutt alle innlogginger for annen@example.no"))
            let ended = try await admin.post(
                "/admin/brukere/\(try XCTUnwrap(annen?.id).uuidString)/avslutt-innlogginger",
                ["_csrf": Client.csrf(in: edit.body)])
            XCTAssertEqual(ended.status, .ok)
            XCTAssertTrue(ended.body.contains("Alle innlogginger for annen@example.no er avsluttet"))
            let otherEnded = try await other.get("/konto")
            XCTAssertEqual(otherEnded.status, .seeOther)
            let trail = try await RoadmapWrites.auditTrail(on: app.db).filter { $0.entry.action == "sessions-ended" }
            XCTAssertEqual(trail.count, 2, "both endings are in the trail")
        }
    }

    func testUnknownQueryParametersNeitherBypassNorFillTheCache() async throws {
        try await TestApp.run { app in
            _ = try await get(app, "/veikart")
            let entries = app.pageCache.count
            for i in 0..<10 {
                let page = try await get(app, "/veikart?n=\(i)&utm_source=x\(i)")
                XCTAssertEqual(page.headers.first(name: "X-Veikart-Cache"), "hit", "?n=\(i)")
            }
            XCTAssertEqual(app.pageCache.count, entries, "no entry per made-up parameter")
            // A parameter another route reads is unknown here; other spellings of the path are the same page.
            for variant in ["/veikart?q=1", "/veikart?neste=/x", "/veikart/", "//veikart", "/veikart?vekt.a=2"] {
                let page = try await get(app, variant)
                XCTAssertEqual(page.headers.first(name: "X-Veikart-Cache"), "hit", variant)
            }
            XCTAssertEqual(app.pageCache.count, entries)
            // HEAD reads the cache (headers only) and never fills it.
            try await app.test(.HEAD, "/veikart") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.first(name: "X-Veikart-Cache"), "hit")
                XCTAssertEqual(res.body.readableBytes, 0)
                XCTAssertNotEqual(
                    res.headers.first(name: .contentLength), "0", "the length of the page a GET would give")
            }
            // A parameter the route reads is part of the key.
            let filtered = try await get(app, "/veikart?fase=innforing")
            XCTAssertEqual(filtered.headers.first(name: "X-Veikart-Cache"), "miss")
            let reordered = try await get(app, "/veikart?junk=1&fase=innforing")
            XCTAssertEqual(reordered.headers.first(name: "X-Veikart-Cache"), "hit")
            // Form-encoded spaces still search for two words.
            let search = try await get(app, "/sok?q=elektronisk+pasientjournal")
            XCTAssertTrue(search.body.contains("elektronisk pasientjournal"), "a + in a query is a space")
        }
    }

    func testPageCacheEvictsLeastRecentlyUsedAndCountsHeaders() {
        let cache = PageCache(capacity: 80_000)
        func entry(_ bytes: Int, headerBytes: Int = 0) -> PageCache.Entry {
            var headers: HTTPHeaders = ["Content-Type": "text/html"]
            if headerBytes > 0 { headers.add(name: "X-Padding", value: String(repeating: "h", count: headerBytes)) }
            return .init(
                version: 1, topics: nil, day: TestApp.today, headers: headers,
                body: ByteBuffer(string: String(repeating: "x", count: bytes)),
                etag: "e", lastModified: Date())
        }
        for i in 0..<8 { cache.set("/\(i)", entry(9_000)) }
        XCTAssertNotNil(cache.get("/0", day: TestApp.today, isFresh: { _ in true }))  // /0 is now the most recent
        cache.set("/8", entry(9_000))
        XCTAssertNotNil(cache.get("/0", day: TestApp.today, isFresh: { _ in true }), "recently used stays")
        XCTAssertNil(cache.get("/1", day: TestApp.today, isFresh: { _ in true }), "least recently used goes first")
        XCTAssertLessThanOrEqual(cache.bytes, 80_000)
        // Headers count: a small body with large headers takes room too.
        cache.set("/big-headers", entry(10, headerBytes: 9_000))
        XCTAssertGreaterThan(cache.bytes, 9_000 * 8)
        XCTAssertLessThanOrEqual(cache.bytes, 80_000)
        // An entry no longer fresh is dropped when met.
        XCTAssertNil(cache.get("/0", day: TestApp.today, isFresh: { _ in false }))
        XCTAssertNil(cache.get("/0", day: TestApp.today, isFresh: { _ in true }), "a stale entry is removed, not kept")
    }

    func testHostAndForwardedHeadersNeverReachSharedAnswers() async throws {
        try await TestApp.run { app in
            let poisoned = try await get(
                app, "/rad/moter.ics",
                headers: [
                    "Host": "evil.example", "X-Forwarded-Proto": "https",
                    "X-Forwarded-Host": "evil.example",
                ])
            XCTAssertEqual(poisoned.status, .ok)
            XCTAssertFalse(poisoned.body.contains("evil.example"))
            let next = try await get(app, "/rad/moter.ics")
            XCTAssertFalse(next.body.contains("evil.example"))
            XCTAssertTrue(next.body.contains("URL:http://127.0.0.1:8080/rad/"), String(next.body.prefix(2000)))
        }
        try await TestApp.run(adjust: { $0.publicURL = "https://veikart.example.no" }) { app in
            let feed = try await get(app, "/rad/moter.ics", headers: ["Host": "evil.example"])
            XCTAssertTrue(feed.body.contains("URL:https://veikart.example.no/rad/"))
            XCTAssertFalse(feed.body.contains("evil.example"))
            XCTAssertEqual(
                feed.headers.first(name: "Strict-Transport-Security"), "max-age=31536000; includeSubDomains",
                "HSTS when served over https")
            // The subscribe links on the (shared, cached) pages use the configured address, never the request's Host.
            let page = try await get(app, "/rad", headers: ["Host": "evil.example"])
            XCTAssertTrue(
                page.body.contains("href=\"webcal://veikart.example.no/rad/moter.ics\""), String(page.body.prefix(4000))
            )
            XCTAssertTrue(page.body.contains("value=\"https://veikart.example.no/rad/moter.ics\""))
            XCTAssertFalse(page.body.contains("evil.example"))
            let council = try await get(app, "/rad/fagradet")
            XCTAssertTrue(council.body.contains("href=\"webcal://veikart.example.no/rad/fagradet/moter.ics\""))
        }
    }

    func testSignInRedirectsStayOnTheSite() async throws {
        try await TestApp.run { app in
            try await makeUser(app, "red@example.no", .redaktor)
            for bad in [
                "/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                "/%5Cevil.example", "/%2F/evil.example", "javascript:alert(1)", "/\u{2028}/evil.example",
            ] {
                var client = Client(app: app)
                let page = try await client.get(
                    "/logg-inn?neste=" + (bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                XCTAssertFalse(page.body.contains("evil.example"), "the form does not carry \(bad.debugDescription)")
                let res = try await client.post(
                    "/logg-inn",
                    [
                        "_csrf": Client.csrf(in: page.body), "epost": "red@example.no",
                        "passord": EditingTests.password, "neste": bad,
                    ])
                XCTAssertEqual(res.status, .seeOther)
                // Off-site targets are dropped: an editor lands on their own work, as without a target.
                XCTAssertEqual(res.headers.first(name: .location), "/mitt-arbeid", bad.debugDescription)
            }
            var client = Client(app: app)
            let page = try await client.get("/logg-inn")
            let ok = try await client.post(
                "/logg-inn",
                [
                    "_csrf": Client.csrf(in: page.body), "epost": "red@example.no",
                    "passord": EditingTests.password, "neste": "/veikart?fase=innforing",
                ])
            XCTAssertEqual(ok.headers.first(name: .location), "/veikart?fase=innforing", "a path on the site is kept")
        }
    }

    func testAStrangerCannotLockOutAnAccountAndSprayingIsSlowed() async throws {
        try await TestApp.run(adjust: { $0.trustedProxies = try! TrustedProxies.parse("127.0.0.1") }) { app in
            try await makeUser(app, "red@example.no", .redaktor)
            try await makeUser(app, "angriper@example.no", .rapportor, actors: ["helse-vest"])
            let port = Int.random(in: 21_000..<39_000)
            let server = try app.testable(method: .running(hostname: "127.0.0.1", port: port))
            /// One sign-in from a client behind the trusted proxy at 127.0.0.1.
            func attempt(from client: String, _ email: String, _ password: String) async throws -> (
                HTTPStatus, HTTPHeaders
            ) {
                var csrf = ""
                var cookie = ""
                try await server.test(.GET, "/logg-inn", headers: ["X-Forwarded-For": client]) { res async in
                    csrf = Client.csrf(in: res.body.string)
                    cookie = res.headers[.setCookie].first.map { String($0.split(separator: ";")[0]) } ?? ""
                }
                var result: (HTTPStatus, HTTPHeaders) = (.ok, [:])
                try await server.test(
                    .POST, "/logg-inn", headers: ["X-Forwarded-For": client, "Cookie": cookie],
                    beforeRequest: { req in
                        try req.content.encode(
                            ["_csrf": csrf, "epost": email, "passord": password], as: .urlEncodedForm)
                    }, afterResponse: { res async in result = (res.status, res.headers) })
                return result
            }
            // The attacker fails eight times against the editor: checked five times, then told to wait.
            var statuses: [HTTPStatus] = []
            for _ in 0..<8 {
                statuses.append(try await attempt(from: "203.0.113.66", "red@example.no", "gjetting-gjetting").0)
            }
            XCTAssertEqual(statuses.filter { $0 == .unauthorized }.count, 5, "\(statuses)")
            XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 3)
            let throttled = try await attempt(from: "203.0.113.66", "red@example.no", EditingTests.password)
            XCTAssertEqual(throttled.0, .tooManyRequests)
            XCTAssertNotNil(throttled.1.first(name: .retryAfter))
            // The editor, from another address, is not locked out.
            let editor = try await attempt(from: "198.51.100.7", "red@example.no", EditingTests.password)
            // (The test client follows the 303 to the front page.)
            XCTAssertTrue(
                [.seeOther, .ok].contains(editor.0), "a stranger's failures never lock out the owner: \(editor.0)")
            // Spraying from a fresh address: its own successes do not reset its failures against other accounts.
            var checked = 0
            for i in 0..<24 {
                if i % 2 == 0 {
                    _ = try await attempt(from: "203.0.113.99", "angriper@example.no", EditingTests.password)
                } else if try await attempt(from: "203.0.113.99", "offer\(i)@example.no", "passord-\(i)").0
                    == .unauthorized
                {
                    checked += 1
                }
            }
            XCTAssertEqual(checked, AuthController.freePerClient, "past its free attempts the spraying client waits")
            // A forged X-Forwarded-For from a client that is not a trusted proxy is ignored.
            XCTAssertEqual(
                TrustedProxies.none.clientAddress(peer: "203.0.113.5", forwardedFor: ["10.9.9.9"]), "203.0.113.5")
        }
    }

    func testConcurrentGuessesAreCountedBeforeTheyAreChecked() async throws {
        try await TestApp.run { app in
            let rules: [SignInThrottle.Rule] = [.init(key: "klient-konto:203.0.113.1|red@example.no", free: 5)]
            let verdicts = try await withThrowingTaskGroup(of: SignInThrottle.Verdict.self) { group in
                for _ in 0..<30 { group.addTask { try await SignInThrottle.begin(rules, on: app.db) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let allowed = verdicts.filter { if case .allowed = $0 { true } else { false } }.count
            XCTAssertLessThanOrEqual(allowed, 5, "never more checked than the free attempts, however many race")
            // Refused attempts were never checked and do not count: the client is not locked out afterwards.
            let next = try await SignInThrottle.begin(rules, on: app.db)
            if case .wait = next, allowed < 5 { XCTFail("refused racing attempts must not count as failures") }
        }
    }

    func testReportPDFsAreMadeOnceAndNeverManyAtATime() async throws {
        try await TestApp.run { app in
            let calls = NIOLockedValueBox((running: 0, peak: 0, total: 0))
            let renderer = ReportPDFRenderer(limit: 2, patience: .milliseconds(300)) { html in
                calls.withLockedValue {
                    $0.running += 1
                    $0.peak = max($0.peak, $0.running)
                    $0.total += 1
                }
                try await Task.sleep(for: .milliseconds(200))
                calls.withLockedValue { $0.running -= 1 }
                return Data(("%PDF-1.4 " + html).utf8)
            }
            let db = app.db
            // Sixteen requests for one report: one print.
            let same = try await withThrowingTaskGroup(of: Data.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await renderer.pdf(html: "<p>rapport</p>", period: "2024-Q1", on: db) }
                }
                return try await group.reduce(into: [Data]()) { $0.append($1) }
            }
            XCTAssertEqual(same.count, 16)
            XCTAssertEqual(calls.withLockedValue { $0.total }, 1, "one print for one document")
            // Kept: asked again, nothing is printed.
            _ = try await renderer.pdf(html: "<p>rapport</p>", period: "2024-Q1", on: db)
            XCTAssertEqual(calls.withLockedValue { $0.total }, 1)
            // Eight different documents at once: at most two print, the rest wait or are told to come back.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask { (try? await renderer.pdf(html: "<p>\(i)</p>", period: "P\(i)", on: db)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            XCTAssertEqual(calls.withLockedValue { $0.peak }, 2, "never more than two at a time")
            XCTAssertTrue(outcomes.contains(false), "past the patience a request is refused, not queued forever")
            XCTAssertTrue(outcomes.contains(true))
        }
    }

    func testDecoderErrorsAreToldInNorwegianWithoutSwiftsText() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/prioritering/modeller")
            let res = try await editor.post(
                "/prioritering/modeller", ["_csrf": Client.csrf(in: page.body), "modell": "{\"id\": 5"])
            for leak in ["DecodingError", "Debug description", "codingPath", "dataCorrupted"] {
                XCTAssertFalse(res.body.contains(leak), leak)
            }
            XCTAssertTrue(res.body.contains("ikke gyldig JSON"), String(res.body.prefix(300)))
            let wrongType = try await editor.post(
                "/prioritering/modeller", ["_csrf": Client.csrf(in: page.body), "modell": "{\"id\": 5}"])
            XCTAssertTrue(wrongType.body.contains("feltet «id» har feil type"), String(wrongType.body.prefix(300)))
            let user = try await Accounts.create(
                email: "api@example.no", name: "API", passwordHash: try Bcrypt.hash("x", cost: 4),
                role: .redaktor, actors: [], on: app.db)
            let token = APIAuth.newToken()
            _ = try await APITokens.create(
                userId: user.id, name: "test", tokenHash: APIAuth.hash(token), prefix: String(token.prefix(10)),
                on: app.db)
            for body in ["{\"version\": [", "{\"version\": \"en\"}", "[1, 2"] {
                try await app.test(
                    .PATCH, "/api/v1/activities/pll-hv-innforing",
                    headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
                    body: ByteBuffer(string: body)
                ) { res async in
                    XCTAssertEqual(res.status.code / 100, 4, body)
                    for leak in ["DecodingError", "Debug description", "codingPath", "Swift."] {
                        XCTAssertFalse(res.body.string.contains(leak), "\(body): \(res.body.string)")
                    }
                }
            }
        }
    }

    func testMarkdownExportKeepsTextAsText() {
        let hostile =
            """
            <img src=x onerror=alert(1)> [klikk](https://evil.example) ![bilde](https://evil.example/x.png)\n# \
            Overskrift\n- liste\n1. punkt\n    kode
            """
        let md = ReportMarkdown.text(hostile)
        XCTAssertFalse(md.replacingOccurrences(of: "\\<", with: "").contains("<"), "no unescaped <: \(md)")
        XCTAssertTrue(md.contains("\\<img"), md)
        XCTAssertTrue(md.contains("\\[klikk\\](https://evil.example)"), md)
        XCTAssertTrue(md.contains("\\!\\[bilde\\]"), md)
        XCTAssertTrue(md.contains("\n\\# Overskrift"), md)
        XCTAssertTrue(md.contains("\n\\- liste"), md)
        XCTAssertTrue(md.contains("\n1\\. punkt"), md)
        XCTAssertTrue(md.hasSuffix("\nkode"), "no indented code block")
        XCTAssertEqual(
            ReportMarkdown.text("Fremdrift 29 % (5 av 17), helt vanlig tekst."),
            "Fremdrift 29 % (5 av 17), helt vanlig tekst.")
    }
}
