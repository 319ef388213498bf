import FluentKit
import Foundation

/// Random secrets made once per installation and shared by every instance through the database (for signing
/// cookies). Made at start-up, never by a request.
public enum AppSecrets {
    public static func value(named name: String, on db: any Database) async throws -> String {
        if let found = try await AppSecretModel.query(on: db).filter(\.$name == name).first() { return found.value }
        let row = AppSecretModel()
        row.name = name
        row.value = Digests.randomToken()
        // Two instances starting together: one insert wins, both read the winner.
        do { try await row.create(on: db) } catch {}
        guard let stored = try await AppSecretModel.query(on: db).filter(\.$name == name).first() else {
            throw SecretUnavailable()
        }
        return stored.value
    }

    struct SecretUnavailable: Error {}
}
