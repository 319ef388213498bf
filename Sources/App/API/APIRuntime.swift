import APIContract
import Domain
import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIVapor
import Routes
import Vapor

/// Where the generated API (`APIProtocol`, from openapi.json) meets Vapor: its routes are registered at their `SiteURL`
/// behind `RouteGuard` like every other route, and each handler can reach the Vapor request (database, principal,
/// dataset) through `APIRequest.current`.
enum APIRuntime {
    /// Registers every operation of the document under `routes`.
    static func register(_ handlers: APIHandlers, on routes: any RoutesBuilder) throws {
        let transport = VaporTransport(routesBuilder: APIRoutes(base: routes))
        try handlers.registerHandlers(
            on: transport, serverURL: try Servers.Server1.url(),
            configuration: Configuration(jsonEncodingOptions: [.sortedKeys]), middlewares: [APIBodyChecks()])
    }

    /// The error a generated handler or the runtime threw, as the error middleware renders it: the handler's own error
    /// unwrapped from `ServerError`, and the runtime's refusals (a missing parameter, a body of the wrong type, a
    /// format it cannot send) as their HTTP status, which the error middleware words in Norwegian.
    static func unwrap(_ error: any Error) -> any Error {
        guard let server = error as? ServerError else { return error }
        let underlying = unwrap(server.underlyingError)
        let refusedByRuntime = (400..<500).contains(server.httpStatus.code)
        // Vapor counts every DecodingError as an AbortError (400); whose fault it is depends on where it was thrown:
        // the runtime reading the request (the client's), or the handler reading stored data (ours, a 500).
        if let decoding = underlying as? DecodingError {
            guard refusedByRuntime else { return StoredDataUnreadable(decoding: decoding) }
            return Abort(
                .badRequest, reason: DecodingProblem.describe(decoding) + " Kontroller formatet og prøv igjen.")
        }
        if underlying is any AbortError { return underlying }
        // The runtime refused the request itself (a required parameter or body missing, a content type it cannot
        // read): the client's error, in the runtime's status, worded in Norwegian.
        if refusedByRuntime {
            let status = HTTPResponseStatus(statusCode: server.httpStatus.code)
            return Abort(status, reason: runtimeRefusal(server.causeDescription) ?? status.reasonPhrase)
        }
        return underlying
    }

    /// The runtime's English description of what it refused, in Norwegian where it names something the client can
    /// fix; nil leaves the error middleware's general sentence for the status.
    static func runtimeRefusal(_ description: String) -> String? {
        if let range = description.range(of: "Missing required query parameter named: ") {
            let name = description[range.upperBound...].prefix(60)
            return "Parameteren «\(name)» mangler i adressen."
        }
        if description.contains("Missing required request body") {
            return "Forespørselen mangler innhold: send JSON (Content-Type: application/json)."
        }
        if description.contains("Unexpected content type") || description.contains("content type") {
            return "Innholdstypen støttes ikke her: send JSON (Content-Type: application/json)."
        }
        return nil
    }
}

/// A handler could not decode data it had stored: a server fault, never the client's 400.
struct StoredDataUnreadable: Error, CustomStringConvertible {
    let decoding: DecodingError
    var description: String { "stored data unreadable: \(decoding)" }
}

/// The Vapor request a generated handler is answering.
enum APIRequest {
    @TaskLocal static var current: Request?

    static func require() throws -> Request {
        guard let current else { throw Abort(.internalServerError, reason: "API handler without a request") }
        return current
    }
}

/// Registers the routes `VaporTransport` adds at their `SiteURL.api` location, behind the location's `RouteGuard` and
/// `APIRequestScope`, and records the location for the route matrix.
private struct APIRoutes: RoutesBuilder {
    let base: any RoutesBuilder

