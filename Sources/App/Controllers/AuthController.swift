import Domain
import Fluent
import Persistence
import Routes
import Vapor
import Views

/// Sign in and out, with a local password or through the configured OpenID Connect provider.
/// The same message for an unknown account and a wrong password; the session id is replaced at
/// sign-in; password attempts are slowed down per client and per client and account (`SignInThrottle`).
struct AuthController: RouteCollection {
    static let wrongCredentials = "Feil e-post eller passord."
    /// Compared against when the account does not exist, so both paths take the same time.
    static let dummyHash = try! Bcrypt.hash("veikart-dummy-passord", cost: 12)

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.signIn, use: form)
        routes.post(.signIn, use: signIn)
        routes.post(.signOut, use: signOut)
        routes.get(.signInOIDC, use: startOIDC)
        routes.get(.signInOIDCReturn, use: finishOIDC)
    }

    /// Free failures before each further attempt must wait (2 s, 4 s, 8 s …): for one account from one client, and
    /// for one client across accounts (password spraying; a shared office address leaves room for typos).
    static let freePerAccount = 5
    static let freePerClient = 10

    func form(req: Request) async throws -> Response {
        let next = SafeRedirect.path(req.queryDictionary["neste"])
        return loginPage(req, email: "", next: next, error: nil, status: .ok)
    }

    private func loginPage(_ req: Request, email: String, next: String, error: String?, status: HTTPStatus) -> Response
    {
        let page = LoginPageModel(
            email: email, next: next, csrfToken: req.csrfToken(), error: error,
            externalProvider: req.application.settings.oidc?.displayName)
        let response = Response.html(LoginPageView.render(page))
        response.status = status
        return response
    }

    struct SignIn: Content {
        let epost: String
        let passord: String
        let neste: String?
    }

    func signIn(req: Request) async throws -> Response {
        let input = try req.content.decode(SignIn.self)
        let email = input.epost.trimmingCharacters(in: .whitespaces).lowercased()
        let next = SafeRedirect.path(input.neste)
        let client = req.clientAddress
        // One IPv6 /64 is one client: a host usually has the whole range to pick addresses from.
        let throttled = TrustedProxies.throttleKey(client)
        func refuse(_ status: HTTPStatus, _ message: String) -> Response {
            loginPage(req, email: email, next: next, error: message, status: status)
        }
        let pairKey = "klient-konto:\(throttled)|\(email.prefix(200))"
        let verdict = try await SignInThrottle.begin(
            [
                .init(key: pairKey, free: Self.freePerAccount),
                .init(key: "klient:" + throttled, free: Self.freePerClient),
            ], on: req.db)
        guard case .allowed(let attempt) = verdict else {
            guard case .wait(let seconds) = verdict else { throw Abort(.internalServerError) }
            Telemetry.signInThrottled.increment()
            req.logger.notice(
                "Sign-in throttled", metadata: ["client": .string(client), "wait": .string(String(seconds))])
            let response = refuse(
                .tooManyRequests,
                "For mange mislykkede forsøk fra deg. Vent \(Self.duration(seconds)) og prøv igjen.")
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return response
        }
        let user = try await Accounts.user(email: email, on: req.db)
        let ok = try await req.password.async.verify(input.passord, created: user?.passwordHash ?? Self.dummyHash)
        guard ok, let user, !user.disabled else {
            Telemetry.signInFailures.increment()
            req.logger.notice(
                "Failed sign-in",
                metadata: ["client": .string(client), "known_account": .string(user == nil ? "nei" : "ja")])
            // The trail (append-only, chained) records failures against real accounts; guesses at addresses that have
            // no account go to the log and the metrics only, so a flood of them cannot grow the trail for good.
            if let user {
                try await Accounts.recordSignIn(
                    email: email, user: user, outcome: "sign-in-failed", client: client, method: "passord", on: req.db)
            }
            return refuse(.unauthorized, Self.wrongCredentials)
        }
        if let expiry = user.passwordExpiresAt, expiry < Date() {
            try await Accounts.recordSignIn(
                email: email, user: user, outcome: "sign-in-expired", client: client, method: "passord", on: req.db)
            return refuse(.unauthorized, "Det første passordet ditt er utløpt. Be en administrator om et nytt.")
        }
        try await SignInThrottle.succeeded(attempt: attempt, clearing: [pairKey], on: req.db)
        try await Accounts.recordSignIn(
            email: email, user: user, outcome: "sign-in", client: client, method: "passord", on: req.db)
        return try await startSession(req, user: user, next: next)
    }

    /// "3 sekunder", "1 minutt", "15 minutter".
    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return seconds == 1 ? "1 sekund" : "\(seconds) sekunder" }
        let minutes = (seconds + 59) / 60
        return minutes == 1 ? "1 minutt" : "\(minutes) minutter"
    }

    /// A new session id at sign-in: a fixated pre-login id is worth nothing.
    private func startSession(_ req: Request, user: Account, next: String) async throws -> Response {
        if let old = req.session.id {
            _ = try? await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["bruker"] = user.id.uuidString
        _ = req.csrfToken()
        // Those who keep the roadmap current start at their own work, unless they signed in from a page.
        let keepsRoadmap = [Role.rapportor.rawValue, Role.redaktor.rawValue].contains(user.role)
        let start = next == SiteURL.home.path && keepsRoadmap ? SiteURL.myWork.path : next
        return req.redirect(to: start, redirectType: .normal)
    }

    // MARK: OpenID Connect

    struct PendingCookie: Codable {
        let pending: OpenIDConnect.Pending
        let expires: Date
    }

    /// Sends the browser to the provider with a fresh state, nonce and PKCE verifier kept in the session.
    func startOIDC(req: Request) async throws -> Response {
        guard let provider = req.application.storage[OpenIDConnectKey.self] else { throw Abort(.notFound) }
        let next = SafeRedirect.path(req.queryDictionary["neste"])
        let pending = OpenIDConnect.Pending(
            state: Digests.randomToken(), nonce: Digests.randomToken(),
            verifier: Digests.randomToken(bytes: 48), next: next)
        let url: String
        do {
            url = try await provider.authorizationURL(for: pending, client: req.client)
        } catch let failure as OpenIDConnect.Failure {
            req.logger.error("OpenID Connect provider unavailable", metadata: ["reason": .string(failure.description)])
            return loginPage(
                req, email: "", next: next,
                error:
                    """
                    \(provider.settings.displayName) svarer ikke nå. Prøv igjen senere, eller logg inn med e-post \
                    og passord.
                    """,
                status: .badGateway)
        }
        // Kept by the browser, sealed, for ten minutes: no server state before sign-in.
        let sealed = try req.application.cookieSigner.seal(
            try JSONEncoder().encode(
                PendingCookie(
                    pending: pending,
                    expires: Date().addingTimeInterval(600))))
        req.setCookie(
            CookieName.oidc,
            HTTPCookies.Value(
                string: sealed, maxAge: 600, path: SiteURL.signInOIDC.path,
                isSecure: req.application.settings.secureCookies, isHTTPOnly: true, sameSite: .lax))
        return req.redirect(to: url, redirectType: .normal)
    }

    /// The provider sends the browser back here with a code (or an error) and the state we gave it.
    func finishOIDC(req: Request) async throws -> Response {
        guard let provider = req.application.storage[OpenIDConnectKey.self] else { throw Abort(.notFound) }
        let name = provider.settings.displayName
        // The pending request is used once: its cookie is cleared whatever happens next.
        let stored = req.cookies[CookieName.oidc].flatMap { req.application.cookieSigner.open($0.string) }
        req.setCookie(
            CookieName.oidc,
            HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                path: SiteURL.signInOIDC.path,
                isHTTPOnly: true, sameSite: .lax))
        guard let stored, let cookie = try? JSONDecoder().decode(PendingCookie.self, from: stored),
            cookie.expires > Date(),
            let state = req.queryDictionary["state"], constantTimeEqual(state, cookie.pending.state)
        else {
            let message = "Innloggingen kunne ikke fullføres: forespørselen er ugyldig eller utløpt. Prøv igjen."
            return loginPage(req, email: "", next: SiteURL.home.path, error: message, status: .badRequest)
        }
        let pending = cookie.pending
        if let error = req.queryDictionary["error"] {
            req.logger.notice(
                "OpenID Connect sign-in cancelled by provider", metadata: ["error": .string(String(error.prefix(100)))])
            return loginPage(
                req, email: "", next: pending.next, error: "\(name) avbrøt innloggingen (\(error.prefix(100))).",
                status: .unauthorized)
        }
        guard let code = req.queryDictionary["code"], !code.isEmpty else {
            return loginPage(
                req, email: "", next: pending.next, error: "\(name) sendte ingen innloggingskode. Prøv igjen.",
                status: .badRequest)
        }
        let identity: OpenIDConnect.Identity
        do {
            identity = try await provider.identity(code: code, pending: pending, client: req.client)
        } catch let failure as OpenIDConnect.Failure where failure.unavailable {
            req.logger.error("OpenID Connect provider unavailable", metadata: ["reason": .string(failure.description)])
            return loginPage(
                req, email: "", next: pending.next,
                error: "\(name) svarer ikke nå. Prøv igjen senere, eller logg inn med e-post og passord.",
                status: .badGateway)
        } catch {
            req.logger.warning(
                "OpenID Connect sign-in refused", metadata: ["reason": .string(String(describing: error))])
            return loginPage(
                req, email: "", next: pending.next,
                error: "Identiteten fra \(name) kunne ikke bekreftes. Prøv igjen, eller kontakt en administrator.",
                status: .unauthorized)
        }
        var user = try await Identities.user(issuer: identity.issuer, subject: identity.subject, on: req.db)
        if user == nil, let email = identity.email, let byEmail = try await Accounts.user(email: email, on: req.db),
            !byEmail.disabled
        {
            // First sign-in: the provider's verified e-mail finds the account an administrator created; from now on the
            // subject does.
            try await Identities.link(
                user: byEmail, issuer: identity.issuer, subject: identity.subject,
                author: Author(userId: byEmail.id.uuidString, email: byEmail.email, source: .ui), on: req.db)
            user = byEmail
        }
        guard let user, !user.disabled else {
            let who = identity.email.map { " som \($0)" } ?? ""
            req.logger.notice(
                "OpenID Connect identity without an account", metadata: ["issuer": .string(identity.issuer)])
            return loginPage(
                req, email: "", next: pending.next,
                error:
                    """
                    Du er logget inn hos \(name)\(who), men har ingen aktiv konto i Veikart. Be en administrator \
                    om å opprette en konto med denne e-postadressen.
                    """,
                status: .forbidden)
        }
        try await Accounts.recordSignIn(
            email: user.email, user: user, outcome: "sign-in", client: req.clientAddress, method: name, on: req.db)
        return try await startSession(req, user: user, next: pending.next)
    }

    func signOut(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: SiteURL.home.path, redirectType: .normal)
    }
}
