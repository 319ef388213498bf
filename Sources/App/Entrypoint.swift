import Foundation
import Logging
import Vapor

/// Process entry: `veikart serve|migrate|import|export …`.
public enum Entrypoint {
    public static func main() async {
        do {
            // Vapor's ceiling for the benchmark: nothing of Veikart is set up.
            if CommandLine.arguments.dropFirst().first == "ceiling" {
                return try await CeilingServer.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
            }
            var env = try Environment.detect()
            try LoggingSystem.bootstrap(from: &env)
            var settings = try Settings.fromEnvironment()
            // Commands that bring their own data find a fresh installation empty (`import` then restores the
            // history too), and asking for help fills nothing; everything else (serve, user add, …) seeds as before.
            let arguments = Array(env.arguments.dropFirst())
            if let command = arguments.first,
                ["import", "restore", "generate"].contains(command) || command.hasPrefix("-")
                    || arguments.contains("--help") || arguments.contains("-h")
            {
                settings.seedIfEmpty = false
            }
            // Help touches no database at all: not even a file is created.
            if arguments.contains("--help") || arguments.contains("-h") { settings.database = .sqliteMemory }
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