    func add(_ route: Route) {
        // VaporTransport adds /api/v1/… with `{name}` parameters already turned into `:name` components.
        let rest = route.path.dropFirst(2).map(\.description).joined(separator: "/")
        let url = SiteURL.api(rest)
        let access = route.method == .GET ? url.readAccess : url.writeAccess
        route.userInfo[SiteURL.routeKey] = url
        base.grouped(RouteGuard(access: access, refusal: url.refusal), APIRequestScope()).add(route)
    }
}

/// Around each generated route: authenticates a write and collects its body (VaporTransport streams it, and the
/// checks read it whole), reads the query as the pages do, binds `APIRequest.current`, and hands back a buffered
/// response with the header values as the document gives them.
private struct APIRequestScope: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A kind the document does not list names nothing: 404 before the runtime refuses it as a bad value.
        if let kind = req.parameters.get("kind") { _ = try APIHandlers.recordKind(kind) }
        // A write authenticates before its body is read: without a token it is a 401, whatever it sends.
        if req.method != .GET && req.method != .HEAD {
            _ = try await APIAuth.principal(req)
            if req.body.data == nil {
                _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
            }
        }
        // The API always answers JSON, whatever the client accepts (the runtime would refuse with 406, after a write
        // had been saved).
        req.headers.remove(name: .accept)
        // The runtime reads the query the pages' readers read: the route's parameters, the last value of each.
        let query = QueryParameters.lastValuesQuery(req.url)
        req.url.query = query.isEmpty ? nil : query
        let response: Response
        do {
            response = try await APIRequest.$current.withValue(req) { try await next.respond(to: req) }
        } catch {
            throw APIRuntime.unwrap(error)
        }
        // The runtime writes header values percent-encoded (`"7"` as `%227%22`); ETag and Location are sent as is.
        for name in [HTTPHeaders.Name.eTag, .location] {
            if let value = response.headers.first(name: name), let plain = value.removingPercentEncoding {
                response.headers.replaceOrAdd(name: name, value: plain)
            }
        }
        // The page cache and ETag middleware read a buffered body.
        if response.body.buffer == nil, response.body.count != 0,
            let buffer = try await response.body.collect(on: req.eventLoop).get()
        {
            response.body = .init(buffer: buffer)
        }
        return response
    }
}

/// Runs an operation's precondition (token, role, the thing addressed: `APIHandlers.preconditions`), then checks a
/// write's body as JSON before the generated code decodes it, so that what the schema cannot say is answered the way
/// the forms answer it: a field that cannot be changed here, or a value of the wrong type, is a 422 naming the field
/// in Norwegian, not a decoding failure.
struct APIBodyChecks: ServerMiddleware {
    func intercept(
        _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next:
            @Sendable (HTTPTypes.HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPTypes.HTTPResponse, HTTPBody?
            )
    ) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?) {
        let req = try APIRequest.require()
        let path = metadata.pathParameters.mapValues(String.init)
        try await APIHandlers.preconditions[operationID]?(req, path)
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        if let check = APIHandlers.bodyChecks[operationID],
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let refusal = try await check(object, path, req)
        {
            var response = HTTPTypes.HTTPResponse(status: .unprocessableContent)
            response.headerFields[.contentType] = "application/json; charset=utf-8"
            return (response, HTTPBody(try JSONEncoder.api.encode(refusal)))
        }
        // VaporTransport hands over path parameters already percent-decoded, and the runtime decodes them again
        // (`100%25` would become nothing): encoded once more, they arrive as the client sent them.
        var metadata = metadata
        metadata.pathParameters = metadata.pathParameters.mapValues {
            Substring(SiteURL.encode(String($0)))
        }
        // The body was read once by Vapor; the generated decoder gets the same bytes. An empty body is no body (an
        // optional one absent, a required one missing), not a JSON text that fails to parse.
        return try await next(request, data.isEmpty ? nil : HTTPBody(data), metadata)
    }
}

extension JSONEncoder {
    /// How the API writes JSON outside the generated responses, as the runtime writes them (sorted keys, dates in
    /// ISO 8601).
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
