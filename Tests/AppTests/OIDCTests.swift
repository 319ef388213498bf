import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// OpenID Connect sign-in (authorisation code + PKCE) against a provider the test starts on a loopback port.
final class OIDCTests: XCTestCase {
    func withProvider(_ body: (Application, TestIdentityProvider) async throws -> Void) async throws {
        let provider = try await TestIdentityProvider.start()
        do {
            try await TestApp.run(oidc: provider.settings) { app in try await body(app, provider) }
        } catch {
            try await provider.shutdown()
            throw error
        }
        try await provider.shutdown()
    }

    /// Start at Veikart, visit the provider, come back; returns the callback's response.
    func signInThroughProvider(_ client: inout Client, _ provider: TestIdentityProvider, next: String = "/")
        async throws -> (status: HTTPStatus, body: String, headers: HTTPHeaders)
    {
        let start = try await client.get(
            "/logg-inn/oidc?neste=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        XCTAssertEqual(start.status, .seeOther, start.body)
        let toProvider = try XCTUnwrap(start.headers.first(name: .location))
        let atProvider = try await provider.authorize(toProvider)
        XCTAssertEqual(atProvider.status, .seeOther)
        let back = try XCTUnwrap(atProvider.location)
        XCTAssertTrue(back.hasPrefix("http://127.0.0.1/logg-inn/oidc/tilbake?"), back)
        return try await client.get(String(back.dropFirst("http://127.0.0.1".count)))
    }

    func testSignInWithCodeFlowAndPKCELinksTheAccountAndLaterFindsItBySubject() async throws {
        try await withProvider { app, provider in
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            provider.state.withLockedValue { $0.nextUser = .init(subject: "helseid-1001", email: "Vest@Example.no") }
            var client = Client(app: app)
            let login = try await client.get("/logg-inn")
            XCTAssertTrue(login.body.contains("Logg inn med HelseID"))
            XCTAssertTrue(login.body.contains(#"href="/logg-inn/oidc?neste="#))

            let start = try await client.get("/logg-inn/oidc?neste=%2Fveikart")
            let location = try XCTUnwrap(start.headers.first(name: .location))
            let query = Dictionary(
                uniqueKeysWithValues: (URLComponents(string: location)?.queryItems ?? []).map {
                    ($0.name, $0.value ?? "")
                })
            XCTAssertTrue(location.hasPrefix(provider.issuer + "/authorize?"))
            XCTAssertEqual(query["code_challenge_method"], "S256")
            XCTAssertEqual(query["client_id"], TestIdentityProvider.clientId)
            XCTAssertEqual(query["code_challenge"]?.count, 43, "S256 challenge is 32 bytes in base64url")
            XCTAssertGreaterThanOrEqual(query["state"]?.count ?? 0, 43)
            XCTAssertGreaterThanOrEqual(query["nonce"]?.count ?? 0, 43)
            XCTAssertNil(query["code_verifier"], "the verifier never leaves the server before the token request")
            let cookieBefore = client.cookie

            let atProvider = try await provider.authorize(location)
            let back = try await client.get(
                String(try XCTUnwrap(atProvider.location).dropFirst("http://127.0.0.1".count)))
            XCTAssertEqual(back.status, .seeOther, back.body)
            XCTAssertEqual(back.headers.first(name: .location), "/veikart")
            XCTAssertNotEqual(client.cookie, cookieBefore, "a new session id at sign-in")
            XCTAssertEqual(provider.state.withLockedValue { $0.pkceVerified }, 1)
            let account = try await client.get("/konto")
            XCTAssertEqual(account.status, .ok)
            XCTAssertTrue(account.body.contains("vest@example.no"))

            let found_user = try await Accounts.user(email: "vest@example.no", on: app.db)
            let user = try XCTUnwrap(found_user)
            let links = try await Identities.all(for: user, on: app.db)
            XCTAssertEqual(links.map(\.subject), ["helseid-1001"])
            XCTAssertEqual(links.map(\.issuer), [provider.issuer])

            // The e-mail claim changes at the provider; the bound subject still finds the account.
            var other = Client(app: app)
            provider.state.withLockedValue {
                $0.nextUser = .init(subject: "helseid-1001", email: "ny.adresse@example.no")
            }
            let again = try await signInThroughProvider(&other, provider)
            XCTAssertEqual(again.status, .seeOther, again.body)
            let value1 = try await other.get("/konto").body.contains("vest@example.no")
            XCTAssertTrue(value1)
        }
    }

    func testAnIdentityWithoutAnAccountOrWithAnUnverifiedEmailIsRefused() async throws {
        try await withProvider { app, provider in
            try await makeUser(app, "red@example.no", .redaktor)
            provider.state.withLockedValue { $0.nextUser = .init(subject: "helseid-2002", email: "ukjent@example.no") }
            var client = Client(app: app)
            let res = try await signInThroughProvider(&client, provider)
            XCTAssertEqual(res.status, .forbidden)
            XCTAssertTrue(res.body.contains("har ingen aktiv konto i Veikart"), res.body)
            XCTAssertTrue(res.body.contains("ukjent@example.no"))
            let value2 = try await client.get("/konto").status
            XCTAssertNotEqual(value2, .ok)

            // An e-mail the provider has not verified must not capture an existing account: false, a missing claim,
            // the string "true" — only the JSON boolean true counts.
            for (n, verified) in [TestIdentityProvider.Verified.bool(false), .missing, .string("true")].enumerated() {
                provider.state.withLockedValue {
                    $0.nextUser = .init(subject: "helseid-300\(n)", email: "red@example.no", verified: verified)
                }
                var sneaky = Client(app: app)
                let refused = try await signInThroughProvider(&sneaky, provider)
                XCTAssertEqual(refused.status, .forbidden, "\(verified)")
                let value3 = try await sneaky.get("/konto").status
                XCTAssertNotEqual(value3, .ok)
            }
            let found_red = try await Accounts.user(email: "red@example.no", on: app.db)
            let red = try XCTUnwrap(found_red)
            let value4 = try await Identities.all(for: red, on: app.db).count
            XCTAssertEqual(value4, 0)

            // A disabled account cannot sign in through the provider either.
            try await Accounts.update(
                red, role: .redaktor, actors: [], disabled: true, author: Author(userId: nil, email: nil, source: .cli),
                on: app.db)
            provider.state.withLockedValue { $0.nextUser = .init(subject: "helseid-4004", email: "red@example.no") }
            var disabled = Client(app: app)
            let value5 = try await signInThroughProvider(&disabled, provider).status
            XCTAssertEqual(value5, .forbidden)
            let linkedToDisabled = try await Identities.all(for: red, on: app.db).count
            XCTAssertEqual(linkedToDisabled, 0, "a disabled account is never linked")
        }
    }

    func testEveryForgedOrMisdirectedIDTokenIsRefused() async throws {
        try await withProvider { app, provider in
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            for tamper in TestIdentityProvider.Tamper.allCases where tamper != .none {
                provider.state.withLockedValue { $0.tamper = tamper }
                var client = Client(app: app)
                let res = try await signInThroughProvider(&client, provider)
                XCTAssertEqual(res.status, .unauthorized, "\(tamper)")
                XCTAssertTrue(res.body.contains("kunne ikke bekreftes"), "\(tamper)")
                let value6 = try await client.get("/konto").status
                XCTAssertNotEqual(value6, .ok, "\(tamper) must not sign in")
            }
            let found_user = try await Accounts.user(email: "vest@example.no", on: app.db)
            let user = try XCTUnwrap(found_user)
            let value7 = try await Identities.all(for: user, on: app.db).count
            XCTAssertEqual(value7, 0, "no identity is linked by a refused token")
            provider.state.withLockedValue { $0.tamper = .none }
            var client = Client(app: app)
            let value8 = try await signInThroughProvider(&client, provider).status
            XCTAssertEqual(value8, .seeOther)
        }
    }

    func testStateMustMatchAndACallbackWorksOnce() async throws {
        try await withProvider { app, provider in
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            var client = Client(app: app)
            let start = try await client.get("/logg-inn/oidc")
            let authorized = try await provider.authorize(try XCTUnwrap(start.headers.first(name: .location)))
            let back = try XCTUnwrap(authorized.location)
            let path = String(back.dropFirst("http://127.0.0.1".count))
            let forged = path.replacingOccurrences(of: "state=", with: "state=x")
            let wrongState = try await client.get(forged)
            XCTAssertEqual(wrongState.status, .badRequest)
            XCTAssertTrue(wrongState.body.contains("ugyldig eller utløpt"))
            // The wrong state consumed the pending request: the genuine callback now fails too, and nobody is signed
            // in.
            let value9 = try await client.get(path).status
            XCTAssertEqual(value9, .badRequest)
            let value10 = try await client.get("/konto").status
            XCTAssertNotEqual(value10, .ok)

            // A callback in a browser that never started a sign-in (e.g. a link someone else sent) is refused.
            var stranger = Client(app: app)
            let value11 = try await stranger.get("/logg-inn/oidc/tilbake?code=abc&state=def").status
            XCTAssertEqual(value11, .badRequest)

            // A provider-side error is reported in Norwegian, without signing in.
            var cancelled = Client(app: app)
            let started = try await cancelled.get("/logg-inn/oidc")
            let state = try XCTUnwrap(
                URLComponents(string: try XCTUnwrap(started.headers.first(name: .location)))?.queryItems?.first {
                    $0.name == "state"
                }?.value)
            let res = try await cancelled.get("/logg-inn/oidc/tilbake?error=access_denied&state=\(state)")
            XCTAssertEqual(res.status, .unauthorized)
            XCTAssertTrue(res.body.contains("HelseID avbrøt innloggingen (access_denied)"))
        }
    }

    func testKeyRotationAtTheProviderIsFollowed() async throws {
        try await withProvider { app, provider in
            try await makeUser(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            var first = Client(app: app)
            let value12 = try await signInThroughProvider(&first, provider).status
            XCTAssertEqual(value12, .seeOther)
            provider.rotateKey()
            var second = Client(app: app)
            let res = try await signInThroughProvider(&second, provider)
            XCTAssertEqual(res.status, .seeOther, "an unknown key id refetches the provider's keys: \(res.body)")
        }
    }

    func testAnUnreachableProviderGivesAClearMessage() async throws {
        let closed = OIDCSettings(
            issuer: "http://127.0.0.1:9/idp", clientId: "veikart", clientSecret: nil,
            redirectURL: "http://127.0.0.1/logg-inn/oidc/tilbake", displayName: "ID-porten")
        try await TestApp.run(oidc: closed) { app in
            var client = Client(app: app)
            let res = try await client.get("/logg-inn/oidc")
            XCTAssertEqual(res.status, .badGateway)
            XCTAssertTrue(res.body.contains("ID-porten svarer ikke nå"))
            XCTAssertTrue(res.body.contains("logg inn med e-post og passord"))
        }
    }

    func testWithoutConfigurationThereIsNoExternalSignIn() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let value13 = try await client.get("/logg-inn").body.contains("Logg inn med")
            XCTAssertFalse(value13)
            let value14 = try await client.get("/logg-inn/oidc").status
            XCTAssertEqual(value14, .notFound)
            let value15 = try await client.get("/logg-inn/oidc/tilbake?code=a&state=b").status
            XCTAssertEqual(value15, .notFound)
        }
    }

    func testConfigurationFromTheEnvironment() throws {
        XCTAssertNil(try OIDCSettings.fromEnvironment([:]))
        let full = try XCTUnwrap(
            try OIDCSettings.fromEnvironment([
                "VEIKART_OIDC_ISSUER": "https://helseid-sts.nhn.no", "VEIKART_OIDC_CLIENT_ID": "veikart",
                "VEIKART_OIDC_CLIENT_SECRET": "s",
                "VEIKART_OIDC_REDIRECT_URL": "https://veikart.example.no/logg-inn/oidc/tilbake",
                "VEIKART_OIDC_EMAIL_CLAIM": "helseid://claims/identity/email",
            ]))
        XCTAssertEqual(full.displayName, "HelseID")
        XCTAssertEqual(full.scopes, "openid profile email")
        XCTAssertEqual(full.emailClaim, "helseid://claims/identity/email")
        XCTAssertThrowsError(try OIDCSettings.fromEnvironment(["VEIKART_OIDC_ISSUER": "https://idp.example.no"])) {
            XCTAssertTrue("\($0)".contains("VEIKART_OIDC_CLIENT_ID mangler"))
        }
        XCTAssertThrowsError(
            try OIDCSettings.fromEnvironment([
                "VEIKART_OIDC_ISSUER": "https://idp.example.no", "VEIKART_OIDC_CLIENT_ID": "v",
            ])
        ) {
            XCTAssertTrue("\($0)".contains("VEIKART_OIDC_REDIRECT_URL mangler"))
        }
        XCTAssertThrowsError(
            try OIDCSettings.fromEnvironment([
                "VEIKART_OIDC_ISSUER": "http://idp.example.no", "VEIKART_OIDC_CLIENT_ID": "v",
                "VEIKART_OIDC_REDIRECT_URL": "https://v.example.no/x",
            ])
        ) {
            XCTAssertTrue("\($0)".contains("må være en https-adresse"))
        }
    }

    func testPasswordFailuresAreCountedInTheDatabaseForEveryInstance() async throws {
        try await TestApp.run { app in
            try await makeUser(app, "red@example.no", .redaktor)
            var client = Client(app: app)
            let token = Client.csrf(in: try await client.get("/logg-inn").body)
            for _ in 0..<AuthController.freePerAccount {
                _ = try await client.post(
                    "/logg-inn", ["_csrf": token, "epost": "red@example.no", "passord": "gjetting"])
            }
            // Another instance sees only the database: the wait holds there too, for this client and account.
            let rules: [SignInThrottle.Rule] = [
                .init(key: "klient-konto:ukjent|red@example.no", free: AuthController.freePerAccount)
            ]
            let rowsBefore = try await SignInThrottle.count(on: app.db)
            let blocked = try await SignInThrottle.begin(rules, on: app.db)
            guard case .wait(let seconds) = blocked else { return XCTFail("expected a wait, got \(blocked)") }
            let rowsAfter = try await SignInThrottle.count(on: app.db)
            XCTAssertEqual(rowsAfter, rowsBefore, "a refused attempt writes nothing")
            XCTAssertEqual(seconds, 2, "the first wait past the free attempts is two seconds")
            let later = try await SignInThrottle.begin(rules, now: Date().addingTimeInterval(3), on: app.db)
            guard case .allowed = later else { return XCTFail("the wait passes, got \(later)") }
            let windowLater = try await SignInThrottle.begin(
                rules, now: Date().addingTimeInterval(SignInThrottle.window + 5), on: app.db)
            guard case .allowed = windowLater else { return XCTFail("the window passes") }
        }
    }
}
