import FluentKit
import SQLKit

extension Database {
    /// The SQL view of a Fluent database. Both drivers (SQLite, PostgreSQL) are SQL databases, so the cast is made
    /// once, here.
    public var sql: any SQLDatabase { self as! any SQLDatabase }
}
