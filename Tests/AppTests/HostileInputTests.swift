import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// Hostile input through forms, API and imports: a clear 4xx, nothing stored half, and text rendered as text.
final class HostileInputTests: XCTestCase {
    let meeting = "/rad/strategiradet/moter/2022-09-21"

    func raw(
        _ app: Application, _ method: HTTPMethod, _ path: String, body: String, type: String, cookie: String? = nil,
        token: String? = nil
    ) async throws
        -> (status: HTTPStatus, body: String)
    {
        var result: (HTTPStatus, String) = (.ok, "")
        try await app.test(
            method, path,
            beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: type)
                if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
                if let token { req.headers.bearerAuthorization = BearerAuthorization(token: token) }
                req.body = ByteBuffer(string: body)
            }, afterResponse: { res async in result = (res.status, res.body.string) })
        return result
    }

    func testScriptTagsAndControlCharactersInCouncilTexts() async throws {
        try await TestApp.run { app in
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let page = try await sec.get(meeting)
            let csrf = Client.csrf(in: page.body)
            let casesBefore = try await CouncilStore.allCases(on: app.db).count
            let script = "<script>alert('x')</script> & \"sitat\""
            let stored = try await sec.post(
                meeting + "/saker/ny",
                [
                    "_csrf": csrf, "tittel": script, "forslag": "<img src=x onerror=alert(1)>",
                    "innleder.1.navn": "<b>Navn</b>", "innleder.1.organisasjon": "Org\"anisasjon",
                ])
            XCTAssertEqual(stored.status, .seeOther, stored.body)
            let shown = try await anonymousGet(app, meeting)
            XCTAssertFalse(shown.body.contains("<script>alert"))
            XCTAssertFalse(shown.body.contains("<img src=x"))
            XCTAssertTrue(
                shown.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                    || shown.body.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "shown as text")
            let feed = try await anonymousGet(app, "/rad/moter.ics")
            XCTAssertTrue(
                feed.body.contains("<script>alert('x')</script> & \"sitat\"")
                    || feed.body.replacingOccurrences(of: "\r\n ", with: "").contains("\\,"),
                "the calendar carries plain text (no HTML there)")
            let api = try await anonymousGet(app, "/api/v1/meetings/ehr-2022-09-21")
            XCTAssertTrue(
                api.body.contains("\\u003cscript") || api.body.contains("<script>alert('x')"), "JSON is JSON-escaped")

            for (field, value) in [
                ("tittel", "Nul\u{0}tegn"), ("sammendrag", "Bjelle\u{7}"), ("forslag", "Escape\u{1B}[31m"),
            ] {
                var form = ["_csrf": csrf, "tittel": "Gyldig tittel"]
                form[field] = value
                let refused = try await sec.post(meeting + "/saker/ny", form)
                XCTAssertEqual(refused.status, .unprocessableEntity, field)
                XCTAssertTrue(refused.body.contains("teksten inneholder kontrolltegn"), field)
            }
            let place = try await sec.post(
                "/rad/strategiradet/moter", ["_csrf": csrf, "startdato": "2022-11-11", "sted": "Oslo\u{0}"])
            XCTAssertEqual(place.status, .unprocessableEntity)
            let member = try await sec.post(
                "/rad/strategiradet/medlemmer", ["_csrf": csrf, "navn": "Ola\u{8}Nordmann"])
            XCTAssertEqual(member.status, .unprocessableEntity)
            let casesAfter = try await CouncilStore.allCases(on: app.db).count
            XCTAssertEqual(casesAfter, casesBefore + 1, "only the escaped-but-valid case was stored")
        }
    }

    func testFarOutDatesNumbersAndSizesAreRefusedWhole() async throws {
        try await TestApp.run { app in
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let csrf = Client.csrf(in: try await sec.get("/rad/strategiradet").body)
            let versionBefore = try await DatasetStore.version(on: app.db)
            for (start, end) in [
                ("10000-01-01", ""), ("1899-12-31", ""), ("2022-02-30", ""), ("2022-10-10", "2022-10-01"),
                ("2022-10-10", "2023-01-01"), ("i morgen", ""),
            ] {
                let res = try await sec.post(
                    "/rad/strategiradet/moter", ["_csrf": csrf, "startdato": start, "sluttdato": end, "sted": "Oslo"])
                XCTAssertEqual(res.status, .unprocessableEntity, "\(start)–\(end)")
            }
            for (field, value) in [
                ("tid", "25:00"), ("tid", "9"), ("dag", "-1"), ("dag", "99999999999999999999"), ("type", "vedtak"),
                ("oppfolging.1.frist", "31.31.2022"), ("kobling.1.mal", "initiative:../../etc/passwd"),
                ("tittel", String(repeating: "x", count: 600)),
            ] {
                var form = ["_csrf": csrf, "tittel": "Sak"]
                form[field] = value
                let res = try await sec.post(meeting + "/saker/ny", form)
                XCTAssertEqual(res.status, .unprocessableEntity, "\(field)=\(value.prefix(40))")
            }
            let page = try await anonymousGet(app, "/veikart?side=99999999999999999999")
            XCTAssertEqual(page.status, .badRequest)
            let date = try await anonymousGet(app, "/rad/strategiradet?dato=99999-01-01")
            XCTAssertEqual(date.status, .badRequest)
            let meetingDate = try await anonymousGet(app, "/rad/strategiradet/moter/2022-13-45")
            XCTAssertEqual(meetingDate.status, .notFound)
            let versionAfter = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(versionAfter, versionBefore, "nothing was written")
        }
    }

    func testSearchTakesSQLMetacharactersAsText() async throws {
        try await TestApp.run { app in
            for q in [
                "' OR 1=1 --", "\"; DROP TABLE search_fts; --", "%' UNION SELECT * FROM users --", "*", "NEAR(a b)",
                "legemiddel\" OR \"", "\\", "ø' ; --",
            ] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for path in ["/sok?q=\(encoded)", "/api/v1/search?q=\(encoded)"] {
                    let res = try await anonymousGet(app, path)
                    XCTAssertEqual(res.status, .ok, path)
                }
            }
            let still = try await anonymousGet(app, "/api/v1/search?q=legemiddel")
            XCTAssertTrue(still.body.contains("\"url\""), "the index is intact")
        }
    }

    func testInvalidUTF8AndMalformedBodiesAreRefusedWithoutWriting() async throws {
        try await TestApp.run { app in
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let csrf = Client.csrf(in: try await sec.get(meeting).body)
            let before = try await CouncilStore.allCases(on: app.db).count
            let form = try await raw(
                app, .POST, meeting + "/saker/ny", body: "_csrf=\(csrf)&tittel=%FF%FE%FD",
                type: "application/x-www-form-urlencoded", cookie: sec.cookie)
            XCTAssertTrue((400..<500).contains(form.status.code), "\(form.status)")
            let truncated = try await raw(
                app, .POST, meeting + "/saker/ny", body: "_csrf=\(csrf)&tittel=%E2%82",
                type: "application/x-www-form-urlencoded", cookie: sec.cookie)
            XCTAssertTrue((400..<500).contains(truncated.status.code), "\(truncated.status)")
            let after = try await CouncilStore.allCases(on: app.db).count
            XCTAssertEqual(after, before)
            let user = try await Accounts.user(email: "sek@example.no", on: app.db)!
            let token = APIAuth.newToken()
            _ = try await APITokens.create(
                userId: user.id, name: "t", tokenHash: APIAuth.hash(token), prefix: "vk_", on: app.db)
            for body in [
                "{\"version\": 1, \"values\": {\"description\": \"\\ud800\"}}",
                "{\"version\": \"1e400\", \"values\": {}}", "[]", "{", "{\"version\": 1e400}",
            ] {
                let res = try await raw(
                    app, .PATCH, "/api/v1/records/activities/pll-hv-innforing", body: body, type: "application/json",
                    token: token)
                XCTAssertTrue((400..<500).contains(res.status.code), "\(body): \(res.status)")
                XCTAssertTrue(res.body.hasPrefix("{"), "JSON error")
            }
            // Deeply nested JSON is refused as a client error, never a crash or a 500.
            for deep in [
                String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
                String(repeating: "{\"a\":", count: 5_000) + "1" + String(repeating: "}", count: 5_000),
            ] {
                let res = try await raw(
                    app, .PATCH, "/api/v1/records/activities/pll-hv-innforing", body: deep, type: "application/json",
                    token: token)
                XCTAssertTrue((400..<500).contains(res.status.code), "deep JSON: \(res.status)")
                XCTAssertFalse(res.body.contains("DecodingError"))
            }
            let after2 = try await CouncilStore.allCases(on: app.db).count
            XCTAssertEqual(after2, before)
        }
    }

    func testPathTraversalNeverReachesTheFileSystem() async throws {
        try await TestApp.run { app in
            for path in [
                "/assets/../Package.swift", "/assets/%2e%2e/%2e%2e/Package.swift", "/assets/..%2f..%2fPackage.swift",
                "/assets/veikart.css/../../Package.swift",
                "/rad/..%2f..%2fetc/moter/2022-09-21", "/indikatorer/..%2fmetode",
            ] {
                let res = try await anonymousGet(app, path)
                XCTAssertFalse(res.body.contains("swift-tools-version"), path)
                XCTAssertNotEqual(res.status, .internalServerError, path)
            }
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let csrf = Client.csrf(in: try await editor.get("/prioritering").body)
            let res = try await editor.upload(
                "/prioritering", fields: ["_csrf": csrf, "id": "traversal", "tittel": "T"],
                file: ("fil", "../../../etc/passwd", "kriterium,a\nnavn,A\nmaaloppnaelse.realisering,x\n"))
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/passwd.veikart"))
            let round = try await ScoringStore.round("traversal", on: app.db)
            XCTAssertNil(round)
        }
    }
}
