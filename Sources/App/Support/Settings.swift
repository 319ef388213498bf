import Domain
import Foundation
import Vapor

/// Everything configurable, read once from the environment.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String, searchPath: [String]?)
    }

    public var database: DatabaseChoice
    /// Load the shipped seed dataset when the database has none.
    public var seedIfEmpty: Bool
    /// The "today" line on roadmaps; fixed in tests and screenshots via VEIKART_TODAY=YYYY-MM-DD.
    public var today: @Sendable () -> Day
    /// Mark the session cookie Secure; set VEIKART_SECURE_COOKIES=1 whenever users reach Veikart over TLS.
    public var secureCookies: Bool
    /// Sign-in through a sector identity provider (HelseID, ID-porten, …); nil leaves only local accounts.
    public var oidc: OIDCSettings?
    /// The address users reach Veikart on (`VEIKART_PUBLIC_URL`, e.g. https://veikart.example.no), for links that leave
    /// the
    /// site such as calendar entries; without it the request's Host header is used.
    public var publicURL: String?
    /// Proxies whose `X-Forwarded-For` names the client (`VEIKART_TRUSTED_PROXIES`); nobody else's is believed.
    public var trustedProxies: TrustedProxies
    /// `/metrics` answers only with `Authorization: Bearer <token>` (`VEIKART_METRICS_TOKEN`); unset: not served.
    public var metricsToken: String?

    public init(
        database: DatabaseChoice, seedIfEmpty: Bool = true, today: @escaping @Sendable () -> Day = Settings.systemToday,
        secureCookies: Bool = false, oidc: OIDCSettings? = nil, publicURL: String? = nil,
        trustedProxies: TrustedProxies = .none, metricsToken: String? = nil
    ) {
        self.database = database
        self.seedIfEmpty = seedIfEmpty
        self.today = today
        self.secureCookies = secureCookies
        self.oidc = oidc
        self.publicURL = publicURL
        self.trustedProxies = trustedProxies
        self.metricsToken = metricsToken
    }

    /// Served over TLS (`VEIKART_PUBLIC_URL` is https): HSTS is sent.
    public var servedOverTLS: Bool { publicURL?.hasPrefix("https://") == true }

    public static let systemToday: @Sendable () -> Day = { Day(secondsSince1970: Date().timeIntervalSince1970) }

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// `DATABASE_URL` unset → `veikart.sqlite` in the working directory; `sqlite:///abs/path.sqlite`;
    /// `sqlite::memory:`; `postgres://…`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings
    {
        let database: DatabaseChoice
        switch env["DATABASE_URL"] {
        case nil, "":
            database = .sqliteFile(FileManager.default.currentDirectoryPath + "/veikart.sqlite")
        case let url? where url == "sqlite::memory:":
            database = .sqliteMemory
        case let url? where url.hasPrefix("sqlite://"):
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else {
                throw Invalid(description: "DATABASE_URL: bruk sqlite:///absolutt/sti.sqlite (fikk \(url))")
            }
            database = .sqliteFile(path)
        case let url? where url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"):
            database = .postgres(url: url, searchPath: nil)
        case let url?:
            throw Invalid(
                description: "DATABASE_URL må begynne med sqlite:// eller postgres:// (fikk \(url.prefix(20))…)")
        }
        var today = systemToday
        if let fixed = env["VEIKART_TODAY"], !fixed.isEmpty {
            guard let day = Day.parse(fixed) else {
                throw Invalid(description: "VEIKART_TODAY må være en dato ÅÅÅÅ-MM-DD")
            }
            today = { day }
        }
        let publicURL = try publicURL(env["VEIKART_PUBLIC_URL"])
        let trusted: TrustedProxies
        do { trusted = try TrustedProxies.parse(env["VEIKART_TRUSTED_PROXIES"]) } catch {
            throw Invalid(description: "VEIKART_TRUSTED_PROXIES: \(error.description)")
        }
        let metricsToken = env["VEIKART_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let metricsToken, metricsToken.count < 16 {
            throw Invalid(description: "VEIKART_METRICS_TOKEN må være minst 16 tegn")
        }
        // Secure cookies whenever users reach Veikart over https, unless explicitly turned off.
        let secure =
            env["VEIKART_SECURE_COOKIES"].map { ["1", "true", "ja"].contains($0.lowercased()) }
            ?? (publicURL?.hasPrefix("https://") == true)
        return Settings(
            database: database, seedIfEmpty: env["VEIKART_NO_SEED"] == nil, today: today, secureCookies: secure,
            oidc: try OIDCSettings.fromEnvironment(env), publicURL: publicURL, trustedProxies: trusted,
            metricsToken: metricsToken)
    }

    static func publicURL(_ raw: String?) throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw Invalid(
                description: "VEIKART_PUBLIC_URL må være en http(s)-adresse, f.eks. https://veikart.example.no")
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }
}

