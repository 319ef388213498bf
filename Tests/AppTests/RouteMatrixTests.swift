import Domain
import Foundation
import Persistence
import Routes
import Vapor
import XCTVapor
import XCTest

@testable import App

/// Every POST route the application has × every role: a role the rules forbid is refused (403, or sent to sign in) and
/// nothing changes — no write leaves the data version where it was. A new POST route fails this test until it is
/// listed.
/// Record edits per own/foreign actor are PermissionMatrixTests.
final class RouteMatrixTests: XCTestCase {
    /// The rules as this test expects them, written independently of `SiteURL`: path pattern → the roles that may
    /// use it; `nil` for every signed-in user or anyone (their own account, signing in and out). A rule changed in
    /// `SiteURL` without changing it here fails `testTheRegisteredRulesAreTheExpectedOnes`.
    static let expected: [String: Set<Role>?] = [
        "/konto/passord": nil, "/konto/nokler": nil, "/konto/nokler/:id/trekk-tilbake": nil,
        "/konto/logg-ut-overalt": nil, "/logg-inn": nil, "/logg-ut": nil,
        "/admin/brukere": [.administrator], "/admin/brukere/:id": [.administrator],
        "/admin/brukere/:id/avslutt-innlogginger": [.administrator],
        "/rad/:council/rediger": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/medlemmer": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/medlemmer/avslutt": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter/:date/rediger": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter/:date/tilstand": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter/:date/saker/ny": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter/:date/saker/:case/rediger": [.sekretariat, .redaktor, .administrator],
        "/rad/:council/moter/:date/saker/:case/slett": [.sekretariat, .redaktor, .administrator],
        "/indikatorer/importer": [.redaktor, .administrator], "/indikatorer/:id/importer": [.redaktor, .administrator],
        "/prioritering": [.redaktor, .administrator], "/prioritering/modeller": [.redaktor, .administrator],
        "/prioritering/:round/kandidater": [.redaktor, .administrator],
        "/prioritering/:round/svar": [.redaktor, .administrator],
        "/prioritering/ny": [.redaktor, .administrator], "/prioritering/:round/publiser": [.redaktor, .administrator],
        "/status": [.redaktor, .administrator], "/status/:period/tilstand": [.redaktor, .administrator],
        "/status/:period/rett-opp": [.redaktor, .administrator],
        "/status/:period/rediger/:section": [.redaktor, .administrator],
        "/aktivitet/ny": [.redaktor, .rapportor, .administrator],
        "/milepael/ny": [.redaktor, .rapportor, .administrator], "/tiltak/ny": [.redaktor, .administrator],
        "/delmal/ny": [.redaktor, .administrator],
        "/mal/ny": [.redaktor, .administrator], "/aktor/ny": [.redaktor, .administrator],
        "/indikator/ny": [.redaktor, .administrator],
        "/mitt-arbeid": [.redaktor, .rapportor, .administrator],
        "/indikatorer/:id/verdier": [.redaktor, .administrator],
        "/indikatorer/:id/verdier/fjern": [.redaktor, .administrator],
        "/rapportering/ny": [.redaktor, .administrator], "/rapportering/:id/avslutt": [.redaktor, .administrator],
        "/rapportering/:id/slett": [.redaktor, .administrator], "/rapportering/:id/endre": [.redaktor, .administrator],
        "/veikart/versjoner/ny": [.redaktor, .administrator],
        "/rapportering/:id/:actor": [.redaktor, .rapportor, .administrator],
        "/rapportering/:id/:actor/lever": [.redaktor, .rapportor, .administrator],
        "/rapportering/:id/:actor/gjenapne": [.redaktor, .administrator],
    ]

    /// Path pattern → the roles that may use it, read from the locations the routes were registered at
    /// (`SiteURL.writeAccess`). `nil`: every signed-in user or anyone (their own account, signing in and out).
    static func rules(_ app: Application) -> [String: Set<Role>?] {
        var rules: [String: Set<Role>?] = [:]
        for route in app.routes.all where route.method == .POST {
            guard let url = route.userInfo[SiteURL.routeKey] as? SiteURL else { continue }
            let access = url.writeAccess
            rules[pattern(route)] = access == .anyone || access == .signedIn ? .some(nil) : access.roles
        }
        return rules
    }

    static func pattern(_ route: Route) -> String {
        "/"
            + route.path.map { c -> String in
                if case .parameter(let name) = c { return ":\(name)" }
                return c.description
            }.joined(separator: "/")
    }

