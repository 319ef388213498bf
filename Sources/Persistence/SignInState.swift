import FluentKit
import Foundation
import SQLKit

/// An external identity (OpenID Connect issuer + subject) bound to a local account.
public final class UserIdentityModel: Model, @unchecked Sendable {
    public static let schema = "user_identities"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userId: UUID
    @Field(key: "issuer") public var issuer: String
    @Field(key: "subject") public var subject: String
    @Field(key: "linked_at") public var linkedAt: Date
    public init() {}
}

/// One failed sign-in for a throttle key ("konto:…" or "adresse:…").
public final class SignInFailureModel: Model, @unchecked Sendable {
    public static let schema = "sign_in_failures"
    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "at") public var at: Date
    public init() {}
}

public struct M009CreateIdentitiesAndSignInFailures: AsyncMigration {
    public init() {}
    public var name: String { "M009CreateIdentitiesAndSignInFailures" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("user_identities")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("issuer", .string, .required).field("subject", .string, .required)
            .field("linked_at", .datetime, .required)
            .unique(on: "issuer", "subject")
            .create()
        try await db.schema("sign_in_failures")
            .id()
            .field("key", .string, .required).field("at", .datetime, .required)
            .create()
        try await (db as! any SQLDatabase).create(index: "sign_in_failures_key_idx").on("sign_in_failures").column("key").column("at").run()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("sign_in_failures").delete()
        try await db.schema("user_identities").delete()
    }
}

public enum Identities {
    /// The account an external identity is bound to, if any.
    public static func user(issuer: String, subject: String, on db: any Database) async throws -> UserModel? {
        guard let link = try await UserIdentityModel.query(on: db).filter(\.$issuer == issuer).filter(\.$subject == subject).first() else { return nil }
        return try await UserModel.find(link.userId, on: db)
    }

    /// Binds an identity to an account, so later sign-ins find it by subject even if the e-mail claim changes.
    public static func link(user: UserModel, issuer: String, subject: String, at: Date = Date(), on db: any Database) async throws {
        let link = UserIdentityModel()
        link.userId = user.id!; link.issuer = issuer; link.subject = subject; link.linkedAt = at
        try await link.create(on: db)
    }

    public static func all(for user: UserModel, on db: any Database) async throws -> [UserIdentityModel] {
        try await UserIdentityModel.query(on: db).filter(\.$userId == user.id!).sort(\.$linkedAt).all()
    }
}

/// Failed sign-ins counted in the database, so the limit holds across every instance behind a load balancer.
public enum SignInThrottle {
    public static let limit = 5
    public static let window: TimeInterval = 15 * 60

    public static func isBlocked(_ keys: [String], now: Date = Date(), on db: any Database) async throws -> Bool {
        for key in keys {
            let recent = try await SignInFailureModel.query(on: db).filter(\.$key == key).filter(\.$at > now.addingTimeInterval(-window)).count()
            if recent >= limit { return true }
        }
        return false
    }

    public static func recordFailure(_ keys: [String], now: Date = Date(), on db: any Database) async throws {
        try await db.transaction { tx in
            // Old rows are pruned as new ones arrive, so the table stays as small as the window.
            try await SignInFailureModel.query(on: tx).filter(\.$at <= now.addingTimeInterval(-window)).delete()
            for key in keys {
                let failure = SignInFailureModel(); failure.key = key; failure.at = now
                try await failure.create(on: tx)
            }
        }
    }

    public static func reset(_ keys: [String], on db: any Database) async throws {
        try await SignInFailureModel.query(on: db).filter(\.$key ~~ keys).delete()
    }
}
