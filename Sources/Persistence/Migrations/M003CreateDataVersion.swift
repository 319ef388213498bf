import FluentKit
import SQLKit

/// A single counter that every write to the dataset increments in its own transaction. Readers compare it
/// with the version of what they cached, so no instance ever serves data a write has made stale.
struct M003CreateDataVersion: AsyncMigration {
    public init() {}
    public var name: String { "M003CreateDataVersion" }

    public func prepare(on db: any Database) async throws {
        try await db.schema("data_version")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int64, .required)
            .create()
        try await db.sql.raw("INSERT INTO data_version (id, version) VALUES (1, 1)").run()
    }

    public func revert(on db: any Database) async throws {
        try await db.schema("data_version").delete()
    }
}