    /// Record forms (`/<kind>/:id/rediger`, `/gjenopprett`, `/avvikle`, `/gjeninnfor`) follow `Access.canWrite` per
    /// record: PermissionMatrixTests and RecordLifecycleTests.
    static let recordRoutes = Set(
        RecordKind.allCases.flatMap { kind in
            ["rediger", "gjenopprett", "avvikle", "gjeninnfor"].map { "/\(kind.rawValue)/:id/\($0)" }
        }
    ).union(["/aktivitet/:id/flytt", "/milepael/:id/flytt"])

    static let parameters = [
        "council": "strategiradet", "date": "2022-09-21", "case": "35-22", "id": "00000000-0000-0000-0000-000000000000",
        "round": "ehelseradet-2022-09-21", "candidate": "pll", "period": "2024-Q1", "section": "helhet",
    ]

    /// Every POST route's path pattern, parameters written `:name`.
    static func postRoutes(_ app: Application) -> [String] {
        app.routes.all.filter { $0.method == .POST }.map(pattern)
    }

    /// A form sent after the session ended leads to sign in and then back to the page the form was on (not to the
    /// form's address, which may have no page); a foreign or missing Referer leads back to the front page.
    func testAFormSentWithoutASessionLeadsBackToItsPageAfterSigningIn() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get("/rad/strategiradet")
            let csrf = Client.csrf(in: page.body)
            for (referer, back) in [
                (
                    "http://localhost/rad/strategiradet?dato=2026-01-01",
                    "%2Frad%2Fstrategiradet%3Fdato%3D2026%2D01%2D01"
                ),
                ("https://evil.example/rad", "%2F"), ("", "%2F"),
            ] {
                var headers: HTTPHeaders = ["Host": "localhost", "Content-Type": "application/x-www-form-urlencoded"]
                if !referer.isEmpty { headers.add(name: .referer, value: referer) }
                try await app.test(
                    .POST, "/rad/strategiradet/rediger", headers: headers, body: ByteBuffer(string: "_csrf=\(csrf)")
                ) { res async in
                    XCTAssertEqual(res.status, .seeOther, referer)
                    XCTAssertEqual(res.headers.first(name: .location), "/logg-inn?neste=" + back, referer)
                }
            }
        }
    }

    /// What `RouteGuard` applies is what this test expects, route by route.
    func testTheRegisteredRulesAreTheExpectedOnes() async throws {
        try await TestApp.run { app in
            let rules = Self.rules(app)
            for (pattern, expected) in Self.expected.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(rules[pattern], .some(expected), pattern)
            }
            let unexpected = rules.keys.filter {
                Self.expected[$0] == nil && !Self.recordRoutes.contains($0) && !$0.hasPrefix("/api/")
            }.sorted()
            XCTAssertEqual(unexpected, [], "a new POST route needs its expected rule here")
        }
    }

    /// Every route is registered at a typed location, so its rule is known and applied by `RouteGuard`.
    func testEveryRouteHasALocationAndEveryWriteARule() async throws {
        try await TestApp.run { app in
            let untyped = app.routes.all.filter { $0.userInfo[SiteURL.routeKey] == nil }.map {
                "\($0.method) \(Self.pattern($0))"
            }
            XCTAssertEqual(untyped, [], "register routes with a SiteURL")
            for route in app.routes.all where route.method != .GET {
                let url = try XCTUnwrap(route.userInfo[SiteURL.routeKey] as? SiteURL)
                XCTAssertEqual(url.path.hasPrefix("/api/"), url.writeAccess == .apiToken, "\(Self.pattern(route))")
            }
        }
    }

    func testEveryPostRouteIsListedAndRefusesTheRolesItMust() async throws {
        try await TestApp.run { app in
            let routes = Self.postRoutes(app)
            let rules = Self.rules(app)
            let unlisted = routes.filter {
                rules[$0] == nil && !Self.recordRoutes.contains($0) && !$0.hasPrefix("/api/")
            }
            XCTAssertEqual(unlisted, [], "every POST route needs a rule in this matrix")
            var clients: [(Role?, Client)] = [(nil, Client(app: app))]
            for role in Role.allCases {
                clients.append(
                    (
                        role,
                        try await signedIn(
                            app, "\(role.rawValue)@example.no", role, actors: role == .rapportor ? ["helse-vest"] : [])
                    ))
            }
            var refused = 0
            for (role, var client) in clients {
                let home = try await client.get("/")
                let csrf =
                    Client.csrf(in: home.body).isEmpty
                    ? Client.csrf(in: try await client.get("/konto").body) : Client.csrf(in: home.body)
                // API writes take bearer tokens only: a signed-in browser's cookies authorise nothing there
                // (RecordLifecycleTests and APIWriteTests cover the roles).
                for route in routes.sorted() where route.hasPrefix("/api/") {
                    var path = route
                    for (name, value) in ["kind": "activities", "id": "pll-hv-innforing"] {
                        path = path.replacingOccurrences(of: ":\(name)", with: value)
                    }
                    let versionBefore = try await DatasetStore.version(on: app.db)
                    let res = try await client.post(path, ["_csrf": csrf, "versjon": "1", "version": "1"])
                    XCTAssertEqual(res.status, .unauthorized, "\(role?.rawValue ?? "anonymous") \(path) with cookies")
                    let versionAfter = try await DatasetStore.version(on: app.db)
                    XCTAssertEqual(versionAfter, versionBefore)
                }
                for route in routes.sorted() where !Self.recordRoutes.contains(route) && !route.hasPrefix("/api/") {
                    // self-service routes
                    guard let allowedRoles = rules[route], let allowed = allowedRoles else { continue }
                    if let role, allowed.contains(role) { continue }  // allowed: its own tests cover what happens
                    var path = route
                    for (name, value) in Self.parameters {
                        path = path.replacingOccurrences(of: ":\(name)", with: value)
                    }
                    let versionBefore = try await DatasetStore.version(on: app.db)
                    let usersBefore = try await Accounts.all(on: app.db).count
                    let res = try await client.post(
                        path,
                        [
                            "_csrf": csrf, "versjon": "1", "tittel": "Matrise", "navn": "Matrise",
                            "startdato": "2030-01-01",
                            "periode": "2031-Q1", "id": "matrise", "epost": "matrise@example.no",
                            "rolle": "administrator",
                        ])
                    if role == nil {
                        XCTAssertTrue(
                            res.status == .unauthorized || res.status == .forbidden
                                || (res.status == .seeOther
                                    && res.headers.first(name: .location)?.hasPrefix("/logg-inn") == true),
                            "anonymous \(path): \(res.status)")
                    } else {
                        XCTAssertEqual(res.status, .forbidden, "\(role!.rawValue) \(path)")
                    }
                    let versionAfter = try await DatasetStore.version(on: app.db)
                    XCTAssertEqual(
                        versionAfter, versionBefore, "\(role?.rawValue ?? "anonymous") changed data through \(path)")
                    let usersAfter = try await Accounts.all(on: app.db).count
                    XCTAssertEqual(
                        usersAfter, usersBefore, "\(role?.rawValue ?? "anonymous") created a user through \(path)")
                    refused += 1
                }
            }
            XCTAssertGreaterThan(refused, 80)
        }
    }

    /// Every POST route refuses a request without the form's CSRF token before anything happens, for the roles that
    /// may otherwise use it (an editor, a secretary, an administrator) — and the sign-in form for anyone.
    func testEveryPostRouteRefusesAMissingCSRFToken() async throws {
        try await TestApp.run { app in
            let routes = Self.postRoutes(app)
            let rules = Self.rules(app)
            var checked = 0
            for role in [Role.redaktor, .sekretariat, .administrator] {
                var client = try await signedIn(app, "csrf-\(role.rawValue)@example.no", role)
                for route in routes.sorted() where !route.hasPrefix("/api/") {
                    let allowed =
                        Self.recordRoutes.contains(route)
                        ? role == .redaktor
                        : (rules[route].map { $0?.contains(role) ?? true } ?? false)
                    guard allowed else { continue }
                    var path = route
                    let id = route.hasPrefix("/indikatorer/") ? "epj-effektivt" : "pll-hv-innforing"
                    for (name, value) in Self.parameters.merging(["id": id]) { _, new in new } {
                        path = path.replacingOccurrences(of: ":\(name)", with: value)
                    }
                    let versionBefore = try await DatasetStore.version(on: app.db)
                    let sessionsBefore = try await SessionStore.count(on: app.db)
                    let res = try await client.post(
                        path, ["versjon": "1", "tittel": "Matrise", "navn": "Matrise", "role": "leser"])
                    XCTAssertEqual(res.status, .forbidden, "\(role.rawValue) \(path) without a token")
                    XCTAssertTrue(
                        res.body.contains("CSRF"), "\(role.rawValue) \(path): refused for the token, not something else"
                    )
                    let versionAfter = try await DatasetStore.version(on: app.db)
                    XCTAssertEqual(versionAfter, versionBefore, path)
                    let sessionsAfter = try await SessionStore.count(on: app.db)
                    XCTAssertEqual(sessionsAfter, sessionsBefore, "\(path) ended or made a session")
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 40)
            var anonymous = Client(app: app)
            let signIn = try await anonymous.post(
                "/logg-inn", ["epost": "csrf-redaktor@example.no", "passord": EditingTests.password])
            XCTAssertEqual(signIn.status, .forbidden)
        }
    }
}
