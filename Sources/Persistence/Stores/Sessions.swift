import Crypto
import FluentKit
import Foundation

public struct StoredSession: Sendable, Equatable {
    public let key: String
    public let data: [String: String]
    public let createdAt: Date
    public let seenAt: Date
}

/// Sessions exist only for signed-in users (created at sign-in, never for an anonymous visitor) and end on the server:
/// after `idleLimit` without a request, `absoluteLimit` after sign-in, at sign-out, or when all of a user's sessions
/// are ended. Expired rows are removed whenever a new session starts.
public enum SessionStore {
    public static let idleLimit: TimeInterval = 2 * 3600
    public static let absoluteLimit: TimeInterval = 12 * 3600
    /// A request refreshes `seen_at` at most this often, so reading pages does not write on every request.
    public static let touchInterval: TimeInterval = 5 * 60

    static func stored(_ key: String) -> String {
        Digests.sha256Hex(key)
    }

    public static func isAlive(createdAt: Date, seenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(seenAt) < idleLimit && now.timeIntervalSince(createdAt) < absoluteLimit
    }

    /// The live session with this key, or nil (unknown, ended or expired).
    public static func find(key: String, now: Date = Date(), on db: any Database) async throws -> StoredSession? {
        guard let row = try await SessionModel.query(on: db).filter(\.$key == stored(key)).first(),
            isAlive(createdAt: row.createdAt, seenAt: row.seenAt, now: now)
        else { return nil }
        return StoredSession(key: key, data: decode(row.data), createdAt: row.createdAt, seenAt: row.seenAt)
    }

    public static func create(
        key: String, data: [String: String], now: Date = Date(),
        on db: any Database
    ) async throws {
        try await purgeExpired(now: now, on: db)
        let row = SessionModel()
        row.key = stored(key)
        row.data = encode(data)
        row.userId = data["bruker"].flatMap(UUID.init(uuidString:))
        row.createdAt = now
        row.seenAt = now
        try await row.create(on: db)
    }

    /// Writes the values and the time of use; nothing if neither changed (within `touchInterval`).
    public static func update(
        _ loaded: StoredSession?, key: String, data: [String: String], now: Date = Date(),
        on db: any Database
    ) async throws {
        if let loaded, loaded.key == key, loaded.data == data, now.timeIntervalSince(loaded.seenAt) < touchInterval {
            return
        }
        try await SessionModel.query(on: db).filter(\.$key == stored(key))
            .set(\.$data, to: encode(data)).set(\.$userId, to: data["bruker"].flatMap(UUID.init(uuidString:)))
            .set(\.$seenAt, to: now).update()
    }

    public static func delete(key: String, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$key == stored(key)).delete()
    }

    /// Ends every session of a user (password change, "sign out everywhere", an administrator's action).
    public static func deleteAll(userId: UUID, except key: String? = nil, on db: any Database) async throws {
        var query = SessionModel.query(on: db).filter(\.$userId == userId)
        if let key { query = query.filter(\.$key != stored(key)) }
        try await query.delete()
    }

    public static func purgeExpired(now: Date = Date(), on db: any Database) async throws {
        try await SessionModel.query(on: db).group(.or) {
            $0.filter(\.$seenAt < now.addingTimeInterval(-idleLimit))
                .filter(\.$createdAt < now.addingTimeInterval(-absoluteLimit))
        }.delete()
    }

    public static func count(on db: any Database) async throws -> Int {
        try await SessionModel.query(on: db).count()
    }

    /// A user's live sessions, but `key`.
    public static func count(
        userId: UUID, except key: String? = nil, now: Date = Date(),
        on db: any Database
    ) async throws -> Int {
        var query = SessionModel.query(on: db).filter(\.$userId == userId)
            .filter(\.$seenAt > now.addingTimeInterval(-idleLimit))
            .filter(\.$createdAt > now.addingTimeInterval(-absoluteLimit))
        if let key { query = query.filter(\.$key != stored(key)) }
        return try await query.count()
    }

    static func encode(_ data: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(data)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
