import Crypto
import FluentKit
import Foundation
import SQLKit

/// The audit trail as a hash chain: every entry has a sequence number and holds the hash of the entry before it, so
/// an entry changed, removed or inserted in the database afterwards breaks the chain where it happened. The head
/// (`audit_chain`, one row) is updated in the same transaction as each entry; updating it first serialises writers
/// on both databases (PostgreSQL's row lock, SQLite's single writer).
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// Takes the chain's lock for the caller's transaction, before it reads what it will decide on. Lock order, the
    /// same everywhere: `data_version` (record writes, `RoadmapWrites.nextVersion`) first, then this; transactions
    /// that do not bump the data version (accounts, drafts, sign-ins) take this before touching any row.
    public static func lock(on db: any Database) async throws {
        try await db.sql.raw("UPDATE audit_chain SET seq = seq WHERE id = 1").run()
    }

    /// Numbers, links and stores `entry` (all other fields set); in a transaction of its own if the caller has none.
    static func append(_ entry: AuditModel, on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            try await sql.raw("UPDATE audit_chain SET seq = seq + 1 WHERE id = 1").run()
            guard let head = try await sql.raw("SELECT seq, hash FROM audit_chain WHERE id = 1").first() else {
                throw Broken(description: "audit_chain has no head row")
            }
            if entry.id == nil { entry.id = UUID() }
            entry.seq = try head.decode(column: "seq", as: Int64.self)
            entry.prevHash = try head.decode(column: "hash", as: String.self)
            entry.hash = hash(entry)
            try await entry.create(on: tx)
            try await sql.raw("UPDATE audit_chain SET hash = \(bind: entry.hash!) WHERE id = 1").run()
        }
    }

    /// SHA-256 over the sequence number, the previous hash and every stored field, each prefixed by its length.
    static func hash(_ e: AuditModel) -> String {
        let fields: [String] = [
            String(e.seq ?? 0), e.prevHash ?? "", e.id?.uuidString ?? "", String(millis(e.at)), e.userId ?? "",
            e.userEmail ?? "",
            e.source, e.entityType, e.entityId, e.action, e.before ?? "", e.after ?? "", e.reason, e.afterValues ?? "",
        ]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Digests.sha256Hex(text)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public struct Broken: Error, CustomStringConvertible { public let description: String }

    public struct Report: Sendable, Equatable {
        public let entries: Int
        public let headSeq: Int64
        public let headHash: String
        /// The first entry that does not fit the chain, and why; nil when the trail is intact.
        public let firstBroken: Int64?
        public let problem: String?
        public var intact: Bool { firstBroken == nil }
    }

    /// Walks the whole trail in sequence order, a page at a time.
    public static func verify(pageSize: Int = 2000, on db: any Database) async throws -> Report {
        let sql = db.sql
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_chain WHERE id = 1").first() else {
            throw Broken(description: "audit_chain has no head row")
        }
        let headSeq = try head.decode(column: "seq", as: Int64.self)
        let headHash = try head.decode(column: "hash", as: String.self)
        var expectedSeq: Int64 = 1
        var previous = genesis
        var count = 0
        func broken(_ seq: Int64, _ why: String) -> Report {
            Report(entries: count, headSeq: headSeq, headHash: headHash, firstBroken: seq, problem: why)
        }
        if try await AuditModel.query(on: db).filter(\.$seq == nil).count() > 0 {
            return broken(0, "oppføringer uten løpenummer")
        }
        while true {
            // Up to the head read above: entries committed while walking are not "missing".
            guard expectedSeq <= headSeq else { break }
            let page = try await AuditModel.query(on: db).filter(\.$seq >= expectedSeq).filter(\.$seq <= headSeq)
                .sort(\.$seq).limit(pageSize).all()
            if page.isEmpty { break }
            for e in page {
                count += 1
                guard e.seq == expectedSeq else { return broken(expectedSeq, "oppføring \(expectedSeq) mangler") }
                guard e.prevHash == previous else {
                    return broken(expectedSeq, "lenken til forrige oppføring stemmer ikke")
                }
                guard e.hash == hash(e) else {
                    return broken(expectedSeq, "innholdet er endret etter at det ble skrevet")
                }
                previous = e.hash ?? ""
                expectedSeq += 1
            }
        }
        guard headSeq == expectedSeq - 1, headHash == previous else {
            return broken(expectedSeq, "de siste oppføringene mangler (kjeden slutter på \(headSeq))")
        }
        return Report(entries: count, headSeq: headSeq, headHash: headHash, firstBroken: nil, problem: nil)
    }

    /// Checks the given entries (one record's history): each hash recomputed, and each linked to the entry before it.
    public static func verify(entryIds ids: [UUID], on db: any Database) async throws -> Bool {
        guard !ids.isEmpty else { return true }
        let entries = try await AuditModel.query(on: db).filter(\.$id ~~ ids).all()
        guard entries.count == ids.count else { return false }
        let previousSeqs = entries.compactMap(\.seq).map { $0 - 1 }.filter { $0 > 0 }
        let before = try await AuditModel.query(on: db).filter(\.$seq ~~ previousSeqs).all()
        let previous = Dictionary(
            before.compactMap { e in e.seq.map { ($0, e.hash ?? "") } },
            uniquingKeysWith: { a, _ in a })
        for e in entries {
            guard let seq = e.seq, e.hash == hash(e) else { return false }
            guard e.prevHash == (seq == 1 ? genesis : previous[seq - 1]) else { return false }
        }
        return true
    }

    /// Numbers and links every entry from scratch, oldest first (used once, for trails written before the chain).
    static func rebuild(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            var previous = genesis
            var seq: Int64 = 0
            for e in try await AuditModel.query(on: tx).sort(\.$at).sort(\.$id).all() {
                seq += 1
                e.seq = seq
                e.prevHash = previous
                e.hash = hash(e)
                try await e.save(on: tx)
                previous = e.hash!
            }
            try await sql.raw("UPDATE audit_chain SET seq = \(bind: seq), hash = \(bind: previous) WHERE id = 1").run()
        }
    }
}
