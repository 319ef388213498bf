import Foundation
import Logging
import Vapor

/// Process entry: `veikart serve|migrate|import|export …`.
public enum Entrypoint {
    public static func main() async {
        do {
            var env = try Environment.detect()
            try LoggingSystem.bootstrap(from: &env)
            var settings = try Settings.fromEnvironment()
            // Only the service loads the shipped seed into an empty database: `veikart import` into a fresh
            // installation must find it empty (its history is then restored), and `--help` must not fill it.
            let command = env.arguments.dropFirst().first
            if let command, command != "serve" { settings.seedIfEmpty = false }
            let app = try await Application.make(env)
            do {
                try await configure(app, settings: settings)
                try await app.execute()
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.code)
        } catch {
            FileHandle.standardError.write(Data("veikart: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }
}
