import Domain
import FluentKit
import Foundation
import SQLKit

struct M007AuditRestorableValues: AsyncMigration {
    public init() {}
    public var name: String { "M007AuditRestorableValues" }
    public func prepare(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE audit_log ADD COLUMN after_values TEXT").run()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("audit_log").deleteField("after_values").update()
    }
}
