import Foundation

/// Roles, from the public reader to the administrator. Stored as the raw string.
public enum Role: String, CaseIterable, Sendable, Codable {
    case leser, rapportor, redaktor, sekretariat, administrator

    public var name: String {
        switch self {
        case .leser: "Leser"
        case .rapportor: "Rapportør"
        case .redaktor: "Redaktør"
        case .sekretariat: "Sekretariat"
        case .administrator: "Administrator"
        }
    }
}

/// Who is acting: a signed-in user with a role and, for reporters, the actors they report for.
public struct Principal: Hashable, Sendable {
    public let userId: String
    public let email: String
    public let name: String
    public let role: Role
    public let actorSlugs: Set<String>

    public init(userId: String, email: String, name: String, role: Role, actorSlugs: Set<String>) {
        self.userId = userId; self.email = email; self.name = name; self.role = role; self.actorSlugs = actorSlugs
    }
}

/// The write rules, in one place, for forms, API and import alike. The server checks these on every
/// write; the UI only uses them to hide what a user may not do.
public enum Access {
    /// Actors a reporter may write for: their own and everything beneath them (an RHF's trusts).
    public static func actorsWritable(by p: Principal, in d: Dataset) -> Set<String> {
        var result = p.actorSlugs
        var frontier = Array(p.actorSlugs)
        while let next = frontier.popLast() {
            for child in d.children(ofActor: next) where !result.contains(child.slug) {
                result.insert(child.slug); frontier.append(child.slug)
            }
        }
        return result
    }

    /// Editing an activity or milestone that belongs to `actorSlug` (nil: the initiative as a whole).
    /// A reporter who moves an activity must be allowed on both the old and the new actor.
    public static func canWriteRoadmapItem(_ p: Principal?, actorSlug: String?, in d: Dataset) -> Bool {
        guard let p else { return false }
        switch p.role {
        case .redaktor: return true
        case .rapportor:
            guard let actorSlug else { return false }
            return actorsWritable(by: p, in: d).contains(actorSlug)
        case .leser, .sekretariat, .administrator: return false
        }
    }

    /// Strategy, goals, sub-goals, initiatives and actors.
    public static func canWriteStructure(_ p: Principal?) -> Bool { p?.role == .redaktor }

    /// Councils, members, meetings and cases: the secretariat, and the strategy editors who prepare cases with it.
    public static func canWriteCouncils(_ p: Principal?) -> Bool { p?.role == .sekretariat || p?.role == .redaktor }

    public static func canManageUsers(_ p: Principal?) -> Bool { p?.role == .administrator }

    /// Whole-dataset import replaces everything, so only editors may run it.
    public static func canImport(_ p: Principal?) -> Bool { p?.role == .redaktor }
}

/// Passwords: long enough to resist guessing, not so long that hashing becomes a denial of service.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 200

    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "Passordet må ha minst \(minimumLength) tegn." }
        if password.count > maximumLength { return "Passordet kan ha høyst \(maximumLength) tegn." }
        if Set(password).count < 4 { return "Passordet må bestå av flere forskjellige tegn." }
        return nil
    }
}
