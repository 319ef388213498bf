import Domain
import FluentKit
import Foundation
import SQLKit

/// The strategy's own texts and vocabulary, so that any strategy's pages speak of it and not of the seed.
struct M018StrategyProfile: AsyncMigration {
    public init() {}
    public var name: String { "M018StrategyProfile" }

    static let columns = [
        ("short_name", "TEXT"), ("summary", "TEXT"), ("source", "TEXT"), ("outcomes_heading", "TEXT"),
        ("delay_goal", "TEXT"), ("roadmap_start", "INTEGER"), ("phases", "TEXT"), ("actor_types", "TEXT"),
    ]

    public func prepare(on db: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for (column, type) in Self.columns {
            try await db.sql
                .raw("ALTER TABLE \(ident: StrategyModel.schema) ADD COLUMN \(ident: column) \(unsafeRaw: type)").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for (column, _) in Self.columns {
            try await db.schema(StrategyModel.schema).deleteField(.string(column)).update()
        }
    }
}
