import APIContract
import Domain
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
            var (status, message) = Self.describe(error)
            // A decoder failing on a request without a body decoded stored data, not the client's: a server fault.
            if error is DecodingError, ![.POST, .PUT, .PATCH].contains(request.method) {
                (status, message) = (.internalServerError, "Det oppstod en feil på serveren. Prøv igjen senere.")
            }
            if status.code >= 500 {
                request.logger.report(error: error)
            }
            let response: Response
            if request.url.path.hasPrefix("/api/") {
                // The document's `Error` schema.
                response = Response(
                    status: status,
                    body: .init(
                        data: try JSONEncoder.api.encode(
                            Components.Schemas._Error(status: Int(status.code), message: message))))
                response.headers.contentType = .json
            } else {
                // Thrown out of the page's own `Site` scope: the frame speaks of the strategy this instance last knew.
                // The signed-in header too, so an error never looks like being signed out.
                let page = Site.$current.withValue(
                    Site(
                        strategy: request.application.readModel.latestStrategy,
                        publicURL: request.publicBaseURL)
                ) {
                    Viewer.$current.withValue(request.viewer) {
                        ErrorPageView.render(status: Int(status.code), message: message, path: request.url.path)
                    }
                }
                response = Response(status: status, body: .init(string: page))
                response.headers.contentType = .html
            }
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers where name.lowercased() == "retry-after" {
                    response.headers.replaceOrAdd(name: name, value: value)
                }
            }
            return response
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let decoding as DecodingError:
            return (.badRequest, DecodingProblem.describe(decoding) + " Kontroller formatet og prøv igjen.")
        case is EncodingError:
            return (.internalServerError, "Det oppstod en feil på serveren. Prøv igjen senere.")
        case let abort as any AbortError:
            switch abort.status {
            case .notFound:
                return (.notFound, abort.reason == "Not Found" ? "Siden eller ressursen finnes ikke." : abort.reason)
            case .payloadTooLarge: return (.payloadTooLarge, "Forespørselen er for stor.")
            case .methodNotAllowed: return (.methodNotAllowed, "Metoden er ikke tillatt her.")
            default:
                // 503 with our own sentence ("try again in ten seconds"); other server errors say nothing specific.
                if abort.status == .serviceUnavailable, abort is Abort, abort.reason != abort.status.reasonPhrase {
                    return (abort.status, abort.reason)
                }
                guard abort.status.code < 500 else {
                    return (abort.status, "Det oppstod en feil på serveren. Prøv igjen senere.")
                }
                // Vapor's own refusals carry English text; ours are Norwegian sentences.
                if let norwegian = Self.standardMessages[abort.status.code],
                    abort.reason == abort.status.reasonPhrase || !(abort is Abort) || Self.looksInternal(abort.reason)
                {
                    return (abort.status, norwegian)
                }
                return (abort.status, abort.reason)
            }
        default:
            if isDatabaseUnavailable(error) {
                return (
                    .serviceUnavailable,
                    "Databasen er midlertidig utilgjengelig. Prøv igjen om litt – ingenting er lagret halvt."
                )
            }
            return (.internalServerError, "Det oppstod en feil på serveren. Prøv igjen senere.")
        }
    }

    static let standardMessages: [UInt: String] = [
        400: "Forespørselen kunne ikke leses. Kontroller innholdet og prøv igjen.",
        401: "Du må logge inn for å gjøre dette.",
        403: "Du har ikke tilgang til dette.",
        406: "Formatet som ble bedt om, finnes ikke her.",
        411: "Forespørselen mangler lengde.",
        413: "Forespørselen er for stor.",
        415: "Innholdstypen støttes ikke her. Send skjemadata eller JSON.",
        422: "Innholdet kunne ikke behandles. Kontroller feltene og prøv igjen.",
        429: "For mange forespørsler. Vent litt og prøv igjen.",
    ]

    /// English library texts that must not reach users (Swift type names, debug descriptions).
    static func looksInternal(_ reason: String) -> Bool {
        [
            "Debug description", "codingPath", "DecodingError", "Swift.", "Could not convert", "Value of type",
            "No such key",
            "Unsupported", "Missing", "Invalid", "Expected", "keyNotFound", "typeMismatch", "valueNotFound",
            "dataCorrupted",
        ]
        .contains { reason.contains($0) }
    }

    /// Lost or refused database connections (PostgreSQL restarting, network gone, pool timing out, SQLite busy):
    /// the service is unavailable for a moment, not broken. Matched by type name so no driver is imported here.
    static func isDatabaseUnavailable(_ error: any Error) -> Bool {
        let type = String(reflecting: Swift.type(of: error))
        // PSQLError hides its details from `description`; `reflecting` gives the code and SQLSTATE.
        let text = String(reflecting: error)
        if [
            "NIOConnectionError", "ChannelError", "ConnectionPoolTimeoutError", "PostgresClient", "ConnectionPoolError",
            "IOError",
        ].contains(where: type.contains) {
            return true
        }
        if type.contains("PSQLError") {
            // Connection-level failures and the SQLSTATEs of a server shutting down or refusing connections.
            return [
                "connectionError", "serverClosedConnection", "connectionClosed", "uncleanShutdown", "poolClosed",
                "connectionQuiescing",
                "timeout", "57P01", "57P03", "08006", "08001", "08003",
            ].contains(where: text.contains)
        }
        if type.contains("SQLiteError") { return text.contains("busy") || text.contains("locked") }
        return false
    }
}

/// Security headers on every response. No inline script or style is ever needed.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h = response.headers
        if !h.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    """
                    default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src \
                    'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
                    """
            )
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()")
        if request.application.settings.servedOverTLS {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
