import Crypto
import Foundation
import JWTKit
import Persistence
import Vapor

/// The relying-party side of OpenID Connect: discovery, the authorisation request with PKCE,
/// the code exchange and ID-token verification (signature from the provider's JWKS, issuer,
/// audience, expiry, nonce). Provider metadata and keys are cached; unknown keys trigger one refetch.
actor OpenIDConnect {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The provider could not be reached or answered with an error (as opposed to a token we refuse).
        var unavailable = false
    }

    struct Discovery: Decodable, Sendable {
        let issuer: String
        let authorization_endpoint: String
        let token_endpoint: String
        let jwks_uri: String
    }

    /// What an authorisation request needs remembered in the session until the provider sends the user back.
    struct Pending: Codable, Sendable {
        let state: String
        let nonce: String
        let verifier: String
        let next: String
    }

    struct Identity: Sendable, Equatable {
        let issuer: String
        let subject: String
        let email: String?
        let name: String?
    }

    struct IDTokenClaims: JWTIdentityToken {
        let iss: IssuerClaim
        let sub: SubjectClaim
        let aud: AudienceClaim
        let exp: ExpirationClaim
        let iat: IssuedAtClaim
        let nonce: String?
        var audience: AudienceClaim { aud }

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-OpenIDConnect.clockSkew))
            guard iat.value.timeIntervalSinceNow < OpenIDConnect.clockSkew else {
                throw JWTError.claimVerificationFailure(failedClaim: iat, reason: "issued in the future")
            }
        }
    }

    static let clockSkew: TimeInterval = 60
    let settings: OIDCSettings
    private var discovery: (value: Discovery, fetched: Date)?
    private var keys: (value: JWTKeyCollection, kids: Set<String>, fetched: Date)?

    init(settings: OIDCSettings) { self.settings = settings }

    // MARK: Authorisation request

    /// RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))).
    static func challenge(for verifier: String) -> String {
        Digests.base64url(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    func authorizationURL(for pending: Pending, client: any Vapor.Client) async throws -> String {
        let meta = try await metadata(client: client)
        guard var components = URLComponents(string: meta.authorization_endpoint) else {
            throw Failure(
                description: "invalid authorization_endpoint \(meta.authorization_endpoint)", unavailable: true)
        }
        let existing = components.queryItems ?? []
        components.queryItems =
            existing + [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: settings.clientId),
                URLQueryItem(name: "redirect_uri", value: settings.redirectURL),
                URLQueryItem(name: "scope", value: settings.scopes),
                URLQueryItem(name: "state", value: pending.state),
                URLQueryItem(name: "nonce", value: pending.nonce),
                URLQueryItem(name: "code_challenge", value: Self.challenge(for: pending.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
        // URLComponents leaves "+" alone in queries; a provider would read it as a space.
        let query = components.percentEncodedQuery
        components.percentEncodedQuery = query?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else {
            throw Failure(
                description: "invalid authorization_endpoint \(meta.authorization_endpoint)", unavailable: true)
        }
        return url
    }

    // MARK: Code exchange and verification

    func identity(code: String, pending: Pending, client: any Vapor.Client) async throws -> Identity {
        let meta = try await metadata(client: client)
        struct TokenRequest: Content {
            let grant_type: String, code: String, redirect_uri: String, client_id: String, code_verifier: String
        }
        struct TokenResponse: Content { let id_token: String? }
        let response: ClientResponse
        let body = TokenRequest(
            grant_type: "authorization_code", code: code, redirect_uri: settings.redirectURL,
            client_id: settings.clientId, code_verifier: pending.verifier)
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let secret = settings.clientSecret {
            headers.basicAuthorization = BasicAuthorization(
                username: Self.formEncoded(settings.clientId), password: Self.formEncoded(secret))
        }
        do {
            var request = ClientRequest(method: .POST, url: URI(string: meta.token_endpoint), headers: headers)
            try request.content.encode(body, as: .urlEncodedForm)
            response = try await client.send(request)
        } catch {
            throw Failure(description: "token endpoint unreachable: \(error)", unavailable: true)
        }
        guard response.status == .ok else {
            throw Failure(
                description:
                    """
                    token endpoint answered \(response.status.code): \
                    \(response.body.map { String(buffer: $0) }?.prefix(300) ?? "")
                    """
            )
        }
        guard let idToken = try response.content.decode(TokenResponse.self).id_token else {
            throw Failure(description: "token response without id_token")
        }
        let claims = try await verify(idToken, nonce: pending.nonce, client: client)
        let raw = try Self.payloadObject(of: idToken)
        // Only a provider that says, as a JSON boolean, that it verified the address may find an account by it:
        // a missing claim, "true" as a string or false leave the e-mail out.
        let emailVerified = Self.emailVerified(in: idToken)
        let email =
            emailVerified
            ? (raw[settings.emailClaim] as? String)?.trimmingCharacters(in: .whitespaces).lowercased() : nil
        return Identity(issuer: claims.iss.value, subject: claims.sub.value, email: email, name: raw["name"] as? String)
    }

    func verify(_ token: String, nonce: String, client: any Vapor.Client) async throws -> IDTokenClaims {
        // A key id we have not seen means the provider has rotated its keys since they were cached.
        let kid = try Self.headerObject(of: token)["kid"] as? String
        let collection = try await keyCollection(client: client, mustContain: kid)
        let claims = try await collection.verify(token, as: IDTokenClaims.self, expectedAudience: settings.clientId)
        guard claims.iss.value == settings.issuer else {
            throw Failure(description: "ID token from issuer \(claims.iss.value)")
        }
        guard let sent = claims.nonce, constantTimeEqual(sent, nonce) else {
            throw Failure(description: "ID token nonce does not match")
        }
        return claims
    }

    // MARK: Provider metadata

    private func metadata(client: any Vapor.Client) async throws -> Discovery {
        if let discovery, discovery.fetched.timeIntervalSinceNow > -3600 { return discovery.value }
        let url =
            settings.issuer.hasSuffix("/")
            ? settings.issuer + ".well-known/openid-configuration"
            : settings.issuer + "/.well-known/openid-configuration"
        let meta = try await fetch(Discovery.self, from: url, client: client)
        guard meta.issuer == settings.issuer else {
            throw Failure(
                description: "discovery names issuer \(meta.issuer), configured \(settings.issuer)", unavailable: true)
        }
        for endpoint in [meta.authorization_endpoint, meta.token_endpoint, meta.jwks_uri]
        where !OIDCSettings.isAllowed(endpoint) {
            throw Failure(description: "discovery endpoint \(endpoint) is not https", unavailable: true)
        }
        discovery = (meta, Date())
        return meta
    }

    /// The provider's keys, cached for an hour. ID tokens come straight from the token endpoint over TLS,
    /// so an unknown key id is a rotation at the provider, not an attacker's lever.
    private func keyCollection(client: any Vapor.Client, mustContain kid: String?) async throws -> JWTKeyCollection {
        if let keys, keys.fetched.timeIntervalSinceNow > -3600, kid.map(keys.kids.contains) ?? true {
            return keys.value
        }
        let meta = try await metadata(client: client)
        let jwks = try await fetch(JWKS.self, from: meta.jwks_uri, client: client)
        let collection = try await JWTKeyCollection().add(jwks: jwks)
        keys = (collection, Set(jwks.keys.compactMap { $0.keyIdentifier?.string }), Date())
        return collection
    }

    /// Any trouble reaching or reading the provider's documents means the provider is unavailable.
    private func fetch<T: Decodable>(_ type: T.Type, from url: String, client: any Vapor.Client) async throws -> T {
        let response: ClientResponse
        do { response = try await client.get(URI(string: url)) } catch {
            throw Failure(description: "\(url) unreachable: \(error)", unavailable: true)
        }
        guard response.status == .ok else {
            throw Failure(description: "\(url) answered \(response.status.code)", unavailable: true)
        }
        do { return try response.content.decode(T.self) } catch {
            throw Failure(description: "\(url) is not a valid \(T.self): \(error)", unavailable: true)
        }
    }

    // MARK: Helpers

    static func payloadObject(of token: String) throws -> [String: Any] { try segment(1, of: token) }

    /// `email_verified` is exactly the JSON value `true` (JSONDecoder refuses 1 and "true" for a Bool, unlike
    /// JSONSerialization's NSNumber bridging).
    static func emailVerified(in token: String) -> Bool {
        struct Claim: Decodable { let email_verified: Bool }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Digests.data(base64url: String(parts[1])) else { return false }
        return (try? JSONDecoder().decode(Claim.self, from: data))?.email_verified == true
    }
    static func headerObject(of token: String) throws -> [String: Any] { try segment(0, of: token) }

    private static func segment(_ index: Int, of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw Failure(description: "malformed ID token") }
        var base64 = parts[index].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw Failure(description: "malformed ID token segment") }
        return object
    }

    /// RFC 6749 §2.3.1: client credentials are form-encoded before Basic authentication.
    static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? value
    }

}

struct OpenIDConnectKey: StorageKey { typealias Value = OpenIDConnect }
