import Foundation
import Vapor

/// `veikart ceiling --port N [--hostname H] [--body-file F] [--content-type T]`: the cheapest possible Vapor server,
/// for `bench/run` to measure Vapor's own ceiling on this machine beside nginx and Veikart's cached pages. One route
/// answers every path with the same bytes; no middleware, no database, no logging.
enum CeilingServer {
    static func run(arguments: [String]) async throws {
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        let body =
            try option("body-file").map { ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: $0))) }
            ?? ByteBuffer(string: "ok")
        let contentType = option("content-type") ?? "text/html; charset=utf-8"
        let serve = [
            "veikart", "serve", "--hostname", option("hostname") ?? "127.0.0.1", "--port", option("port") ?? "8090",
        ]
        let app = try await Application.make(Environment(name: "production", arguments: serve))
        app.logger.logLevel = .error
        app.middleware = Middlewares()
        app.get(.catchall) { _ in
            Response(status: .ok, headers: ["Content-Type": contentType], body: .init(buffer: body))
        }
        app.get { _ in Response(status: .ok, headers: ["Content-Type": contentType], body: .init(buffer: body)) }
        do {
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
