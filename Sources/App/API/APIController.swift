import Vapor

/// JSON API under /api/v1: the document at /api/v1/openapi.json, and its operations (`APIHandlers`, generated
/// protocol) at their `SiteURL` locations behind `RouteGuard`.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        APIHandlers.registerDocumentRoutes(routes)
        try APIRuntime.register(APIHandlers(), on: routes)
    }
}