/// An OpenID Connect provider, used with the authorisation code flow and PKCE (S256).
public struct OIDCSettings: Sendable {
    /// Exactly as the provider's discovery document states it, e.g. `https://helseid-sts.nhn.no`.
    public var issuer: String
    public var clientId: String
    /// Sent with HTTP Basic authentication to the token endpoint; nil for a public client (PKCE only).
    public var clientSecret: String?
    /// The absolute address of `/logg-inn/oidc/tilbake` as registered with the provider.
    public var redirectURL: String
    /// The provider's name on the sign-in button, e.g. "HelseID".
    public var displayName: String
    public var scopes: String
    /// The ID-token claim holding the e-mail address that matches a Veikart account at first sign-in.
    public var emailClaim: String

    public init(
        issuer: String, clientId: String, clientSecret: String?, redirectURL: String, displayName: String = "HelseID",
        scopes: String = "openid profile email", emailClaim: String = "email"
    ) {
        self.issuer = issuer
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURL = redirectURL
        self.displayName = displayName
        self.scopes = scopes
        self.emailClaim = emailClaim
    }

    /// `VEIKART_OIDC_ISSUER` turns the provider on; then `VEIKART_OIDC_CLIENT_ID` and `VEIKART_OIDC_REDIRECT_URL` are
    /// required.
    public static func fromEnvironment(_ env: [String: String]) throws -> OIDCSettings? {
        func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let issuer = value("VEIKART_OIDC_ISSUER") else { return nil }
        guard let clientId = value("VEIKART_OIDC_CLIENT_ID") else {
            throw Settings.Invalid(description: "VEIKART_OIDC_ISSUER er satt, men VEIKART_OIDC_CLIENT_ID mangler")
        }
        guard let redirect = value("VEIKART_OIDC_REDIRECT_URL") else {
            throw Settings.Invalid(
                description:
                    """
                    VEIKART_OIDC_ISSUER er satt, men VEIKART_OIDC_REDIRECT_URL mangler (f.eks. \
                    https://veikart.example.no/logg-inn/oidc/tilbake)
                    """
            )
        }
        for (key, url) in [("VEIKART_OIDC_ISSUER", issuer), ("VEIKART_OIDC_REDIRECT_URL", redirect)]
        where !isAllowed(url) {
            throw Settings.Invalid(
                description: "\(key) må være en https-adresse (http bare mot 127.0.0.1/localhost), fikk \(url)")
        }
        return OIDCSettings(
            issuer: issuer, clientId: clientId, clientSecret: value("VEIKART_OIDC_CLIENT_SECRET"),
            redirectURL: redirect,
            displayName: value("VEIKART_OIDC_NAME") ?? "HelseID",
            scopes: value("VEIKART_OIDC_SCOPES") ?? "openid profile email",
            emailClaim: value("VEIKART_OIDC_EMAIL_CLAIM") ?? "email")
    }

    /// Tokens travel over these addresses: TLS everywhere except loopback (local development and tests).
    static func isAllowed(_ raw: String) -> Bool {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased()
        else { return false }
        return scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
    }
}

struct SettingsKey: StorageKey { typealias Value = Settings }

extension Application {
    public var settings: Settings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Request {
    var today: Day { application.settings.today() }

    /// `VEIKART_PUBLIC_URL`, or else the address this server listens on. Never the request's Host or X-Forwarded-*
    /// headers: answers are cached and shared, and a client must not choose the links other clients receive.
    var publicBaseURL: String {
        if let configured = application.settings.publicURL { return configured }
        let server = application.http.server.configuration
        let host = server.hostname.contains(":") ? "[\(server.hostname)]" : server.hostname
        return "http://\(host):\(server.port)"
    }
}
