import Crypto
import CryptoExtras
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Persistence
import Vapor
import XCTVapor

@testable import App

/// A small OpenID Connect provider for the tests, served over real HTTP on a loopback port: discovery,
/// JWKS, an authorisation endpoint that signs in whoever `nextUser` is, and a token endpoint that
/// checks the client secret, the redirect address, single use of the code and the PKCE verifier.
final class TestIdentityProvider: Sendable {
    /// How the token states `email_verified`: a JSON boolean, a string, or not at all.
    enum Verified: Sendable { case bool(Bool), string(String), missing }
    struct User: Sendable {
        var subject: String
        var email: String
        var verified: Verified = .bool(true)
        init(subject: String, email: String, emailVerified: Bool = true) {
            self.subject = subject
            self.email = email
            verified = .bool(emailVerified)
        }
        init(subject: String, email: String, verified: Verified) {
            self.subject = subject
            self.email = email
            self.verified = verified
        }
    }

    /// Ways the provider misbehaves, to prove Veikart refuses what it must.
    enum Tamper: String, Sendable, CaseIterable {
        case none, wrongAudience, expired, wrongNonce, wrongIssuer, foreignSignature, issuedInFuture
    }

    struct Grant: Sendable {
        let challenge: String
        let nonce: String
        let redirectURI: String
        let user: User
    }

    struct State: Sendable {
        var nextUser = User(subject: "helseid-1001", email: "vest@example.no")
        var tamper = Tamper.none
        var grants: [String: Grant] = [:]
        /// Token requests whose verifier matched the challenge.
        var pkceVerified = 0
        var activeKid = "nokkel-1"
        var publishedKids = ["nokkel-1"]
    }

    static let clientId = "veikart-test"
    /// Characters that must be form-encoded before Basic authentication.
    static let clientSecret = "hemmelig+/:&"

    let app: Application
    private let issuerBox = NIOLockedValueBox("")
    /// Known once the server has its port.
    var issuer: String { issuerBox.withLockedValue { $0 } }
    let state = NIOLockedValueBox(State())
    private let keys: [String: JWTKit.Insecure.RSA.PrivateKey]
    private let signers: JWTKeyCollection
    private let foreignSigner: JWTKeyCollection

    var settings: OIDCSettings {
        OIDCSettings(
            issuer: issuer, clientId: Self.clientId, clientSecret: Self.clientSecret,
            redirectURL: "http://127.0.0.1/logg-inn/oidc/tilbake", displayName: "HelseID")
    }

    private init(
        app: Application, keys: [String: JWTKit.Insecure.RSA.PrivateKey], signers: JWTKeyCollection,
        foreignSigner: JWTKeyCollection
    ) {
        self.app = app
        self.keys = keys
        self.signers = signers
        self.foreignSigner = foreignSigner
    }

    static func start() async throws -> TestIdentityProvider {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        var keys: [String: JWTKit.Insecure.RSA.PrivateKey] = [:]
        let signers = JWTKeyCollection()
        for kid in ["nokkel-1", "nokkel-2"] {
            let key = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            keys[kid] = key
            await signers.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        }
        let foreign = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let foreignSigner = await JWTKeyCollection().add(rsa: foreign, digestAlgorithm: .sha256, kid: "nokkel-1")
        let provider = TestIdentityProvider(app: app, keys: keys, signers: signers, foreignSigner: foreignSigner)
        provider.routes()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else {
            throw Abort(.internalServerError, reason: "no port")
        }
        provider.issuerBox.withLockedValue { $0 = "http://127.0.0.1:\(port)/idp" }
        return provider
    }

    func shutdown() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// A provider that signs with a new key, published next to the old one.
    func rotateKey() {
        state.withLockedValue {
            $0.activeKid = "nokkel-2"
            $0.publishedKids = ["nokkel-1", "nokkel-2"]
        }
    }

    /// What a browser does at the provider: open the authorisation address, get sent back with a code.
    func authorize(_ location: String) async throws -> (status: HTTPStatus, location: String?) {
        let origin = String(issuer.dropLast("/idp".count))
        guard location.hasPrefix(origin + "/") else {
            throw Abort(.badRequest, reason: "not this provider: \(location)")
        }
        let path = String(location.dropFirst(origin.count))
        var result: (HTTPStatus, String?) = (.ok, nil)
        try await app.test(
            .GET, path, afterResponse: { res async in result = (res.status, res.headers.first(name: .location)) })
        return result
    }

