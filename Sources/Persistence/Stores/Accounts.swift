import Domain
import FluentKit
import Foundation
import SQLKit

/// A user account as the app sees it; the row stays inside Persistence.
public struct Account: Sendable, Hashable {
    public let id: UUID
    public let email: String
    public let name: String
    public let passwordHash: String
    public let role: String
    public let disabled: Bool
    /// A generated first password stops working at this time unless the user has chosen their own.
    public let passwordExpiresAt: Date?
    public let createdAt: Date?

    init(_ m: UserModel) {
        id = m.id!
        email = m.email
        name = m.name
        passwordHash = m.passwordHash
        role = m.role
        disabled = m.disabled
        passwordExpiresAt = m.passwordExpiresAt
        createdAt = m.createdAt
    }
}

public enum Accounts {
    public struct Problem: Error, CustomStringConvertible { public let description: String }
    /// The user was changed by someone else since the form was opened; nothing was written.
    public struct Stale: Error {}

    /// What an administrator's form showed of a user (role, actors, disabled), carried back to detect a concurrent
    /// change.
    public static func state(role: Role, actors: Set<String>, disabled: Bool) -> String {
        "\(role.rawValue)|\(actors.sorted().joined(separator: ","))|\(disabled ? 1 : 0)"
    }

    public static func principal(for user: Account, on db: any Database) async throws -> Principal {
        let actors = try await UserActorModel.query(on: db).filter(\.$userId == user.id).all().map(\.actorSlug)
        return Principal(
            userId: user.id.uuidString, email: user.email, name: user.name, role: Role(rawValue: user.role) ?? .leser,
            actorSlugs: Set(actors))
    }

    public static func user(email: String, on db: any Database) async throws -> Account? {
        try await UserModel.query(on: db).filter(\.$email == email.lowercased()).first().map(Account.init)
    }

    public static func user(id: UUID, on db: any Database) async throws -> Account? {
        try await UserModel.find(id, on: db).map(Account.init)
    }

    public static func all(on db: any Database) async throws -> [(user: Account, actors: [String])] {
        let links = Dictionary(grouping: try await UserActorModel.query(on: db).all(), by: \.userId)
        return try await UserModel.query(on: db).sort(\.$email).all().map {
            (Account($0), (links[$0.id!] ?? []).map(\.actorSlug).sorted())
        }
    }

    /// The row of an account, read inside the writer's transaction.
    static func row(_ user: Account, on db: any Database) async throws -> UserModel {
        guard let m = try await UserModel.find(user.id, on: db) else {
            throw Problem(description: "brukeren finnes ikke lenger")
        }
        return m
    }

