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

    /// What the role may do, in the users' words, for the page where roles are given.
    public var rights: String {
        switch self {
        case .leser: "Logger inn og leser, men endrer ingenting utenom egen konto."
        case .rapportor:
            "Rapporterer for sine aktører (og aktørene under dem): aktiviteter, milepæler og rapporteringsrunder."
        case .redaktor: "Endrer strategien, veikartet, indikatorene, statusrapportene, prioriteringene og rådene."
        case .sekretariat: "Endrer rådene, medlemmene, møtene og sakene."
        case .administrator: "Kan alt en redaktør og sekretariatet kan, og gir brukere tilgang."
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
        self.userId = userId
        self.email = email
        self.name = name
        self.role = role
        self.actorSlugs = actorSlugs
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
                result.insert(child.slug)
                frontier.append(child.slug)
            }
        }
        return result
    }

    /// Editing an activity or milestone that belongs to `actorSlug` (nil: the initiative as a whole).
    /// A reporter who moves an activity must be allowed on both the old and the new actor.
    public static func canWriteRoadmapItem(_ p: Principal?, actorSlug: String?, in d: Dataset) -> Bool {
        guard let p else { return false }
        switch p.role {
        case .redaktor, .administrator: return true
        case .rapportor:
            guard let actorSlug else { return false }
            return actorsWritable(by: p, in: d).contains(actorSlug)
        case .leser, .sekretariat: return false
        }
    }

    /// Editors' rights: the strategy editors, and administrators, who can do whatever an editor or the secretariat can
    /// (an installation's administrator is its last resort; a right withheld from them would need a second account).
    public static func isEditor(_ p: Principal?) -> Bool { p?.role == .redaktor || p?.role == .administrator }

    /// Opening and closing reporting rounds, reopening delivered parts, publishing roadmap versions.
    public static func canRunRounds(_ p: Principal?) -> Bool { isEditor(p) }

    /// Reporting an actor's part of a round: editors, and the actor's reporters (and those of its parents).
    public static func canReport(_ p: Principal?, for actorSlug: String, in d: Dataset) -> Bool {
        canWriteRoadmapItem(p, actorSlug: actorSlug, in: d)
    }

    /// Strategy, goals, sub-goals, initiatives and actors.
    public static func canWriteStructure(_ p: Principal?) -> Bool { isEditor(p) }

    /// Councils, members, meetings and cases: the secretariat, and the strategy editors who prepare cases with it.
    public static func canWriteCouncils(_ p: Principal?) -> Bool { p?.role == .sekretariat || isEditor(p) }

    public static func canManageUsers(_ p: Principal?) -> Bool { p?.role == .administrator }

    /// Whole-dataset import replaces everything, so only editors may run it.
    public static func canImport(_ p: Principal?) -> Bool { isEditor(p) }
}

/// Passwords: long enough to resist guessing, not so long that hashing becomes a denial of service.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// bcrypt reads only the first 72 bytes: a longer password would share its hash with every password that
    /// starts the same way.
    public static let maximumBytes = 72

    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "Passordet må ha minst \(minimumLength) tegn." }
        if password.utf8.count > maximumBytes {
            return "Passordet kan ha høyst \(maximumBytes) tegn (æ, ø, å og andre spesialtegn teller som to)."
        }
        if Set(password).count < 4 { return "Passordet må bestå av flere forskjellige tegn." }
        if isCommon(password) {
            return
                """
                Passordet er for vanlig og står på lister angripere prøver først. Velg et annet, gjerne flere ord \
                med bindestrek.
                """
        }
        return nil
    }

    /// On the list as written, without the digits and signs people add at the end ("Sommer2024!"), or as a
    /// repetition of a short or listed word ("passordpassord").
    public static func isCommon(_ password: String) -> Bool {
        let lower = password.lowercased()
        if commonPasswords.contains(lower) { return true }
        let base = String(
            lower.reversed().drop { $0.isNumber || $0.isPunctuation || $0.isSymbol || $0 == " " }.reversed())
        if base.count >= 4, commonPasswords.contains(base) { return true }
        // Runs along the digits, the alphabet or the keyboard ("1234567890123", "qwertyuiopå").
        let runs = [
            "01234567890123456789012345678901234567890", "98765432109876543210987654321098765432109",
            "abcdefghijklmnopqrstuvwxyzæøå", "åøæzyxwvutsrqponmlkjihgfedcba", "qwertyuiopåasdfghjkløæzxcvbnm",
        ]
        if runs.contains(where: { $0.contains(lower) || (base.count >= 6 && $0.contains(base)) }) { return true }
        for candidate in [lower, base] {
            let letters = Array(candidate)
            for unitLength in 1...max(1, letters.count / 2) where letters.count % unitLength == 0 {
                let unit = String(letters[0..<unitLength])
                guard String(repeating: unit, count: letters.count / unitLength) == candidate else { continue }
                if unitLength < 6 || commonPasswords.contains(unit) { return true }
            }
        }
        return false
    }

    /// Django's 20 000 common passwords and Norwegian additions (`Resources/common-passwords.txt`).
    public static let commonPasswords: Set<String> = {
        guard
            let url = Bundle.module.url(
                forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.trimmingCharacters(in: .whitespaces) })
    }()
}

/// The reason ("begrunnelse") given with a change: shown in the history and the audit trail, so bounded everywhere.
public enum ReasonPolicy {
    public static let maximumLength = 500

    public static func problem(_ reason: String) -> String? {
        reason.count > maximumLength
            ? "Begrunnelsen kan ha høyst \(maximumLength) tegn (den har \(reason.count))." : nil
    }
}
