import Domain
import FluentKit
import Foundation
import SQLKit

extension InitiativeModel: VersionedModel {
    public func setIdentity(_ i: Initiative) { id = i.slug }
    public func record(on db: any Database) async throws -> Initiative {
        guard let k = InitiativeKind(rawValue: kind) else {
            throw DatasetStore.Corrupt(description: "ugyldig tiltakstype \(kind)")
        }
        let links = try await InitiativeSubgoalModel.query(on: db).filter(\.$initiativeId == id!).sort(\.$position)
            .all()
        return Initiative(
            slug: id!, title: title, shortTitle: shortTitle, kind: k, priorityRank: priorityRank,
            subgoalIds: links.map(\.subgoalId),
            target: target, description: summary)
    }
    public func apply(_ i: Initiative, on db: any Database) async throws {
        title = i.title
        shortTitle = i.shortTitle
        kind = i.kind.rawValue
        priorityRank = i.priorityRank
        target = i.target
        summary = i.description
        if !$id.exists { try await create(on: db) }  // a new initiative: the links below refer to its row
        try await InitiativeSubgoalModel.query(on: db).filter(\.$initiativeId == id!).delete()
        for (j, sg) in i.subgoalIds.enumerated() {
            let link = InitiativeSubgoalModel()
            link.initiativeId = id!
            link.subgoalId = sg
            link.position = j
            try await link.create(on: db)
        }
    }
}

final class InitiativeModel: Model, @unchecked Sendable {
    public static let schema = "initiatives"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @Field(key: "short_title") var shortTitle: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "priority_rank") var priorityRank: Int?
    @Field(key: "target") var target: String
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}
