import Vapor
import Views

/// Renders every error for people: Norwegian HTML for pages, JSON `{status, message}` under /api.
/// Never shows stack traces, SQL or internal error text; those go to the log.
struct ErrorRenderingMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let abort as any AbortError where (300..<400).contains(abort.status.code) {
            return Response(status: abort.status, headers: abort.headers)
        } catch {
            let (status, message) = Self.describe(error)
            if status.code >= 500 {
                request.logger.report(error: error)
            }
            let response: Response
            if request.url.path.hasPrefix("/api/") {
                response = Response(status: status)
                try response.content.encode(APIError(status: Int(status.code), message: message))
            } else {
                response = Response(status: status, body: .init(string: ErrorPageView.render(status: Int(status.code), message: message, path: request.url.path)))
                response.headers.contentType = .html
            }
            return response
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return (.notFound, abort.reason == "Not Found" ? "Siden eller ressursen finnes ikke." : abort.reason)
            case .payloadTooLarge: return (.payloadTooLarge, "Forespørselen er for stor.")
            case .methodNotAllowed: return (.methodNotAllowed, "Metoden er ikke tillatt her.")
            default:
                return (abort.status, abort.status.code < 500 ? abort.reason : "Det oppstod en feil på serveren. Prøv igjen senere.")
            }
        default:
            if isDatabaseUnavailable(error) {
                return (.serviceUnavailable, "Databasen er midlertidig utilgjengelig. Prøv igjen om litt – ingenting er lagret halvt.")
            }
            return (.internalServerError, "Det oppstod en feil på serveren. Prøv igjen senere.")
        }
    }

    /// Lost or refused database connections (PostgreSQL restarting, network gone, pool timing out, SQLite busy):
    /// the service is unavailable for a moment, not broken. Matched by type name so no driver is imported here.
    static func isDatabaseUnavailable(_ error: any Error) -> Bool {
        let type = String(reflecting: Swift.type(of: error))
        // PSQLError hides its details from `description`; `reflecting` gives the code and SQLSTATE.
        let text = String(reflecting: error)
        if ["NIOConnectionError", "ChannelError", "ConnectionPoolTimeoutError", "PostgresClient", "ConnectionPoolError", "IOError"].contains(where: type.contains) {
            return true
        }
        if type.contains("PSQLError") {
            // Connection-level failures and the SQLSTATEs of a server shutting down or refusing connections.
            return ["connectionError", "serverClosedConnection", "connectionClosed", "uncleanShutdown", "poolClosed", "connectionQuiescing",
                    "timeout", "57P01", "57P03", "08006", "08001", "08003"].contains(where: text.contains)
        }
        if type.contains("SQLiteError") { return text.contains("busy") || text.contains("locked") }
        return false
    }
}

struct APIError: Content {
    let status: Int
    let message: String
}

/// Security headers on every response. No inline script or style is ever needed.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h = response.headers
        if !h.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy",
                value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()")
        return response
    }
}
