import Domain
import FluentKit
import Foundation
import SQLKit

/// Values carry a version of their own (M020), so one value can be changed or removed without a silent overwrite.
struct M020MeasurementVersions: AsyncMigration {
    public init() {}
    public var name: String { "M020MeasurementVersions" }
    public func prepare(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE measurements ADD COLUMN version BIGINT").run()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("measurements").deleteField("version").update()
    }
}
