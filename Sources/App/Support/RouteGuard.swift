import Domain
import Routes
import Vapor

/// Applies a location's access rule, and the CSRF check of every form write, before its handler runs: the one place
/// these are checked. An anonymous visitor where signing in is needed is sent to sign in first (a form sent after the
/// session ended included); a missing or wrong CSRF token is refused next, then a role the rule does not allow (403,
/// with the location's refusal text).
struct RouteGuard: AsyncMiddleware {
    let access: RouteAccess
    let refusal: String

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let writes = req.method != .GET && req.method != .HEAD
        let needsSignIn = access != .anyone && access != .apiToken
        if needsSignIn && req.principal == nil { throw writes ? req.signInRedirectFromForm : req.signInRedirect }
        if writes && access != .apiToken {
            // Route middleware runs before the route collects the body; the token is in it.
            if req.body.data == nil {
                _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
            }
            try req.verifyCSRF()
        }
        if needsSignIn && !access.allows(req.principal) { throw Abort(.forbidden, reason: refusal) }
        return try await next.respond(to: req)
    }
}

extension RoutesBuilder {
    /// Registers a page (GET) at a typed location, guarded by its read rule.
    @discardableResult
    func get<R: AsyncResponseEncodable>(_ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> R)
        -> Route
    {
        on(.GET, url, access: url.readAccess, use: closure)
    }

    /// Registers a form write (POST) at a typed location, guarded by its write rule and CSRF.
    @discardableResult
    func post<R: AsyncResponseEncodable>(_ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> R)
        -> Route
    {
        on(.POST, url, access: url.writeAccess, use: closure)
    }

    @discardableResult
    func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: SiteURL, access: RouteAccess,
        use closure: @escaping @Sendable (Request) async throws -> R
    ) -> Route {
        let path = url.components.map { PathComponent(stringLiteral: $0) }
        let route = grouped(RouteGuard(access: access, refusal: url.refusal)).on(method, path, use: closure)
        route.userInfo[SiteURL.routeKey] = url
        return route
    }
}

extension SiteURL {
    /// Where a registered route keeps its location, for the route matrix.
    static let routeKey = "site-url"
}
