import Domain
import Foundation
import Vapor
import XCTVapor
import XCTest

@testable import App
@testable import Persistence  // reads the token rows to prove only a hash is stored

final class APIWriteTests: XCTestCase {
    static let password = EditingTests.password

    func token(for email: String, _ role: Role, actors: [String] = [], app: Application) async throws -> String {
        try await APIClient.token(for: email, role, actors: actors, app: app)
    }

    func patch(_ app: Application, _ id: String, token: String?, _ body: [String: Any]) async throws -> (
        HTTPStatus, [String: Any], Any
    ) {
        var result: (HTTPStatus, [String: Any], Any) = (.ok, [:], [:])
        try await app.test(
            .PATCH, "/api/v1/activities/\(id)",
            beforeRequest: { req in
                if let token { req.headers.bearerAuthorization = BearerAuthorization(token: token) }
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
            },
            afterResponse: { res async throws in
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))
                result = (res.status, json as? [String: Any] ?? [:], json)
            })
        return result
    }

    func openAPI(_ app: Application) async throws -> SchemaValidator {
        var doc: [String: Any] = [:]
        try await app.test(.GET, "/api/openapi.json") { res async throws in
            doc = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
        }
        return SchemaValidator(document: doc)
    }

    func currentVersion(_ app: Application, _ id: String) async throws -> Int64 {
        try await RoadmapWrites.record(Activity.self, id: id, on: app.db)!.version
    }

    func testPatchFollowsPermissionsVersionsAndValidationAsDocumented() async throws {
        try await TestApp.run { app in
            let vest = try await token(for: "vest@example.no", .rapportor, actors: ["helse-vest"], app: app)
            let schemas = try await openAPI(app)
            func conforms(_ value: Any, _ schema: String, _ line: UInt = #line) {
                let problems = schemas.validate(value, against: ["$ref": "#/components/schemas/\(schema)"], at: schema)
                XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"), line: line)
            }
            let v = try await currentVersion(app, "pll-hv-innforing")

            let anonymous = try await patch(app, "pll-hv-innforing", token: nil, ["version": v, "end": "2027"])
            XCTAssertEqual(anonymous.0, .unauthorized)
            conforms(anonymous.2, "Error")
            let forged = try await patch(
                app, "pll-hv-innforing", token: "vk_ikke-en-ekte-nokkel", ["version": v, "end": "2027"])
            XCTAssertEqual(forged.0, .unauthorized)

            let foreign = try await patch(
                app, "pll-hn-dips-arena", token: vest,
                ["version": try await currentVersion(app, "pll-hn-dips-arena"), "phase": "konsept"])
            XCTAssertEqual(foreign.0, .forbidden)
            conforms(foreign.2, "Error")
            let untouched = try await RoadmapWrites.record(Activity.self, id: "pll-hn-dips-arena", on: app.db)
            XCTAssertEqual(untouched?.record.phase.rawValue, "utvikling", "nothing changed")

            let invalid = try await patch(
                app, "pll-hv-innforing", token: vest, ["version": v, "start": "2024-13", "phase": "x"])
            XCTAssertEqual(invalid.0, .unprocessableEntity)
            conforms(invalid.2, "ValidationError")
            XCTAssertEqual(Set((invalid.1["errors"] as? [String: String] ?? [:]).keys), ["start", "phase"])

            let ok = try await patch(
                app, "pll-hv-innforing", token: vest,
                ["version": v, "end": "2027-Q2", "tentative": false, "reason": "API"])
            XCTAssertEqual(ok.0, .ok)
            conforms(ok.2, "ActivityRecord")
            let newVersion = try XCTUnwrap(ok.1["version"] as? Int)
            XCTAssertGreaterThan(newVersion, Int(v))
            XCTAssertEqual((ok.1["activity"] as? [String: Any])?["end"] as? String, "2027-Q2")

            let stale = try await patch(app, "pll-hv-innforing", token: vest, ["version": v, "end": "2030"])
            XCTAssertEqual(stale.0, .conflict)
            conforms(stale.2, "Conflict")
            XCTAssertEqual(
                ((stale.1["current"] as? [String: Any])?["activity"] as? [String: Any])?["end"] as? String, "2027-Q2")
            let kept = try await RoadmapWrites.record(Activity.self, id: "pll-hv-innforing", on: app.db)
            XCTAssertEqual(kept?.record.span.end, .quarter(2027, 2))

            let history = try await RoadmapWrites.history(
                entityType: "activity", entityId: "pll-hv-innforing", on: app.db)
            XCTAssertEqual(history.count, 1)
            XCTAssertEqual(history.first?.source, "api")
            XCTAssertEqual(history.first?.userEmail, "vest@example.no")
        }
    }

    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, _ body: [String: Any]? = nil)
        async throws -> (HTTPStatus, [String: Any], Any)
    {
        try await APIClient.send(app, method, path, token: token, body)
    }

    func testEveryRecordKindIsWritableThroughTheGenericEndpoint() async throws {
        try await TestApp.run { app in
            let editor = try await token(for: "red@example.no", .redaktor, app: app)
            let vest = try await token(for: "vest@example.no", .rapportor, actors: ["helse-vest"], app: app)
            let schemas = try await openAPI(app)
            func conforms(_ value: Any, _ schema: String, _ line: UInt = #line) {
                let problems = schemas.validate(value, against: ["$ref": "#/components/schemas/\(schema)"], at: schema)
                XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"), line: line)
            }
            let current = try await send(app, .GET, "/api/v1/records/initiatives/sfm", token: nil)
            XCTAssertEqual(current.0, .ok)
            conforms(current.2, "Record")
            let version = try XCTUnwrap(current.1["version"] as? Int)
            let saved = try await send(
                app, .PATCH, "/api/v1/records/initiatives/sfm", token: editor,
                ["version": version, "values": ["target": "SFM i alle journalsystemer innen 2027"], "reason": "API"])
            XCTAssertEqual(saved.0, .ok)
            conforms(saved.2, "Record")
            XCTAssertEqual((saved.1["values"] as? [String: String])?["target"], "SFM i alle journalsystemer innen 2027")
            let stale = try await send(
                app, .PATCH, "/api/v1/records/initiatives/sfm", token: editor,
                ["version": version, "values": ["target": "Annet"]])
            XCTAssertEqual(stale.0, .conflict)
            conforms(stale.2, "RecordConflict")
            let unknownField = try await send(
                app, .PATCH, "/api/v1/records/goals/1", token: editor, ["version": 1, "values": ["farge": "rød"]])
            XCTAssertEqual(unknownField.0, .unprocessableEntity)
            conforms(unknownField.2, "ValidationError")
            let structure = try await send(
                app, .PATCH, "/api/v1/records/goals/1", token: vest, ["version": 1, "values": ["title": "X"]])
            XCTAssertEqual(structure.0, .forbidden)
            let milestone = try await send(app, .GET, "/api/v1/records/milestones/ki-hv-api", token: nil)
            let milestoneVersion = try XCTUnwrap(milestone.1["version"] as? Int)
            let own = try await send(
                app, .PATCH, "/api/v1/records/milestones/ki-hv-api", token: vest,
                ["version": milestoneVersion, "values": ["date": "2024-03"]])
            XCTAssertEqual(own.0, .ok)
            let unknownKind = try await send(app, .GET, "/api/v1/records/planeter/x", token: nil)
            XCTAssertEqual(unknownKind.0, .notFound)
            conforms(unknownKind.2, "Error")
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(d.initiative("sfm")?.target, "SFM i alle journalsystemer innen 2027")
            XCTAssertEqual(d.milestones.first { $0.id == "ki-hv-api" }?.date, .month(2024, 3))
        }
    }

    /// An API write never saw a pending draft, so it must not throw the draft away.
    func testAnAPIWriteKeepsAColleaguesDraft() async throws {
        try await TestApp.run { app in
            let vest = try await token(for: "vest@example.no", .rapportor, actors: ["helse-vest"], app: app)
            let v = try await currentVersion(app, "pll-hv-innforing")
            let saved = try await Drafts.save(
                .activity, id: "pll-hv-innforing",
                values: [
                    "phase": "innforing", "start": "2024", "end": "2030", "planning": "planlagt",
                    "description": "Utkast",
                ],
                baseVersion: v, reason: "", author: Author(userId: nil, email: "red@example.no", source: .ui),
                expectedDraftVersion: 0, on: app.db)
            XCTAssertEqual(saved, .done)
            let ok = try await patch(app, "pll-hv-innforing", token: vest, ["version": v, "end": "2027"])
            XCTAssertEqual(ok.0, .ok)
            let draft = try await Drafts.find(.activity, id: "pll-hv-innforing", on: app.db)
            XCTAssertEqual(draft?.values["description"], "Utkast")
            XCTAssertEqual(
                draft?.baseVersion, v, "now older than the published version, so publishing it will show a conflict")
        }
    }

    func testASignedInBrowserSessionCannotWriteThroughTheAPI() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let cookie = client.cookie
            try await app.test(
                .PATCH, "/api/v1/activities/pll-hv-innforing",
                beforeRequest: { req in
                    req.headers.replaceOrAdd(name: .cookie, value: cookie!)
                    try req.content.encode(["version": 1])
                },
                afterResponse: { res async in
                    XCTAssertEqual(res.status, .unauthorized, "cookies never authorise API writes (no CSRF hole)")
                })
        }
    }

    func testTokensAreShownOnceStoredHashedAndRevocable() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let account = try await client.get("/konto")
            let created = try await client.post(
                "/konto/nokler", ["_csrf": Client.csrf(in: account.body), "navn": "Porteføljeverktøy"])
            let token = String(
                try XCTUnwrap(created.body.firstMatch(of: /<code id="ny-nokkel">(vk_[A-Za-z0-9_-]+)<\/code>/)).1)
            let stored = try await APITokenModel.query(on: app.db).all()
            XCTAssertEqual(stored.count, 1)
            XCTAssertNotEqual(stored[0].tokenHash, token)
            XCTAssertEqual(stored[0].tokenHash, APIAuth.hash(token))
            let again = try await client.get("/konto")
            XCTAssertFalse(again.body.contains(token), "shown once")
            XCTAssertTrue(again.body.contains("Porteføljeverktøy"))
            let works = try await patch(
                app, "pll-hv-innforing", token: token,
                ["version": try await currentVersion(app, "pll-hv-innforing"), "description": "Via nøkkel"])
            XCTAssertEqual(works.0, .ok)
            let revoked = try await client.post(
                "/konto/nokler/\(stored[0].id!.uuidString)/trekk-tilbake", ["_csrf": Client.csrf(in: again.body)])
            XCTAssertTrue(revoked.body.contains("trukket tilbake"))
            let refused = try await patch(
                app, "pll-hv-innforing", token: token,
                ["version": try await currentVersion(app, "pll-hv-innforing"), "description": "Igjen"])
            XCTAssertEqual(refused.0, .unauthorized)
        }
    }

    func testChangePassword() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await client.get("/konto")
            let csrf = Client.csrf(in: page.body)
            let wrong = try await client.post(
                "/konto/passord", ["_csrf": csrf, "gammelt": "feil-feil-feil-1", "nytt": "et-nytt-langt-passord"])
            XCTAssertEqual(wrong.status, .unprocessableEntity)
            XCTAssertTrue(wrong.body.contains("Nåværende passord er feil."))
            let weak = try await client.post(
                "/konto/passord", ["_csrf": csrf, "gammelt": Self.password, "nytt": "kort"])
            XCTAssertEqual(weak.status, .unprocessableEntity)
            let ok = try await client.post(
                "/konto/passord", ["_csrf": csrf, "gammelt": Self.password, "nytt": "et-nytt-langt-passord"])
            XCTAssertTrue(ok.body.contains("Passordet er byttet."))
            var fresh = Client(app: app)
            let oldPassword = try await fresh.signIn("red@example.no", Self.password)
            XCTAssertEqual(oldPassword, .unauthorized)
            var fresh2 = Client(app: app)
            try await fresh2.mustSignIn("red@example.no", "et-nytt-langt-passord")
        }
    }

    func testFieldsAnEndpointNeverChangesAreRefusedNotIgnored() async throws {
        try await TestApp.run { app in
            let red = try await token(for: "red@example.no", .redaktor, app: app)
            let v = try await currentVersion(app, "pll-hv-innforing")
            let auditBefore = try await RoadmapWrites.auditTrail(on: app.db).count
            let moved = try await patch(
                app, "pll-hv-innforing", token: red, ["version": v, "actor": "helse-nord", "end": "2027"])
            XCTAssertEqual(moved.0, .unprocessableEntity)
            let errors = moved.1["errors"] as? [String: String] ?? [:]
            XCTAssertEqual(errors["actor"], "Feltet kan ikke endres gjennom API-et.")
            let unknown = try await patch(app, "pll-hv-innforing", token: red, ["version": v, "sluttdato": "2027"])
            XCTAssertEqual(unknown.0, .unprocessableEntity)
            XCTAssertTrue((unknown.1["errors"] as? [String: String])?["sluttdato"]?.hasPrefix("Ukjent felt") == true)
            let baseline = try await patch(app, "pll-hv-innforing", token: red, ["version": v, "baseline": "2026"])
            XCTAssertTrue(
                (baseline.1["errors"] as? [String: String])?["baseline"]?.contains("/api/v1/records/activities/")
                    == true)
            let after = try await currentVersion(app, "pll-hv-innforing")
            XCTAssertEqual(after, v, "nothing changed")
            let auditAfter = try await RoadmapWrites.auditTrail(on: app.db).count
            XCTAssertEqual(auditAfter, auditBefore, "nothing audited")
            // The generic record endpoint: top-level fields other than version, values and reason are refused too.
            var result: HTTPStatus = .ok
            try await app.test(
                .PATCH, "/api/v1/records/activities/pll-hv-innforing",
                beforeRequest: { req in
                    req.headers.bearerAuthorization = BearerAuthorization(token: red)
                    req.headers.contentType = .json
                    req.body = ByteBuffer(
                        data: try JSONSerialization.data(withJSONObject: [
                            "version": v, "values": [:], "id": "annen-id",
                        ]))
                }, afterResponse: { res async in result = res.status })
            XCTAssertEqual(result, .unprocessableEntity)
        }
    }
}