    private func routes() {
        let idp = app.grouped("idp")
        idp.get(".well-known", "openid-configuration") { [self] _ in
            let issuer = self.issuer
            return [
                "issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
                "jwks_uri": issuer + "/jwks",
            ]
        }
        idp.get("jwks") { [self] _ in
            let published = state.withLockedValue { $0.publishedKids }
            let jwks = try JWKS(
                keys: published.map { kid in
                    let primitives = try keys[kid]!.publicKey.getKeyPrimitives()
                    return JWK.rsa(
                        .rs256, identifier: JWKIdentifier(string: kid),
                        modulus: Digests.base64url(primitives.modulus),
                        exponent: Digests.base64url(primitives.publicExponent))
                })
            return try Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(data: JSONEncoder().encode(jwks)))
        }
        idp.get("authorize") { [self] req -> Response in
            let q = try req.query.decode([String: String].self)
            guard q["client_id"] == Self.clientId, q["response_type"] == "code", q["code_challenge_method"] == "S256",
                let challenge = q["code_challenge"], challenge.count >= 43, let redirect = q["redirect_uri"],
                let nonce = q["nonce"],
                let state = q["state"], q["scope"]?.split(separator: " ").contains("openid") == true
            else {
                throw Abort(.badRequest, reason: "invalid authorisation request")
            }
            let code = Digests.randomToken()
            self.state.withLockedValue {
                $0.grants[code] = Grant(challenge: challenge, nonce: nonce, redirectURI: redirect, user: $0.nextUser)
            }
            var back = URLComponents(string: redirect)!
            back.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: state)]
            return req.redirect(to: back.string!, redirectType: .normal)
        }
        idp.post("token") { [self] req -> Response in
            struct TokenRequest: Content {
                let grant_type: String
                let code: String
                let redirect_uri: String
                let code_verifier: String?
            }
            func refuse(_ error: String) -> Response {
                Response(
                    status: .badRequest, headers: ["Content-Type": "application/json"],
                    body: .init(string: #"{"error":"\#(error)"}"#))
            }
            guard let basic = req.headers.basicAuthorization, basic.username == Self.clientId,
                basic.password.removingPercentEncoding == Self.clientSecret
            else { return refuse("invalid_client") }
            let form = try req.content.decode(TokenRequest.self)
            // A code is used once, whatever the outcome.
            guard form.grant_type == "authorization_code",
                let grant = state.withLockedValue({ $0.grants.removeValue(forKey: form.code) })
            else {
                return refuse("invalid_grant")
            }
            guard form.redirect_uri == grant.redirectURI else { return refuse("invalid_grant") }
            guard let verifier = form.code_verifier, OpenIDConnect.challenge(for: verifier) == grant.challenge else {
                return refuse("invalid_grant")
            }
            let (tamper, kid) = state.withLockedValue { s in
                s.pkceVerified += 1
                return (s.tamper, s.activeKid)
            }
            let now = Date()
            let claims = IssuedClaims(
                iss: IssuerClaim(value: tamper == .wrongIssuer ? "https://falsk.example.no" : self.issuer),
                sub: SubjectClaim(value: grant.user.subject),
                aud: AudienceClaim(value: [tamper == .wrongAudience ? "en-annen-klient" : Self.clientId]),
                exp: ExpirationClaim(value: now.addingTimeInterval(tamper == .expired ? -600 : 300)),
                iat: IssuedAtClaim(
                    value: now.addingTimeInterval(tamper == .issuedInFuture ? 3600 : (tamper == .expired ? -900 : 0))),
                nonce: tamper == .wrongNonce ? "en-annen-nonce" : grant.nonce,
                email: grant.user.email, verified: grant.user.verified, name: "Test Testesen")
            let signer = tamper == .foreignSignature ? foreignSigner : signers
            let token = try await signer.sign(claims, kid: JWKIdentifier(string: kid))
            let body = try JSONSerialization.data(withJSONObject: [
                "access_token": "at-" + Digests.randomToken(), "token_type": "Bearer",
                "expires_in": 300, "id_token": token,
            ])
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: body))
        }
    }

    struct IssuedClaims: JWTPayload {
        let iss: IssuerClaim, sub: SubjectClaim, aud: AudienceClaim, exp: ExpirationClaim, iat: IssuedAtClaim
        let nonce: String, email: String, verified: Verified, name: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}

        enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, iat, nonce, email, email_verified, name }
        init(
            iss: IssuerClaim, sub: SubjectClaim, aud: AudienceClaim, exp: ExpirationClaim, iat: IssuedAtClaim,
            nonce: String,
            email: String, verified: Verified, name: String
        ) {
            self.iss = iss
            self.sub = sub
            self.aud = aud
            self.exp = exp
            self.iat = iat
            self.nonce = nonce
            self.email = email
            self.verified = verified
            self.name = name
        }
        init(from decoder: any Decoder) throws { fatalError("only issued") }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(iss, forKey: .iss)
            try c.encode(sub, forKey: .sub)
            try c.encode(aud, forKey: .aud)
            try c.encode(exp, forKey: .exp)
            try c.encode(iat, forKey: .iat)
            try c.encode(nonce, forKey: .nonce)
            try c.encode(email, forKey: .email)
            try c.encode(name, forKey: .name)
            switch verified {
            case .bool(let b): try c.encode(b, forKey: .email_verified)
            case .string(let s): try c.encode(s, forKey: .email_verified)
            case .missing: break
            }
        }
    }
}
