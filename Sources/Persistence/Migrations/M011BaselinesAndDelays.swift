import Domain
import FluentKit
import Foundation
import SQLKit

struct M011BaselinesAndDelays: AsyncMigration {
    public init() {}
    public var name: String { "M011BaselinesAndDelays" }
    public func prepare(on db: any Database) async throws {
        for table in ["activities", "milestones"] {
            for column in ["baseline_period", "delay_kind", "delay_cause", "delay_note"] {
                try await db.sql.raw("ALTER TABLE \(ident: table) ADD COLUMN \(ident: column) TEXT").run()
            }
        }
    }
    public func revert(on db: any Database) async throws {
        for table in ["activities", "milestones"] {
            try await db.schema(table).deleteField("baseline_period").deleteField("delay_kind").deleteField(
                "delay_cause"
            ).deleteField("delay_note").update()
        }
    }
}
