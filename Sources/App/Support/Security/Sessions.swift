import Foundation
import Persistence
import Vapor

/// The cookie names Veikart sets. Only the session cookie identifies anyone.
enum CookieName {
    static let session = "veikart-sesjon"
    /// Anonymous forms (sign-in): a signed double-submit token, so no server state exists before sign-in.
    static let csrf = "veikart-csrf"
    /// The pending OpenID Connect sign-in (state, nonce, PKCE verifier), sealed, for ten minutes.
    static let oidc = "veikart-oidc"
}

struct LoadedSessionKey: StorageKey { typealias Value = StoredSession }
struct PendingCookiesKey: StorageKey { typealias Value = [String: HTTPCookies.Value] }

extension Request {
    /// Cookies a handler wants set on its response (applied by `SessionGate`).
    func setCookie(_ name: String, _ value: HTTPCookies.Value) {
        var pending = storage[PendingCookiesKey.self] ?? [:]
        pending[name] = value
        storage[PendingCookiesKey.self] = pending
    }
}

/// Runs before Vapor's sessions middleware and decides whether a request has a session at all: a session cookie
/// counts only if its signature is ours and its row is alive. Anything else is removed from the request, so a
/// made-up cookie neither skips the page cache nor creates a row; a cookie of an ended session is cleared.
struct SessionGate: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearStale = false
        if let raw = request.cookies[CookieName.session]?.string {
            var live: StoredSession?
            if let key = request.application.cookieSigner.verify(raw, purpose: .session) {
                // A database that cannot answer leaves the request without a session (the handler reports the
                // outage) but keeps the cookie: only a session the database says is gone is cleared.
                do {
                    live = try await SessionStore.find(key: key, on: request.db)
                    clearStale = live == nil
                } catch {}
            }
            if let live {
                request.storage[LoadedSessionKey.self] = live
            } else {
                var cookies = request.cookies
                cookies[CookieName.session] = nil
                request.cookies = cookies
            }
        }
        let response = try await next.respond(to: request)
        for (name, value) in request.storage[PendingCookiesKey.self] ?? [:] { response.cookies[name] = value }
        if clearStale, response.cookies[CookieName.session] == nil { response.cookies[CookieName.session] = .expired }
        return response
    }
}

/// Vapor's session driver over `SessionStore`: ids are random keys signed with the installation's secret; the
/// row is written at sign-in, when the values change, and at most every few minutes to record use.
struct SignedSessionDriver: SessionDriver {
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let key = Digests.randomToken()
            try await SessionStore.create(key: key, data: data.snapshot, on: request.db)
            return SessionID(string: request.application.cookieSigner.sign(key, purpose: .session))
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let loaded = request.storage[LoadedSessionKey.self]
        let key = request.application.cookieSigner.verify(sessionID.string, purpose: .session)
        let data = loaded.flatMap { $0.key == key ? SessionData(initialData: $0.data) : nil }
        return request.eventLoop.makeSucceededFuture(data)
    }

    func updateSession(
        _ sessionID: SessionID, to data: SessionData,
        for request: Request
    ) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            guard let key = request.application.cookieSigner.verify(sessionID.string, purpose: .session) else {
                return sessionID
            }
            let loaded = request.storage[LoadedSessionKey.self]
            try await SessionStore.update(loaded, key: key, data: data.snapshot, on: request.db)
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            guard let key = request.application.cookieSigner.verify(sessionID.string, purpose: .session) else { return }
            try await SessionStore.delete(key: key, on: request.db)
        }
    }
}
