import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import Vapor
import XCTVapor
import XCTest

@testable import App

/// The audit trail as evidence: security events are in it, each entry is chained to the one before, and a change
/// made behind Veikart's back is found by `AuditChain.verify` and shown on the history page.
final class AuditTrailTests: XCTestCase {
    func actions(_ app: Application, entityType: String) async throws -> [String] {
        try await RoadmapWrites.auditTrail(on: app.db).filter { $0.entityType == entityType }.map(\.entry.action)
    }

    func testSecurityEventsAreAuditedAndTheChainHolds() async throws {
        try await TestApp.run { app in
            var admin = try await signedIn(app, "admin@example.no", .administrator)
            // An administrator creates a user (generated password) in the form.
            let users = try await admin.get("/admin/brukere")
            let created = try await admin.post(
                "/admin/brukere",
                [
                    "_csrf": Client.csrf(in: users.body), "email": "ny@example.no", "name": "Ny",
                    "role": "leser",
                ])
            XCTAssertEqual(created.status, .ok)
            // Failed and successful sign-ins, a password change, an API key made and revoked.
            var user = Client(app: app)
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            _ = try await user.signIn("vest@example.no", "feil-passord-her")
            try await user.mustSignIn("vest@example.no", EditingTests.password)
            let account = try await user.get("/konto")
            _ = try await user.post("/konto/nokler", ["_csrf": Client.csrf(in: account.body), "navn": "Integrasjon"])
            let vest = try await Accounts.user(email: "vest@example.no", on: app.db)
            let tokens = try await APITokens.list(userId: try XCTUnwrap(vest?.id), on: app.db)
            let token = try XCTUnwrap(tokens.first)
            _ = try await user.post(
                "/konto/nokler/\(token.id.uuidString)/trekk-tilbake", ["_csrf": Client.csrf(in: account.body)])
            _ = try await user.post(
                "/konto/passord",
                [
                    "_csrf": Client.csrf(in: account.body), "gammelt": EditingTests.password,
                    "nytt": "et-helt-nytt-passord-2026",
                ])
            let userActions = try await actions(app, entityType: "user")
            for expected in ["create", "token-create", "token-revoke", "password"] {
                XCTAssertTrue(userActions.contains(expected), "\(expected) in \(userActions)")
            }
            var stranger = Client(app: app)
            _ = try await stranger.signIn("finnes-ikke@example.no", "hva-som-helst-123")
            let unknown = try await RoadmapWrites.auditTrail(on: app.db).filter {
                $0.entityId == "finnes-ikke@example.no"
            }
            XCTAssertTrue(unknown.isEmpty, "guesses at addresses without an account never grow the trail")
            // The current password on /konto is guessed no faster than at sign-in.
            var statuses: [HTTPStatus] = []
            let fresh = try await user.get("/konto")
            for _ in 0..<7 {
                statuses.append(
                    try await user.post(
                        "/konto/passord",
                        [
                            "_csrf": Client.csrf(in: fresh.body), "gammelt": "feil-gjetning-\(statuses.count)",
                            "nytt": "enda-et-nytt-passord-27",
                        ]
                    ).status)
            }
            XCTAssertEqual(statuses.filter { $0 == .unprocessableEntity }.count, 5, "\(statuses)")
            XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 2)
            let signIns = try await actions(app, entityType: "sign-in")
            XCTAssertTrue(signIns.contains("sign-in-failed"))
            XCTAssertTrue(signIns.contains("sign-in"))
            let trail = try await RoadmapWrites.auditTrail(on: app.db)
            XCTAssertFalse(
                trail.contains { "\($0.entry.before) \($0.entry.after)".contains("et-helt-nytt-passord") },
                "never a password")
            let report = try await AuditChain.verify(on: app.db)
            XCTAssertTrue(report.intact, report.problem ?? "")
            XCTAssertEqual(Int64(report.entries), report.headSeq)
            XCTAssertGreaterThan(report.entries, 8)
        }
    }

    func testConcurrentWritersKeepOneUnbrokenChain() async throws {
        try await TestApp.run { app in
            let db = app.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<24 {
                    group.addTask {
                        try await Accounts.recordSignIn(
                            email: "samtidig\(i)@example.no", user: nil, outcome: "sign-in-failed",
                            client: "203.0.113.\(i)", method: "passord", on: db)
                    }
                }
                try await group.waitForAll()
            }
            let report = try await AuditChain.verify(on: app.db)
            XCTAssertTrue(report.intact, report.problem ?? "")
            let failed = try await actions(app, entityType: "sign-in").filter { $0 == "sign-in-failed" }.count
            XCTAssertEqual(failed, 24)
        }
    }

    func testAChangeBehindVeikartsBackIsFound() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            _ = try await editor.submit("/aktivitet/pll-hv-innforing/rediger", ["end": "2028", "reason": "Ny plan"])
            _ = try await editor.submit(
                "/aktivitet/pll-hv-innforing/rediger", ["end": "2029", "reason": "Enda en plan"])
            let clean = try await editor.get("/aktivitet/pll-hv-innforing/historikk")
            XCTAssertTrue(clean.body.contains("ingen av oppføringene er endret"))
            let sql = app.db.sql
            try await sql.raw("UPDATE audit_log SET reason = 'Forfalsket' WHERE reason = 'Ny plan'").run()
            let report = try await AuditChain.verify(on: app.db)
            XCTAssertFalse(report.intact)
            XCTAssertEqual(report.problem, "innholdet er endret etter at det ble skrevet")
            let tampered = try await editor.get("/aktivitet/pll-hv-innforing/historikk")
            XCTAssertTrue(tampered.body.contains("stemmer ikke med revisjonssporets hashkjede"))
            // Put back, then remove an entry: the gap is found too.
            try await sql.raw("UPDATE audit_log SET reason = 'Ny plan' WHERE reason = 'Forfalsket'").run()
            let restored = try await AuditChain.verify(on: app.db)
            XCTAssertTrue(restored.intact, restored.problem ?? "")
            try await sql.raw("DELETE FROM audit_log WHERE reason = 'Ny plan'").run()
            let gap = try await AuditChain.verify(on: app.db)
            XCTAssertFalse(gap.intact)
            XCTAssertEqual(gap.problem?.hasSuffix("mangler"), true, gap.problem ?? "")
        }
    }

    func testAnImportNeverReplacesAnExistingTrail() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-trail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            _ = try await editor.submit(
                "/aktivitet/pll-hv-innforing/rediger", ["end": "2028", "reason": "Før eksporten"])
            _ = try await DatasetImport.exportFolder(folder, on: app.db)
            _ = try await editor.submit(
                "/aktivitet/pll-hv-innforing/rediger", ["end": "2029", "reason": "Etter eksporten"])
            let before = try await RoadmapWrites.historyRecords(on: app.db)
            _ = try await DatasetImport.importFolder(folder, on: app.db)
            let after = try await RoadmapWrites.historyRecords(on: app.db)
            XCTAssertEqual(
                Array(after.prefix(before.count)).map(\.id), before.map(\.id), "the trail is kept, entry for entry")
            XCTAssertEqual(after.count, before.count + 1)
            XCTAssertEqual(after.last?.action, "import")
            XCTAssertTrue(after.last?.reason.contains("ble ikke lastet") == true)
            let report = try await AuditChain.verify(on: app.db)
            XCTAssertTrue(report.intact, report.problem ?? "")
        }
    }

    func testAGeneratedFirstPasswordExpires() async throws {
        try await TestApp.run { app in
            _ = try await Accounts.create(
                email: "gammel@example.no", name: "Gammel",
                passwordHash: try Bcrypt.hash(EditingTests.password, cost: 4),
                role: .leser, actors: [], passwordExpiresAt: Date().addingTimeInterval(-60), on: app.db)
            var client = Client(app: app)
            let page = try await client.get("/logg-inn")
            let res = try await client.post(
                "/logg-inn",
                [
                    "_csrf": Client.csrf(in: page.body), "epost": "gammel@example.no",
                    "passord": EditingTests.password,
                ])
            XCTAssertEqual(res.status, .unauthorized)
            XCTAssertTrue(res.body.contains("Det første passordet ditt er utløpt"))
            XCTAssertNil(client.sessionCookie)
        }
    }

    func testTwoAdministratorsChangingOneUserDoNotOverwriteEachOther() async throws {
        try await TestApp.run { app in
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            var first = try await signedIn(app, "admin1@example.no", .administrator)
            var second = try await signedIn(app, "admin2@example.no", .administrator)
            let found = try await Accounts.user(email: "vest@example.no", on: app.db)
            let path = "/admin/brukere/\(try XCTUnwrap(found?.id).uuidString)"
            let a = try await first.get(path)
            let b = try await second.get(path)
            let saved = try await first.post(
                path,
                [
                    "_csrf": Client.csrf(in: a.body), "tilstand": Client.value(of: "tilstand", in: a.body),
                    "role": "redaktor",
                ])
            XCTAssertEqual(saved.status, .ok)
            let stale = try await second.post(
                path,
                [
                    "_csrf": Client.csrf(in: b.body), "tilstand": Client.value(of: "tilstand", in: b.body),
                    "role": "rapportor", "actors[]": "helse-nord",
                ])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.contains("En annen administrator har endret brukeren"))
            let reloaded = try await Accounts.user(email: "vest@example.no", on: app.db)
            let user = try XCTUnwrap(reloaded)
            let principal = try await Accounts.principal(for: user, on: app.db)
            XCTAssertEqual(principal.role, .redaktor, "the first change stands")
        }
    }
}
