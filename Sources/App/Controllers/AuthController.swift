import Domain
import Fluent
import Persistence
import Vapor
import Views

/// Sign in and out. The same message for an unknown account and a wrong password; the session id is
/// replaced at sign-in; failures are rate-limited per account and per address.
struct AuthController: RouteCollection {
    static let wrongCredentials = "Feil e-post eller passord."
    /// Compared against when the account does not exist, so both paths take the same time.
    static let dummyHash = try! Bcrypt.hash("veikart-dummy-passord", cost: 12)

    func boot(routes: any RoutesBuilder) throws {
        routes.get("logg-inn", use: form)
        routes.post("logg-inn", use: signIn)
        routes.post("logg-ut", use: signOut)
    }

    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 300 else { return "/" }
        return raw
    }

    func form(req: Request) async throws -> Response {
        let next = Self.safeNext(req.queryDictionary["neste"])
        return .html(LoginPageView.render(LoginPageModel(email: "", next: next, csrfToken: req.csrfToken(), error: nil)))
    }

    struct SignIn: Content {
        let epost: String
        let passord: String
        let neste: String?
    }

    func signIn(req: Request) async throws -> Response {
        try req.verifyCSRF()
        let input = try req.content.decode(SignIn.self)
        let email = input.epost.trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(input.neste)
        let keys = ["konto:" + email, "adresse:" + (req.remoteAddress?.ipAddress ?? "ukjent")]
        let limiter = req.application.storage[SignInLimiterKey.self]!
        func refuse(_ status: HTTPStatus, _ message: String) -> Response {
            let r = Response.html(LoginPageView.render(LoginPageModel(email: email, next: next, csrfToken: req.csrfToken(), error: message)))
            r.status = status
            return r
        }
        if limiter.isBlocked(keys) {
            return refuse(.tooManyRequests, "For mange mislykkede forsøk. Vent 15 minutter og prøv igjen.")
        }
        let user = try await Accounts.user(email: email, on: req.db)
        let ok = try await req.password.async.verify(input.passord, created: user?.passwordHash ?? Self.dummyHash)
        guard ok, let user, !user.disabled else {
            limiter.recordFailure(keys)
            req.logger.notice("Failed sign-in", metadata: ["address": .string(req.remoteAddress?.ipAddress ?? "")])
            return refuse(.unauthorized, Self.wrongCredentials)
        }
        limiter.reset(keys)
        // A new session id at sign-in: a fixated pre-login id is worth nothing.
        if let old = req.session.id { _ = try? await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["bruker"] = user.id!.uuidString
        _ = req.csrfToken()
        return req.redirect(to: next, redirectType: .normal)
    }

    func signOut(req: Request) async throws -> Response {
        try req.verifyCSRF()
        req.session.destroy()
        return req.redirect(to: "/", redirectType: .normal)
    }
}
