import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// Every write route × every role × own/foreign actor: allowed exactly when `Access` says so, and a refusal changes
/// nothing.
final class PermissionMatrixTests: XCTestCase {
    /// A record of each kind, with the change to try. Activities and milestones come in an own (Helse Vest) and a
    /// foreign variant.
    static let targets: [(kind: RecordKind, id: String, field: String, value: String)] = [
        (.activity, "pll-hv-innforing", "description", "Matrise"),
        (.activity, "pll-hn-dips-arena", "description", "Matrise"),
        (.milestone, "ki-hv-api", "description", "Matrise"), (.milestone, "ps-minimum", "description", "Matrise"),
        (.initiative, "sfm", "target", "Matrise"), (.subgoal, "3.A", "description", "Matrise"),
        (.goal, "4", "description", "Matrise"), (.actor, "ahus", "description", "Matrise"),
    ]

    func testEveryWriteRouteRespectsEveryRole() async throws {
        try await TestApp.run { app in
            let d = try await DatasetStore.load(on: app.db)!
            var principals: [(name: String, principal: Principal?, token: String?, client: Client)] = [
                ("anonym", nil, nil, Client(app: app))
            ]
            for (role, actors) in [
                (Role.leser, [String]()), (.rapportor, ["helse-vest"]), (.redaktor, []), (.sekretariat, []),
                (.administrator, []),
            ] {
                let email = "\(role.rawValue)@example.no"
                let client = try await signedIn(app, email, role, actors: actors)
                let user = try await Accounts.user(email: email, on: app.db)!
                let token = APIAuth.newToken()
                _ = try await APITokens.create(
                    userId: user.id, name: "m", tokenHash: APIAuth.hash(token), prefix: "vk_", on: app.db)
                principals.append((role.rawValue, try await Accounts.principal(for: user, on: app.db), token, client))
            }
            var checked = 0
            var allowed = 0
            for var who in principals {
                for target in Self.targets {
                    let model = target.kind.recordType
                    let before = try await RoadmapWrites.record(model, id: target.id, on: app.db)!
                    let expected = Access.canWrite(before.record, who.principal, in: d)
                    // Through the form.
                    let formPath = "/\(target.kind.rawValue)/\(target.id)/rediger"
                    let page = try await who.client.get(formPath)
                    var values = before.record.formValues()
                    values[target.field] = "\(target.value) skjema \(who.name)"
                    values["_csrf"] =
                        Client.csrf(in: page.body).isEmpty
                        ? Client.csrf(in: try await who.client.get("/").body) : Client.csrf(in: page.body)
                    values["versjon"] = String(before.version)
                    let form = try await who.client.post(formPath, values)
                    let afterForm = try await RoadmapWrites.record(model, id: target.id, on: app.db)!
                    if expected {
                        XCTAssertEqual(form.status, .seeOther, "\(who.name) \(formPath)")
                        XCTAssertEqual(
                            afterForm.record.formValues()[target.field], "\(target.value) skjema \(who.name)")
                    } else {
                        if who.principal == nil {
                            XCTAssertEqual(form.status, .seeOther, "\(who.name) \(formPath)")
                            XCTAssertTrue(
                                form.headers.first(name: .location)?.hasPrefix("/logg-inn") == true,
                                "anonymous writers are sent to sign in")
                        } else {
                            XCTAssertEqual(form.status, .forbidden, "\(who.name) \(formPath)")
                        }
                        XCTAssertEqual(
                            afterForm.version, before.version, "\(who.name) changed \(formPath) through the form")
                    }
                    // Through the API.
                    var result: HTTPStatus = .ok
                    let token = who.token
                    try await app.test(
                        .PATCH, "/api/v1/records/\(target.kind.apiName)/\(target.id)",
                        beforeRequest: { req in
                            if let token { req.headers.bearerAuthorization = BearerAuthorization(token: token) }
                            req.headers.contentType = .json
                            req.body = ByteBuffer(
                                data: try JSONSerialization.data(withJSONObject: [
                                    "version": afterForm.version,
                                    "values": [target.field: "\(target.value) api \(who.name)"],
                                ]))
                        }, afterResponse: { res async in result = res.status })
                    let afterAPI = try await RoadmapWrites.record(model, id: target.id, on: app.db)!
                    if expected {
                        XCTAssertEqual(result, .ok, "\(who.name) API \(target.kind.apiName)/\(target.id)")
                    } else {
                        XCTAssertEqual(
                            result, who.principal == nil ? .unauthorized : .forbidden,
                            "\(who.name) API \(target.kind.apiName)/\(target.id)")
                        XCTAssertEqual(
                            afterAPI.version, afterForm.version, "\(who.name) changed \(target.id) through the API")
                    }
                    checked += 1
                    if expected { allowed += 1 }
                }
            }
            XCTAssertEqual(checked, 6 * Self.targets.count)
            XCTAssertEqual(
                allowed, 8 + 8 + 2,
                """
                the editor and the administrator write all 8 targets; the Helse Vest reporter its own activity \
                and milestone
                """
            )
            // Spot checks of the rules the matrix follows.
            XCTAssertTrue(
                Access.canWrite(d.activities.first { $0.id == "pll-hv-innforing" }!, principals[2].principal, in: d),
                "reporter: own activity")
            XCTAssertFalse(
                Access.canWrite(d.activities.first { $0.id == "pll-hn-dips-arena" }!, principals[2].principal, in: d),
                "reporter: foreign activity")
        }
    }
}
