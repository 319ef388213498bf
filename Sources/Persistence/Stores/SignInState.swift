import Domain
import FluentKit
import Foundation
import SQLKit

public enum Identities {
    /// The account an external identity is bound to, if any.
    public static func user(issuer: String, subject: String, on db: any Database) async throws -> Account? {
        guard
            let link = try await UserIdentityModel.query(on: db).filter(\.$issuer == issuer).filter(
                \.$subject == subject
            ).first()
        else { return nil }
        return try await UserModel.find(link.userId, on: db).map(Account.init)
    }

    /// Binds an identity to an account, so later sign-ins find it by subject even if the e-mail claim changes.
    public static func link(
        user: Account, issuer: String, subject: String, at: Date = Date(), author: Author = .commandLine,
        on db: any Database
    ) async throws {
        try await db.transaction { tx in
            try await AuditChain.lock(on: tx)
            let link = UserIdentityModel()
            link.userId = user.id
            link.issuer = issuer
            link.subject = subject
            link.linkedAt = at
            try await link.create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "user", entityId: user.email, action: "identity-link", before: nil,
                after: [("Utsteder", issuer), ("Subjekt", String(subject.prefix(200)))], author: author, reason: "",
                on: tx)
        }
    }

    /// The identities bound to an account: issuer and subject, oldest link first.
    public static func all(for user: Account, on db: any Database) async throws -> [(issuer: String, subject: String)] {
        try await UserIdentityModel.query(on: db).filter(\.$userId == user.id).sort(\.$linkedAt).all().map {
            ($0.issuer, $0.subject)
        }
    }
}

/// Failed sign-ins counted in the database, so the limits hold across every instance behind a load balancer.
///
/// Limits are per client (its address) and per client and account, never per account alone: a stranger's failures
/// must not lock a user out. Past a rule's free attempts each further attempt must wait twice as long as the one
/// before (2 s, 4 s, 8 s … up to `maxDelay`). An attempt is counted before its password is checked, so concurrent
/// guesses cannot slip past the limit; a success removes only its own attempt and the failures for that account from
/// that client, not the client's failures against other accounts.
public enum SignInThrottle {
    public struct Rule: Sendable {
        public let key: String
        /// Failures within `window` that cost nothing.
        public let free: Int
        public init(key: String, free: Int) {
            self.key = key
            self.free = free
        }
    }

    public enum Verdict: Sendable, Equatable {
        /// Go on and check the password; the ids are this attempt's rows.
        case allowed(attempt: [UUID])
        /// Refused before the password was checked; try again after this many seconds.
        case wait(seconds: Int)
    }

    public static let window: TimeInterval = 15 * 60
    public static let maxDelay: TimeInterval = 15 * 60

    /// The wait required after `failures` earlier failures of a rule with `free` free attempts.
    public static func delay(failures: Int, free: Int) -> TimeInterval {
        guard failures >= free else { return 0 }
        return min(maxDelay, pow(2, Double(min(failures - free + 1, 20))))
    }

    public static func begin(_ rules: [Rule], now: Date = Date(), on db: any Database) async throws -> Verdict {
        // Read first: a client that must wait is refused without a write, so a flood of refused attempts does not
        // occupy the database's writer.
        let waitBefore = try await requiredWait(rules, excluding: [], now: now, on: db)
        if waitBefore > 0 { return .wait(seconds: Int(waitBefore.rounded(.up))) }
        // Old rows are pruned as new ones arrive, so the table stays as small as the window.
        try await SignInFailureModel.query(on: db).filter(\.$at <= now.addingTimeInterval(-window)).delete()
        var attempt: [UUID] = []
        for rule in rules {
            let row = SignInFailureModel()
            row.key = rule.key
            row.at = now
            try await row.create(on: db)
            attempt.append(row.id!)
        }
        // Counted again with this attempt recorded: of attempts racing past the first read, only the free ones go on.
        let wait = try await requiredWait(rules, excluding: attempt, now: now, on: db)
        guard wait > 0 else { return .allowed(attempt: attempt) }
        // A refused attempt was never checked: it does not count as a failure.
        try await SignInFailureModel.query(on: db).filter(\.$id ~~ attempt).delete()
        return .wait(seconds: Int(wait.rounded(.up)))
    }

    /// The longest wait any rule requires now, counting every recorded attempt but `excluding`.
    static func requiredWait(_ rules: [Rule], excluding: [UUID], now: Date, on db: any Database) async throws
        -> TimeInterval
    {
        var wait: TimeInterval = 0
        for rule in rules {
            var query = SignInFailureModel.query(on: db).filter(\.$key == rule.key).filter(
                \.$at > now.addingTimeInterval(-window))
            if !excluding.isEmpty { query = query.filter(\.$id !~ excluding) }
            let others = try await query.sort(\.$at, .descending).all()
            let needed = delay(failures: others.count, free: rule.free)
            guard needed > 0, let last = others.first?.at else { continue }
            wait = max(wait, needed - now.timeIntervalSince(last))
        }
        return wait
    }

    /// The password was right: this attempt and the failures under `clearing` (the client's for this account) go.
    public static func succeeded(attempt: [UUID], clearing keys: [String], on db: any Database) async throws {
        try await SignInFailureModel.query(on: db).filter(\.$id ~~ attempt).delete()
        try await SignInFailureModel.query(on: db).filter(\.$key ~~ keys).delete()
    }

    public static func count(on db: any Database) async throws -> Int {
        try await SignInFailureModel.query(on: db).count()
    }
}
