import Fluent
import Persistence
import Prometheus
import Routes
import SQLKit
import Vapor

/// Health and metrics for operators.
struct OperationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.healthz, use: health)
        routes.get(.metrics, use: metrics)
    }

    struct Health: Content {
        let status: String
        let database: String
    }

    func health(req: Request) async throws -> Response {
        let ok: Bool
        do {
            try await req.db.sql.raw("SELECT 1").run()
            ok = true
        } catch {
            req.logger.warning("Health check: database unavailable: \(String(describing: error))")
            ok = false
        }
        let response = Response(status: ok ? .ok : .serviceUnavailable)
        try response.content.encode(Health(status: ok ? "ok" : "degradert", database: ok ? "ok" : "utilgjengelig"))
        return response
    }

    /// Only for Prometheus: `Authorization: Bearer $VEIKART_METRICS_TOKEN`. Without a configured token the route
    /// does not exist (what is counted — sign-in failures, cache hits — is nobody else's business).
    func metrics(req: Request) async throws -> Response {
        guard let token = req.application.settings.metricsToken else { throw Abort(.notFound) }
        let sent = req.headers.bearerAuthorization?.token ?? ""
        guard constantTimeEqual(sent, token) else {
            throw Abort(
                .unauthorized, headers: ["WWW-Authenticate": "Bearer"], reason: "Metrikkene krever et gyldig token.")
        }
        let r = Response(status: .ok, body: .init(string: Telemetry.registry.emitToString()))
        r.headers.contentType = HTTPMediaType(
            type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return r
    }
}
