import Domain
import FluentKit
import Foundation
import SQLKit

/// Soft retirement: a `retired` flag on every editable table (false for every existing row); and whether an activity or
/// a milestone is done (NULL: not done).
struct M019RetiredRecords: AsyncMigration {
    public init() {}
    public var name: String { "M019RetiredRecords" }
    static let tables = ["goals", "subgoals", "actors", "initiatives", "activities", "milestones", "indicators"]

    public func prepare(on db: any Database) async throws {
        for table in Self.tables {
            try await db.sql.raw("ALTER TABLE \(ident: table) ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE").run()
        }
        for table in ["activities", "milestones"] {
            try await db.sql.raw("ALTER TABLE \(ident: table) ADD COLUMN done BOOLEAN").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for table in Self.tables { try await db.schema(table).deleteField("retired").update() }
        for table in ["activities", "milestones"] { try await db.schema(table).deleteField("done").update() }
    }
}
