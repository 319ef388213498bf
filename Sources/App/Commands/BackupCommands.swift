import Fluent
import Foundation
import SQLKit
import Vapor

/// `veikart backup FILE`: a consistent copy of the SQLite database while the service runs (VACUUM INTO).
/// For PostgreSQL use pg_dump/pg_restore (docs/operations.md).
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Fil som sikkerhetskopien skrives til (må ikke finnes fra før)")
        var file: String
    }
    var help: String { "Tar en konsistent sikkerhetskopi av SQLite-databasen mens tjenesten kjører." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard case .sqliteFile = context.application.settings.database else {
            context.console.error("For PostgreSQL: bruk pg_dump --format=custom (se docs/operations.md).")
            throw ExitCode(2)
        }
        let target = URL(fileURLWithPath: signature.file).standardizedFileURL.path
        guard !FileManager.default.fileExists(atPath: target) else {
            context.console.error("\(target) finnes allerede; velg et nytt filnavn.")
            throw ExitCode(2)
        }
        try await Backup.sqliteCopy(to: target, on: context.application.db)
        context.console.info("Sikkerhetskopi skrevet til \(target) og kontrollert (integrity_check ok).")
    }
}

/// `veikart restore FILE`: checks a SQLite backup and puts it in place of the database file.
/// The service must be stopped; the replaced database is kept beside it as `.før-gjenoppretting`.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Sikkerhetskopien som skal gjenopprettes") var file: String
    }
    var help: String { "Gjenoppretter SQLite-databasen fra en sikkerhetskopi (stopp tjenesten først)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard case .sqliteFile(let path) = context.application.settings.database else {
            context.console.error("For PostgreSQL: bruk pg_restore (se docs/operations.md).")
            throw ExitCode(2)
        }
        let source = URL(fileURLWithPath: signature.file).standardizedFileURL.path
        do {
            try await Backup.restoreSQLite(from: source, to: path, checkingWith: context.application.db)
        } catch let problem as Backup.Problem {
            context.console.error("Gjenopprettingen ble avbrutt, ingenting er endret: \(problem.description)")
            throw ExitCode(1)
        }
        context.console.info(
            "Gjenopprettet \(path) fra \(source). Forrige database ligger i \(path).før-gjenoppretting.")
    }
}

enum Backup {
    struct Problem: Error, CustomStringConvertible { let description: String }

    static func sqliteCopy(to target: String, on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("VACUUM INTO \(bind: target)").run()
        try await checkIntegrity(of: target, on: db)
    }

    /// `PRAGMA integrity_check` on another SQLite file, attached to the open connection for the check.
    static func checkIntegrity(of path: String, on db: any Database) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Problem(description: "kan ikke lese \(path)")
        }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw Problem(description: "\(path) er ikke en SQLite-database")
        }
        struct Row: Decodable { let integrity_check: String }
        let rows: [Row] = try await db.withConnection { conn in
            let sql = conn.sql
            try await sql.raw("ATTACH DATABASE \(bind: path) AS kontroll").run()
            do {
                let rows = try await sql.raw("PRAGMA kontroll.integrity_check").all(decoding: Row.self)
                try await sql.raw("DETACH DATABASE kontroll").run()
                return rows
            } catch {
                try? await sql.raw("DETACH DATABASE kontroll").run()
                throw error
            }
        }
        guard rows.map(\.integrity_check) == ["ok"] else {
            throw Problem(
                description:
                    """
                    \(path) besto ikke integritetskontrollen: \
                    \(rows.map(\.integrity_check).prefix(3).joined(separator: "; "))
                    """
            )
        }
    }

    static func restoreSQLite(from source: String, to target: String, checkingWith db: any Database) async throws {
        try await checkIntegrity(of: source, on: db)
        let fm = FileManager.default
        if fm.fileExists(atPath: target) {
            let kept = target + ".før-gjenoppretting"
            try? fm.removeItem(atPath: kept)
            try fm.moveItem(atPath: target, toPath: kept)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: target + suffix) }
        }
        try fm.copyItem(atPath: source, toPath: target)
    }
}
