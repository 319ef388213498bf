import Domain
import FluentKit
import Foundation

/// A personal access token as the account page lists it (never the token or its hash).
public struct APIToken: Sendable, Hashable {
    public let id: UUID
    public let name: String
    public let prefix: String
    public let createdAt: Date?
    public let lastUsedAt: Date?
    public let revokedAt: Date?

    init(_ m: APITokenModel) {
        id = m.id!
        name = m.name
        prefix = m.prefix
        createdAt = m.createdAt
        lastUsedAt = m.lastUsedAt
        revokedAt = m.revokedAt
    }
}

public enum APITokens {
    /// Stores a new token (its hash), audited in the same transaction with its name and prefix, never the token.
    public static func create(
        userId: UUID, name: String, tokenHash: String, prefix: String, author: Author = .commandLine,
        on db: any Database
    ) async throws -> APIToken {
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)
            let t = APITokenModel()
            t.userId = userId
            t.name = name
            t.tokenHash = tokenHash
            t.prefix = prefix
            try await t.create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "user", entityId: try await Accounts.user(id: userId, on: tx)?.email ?? userId.uuidString,
                action: "token-create", before: nil, after: [("API-nøkkel", name), ("Begynner med", prefix)],
                author: author, reason: "", on: tx)
            return APIToken(t)
        }
    }

    public static func list(userId: UUID, on db: any Database) async throws -> [APIToken] {
        try await APITokenModel.query(on: db).filter(\.$userId == userId).sort(\.$createdAt, .descending).all().map(
            APIToken.init)
    }

    /// Revokes one of the user's own tokens; false when there is no such active token.
    public static func revoke(id: UUID, userId: UUID, author: Author = .commandLine, on db: any Database) async throws
        -> Bool
    {
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)
            guard
                let t = try await APITokenModel.query(on: tx).filter(\.$id == id).filter(\.$userId == userId)
                    .filter(\.$revokedAt == nil).first()
            else { return false }
            t.revokedAt = Date()
            try await t.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "user", entityId: try await Accounts.user(id: userId, on: tx)?.email ?? userId.uuidString,
                action: "token-revoke", before: [("API-nøkkel", t.name), ("Begynner med", t.prefix)], after: nil,
                author: author, reason: "", on: tx)
            return true
        }
    }

    /// The active token with this hash and its (enabled) user.
    public static func user(forTokenHash hash: String, on db: any Database) async throws -> Account? {
        guard
            let t = try await APITokenModel.query(on: db).filter(\.$tokenHash == hash).filter(\.$revokedAt == nil)
                .first(),
            let user = try await UserModel.find(t.userId, on: db), !user.disabled
        else { return nil }
        t.lastUsedAt = Date()
        try await t.save(on: db)
        return Account(user)
    }
}
