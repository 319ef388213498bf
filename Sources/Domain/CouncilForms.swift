import Foundation

/// The council edit forms keep lists as one line per item with `|` between fields (the same idea as ambitions on the
/// indicator form). Reading and writing those lines lives here, so the rules are tested without a server.
public enum CouncilForms {
    public struct LineError: Error, Hashable, Sendable, CustomStringConvertible {
        public let field: String
        public let line: Int
        public let message: String
        public var description: String { "\(field), linje \(line): \(message)" }
    }

    /// Non-empty, trimmed lines with their 1-based line numbers.
    static func numberedLines(_ text: String) -> [(number: Int, line: String)] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.isEmpty ? nil : (i + 1, line)
        }
    }

    static func lines(_ text: String) -> [(number: Int, fields: [String])] {
        numberedLines(text).map { ($0.number, $0.line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }) }
    }

    /// Plain lines (questions, responsibilities): one item per non-empty line, a `|` in it kept as written.
    public static func items(_ text: String) -> [String] { numberedLines(text).map(\.line) }

    /// `Navn | Organisasjon`
    public static func presenters(_ text: String) throws(LineError) -> [Presenter] {
        var result: [Presenter] = []
        for (n, f) in lines(text) {
            guard f.count <= 2, !f[0].isEmpty else { throw LineError(field: "Innledere", line: n, message: "skriv «Navn | Organisasjon»") }
            result.append(Presenter(name: f[0], organisation: f.count > 1 ? f[1] : ""))
        }
        return result
    }

    public static func presentersText(_ list: [Presenter]) -> String {
        list.map { $0.organisation.isEmpty ? $0.name : "\($0.name) | \($0.organisation)" }.joined(separator: "\n")
    }

    /// `Tekst | Ansvarlig | ÅÅÅÅ-MM-DD | utført` (date and «utført» optional).
    public static func followUps(_ text: String) throws(LineError) -> [FollowUp] {
        var result: [FollowUp] = []
        for (n, f) in lines(text) {
            guard (1...4).contains(f.count), !f[0].isEmpty else {
                throw LineError(field: "Oppfølging", line: n, message: "skriv «Tekst | Ansvarlig | ÅÅÅÅ-MM-DD», dato og «utført» er valgfrie")
            }
            var due: Day?
            if f.count > 2, !f[2].isEmpty {
                guard let d = Day.parse(f[2]) else { throw LineError(field: "Oppfølging", line: n, message: "fristen «\(f[2])» er ikke en dato ÅÅÅÅ-MM-DD") }
                due = d
            }
            var done = false
            if f.count > 3, !f[3].isEmpty {
                guard ["utført", "utfort", "ja"].contains(f[3].lowercased()) else { throw LineError(field: "Oppfølging", line: n, message: "siste felt er enten tomt eller «utført»") }
                done = true
            }
            result.append(FollowUp(text: f[0], owner: f.count > 1 ? f[1] : "", due: due, done: done))
        }
        return result
    }

    public static func followUpsText(_ list: [FollowUp]) -> String {
        list.map { [$0.text, $0.owner, $0.due?.description ?? "", $0.done ? "utført" : ""].joined(separator: " | ") }.joined(separator: "\n")
    }

    /// `initiative:pll`, one per line (or separated by spaces).
    public static func links(_ text: String) throws(LineError) -> [CaseLink] {
        var result: [CaseLink] = []
        for (n, f) in lines(text) {
            for word in f.joined(separator: " ").split(separator: " ") {
                guard let link = CaseLink.parse(String(word)) else {
                    throw LineError(field: "Koblinger", line: n, message: "«\(word)» er ikke på formen type:id, der type er "
                                    + CaseLinkKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                result.append(link)
            }
        }
        return result
    }

    public static func linksText(_ list: [CaseLink]) -> String { list.map(\.text).joined(separator: "\n") }

    /// `Dag | HH:MM | Tittel` for lunch, breaks and other agenda lines that are not cases.
    public static func breaks(_ text: String) throws(LineError) -> [AgendaBreak] {
        var result: [AgendaBreak] = []
        for (n, f) in lines(text) {
            guard f.count == 3, let day = Int(f[0]), !f[2].isEmpty else { throw LineError(field: "Andre punkter", line: n, message: "skriv «dag | HH:MM | tittel», f.eks. «1 | 11:30 | Lunsj»") }
            var time: ClockTime?
            if !f[1].isEmpty {
                guard let t = ClockTime.parse(f[1]) else { throw LineError(field: "Andre punkter", line: n, message: "«\(f[1])» er ikke et klokkeslett TT:MM") }
                time = t
            }
            result.append(AgendaBreak(title: f[2], day: day, time: time))
        }
        return result
    }

    public static func breaksText(_ list: [AgendaBreak]) -> String {
        list.map { "\($0.day) | \($0.time?.description ?? "") | \($0.title)" }.joined(separator: "\n")
    }

    /// `Navn | Organisasjon | medlemmet det stilles for`, the member matched by name among those sitting on the meeting day.
    public static func substitutes(_ text: String, members: [Membership]) throws(LineError) -> [MeetingSubstitute] {
        var result: [MeetingSubstitute] = []
        for (n, f) in lines(text) {
            guard f.count == 3, !f[0].isEmpty, !f[2].isEmpty else {
                throw LineError(field: "Stedfortredere", line: n, message: "skriv «Navn | Organisasjon | medlemmet det stilles for»")
            }
            let matches = members.filter { $0.name.lowercased() == f[2].lowercased() }
            guard let member = matches.first else {
                throw LineError(field: "Stedfortredere", line: n, message: "«\(f[2])» er ikke medlem av rådet på møtedagen")
            }
            result.append(MeetingSubstitute(name: f[0], organisation: f[1], forMember: member.id))
        }
        return result
    }

    public static func substitutesText(_ list: [MeetingSubstitute], members: [Membership]) -> String {
        list.map { s in "\(s.name) | \(s.organisation) | \(members.first { $0.id == s.forMember }?.name ?? s.forMember)" }.joined(separator: "\n")
    }

    /// `Navn | Kortnavn | fra ÅÅÅÅ-MM-DD` per name, oldest first; the first may leave the date empty.
    public static func names(_ text: String) throws(LineError) -> [CouncilName] {
        var result: [CouncilName] = []
        for (n, f) in lines(text) {
            guard (2...3).contains(f.count), !f[0].isEmpty, !f[1].isEmpty else { throw LineError(field: "Navn", line: n, message: "skriv «Navn | Kortnavn | fra ÅÅÅÅ-MM-DD»") }
            var from: Day?
            if f.count == 3, !f[2].isEmpty {
                guard let d = Day.parse(f[2]) else { throw LineError(field: "Navn", line: n, message: "«\(f[2])» er ikke en dato ÅÅÅÅ-MM-DD") }
                from = d
            }
            result.append(CouncilName(name: f[0], shortName: f[1], from: from))
        }
        return result
    }

    public static func namesText(_ list: [CouncilName]) -> String {
        list.map { "\($0.name) | \($0.shortName) | \($0.from?.description ?? "")" }.joined(separator: "\n")
    }
}