    /// A new password chosen by the user: saved, every other session of the account ended and the change audited,
    /// in one transaction.
    public static func changePassword(
        _ account: Account, hash: String, keepingSession key: String?, author: Author,
        on db: any Database
    ) async throws {
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)  // first, as in every account transaction: one lock order, no deadlock
            let user = try await row(account, on: tx)
            user.passwordHash = hash
            user.passwordExpiresAt = nil
            try await user.save(on: tx)
            try await SessionStore.deleteAll(userId: user.id!, except: key, on: tx)
            try await RoadmapWrites.audit(
                entityType: "user", entityId: user.email, action: "password", before: nil,
                after: [("Passord", "byttet"), ("Andre innlogginger", "avsluttet")], author: author, reason: "", on: tx)
        }
    }

    /// A sign-in attempt, for the trail: who (as typed), from where, and how it went. Never the password.
    public static func recordSignIn(
        email: String, user: Account?, outcome: String, client: String, method: String,
        on db: any Database
    ) async throws {
        let author = Author(userId: user?.id.uuidString, email: user?.email, source: .ui)
        try await RoadmapWrites.audit(
            entityType: "sign-in", entityId: String(email.prefix(200)), action: outcome, before: nil,
            after: [("Klient", String(client.prefix(64))), ("Metode", method)], author: author, reason: "", on: db)
    }

    /// Ends every session of a user, audited (an administrator's or the user's own "sign out everywhere").
    public static func endSessions(_ user: Account, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)
            try await SessionStore.deleteAll(userId: user.id, on: tx)
            try await RoadmapWrites.audit(
                entityType: "user", entityId: user.email, action: "sessions-ended", before: nil,
                after: [("Innlogginger", "alle avsluttet")], author: author, reason: "", on: tx)
        }
    }

    /// Changes role, actors and whether the account is disabled, with an audit entry.
    public static func update(
        _ account: Account, role: Role, actors: [String], disabled: Bool, author: Author, expectedState: String? = nil,
        on db: any Database
    ) async throws {
        if role == .rapportor && actors.isEmpty {
            throw Problem(description: "en rapportør må knyttes til minst én aktør")
        }
        let known = Set(try await ActorModel.query(on: db).filter(\.$retired == false).all().compactMap(\.id))
        let unknown = actors.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw Problem(description: "ukjent aktør \(unknown.joined(separator: ", "))") }
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)  // first: two administrators' checks and writes cannot interleave
            let user = try await row(account, on: tx)
            let before = try await principal(for: Account(user), on: tx)
            let wasDisabled = user.disabled
            if let expectedState,
                expectedState != state(role: before.role, actors: before.actorSlugs, disabled: wasDisabled)
            {
                throw Stale()
            }
            user.role = role.rawValue
            user.disabled = disabled
            try await user.save(on: tx)
            // A disabled account is signed out everywhere at once, not at its sessions' next expiry.
            if disabled { try await SessionStore.deleteAll(userId: user.id!, on: tx) }
            try await UserActorModel.query(on: tx).filter(\.$userId == user.id!).delete()
            for slug in Set(actors) {
                let link = UserActorModel()
                link.userId = user.id!
                link.actorSlug = slug
                try await link.create(on: tx)
            }
            try await RoadmapWrites.audit(
                entityType: "user", entityId: user.email, action: "update",
                before: [
                    ("Rolle", before.role.rawValue), ("Aktører", before.actorSlugs.sorted().joined(separator: " ")),
                    ("Deaktivert", wasDisabled ? "ja" : "nei"),
                ],
                after: [
                    ("Rolle", role.rawValue), ("Aktører", actors.sorted().joined(separator: " ")),
                    ("Deaktivert", disabled ? "ja" : "nei"),
                ],
                author: author, reason: "", on: tx)
        }
    }

    /// The password hash is computed by the caller (bcrypt lives with Vapor).
    /// Creates a user, audited in the same transaction. A generated first password gets `passwordExpiresAt`.
    public static func create(
        email: String, name: String, passwordHash: String, role: Role, actors: [String], passwordExpiresAt: Date? = nil,
        author: Author = .commandLine, on db: any Database
    ) async throws -> Account {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 200 else {
            throw Problem(description: "ugyldig e-postadresse «\(email)»")
        }
        if role == .rapportor && actors.isEmpty {
            throw Problem(description: "en rapportør må knyttes til minst én aktør (--actor)")
        }
        if try await user(email: email, on: db) != nil {
            throw Problem(description: "det finnes allerede en bruker med e-post \(email)")
        }
        let known = Set(try await ActorModel.query(on: db).filter(\.$retired == false).all().compactMap(\.id))
        let unknown = actors.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw Problem(description: "ukjent aktør \(unknown.joined(separator: ", "))") }
        return try await db.transaction { tx in
            try await AuditChain.lock(on: tx)
            let u = UserModel()
            u.email = email
            u.name = name.isEmpty ? email : name
            u.passwordHash = passwordHash
            u.role = role.rawValue
            u.disabled = false
            u.passwordExpiresAt = passwordExpiresAt
            try await u.create(on: tx)
            for slug in Set(actors) {
                let link = UserActorModel()
                link.userId = u.id!
                link.actorSlug = slug
                try await link.create(on: tx)
            }
            try await RoadmapWrites.audit(
                entityType: "user", entityId: u.email, action: "create", before: nil,
                after: [
                    ("Rolle", role.rawValue), ("Aktører", actors.sorted().joined(separator: " ")),
                    ("Passord", passwordExpiresAt == nil ? "valgt av brukeren" : "generert, utløper"),
                ],
                author: author, reason: "", on: tx)
            return Account(u)
        }
    }
}
