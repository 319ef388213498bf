import Foundation
import Logging
import Vapor

/// Process entry: `veikart serve|migrate|import|export …`.
public enum Entrypoint {
    public static func main() async {
        do {
            var env = try Environment.detect()
            try LoggingSystem.bootstrap(from: &env)
            let settings = try Settings.fromEnvironment()
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
