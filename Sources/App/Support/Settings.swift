import Domain
import Foundation
import Vapor

/// Everything configurable, read once from the environment.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String, searchPath: [String]?)
    }

    public var database: DatabaseChoice
    /// Load the shipped seed dataset when the database has none.
    public var seedIfEmpty: Bool
    /// The "today" line on roadmaps; fixed in tests and screenshots via VEIKART_TODAY=YYYY-MM-DD.
    public var today: @Sendable () -> Day
    /// Mark the session cookie Secure; set VEIKART_SECURE_COOKIES=1 whenever users reach Veikart over TLS.
    public var secureCookies: Bool

    public init(database: DatabaseChoice, seedIfEmpty: Bool = true, today: @escaping @Sendable () -> Day = Settings.systemToday, secureCookies: Bool = false) {
        self.database = database; self.seedIfEmpty = seedIfEmpty; self.today = today; self.secureCookies = secureCookies
    }

    public static let systemToday: @Sendable () -> Day = { Day(secondsSince1970: Date().timeIntervalSince1970) }

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// `DATABASE_URL` unset → `veikart.sqlite` in the working directory; `sqlite:///abs/path.sqlite`; `sqlite::memory:`; `postgres://…`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        let database: DatabaseChoice
        switch env["DATABASE_URL"] {
        case nil, "":
            database = .sqliteFile(FileManager.default.currentDirectoryPath + "/veikart.sqlite")
        case let url? where url == "sqlite::memory:":
            database = .sqliteMemory
        case let url? where url.hasPrefix("sqlite://"):
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else { throw Invalid(description: "DATABASE_URL: bruk sqlite:///absolutt/sti.sqlite (fikk \(url))") }
            database = .sqliteFile(path)
        case let url? where url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"):
            database = .postgres(url: url, searchPath: nil)
        case let url?:
            throw Invalid(description: "DATABASE_URL må begynne med sqlite:// eller postgres:// (fikk \(url.prefix(20))…)")
        }
        var today = systemToday
        if let fixed = env["VEIKART_TODAY"], !fixed.isEmpty {
            guard case .day(let day)? = try? Period.parse(fixed) else { throw Invalid(description: "VEIKART_TODAY må være en dato ÅÅÅÅ-MM-DD") }
            today = { day }
        }
        return Settings(database: database, seedIfEmpty: env["VEIKART_NO_SEED"] == nil, today: today,
                        secureCookies: ["1", "true", "ja"].contains(env["VEIKART_SECURE_COOKIES"]?.lowercased() ?? ""))
    }
}

struct SettingsKey: StorageKey { typealias Value = Settings }

extension Application {
    public var settings: Settings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Request {
    var today: Day { application.settings.today() }
}
