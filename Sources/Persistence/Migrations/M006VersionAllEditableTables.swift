import Domain
import FluentKit
import Foundation
import SQLKit

struct M006VersionAllEditableTables: AsyncMigration {
    public init() {}
    public var name: String { "M006VersionAllEditableTables" }

    public func prepare(on db: any Database) async throws {
        for table in ["milestones", "initiatives", "subgoals", "goals", "actors"] {
            try await db.sql.raw("ALTER TABLE \(ident: table) ADD COLUMN version BIGINT NOT NULL DEFAULT 1").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for table in ["milestones", "initiatives", "subgoals", "goals", "actors"] {
            try await db.schema(table).deleteField("version").update()
        }
    }
}
