import Domain
import FluentKit
import Foundation
import SQLKit

/// A table whose rows people edit one at a time: it knows its domain record and carries a version.
protocol VersionedModel: Model where IDValue == String {
    associatedtype Record: CreatableRecord
    var version: Int64 { get set }
    /// Order in the data files; a new or reinstated record comes last.
    var position: Int { get set }
    /// Retired rows stay for the history and a reinstatement; every read of the dataset leaves them out.
    var retired: Bool? { get set }
    func record(on db: any Database) async throws -> Record
    /// Writes the record's editable fields (not id, not version) and anything hanging off the row. A row that does not
    /// exist yet is inserted before what hangs off it.
    func apply(_ record: Record, on db: any Database) async throws
    /// Sets the id and the parent links of a new row.
    func setIdentity(_ record: Record)
}

extension VersionedModel {
    /// The row unless it is retired.
    static func live(_ id: String, on db: any Database) async throws -> Self? {
        guard let m = try await find(id, on: db), m.retired != true else { return nil }
        return m
    }
}
