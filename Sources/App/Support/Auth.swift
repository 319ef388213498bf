import Domain
import Fluent
import Foundation
import Persistence
import Routes
import Vapor
import Views

struct PrincipalKey: StorageKey { typealias Value = Principal }
struct ViewerKey: StorageKey { typealias Value = Viewer }
struct AnonymousCSRFKey: StorageKey { typealias Value = String }

extension Request {
    /// The signed-in user, if any (set by `ViewerMiddleware`).
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The signed-in viewer the page frame shows, kept for error pages rendered outside `ViewerMiddleware`'s scope.
    var viewer: Viewer? {
        get { storage[ViewerKey.self] }
        set { storage[ViewerKey.self] = newValue }
    }

    /// The token every state-changing form carries. Signed in: the session's, created on first use. Anonymous (the
    /// sign-in form): a signed double-submit cookie, so no server state exists before sign-in.
    func csrfToken() -> String {
        if hasSession {
            if let token = session.data["csrf"] { return token }
            let token = Digests.randomToken()
            session.data["csrf"] = token
            return token
        }
        if let known = storage[AnonymousCSRFKey.self] { return known }
        let signer = application.cookieSigner
        let token: String
        if let raw = cookies[CookieName.csrf]?.string, signer.verify(raw, purpose: .csrf) != nil {
            token = raw
        } else {
            token = signer.sign(Digests.randomToken(), purpose: .csrf)
            setCookie(
                CookieName.csrf,
                HTTPCookies.Value(
                    string: token, path: "/", isSecure: application.settings.secureCookies,
                    isHTTPOnly: true, sameSite: .strict))
        }
        storage[AnonymousCSRFKey.self] = token
        return token
    }

    /// Every state-changing form carries the token; a mismatch is refused before anything happens.
    func verifyCSRF() throws {
        let sent = (try? content.get(String.self, at: "_csrf")) ?? ""
        let expected: String?
        if hasSession {
            expected = session.data["csrf"]
        } else if let raw = cookies[CookieName.csrf]?.string,
            application.cookieSigner.verify(raw, purpose: .csrf) != nil
        {
            expected = raw
        } else {
            expected = nil
        }
        guard let expected, !sent.isEmpty, constantTimeEqual(sent, expected) else {
            throw Abort(
                .forbidden, reason: "Skjemaet er utløpt eller ugyldig (CSRF). Last siden på nytt og prøv igjen.")
        }
    }

    /// The client's address: the peer's, or what a trusted proxy (`VEIKART_TRUSTED_PROXIES`) forwarded.
    var clientAddress: String {
        application.settings.trustedProxies.clientAddress(
            peer: remoteAddress?.ipAddress,
            forwardedFor: headers[.xForwardedFor])
    }

    /// Where a page that needs a signed-in user sends an anonymous visitor: sign in, then come back here.
    /// The route's own query parameters come along ("Ny aktivitet" for an initiative stays for that initiative).
    var signInRedirect: Abort {
        let back = QueryParameters.cacheKey(url)
        return Abort.redirect(
            to: SiteURL.signIn.path + "?neste="
                + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
    }

    /// Where a form sent without a session (it ended while the form was open) sends the browser: sign in, then back to
    /// the page the form was on — not to the form's address, which may have no page of its own.
    var signInRedirectFromForm: Abort {
        let referer = headers.first(name: .referer).flatMap(URLComponents.init(string:))
        let sameSite = referer.map {
            $0.host == nil || $0.host == headers.first(name: .host)?.split(separator: ":").first.map(String.init)
        }
        let back =
            sameSite == true
            ? SafeRedirect.path(referer.map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?" + $0 } ?? "") })
            : "/"
        return Abort.redirect(
            to: SiteURL.signIn.path + "?neste="
                + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
    }

    func requirePrincipal() throws -> Principal {
        guard let p = principal else { throw Abort(.unauthorized, reason: "Du må logge inn for å gjøre dette.") }
        return p
    }
}

/// Makes the strategy being shown available to every page's frame (`Site`). After the page cache: a cached page
/// carries its frame already. Paths that render no page skip it.
struct SiteMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        if ["/api/", "/assets/", "/healthz", "/metrics"].contains(where: { path.hasPrefix($0) }) {
            return try await next.respond(to: request)
        }
        // A database that cannot answer gives the neutral frame here; the handler reports the fault itself.
        let strategy = (try? await request.dataset())?.strategy
        return try await Site.$current.withValue(Site(strategy: strategy, publicURL: request.publicBaseURL)) {
            try await next.respond(to: request)
        }
    }
}

/// Loads the signed-in user from the session and makes a `Viewer` available to every page it renders.
struct ViewerMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Only requests that arrived with a session cookie have one; touching `session` otherwise would create one.
        guard request.hasSession, let raw = request.session.data["bruker"], let id = UUID(uuidString: raw),
            let user = try await Accounts.user(id: id, on: request.db), !user.disabled
        else {
            return try await next.respond(to: request)
        }
        let principal = try await Accounts.principal(for: user, on: request.db)
        request.principal = principal
        let dataset = try await request.dataset()
        let editable: Set<String>? =
            Access.isEditor(principal) ? nil : Access.actorsWritable(by: principal, in: dataset)
        let viewer = Viewer(
            name: principal.name,
            roleName: principal.role.name
                + (principal.actorSlugs.isEmpty
                    ? ""
                    : " for "
                        + principal.actorSlugs.sorted().compactMap { dataset.actor($0)?.shortName }.joined(
                            separator: ", ")),
            csrfToken: request.csrfToken(), editableActors: editable,
            canEditRoadmap: Access.isEditor(principal) || principal.role == .rapportor,
            canEditStructure: Access.canWriteStructure(principal), canManageUsers: Access.canManageUsers(principal))
        request.viewer = viewer
        return try await Viewer.$current.withValue(viewer) { try await next.respond(to: request) }
    }
}

/// Compares secrets without an early exit, so timing does not reveal how much of a guess was right.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
