import Domain
import Fluent
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// The signed-in user's own account: password and personal API tokens.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.account, use: show)
        routes.post(.accountPassword, use: changePassword)
        routes.post(.accountTokens, use: createToken)
        routes.post(.accountTokenRevocation(":id"), use: revokeToken)
        routes.post(.accountSignOutEverywhere, use: signOutEverywhere)
    }

    func user(_ req: Request) async throws -> Account {
        guard let p = req.principal, let id = UUID(uuidString: p.userId),
            let user = try await Accounts.user(id: id, on: req.db)
        else {
            throw Abort.redirect(to: SiteURL.signIn.path(query: [("neste", SiteURL.account.path)]))
        }
        return user
    }

    func page(
        _ req: Request, _ user: Account, status: HTTPStatus = .ok, newToken: String? = nil, message: String? = nil,
        passwordError: String? = nil
    ) async throws -> Response {
        let format = DateFormatter()
        format.locale = Locale(identifier: "nb_NO")
        format.timeZone = TimeZone(identifier: "Europe/Oslo")
        format.dateFormat = "dd.MM.yyyy HH:mm"
        let tokens = try await APITokens.list(userId: user.id, on: req.db).map {
            AccountPageModel.Token(
                id: $0.id.uuidString, name: $0.name, prefix: $0.prefix, created: $0.createdAt.map(format.string) ?? "",
                lastUsed: $0.lastUsedAt.map(format.string) ?? "aldri", revoked: $0.revokedAt != nil)
        }
        let r = Response.html(
            AccountPageView.render(
                AccountPageModel(
                    email: user.email, roleName: Role(rawValue: user.role)?.name ?? user.role,
                    tokens: tokens, newToken: newToken, message: message, passwordError: passwordError,
                    otherSessions: try await SessionStore.count(
                        userId: user.id,
                        except: req.storage[LoadedSessionKey.self]?.key,
                        on: req.db))))
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    func show(req: Request) async throws -> Response { try await page(req, try await user(req)) }

    struct PasswordForm: Content {
        let gammelt: String
        let nytt: String
    }

    func changePassword(req: Request) async throws -> Response {
        let user = try await user(req)
        let form = try req.content.decode(PasswordForm.self)
        // The current password is guessed no faster than at sign-in: someone holding a stolen session must not
        // learn the password this way.
        let key = "konto-passord:\(user.id.uuidString)"
        let verdict = try await SignInThrottle.begin([.init(key: key, free: AuthController.freePerAccount)], on: req.db)
        guard case .allowed(let attempt) = verdict else {
            let seconds: Int
            if case .wait(let s) = verdict { seconds = s } else { seconds = 60 }
            let r = try await page(
                req, user, status: .tooManyRequests,
                passwordError: "For mange feil forsøk. Vent \(AuthController.duration(seconds)) og prøv igjen.")
            r.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return r
        }
        guard try await req.password.async.verify(form.gammelt, created: user.passwordHash) else {
            try await Accounts.recordSignIn(
                email: user.email, user: user, outcome: "password-check-failed", client: req.clientAddress,
                method: "bytt passord", on: req.db)
            return try await page(
                req, user, status: .unprocessableEntity, passwordError: "Nåværende passord er feil.")
        }
        try await SignInThrottle.succeeded(attempt: attempt, clearing: [key], on: req.db)
        if let problem = PasswordPolicy.problem(with: form.nytt) {
            return try await page(req, user, status: .unprocessableEntity, passwordError: problem)
        }
        // Whoever else holds a session of this account (a stolen cookie, a forgotten computer) is signed out.
        try await Accounts.changePassword(
            user, hash: try await req.password.async.hash(form.nytt),
            keepingSession: req.storage[LoadedSessionKey.self]?.key,
            author: Author(try req.requirePrincipal(), source: .ui), on: req.db)
        return try await page(req, user, message: "Passordet er byttet. Andre innlogginger på kontoen er avsluttet.")
    }

    /// Ends every session of the account, this one included (a lost phone, a shared computer).
    func signOutEverywhere(req: Request) async throws -> Response {
        let user = try await user(req)
        try await Accounts.endSessions(user, author: Author(try req.requirePrincipal(), source: .ui), on: req.db)
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path, redirectType: .normal)
    }

    struct TokenForm: Content { let navn: String? }

    func createToken(req: Request) async throws -> Response {
        let user = try await user(req)
        let name = (try req.content.decode(TokenForm.self).navn ?? "").trimmingCharacters(in: .whitespaces)
        let token = APIAuth.newToken()
        _ = try await APITokens.create(
            userId: user.id, name: name.isEmpty ? "API-nøkkel" : String(name.prefix(80)),
            tokenHash: APIAuth.hash(token), prefix: String(token.prefix(10)),
            author: Author(try req.requirePrincipal(), source: .ui), on: req.db)
        return try await page(req, user, newToken: token)
    }

    func revokeToken(req: Request) async throws -> Response {
        let user = try await user(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            try await APITokens.revoke(
                id: id, userId: user.id, author: Author(try req.requirePrincipal(), source: .ui), on: req.db)
        else {
            throw Abort(.notFound, reason: "Nøkkelen finnes ikke.")
        }
        return try await page(req, user, message: "Nøkkelen er trukket tilbake og virker ikke lenger.")
    }
}

/// Bearer tokens for the API. Cookies never authorise an API write, so the API needs no CSRF token.
enum APIAuth {
    static func newToken() -> String { "vk_" + Digests.randomToken() }

    static func hash(_ token: String) -> String {
        Digests.sha256Hex(token)
    }

    /// The token's user, looked up once per request.
    static func principal(_ req: Request) async throws -> Principal {
        if let known = req.storage[PrincipalKey.self] { return known }
        guard let bearer = req.headers.bearerAuthorization?.token, bearer.hasPrefix("vk_"),
            let user = try await APITokens.user(forTokenHash: hash(bearer), on: req.db)
        else {
            throw Abort(
                .unauthorized, headers: ["WWW-Authenticate": "Bearer"],
                reason: "Gyldig API-nøkkel mangler (Authorization: Bearer vk_…).")
        }
        let principal = try await Accounts.principal(for: user, on: req.db)
        req.storage[PrincipalKey.self] = principal
        return principal
    }

    private struct PrincipalKey: StorageKey { typealias Value = Principal }
}
