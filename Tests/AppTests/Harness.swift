import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import Vapor
import XCTVapor
import XCTest

@testable import App

/// Runs a test against the real app on a real, fresh database: a temporary SQLite file, or with
/// `TEST_DATABASE=postgres` a new schema in the PostgreSQL at `TEST_POSTGRES_URL` (loopback).
enum TestApp {
    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["TEST_DATABASE"] == "postgres" }
    static var postgresURL: String {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]
            ?? "postgres://veikart:veikart@127.0.0.1:5432/veikart_test"
    }
    static let today = Day(year: 2026, month: 11, day: 22)!

    @TaskLocal static var secondInstanceSettings: Settings?

    /// Inside `run`: another instance of the app on the same database (its own read model, page cache and
    /// connection pool), as a second server behind a load balancer would be.
    static func withSecondInstance(_ body: (Application) async throws -> Void) async throws {
        guard var settings = secondInstanceSettings else {
            return XCTFail("withSecondInstance is for use inside TestApp.run")
        }
        settings.seedIfEmpty = false
        let other = try await Application.make(.testing)
        other.logger.logLevel = .warning
        do {
            try await configure(other, settings: settings)
            try await body(other)
        } catch {
            try await other.asyncShutdown()
            throw error
        }
        try await other.asyncShutdown()
    }

    static func run(
        seed: Bool = true, oidc: OIDCSettings? = nil, adjust: (inout Settings) -> Void = { _ in },
        _ body: (Application) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-test-\(schema).sqlite")
            .path
        let database: Settings.DatabaseChoice =
            usesPostgres ? .postgres(url: postgresURL, searchPath: [String(schema)]) : .sqliteFile(sqlitePath)
        let fixedToday = today
        var failure: (any Error)?
        do {
            var settings = Settings(database: database, seedIfEmpty: seed, today: { fixedToday }, oidc: oidc)
            adjust(&settings)
            try await configure(app, settings: settings)
            try await Self.$secondInstanceSettings.withValue(settings) { try await body(app) }
        } catch {
            failure = error
        }
        if usesPostgres {
            try? await app.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: String(schema)) CASCADE").run()
        } else {
            try? FileManager.default.removeItem(atPath: sqlitePath)
        }
        try await app.asyncShutdown()
        if let failure { throw failure }
    }
}

extension XCTHTTPResponse {
    var text: String { body.string }
}

func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

/// An account with the tests' password (cheap bcrypt cost; the real cost is tested elsewhere).
func makeUser(_ app: Application, _ email: String, _ role: Role, actors: [String] = [], name: String? = nil)
    async throws
{
    _ = try await Accounts.create(
        email: email, name: name ?? email, passwordHash: try Bcrypt.hash(EditingTests.password, cost: 4), role: role,
        actors: actors, on: app.db)
}

/// A user with the given role, signed in through the real form.
func signedIn(_ app: Application, _ email: String, _ role: Role, actors: [String] = [], name: String? = nil)
    async throws -> Client
{
    try await makeUser(app, email, role, actors: actors, name: name)
    var client = Client(app: app)
    try await client.mustSignIn(email, EditingTests.password)
    return client
}

/// A bearer token for a new account, and JSON requests with it.
enum APIClient {
    static func token(for email: String, _ role: Role, actors: [String] = [], app: Application) async throws -> String {
        let user = try await Accounts.create(
            email: email, name: email, passwordHash: try Bcrypt.hash(EditingTests.password, cost: 4), role: role,
            actors: actors, on: app.db)
        let token = APIAuth.newToken()
        _ = try await APITokens.create(
            userId: user.id, name: "test", tokenHash: APIAuth.hash(token), prefix: String(token.prefix(10)), on: app.db)
        return token
    }

    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String?, _ body: [String: Any]? = nil
    ) async throws
        -> (HTTPStatus, [String: Any], Any)
    {
        var result: (HTTPStatus, [String: Any], Any) = (.ok, [:], [:])
        try await app.test(
            method, path,
            beforeRequest: { req in
                if let token { req.headers.bearerAuthorization = BearerAuthorization(token: token) }
                if let body {
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
                }
            },
            afterResponse: { res async throws in
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))
                result = (res.status, json as? [String: Any] ?? [:], json)
            })
        return result
    }
}
