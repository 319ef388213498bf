import Foundation

// The national council model: councils (renamed over time), their members, meetings and numbered cases,
// and the cases' links back to the strategy. Pure values and rules; storage lives in Persistence.

/// One name a council has carried, from a date (nil: from the beginning of what Veikart knows).
public struct CouncilName: Codable, Hashable, Sendable {
    public var name: String
    public var shortName: String
    public var from: Day?
    public init(name: String, shortName: String, from: Day?) {
        self.name = name
        self.shortName = shortName
        self.from = from
    }
}

public struct Council: Codable, Hashable, Sendable {
    public var slug: String
    /// Oldest first. A rename adds a name; the slug and the history stay.
    public var names: [CouncilName]
    public var mandate: String
    public var responsibilities: [String]
    public var position: Int

    public init(slug: String, names: [CouncilName], mandate: String, responsibilities: [String], position: Int) {
        self.slug = slug
        self.names = names
        self.mandate = mandate
        self.responsibilities = responsibilities
        self.position = position
    }

    public var current: CouncilName { names.last ?? CouncilName(name: slug, shortName: slug, from: nil) }
    public var name: String { current.name }
    public var shortName: String { current.shortName }
    public var formerNames: [CouncilName] { Array(names.dropLast()) }

    /// The name the council had on `day` (a council renamed later keeps its old name on older meetings).
    public func name(on day: Day) -> CouncilName {
        names.last { ($0.from ?? Day(ordinal: Int.min / 2)) <= day } ?? names.first ?? current
    }
}

public enum CouncilRole: String, Codable, CaseIterable, Sendable {
    case leder, nestleder, medlem
    public var name: String {
        switch self {
        case .leder: "Leder"
        case .nestleder: "Nestleder"
        case .medlem: "Medlem"
        }
    }
    var order: Int {
        switch self {
        case .leder: 0
        case .nestleder: 1
        case .medlem: 2
        }
    }
}

/// A person's seat in a council for a time: `from` inclusive, `until` exclusive (the day a successor takes over).
/// Only name, title and organisation are kept: these are public officials named in public meeting papers.
public struct Membership: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var council: String
    public var name: String
    public var title: String
    public var organisation: String
    public var role: CouncilRole
    public var from: Day?
    public var until: Day?
    /// The membership this one took over (X replaces Y).
    public var replaces: String?

    public init(
        id: String, council: String, name: String, title: String, organisation: String, role: CouncilRole,
        from: Day?, until: Day?, replaces: String?
    ) {
        self.id = id
        self.council = council
        self.name = name
        self.title = title
        self.organisation = organisation
        self.role = role
        self.from = from
        self.until = until
        self.replaces = replaces
    }

    public func isActive(on day: Day) -> Bool {
        (from.map { $0 <= day } ?? true) && (until.map { day < $0 } ?? true)
    }
}

public enum Memberships {
    /// Who sat in the council on `day`: leader first, then deputy, then members by name.
    public static func at(_ day: Day, _ all: [Membership]) -> [Membership] {
        all.filter { $0.isActive(on: day) }.sorted { ($0.role.order, $0.name) < ($1.role.order, $1.name) }
    }

    /// A change in the council's composition, for the history list.
    public struct Change: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case joined, replaced(previous: Membership), left, roleChanged(from: CouncilRole)
        }
        public let day: Day?
        public let kind: Kind
        public let membership: Membership
    }

    /// Every change, newest first. A membership that replaces another is one change ("X erstatter Y"), not a leave and
    /// a join;
    /// the same person continuing with another role is a role change.
    public static func history(_ all: [Membership]) -> [Change] {
        let byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        var explained: Set<String> = []
        for m in all {
            if let previousId = m.replaces, let previous = byId[previousId] {
                if previous.name == m.name {
                    changes.append(Change(day: m.from, kind: .roleChanged(from: previous.role), membership: m))
                } else {
                    changes.append(Change(day: m.from, kind: .replaced(previous: previous), membership: m))
                }
                explained.insert(previous.id)
            } else if m.from != nil {
                changes.append(Change(day: m.from, kind: .joined, membership: m))
            }
        }
        for m in all where m.until != nil && !explained.contains(m.id) {
            changes.append(Change(day: m.until, kind: .left, membership: m))
        }
        return changes.sorted {
            ($0.day?.ordinal ?? Int.min, $0.membership.name) > ($1.day?.ordinal ?? Int.min, $1.membership.name)
        }
    }

    /// Problems with a set of memberships: dates in order, a replaced seat must have ended when its successor starts.
    public static func problems(_ all: [Membership]) -> [String] {
        var result: [String] = []
        let byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if byId.count != all.count { result.append("to medlemskap har samme id") }
        for m in all {
            if m.name.trimmingCharacters(in: .whitespaces).isEmpty { result.append("medlemskap \(m.id): navn mangler") }
            if [m.name, m.title, m.organisation].contains(where: TextRules.hasControlCharacters) {
                result.append("medlemskap \(m.id): teksten inneholder kontrolltegn")
            }
            if m.name.count > 200 || m.title.count > 200 || m.organisation.count > 200 {
                result.append("medlemskap \(m.id): navn, tittel og organisasjon har høyst 200 tegn")
            }
            if let f = m.from, let u = m.until, u <= f {
                result.append("medlemskap \(m.id) (\(m.name)): sluttdato må være etter startdato")
            }
            if let r = m.replaces {
                guard let previous = byId[r] else {
                    result.append("medlemskap \(m.id) (\(m.name)) erstatter «\(r)», som ikke finnes")
                    continue
                }
                if previous.council != m.council {
                    result.append("medlemskap \(m.id) (\(m.name)) erstatter et medlem i et annet råd")
                }
                if previous.until == nil || previous.until != m.from {
                    result.append(
                        """
                        \(m.name) erstatter \(previous.name): \(previous.name) må gå ut samme dag som \(m.name) \
                        begynner
                        """
                    )
                }
            }
        }
        return result
    }
}

/// A case number: sequence and year, written `35/22`. Given by the system per council and year, never reused.
public struct CaseNumber: CodableAsText, Hashable, Sendable, Comparable {
    public let sequence: Int
    public let year: Int
    public init(sequence: Int, year: Int) {
        self.sequence = sequence
        self.year = year
    }

    /// `35/22` (two-digit year).
    public var description: String { "\(sequence)/\(pad(year % 100, 2))" }
    /// `35-22`, for URLs and element ids.
    public var slug: String { "\(sequence)-\(pad(year % 100, 2))" }

    /// Reads `35/22` or `35-22`; two-digit years are 2000–2099.
    public static func parse(_ text: String) -> CaseNumber? {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" })
        guard parts.count == 2, let s = Int(parts[0]), s > 0, s < 100_000, parts[1].count == 2 || parts[1].count == 4,
            let y = Int(parts[1])
        else { return nil }
        let year = parts[1].count == 2 ? 2000 + y : y
        guard Period.validYears.contains(year) else { return nil }
        return CaseNumber(sequence: s, year: year)
    }

    public static func < (l: CaseNumber, r: CaseNumber) -> Bool { (l.year, l.sequence) < (r.year, r.sequence) }
    public static let textFormat = "a case number like 35/22"
}

public enum CaseNumbering {
    /// The next number for a council in `year`, given every number the council has ever used (withdrawn cases included,
    /// so a number is never handed out twice).
    public static func next(year: Int, used: [CaseNumber]) -> CaseNumber {
        CaseNumber(sequence: (used.filter { $0.year == year }.map(\.sequence).max() ?? 0) + 1, year: year)
    }
}

public enum CaseType: String, Codable, CaseIterable, Sendable {
    case godkjenning, orientering, drofting, anbefaling, beslutning
    public var name: String {
        switch self {
        case .godkjenning: "Godkjenning"
        case .orientering: "Orientering"
        case .drofting: "Drøfting"
        case .anbefaling: "Anbefaling"
        case .beslutning: "Beslutning"
        }
    }
}

/// A clock time `HH:MM` within a meeting day.
public struct ClockTime: CodableAsText, Hashable, Sendable, Comparable {
    public let minutes: Int
    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        minutes = hour * 60 + minute
    }
    /// `10:30` or `10.30` (the papers use both).
    public static func parse(_ text: String) -> ClockTime? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == ":" || $0 == "." })
        guard parts.count == 2, parts[1].count == 2, parts[0].count <= 2, let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        return ClockTime(hour: h, minute: m)
    }
    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }
    public var description: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
    public static func < (l: ClockTime, r: ClockTime) -> Bool { l.minutes < r.minutes }
    public static let textFormat = "HH:MM"
}

public struct Presenter: Codable, Hashable, Sendable {
    public var name: String
    /// Empty when not known (older papers name only the person and the organisation).
    public var title: String
    public var organisation: String
    public init(name: String, title: String = "", organisation: String) {
        self.name = name
        self.title = title
        self.organisation = organisation
    }

    enum CodingKeys: String, CodingKey { case name, title, organisation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        organisation = try c.decode(String.self, forKey: .organisation)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if !title.isEmpty { try c.encode(title, forKey: .title) }
        try c.encode(organisation, forKey: .organisation)
    }

    /// "Kari Nordmann, direktør, Helse Vest RHF" without empty parts.
    public var text: String { [name, title, organisation].filter { !$0.isEmpty }.joined(separator: ", ") }
}

/// A correction made after a paper was published (a decision reworded, attendance fixed): shown with the paper, so
/// a reader of the published text sees that and why it changed.
public struct Correction: Codable, Hashable, Sendable {
    public var day: Day
    public var note: String
    public init(day: Day, note: String) {
        self.day = day
        self.note = note
    }
}

/// Who came to a meeting, recorded after it; members not listed were absent (with a substitute when one is named).
public struct Attendance: Codable, Hashable, Sendable {
    /// Membership ids of the members who came.
    public var present: [String]
    /// Others who took part (guests, the secretariat), free text, one name per entry.
    public var others: [String]
    public init(present: [String], others: [String] = []) {
        self.present = present
        self.others = others
    }
}

public struct FollowUp: Codable, Hashable, Sendable {
    public var text: String
    public var owner: String
    public var due: Day?
    public var done: Bool
    public init(text: String, owner: String, due: Day?, done: Bool) {
        self.text = text
        self.owner = owner
        self.due = due
        self.done = done
    }
}

/// What a case can be linked to in the strategy.
public enum CaseLinkKind: String, Codable, CaseIterable, Sendable {
    case goal, subgoal, initiative, indicator, report, scoringRound = "scoring-round"
    public var name: String {
        switch self {
        case .goal: "Mål"
        case .subgoal: "Delmål"
        case .initiative: "Tiltak"
        case .indicator: "Indikator"
        case .report: "Statusrapport"
        case .scoringRound: "Prioriteringsrunde"
        }
    }
}

public struct CaseLink: Codable, Hashable, Sendable, Comparable {
    public var kind: CaseLinkKind
    public var target: String
    public init(kind: CaseLinkKind, target: String) {
        self.kind = kind
        self.target = target
    }

    /// `initiative:pll`, the form used in edit forms and the API.
    public var text: String { "\(kind.rawValue):\(target)" }

    public static func parse(_ text: String) -> CaseLink? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, let kind = CaseLinkKind(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        return CaseLink(kind: kind, target: parts[1])
    }

    public static func < (l: CaseLink, r: CaseLink) -> Bool {
        (l.kind.rawValue, l.target) < (r.kind.rawValue, r.target)
    }
}

/// What exists in the strategy for links to point at.
public struct LinkTargets: Sendable {
    public var titles: [CaseLinkKind: [String: String]]
    public init(dataset d: Dataset, reportPeriods: [Period], scoringRounds: [(id: String, title: String)]) {
        titles = [
            .goal: Dictionary(d.goals.map { ($0.id, "Mål \($0.id): \($0.title)") }, uniquingKeysWith: { a, _ in a }),
            .subgoal: Dictionary(
                d.subgoals.map { ($0.id, "Delmål \($0.id): \($0.title)") }, uniquingKeysWith: { a, _ in a }),
            .initiative: Dictionary(d.initiatives.map { ($0.slug, $0.title) }, uniquingKeysWith: { a, _ in a }),
            .indicator: Dictionary(d.indicators.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            .report: Dictionary(
                reportPeriods.map { ($0.description, "Statusrapport \($0.norwegian)") }, uniquingKeysWith: { a, _ in a }
            ),
            .scoringRound: Dictionary(scoringRounds.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a }),
        ]
    }
    public func title(_ link: CaseLink) -> String? { titles[link.kind]?[link.target] }
}

public struct CouncilCase: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var meetingId: String
    public var number: CaseNumber
    public var title: String
    public var type: CaseType?
    public var presenters: [Presenter]
    /// 1 for the first day of the meeting.
    public var day: Int
    public var time: ClockTime?
    public var summary: String
    public var questions: [String]
    public var proposedDecision: String
    /// Recorded after the meeting; empty until then.
    public var decision: String
    public var followUps: [FollowUp]
    public var links: [CaseLink]
    /// A withdrawn case keeps its number, so the number is never given to another case.
    public var withdrawn: Bool
    /// Changes made after the notice or the minutes were published; nil (not written) when there are none.
    public var corrections: [Correction]?

    public init(
        id: String, meetingId: String, number: CaseNumber, title: String, type: CaseType?, presenters: [Presenter],
        day: Int, time: ClockTime?,
        summary: String, questions: [String], proposedDecision: String, decision: String, followUps: [FollowUp],
        links: [CaseLink], withdrawn: Bool,
        corrections: [Correction]? = nil
    ) {
        self.id = id
        self.meetingId = meetingId
        self.number = number
        self.title = title
        self.type = type
        self.presenters = presenters
        self.day = day
        self.time = time
        self.summary = summary
        self.questions = questions
        self.proposedDecision = proposedDecision
        self.decision = decision
        self.followUps = followUps
        self.links = links
        self.withdrawn = withdrawn
        self.corrections = corrections
    }

    /// Whether `other` differs from this case in what a published paper shows (not in its corrections).
    public func differsInContent(from other: CouncilCase) -> Bool {
        var a = self
        var b = other
        a.corrections = nil
        b.corrections = nil
        return a != b
    }

    /// Problems a secretary must fix before the case is stored; `targets` checks that every link points at something
    /// real.
    public func problems(meetingDays: Int, targets: LinkTargets?) -> [String] {
        var result: [String] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty { result.append("tittel må fylles ut") }
        if !(1...max(1, meetingDays)).contains(day) {
            result.append("dag må være mellom 1 og \(max(1, meetingDays))")
        }
        for p in presenters where p.name.trimmingCharacters(in: .whitespaces).isEmpty {
            result.append("en innleder mangler navn")
        }
        for f in followUps where f.text.trimmingCharacters(in: .whitespaces).isEmpty {
            result.append("et oppfølgingspunkt mangler tekst")
        }
        if let targets {
            for l in links where targets.title(l) == nil {
                result.append("koblingen «\(l.text)» peker på noe som ikke finnes")
            }
        }
        if Set(links).count != links.count { result.append("samme kobling står flere ganger") }
        let texts =
            [title, summary, proposedDecision, decision] + questions
            + presenters.flatMap { [$0.name, $0.title, $0.organisation] }
            + followUps.flatMap { [$0.text, $0.owner] } + (corrections ?? []).map(\.note)
        if texts.contains(where: TextRules.hasControlCharacters) { result.append("teksten inneholder kontrolltegn") }
        if title.count > 500 || summary.count > 20_000 || proposedDecision.count > 5_000 || decision.count > 5_000
            || questions.count > 50 || followUps.count > 100
        {
            result.append("teksten er for lang (tittel høyst 500 tegn, saksfremstilling 20 000, vedtak 5 000)")
        }
        return result
    }
}

/// A non-case line of the agenda: welcome, lunch, breaks, dinner.
public struct AgendaBreak: Codable, Hashable, Sendable {
    public var title: String
    public var day: Int
    public var time: ClockTime?
    public init(title: String, day: Int, time: ClockTime?) {
        self.title = title
        self.day = day
        self.time = time
    }
}

public struct MeetingSubstitute: Codable, Hashable, Sendable {
    public var name: String
    public var organisation: String
    /// The membership id of the member who is absent.
    public var forMember: String
    public init(name: String, organisation: String, forMember: String) {
        self.name = name
        self.organisation = organisation
        self.forMember = forMember
    }
}

/// Planned → notice published (innkalling) → minutes published (referat). Decisions are public only with the
/// minutes.
public enum MeetingState: String, Codable, CaseIterable, Sendable {
    case planlagt, innkalt, referat
    public var name: String {
        switch self {
        case .planlagt: "Planlagt"
        case .innkalt: "Innkalling publisert"
        case .referat: "Referat publisert"
        }
    }
    /// The only step forward: a published notice or minutes is never taken back.
    public var next: MeetingState? {
        switch self {
        case .planlagt: .innkalt
        case .innkalt: .referat
        case .referat: nil
        }
    }
    public var agendaIsPublic: Bool { self != .planlagt }
    public var decisionsArePublic: Bool { self == .referat }

    /// Why `meeting` cannot move to `self` on `today`, or nil. Minutes record what happened (and who came), so they are
    /// not published before the meeting has started.
    public func refusal(for meeting: Meeting, today: Day) -> String? {
        guard self == .referat else { return nil }
        if today < meeting.startsOn {
            return "Referatet kan publiseres tidligst på møtedagen, \(meeting.startsOn.norwegian)."
        }
        if meeting.attendance == nil {
            return "Registrer hvem som møtte før referatet publiseres (under «Endre møtet»)."
        }
        return nil
    }
}

public struct Meeting: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var council: String
    /// The council's own meeting number (`5/22`), when it has one.
    public var number: String
    public var startsOn: Day
    public var endsOn: Day
    public var startTime: ClockTime?
    public var endTime: ClockTime?
    public var place: String
    public var state: MeetingState
    /// Anything readers should know about the meeting (e.g. that its papers are not in Veikart).
    public var note: String
    public var substitutes: [MeetingSubstitute]
    public var breaks: [AgendaBreak]
    /// The second, third … meeting of the council on its start day; nil for the first.
    public var sequence: Int?
    /// Recorded after the meeting; nil until then. The minutes are not published without it.
    public var attendance: Attendance?
    /// Changes to the meeting after the minutes were published; nil when there are none.
    public var corrections: [Correction]?

    public init(
        id: String, council: String, number: String, startsOn: Day, endsOn: Day, startTime: ClockTime?,
        endTime: ClockTime?, place: String,
        state: MeetingState, note: String, substitutes: [MeetingSubstitute], breaks: [AgendaBreak],
        sequence: Int? = nil,
        attendance: Attendance? = nil, corrections: [Correction]? = nil
    ) {
        self.id = id
        self.council = council
        self.number = number
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.startTime = startTime
        self.endTime = endTime
        self.place = place
        self.state = state
        self.note = note
        self.substitutes = substitutes
        self.breaks = breaks
        self.sequence = sequence
        self.attendance = attendance
        self.corrections = corrections
    }

    public var days: Int { endsOn.ordinal - startsOn.ordinal + 1 }

    /// "21.09.2022", "21.01.2026–22.01.2026"; a later meeting the same day adds its time or number ("20.10.2022 kl.
    /// 16:00").
    public var datesText: String {
        let dates = startsOn == endsOn ? startsOn.norwegian : "\(startsOn.norwegian)–\(endsOn.norwegian)"
        guard let n = sequence, n > 1 else { return dates }
        return dates + (startTime.map { " kl. \($0)" } ?? " (møte \(n))")
    }

    /// The meeting's name in its council: the start day, and `-2`, `-3` … for later meetings the same day.
    public var key: String { Self.key(startsOn, sequence: sequence ?? 1) }

    public static func key(_ day: Day, sequence: Int) -> String {
        sequence > 1 ? "\(day)-\(sequence)" : day.description
    }

    /// Reads `2026-12-03` or `2026-12-03-2` (the day and the meeting's number that day).
    public static func parseKey(_ text: String) -> (day: Day, sequence: Int)? {
        if let day = Day.parse(text), text.count == 10 { return (day, 1) }
        guard text.count > 11, text.count <= 13, let day = Day.parse(String(text.prefix(10))),
            text[text.index(text.startIndex, offsetBy: 10)] == "-",
            let n = Int(text.dropFirst(11)), (2...99).contains(n)
        else { return nil }
        return (day, n)
    }

    /// The lowest free sequence on `day` among the council's other meetings (`taken` are their keys).
    public static func freeSequence(on day: Day, taken: Set<String>) -> Int {
        var n = 1
        while taken.contains(key(day, sequence: n)) { n += 1 }
        return n
    }

    /// Members (ids) who were absent: sitting on the meeting day, attendance recorded, not listed as present.
    public func absentMembers(_ sitting: [Membership]) -> [Membership] {
        guard let attendance else { return [] }
        let present = Set(attendance.present)
        return sitting.filter { !present.contains($0.id) }
    }

    public func date(ofDay day: Int) -> Day { startsOn.adding(days: day - 1) }

    public func problems(members: [Membership]) -> [String] {
        var result: [String] = []
        if endsOn < startsOn { result.append("sluttdato kan ikke være før startdato") }
        if days > 14 { result.append("et møte kan vare høyst 14 dager") }
        if let s = startTime, let e = endTime, days == 1, e <= s { result.append("sluttid må være etter starttid") }
        let active = Set(Memberships.at(startsOn, members).map(\.id))
        for s in substitutes {
            if s.name.trimmingCharacters(in: .whitespaces).isEmpty { result.append("en stedfortreder mangler navn") }
            if !active.contains(s.forMember) {
                result.append("\(s.name) stiller for et medlem som ikke er medlem av rådet på møtedagen")
            }
        }
        for b in breaks
        where !(1...max(1, days)).contains(b.day) || b.title.trimmingCharacters(in: .whitespaces).isEmpty {
            result.append("agendapunktet «\(b.title)» har tom tittel eller en dag utenfor møtet")
        }
        if let attendance {
            for id in attendance.present where !active.contains(id) {
                result.append("oppmøtet lister et medlem som ikke sitter i rådet på møtedagen")
            }
            let present = Set(attendance.present)
            for s in substitutes where present.contains(s.forMember) {
                let name = members.first { $0.id == s.forMember }?.name ?? "medlemmet"
                result.append("\(name) er registrert som til stede, men har også stedfortreder (\(s.name))")
            }
        }
        let texts =
            [place, note, number] + substitutes.flatMap { [$0.name, $0.organisation] } + breaks.map(\.title)
            + (attendance?.others ?? []) + (corrections ?? []).map(\.note)
        if texts.contains(where: TextRules.hasControlCharacters) { result.append("teksten inneholder kontrolltegn") }
        if place.count > 200 || note.count > 2_000 || number.count > 20 {
            result.append("sted (200), merknad (2 000) eller møtenummer (20 tegn) er for langt")
        }
        return result
    }
}

/// One line of the timed agenda, cases and breaks together in order.
public enum AgendaLine: Hashable, Sendable {
    case item(CouncilCase)
    case pause(AgendaBreak)

    public var day: Int {
        switch self {
        case .item(let c): c.day
        case .pause(let b): b.day
        }
    }
    public var time: ClockTime? {
        switch self {
        case .item(let c): c.time
        case .pause(let b): b.time
        }
    }

    /// Day by day, then by time; untimed lines after timed ones, cases in number order.
    public static func agenda(cases: [CouncilCase], breaks: [AgendaBreak]) -> [AgendaLine] {
        let lines = cases.map(AgendaLine.item) + breaks.map(AgendaLine.pause)
        func key(_ l: AgendaLine) -> (Int, Int, Int, Int) {
            let seq: Int = { if case .item(let c) = l { return c.number.sequence } else { return -1 } }()
            return (l.day, l.time?.minutes ?? 24 * 60, seq < 0 ? 0 : 1, seq)
        }
        return lines.sorted { key($0) < key($1) }
    }
}

/// "Behandlet i": a case that dealt with something, as the linked page shows it.
public struct CaseReference: Hashable, Sendable {
    public let councilName: String
    public let meetingDate: Day
    public let council: String
    public let meetingKey: String
    public let number: CaseNumber
    public let title: String
    /// The decision when the minutes are published, otherwise the proposal.
    public let decisionText: String
    public let decided: Bool

    public init(council: Council, meeting: Meeting, item: CouncilCase) {
        councilName = council.name(on: meeting.startsOn).name
        meetingDate = meeting.startsOn
        self.council = meeting.council
        meetingKey = meeting.key
        number = item.number
        title = item.title
        decided = meeting.state.decisionsArePublic && !item.decision.isEmpty
        decisionText = decided ? item.decision : item.proposedDecision
    }

    /// Which cases link to `link`, among public meetings; newest meeting first.
    public static func handling(_ link: CaseLink, councils: [Council], meetings: [Meeting], cases: [CouncilCase])
        -> [CaseReference]
    {
        let councilsBySlug = Dictionary(councils.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let meetingsById = Dictionary(meetings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return cases.compactMap { c -> CaseReference? in
            guard !c.withdrawn, c.links.contains(link), let m = meetingsById[c.meetingId], m.state.agendaIsPublic,
                let council = councilsBySlug[m.council]
            else { return nil }
            return CaseReference(council: council, meeting: m, item: c)
        }.sorted { ($0.meetingDate, $0.number) > ($1.meetingDate, $1.number) }
    }
}

/// Everything about the council model, as exported and imported (`councils.json`).
public struct CouncilData: Codable, Hashable, Sendable {
    public var councils: [Council]
    public var members: [Membership]
    public var meetings: [Meeting]
    public var cases: [CouncilCase]

    public init(councils: [Council], members: [Membership], meetings: [Meeting], cases: [CouncilCase]) {
        self.councils = councils
        self.members = members
        self.meetings = meetings
        self.cases = cases
    }

    public static let empty = CouncilData(councils: [], members: [], meetings: [], cases: [])

    /// Every problem in the whole set; an import is refused unless this is empty.
    public func problems(targets: LinkTargets?) -> [String] {
        var result: [String] = []
        let slugs = Set(councils.map(\.slug))
        if slugs.count != councils.count { result.append("to råd har samme slug") }
        for c in councils {
            if !Slug.isWellFormed(c.slug) || c.slug.count > 80 {
                result.append("rådet «\(c.slug)»: slug må være a–z, 0–9 og bindestrek (høyst 80 tegn)")
            }
            if c.names.isEmpty { result.append("rådet «\(c.slug)» har ikke navn") }
            if ([c.mandate] + c.responsibilities + c.names.flatMap { [$0.name, $0.shortName] }).contains(
                where: TextRules.hasControlCharacters)
            {
                result.append("rådet «\(c.slug)»: teksten inneholder kontrolltegn")
            }
            let dates = c.names.compactMap(\.from)
            if dates != dates.sorted() || c.names.dropFirst().contains(where: { $0.from == nil }) {
                result.append(
                    "rådet «\(c.slug)»: navnene må stå i rekkefølge med fra-dato (alle unntatt det første)")
            }
        }
        for m in members where !slugs.contains(m.council) {
            result.append("medlemskap \(m.id): rådet «\(m.council)» finnes ikke")
        }
        result += Memberships.problems(members)
        let meetingIds = Set(meetings.map(\.id))
        if meetingIds.count != meetings.count { result.append("to møter har samme id") }
        var seenKeys: Set<String> = []
        for m in meetings {
            let label = "møtet \(m.council) \(m.key)"
            if !slugs.contains(m.council) { result.append("\(label): rådet finnes ikke") }
            if let n = m.sequence, !(2...99).contains(n) {
                result.append("\(label): nummeret samme dag må være mellom 2 og 99")
            }
            if !seenKeys.insert("\(m.council)/\(m.key)").inserted {
                result.append("\(label): rådet har to møter med samme dag og nummer")
            }
            result += m.problems(members: members.filter { $0.council == m.council }).map { "\(label): \($0)" }
        }
        let meetingsById = Dictionary(meetings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var numbers: Set<String> = []
        if Set(cases.map(\.id)).count != cases.count { result.append("to saker har samme id") }
        for c in cases {
            guard let m = meetingsById[c.meetingId] else {
                result.append("sak \(c.number): møtet «\(c.meetingId)» finnes ikke")
                continue
            }
            if c.number.year != m.startsOn.year {
                result.append("sak \(c.number): årstallet må være møtets år (\(m.startsOn.year))")
            }
            if !numbers.insert("\(m.council)/\(c.number)").inserted {
                result.append("sak \(c.number) finnes to ganger i \(m.council)")
            }
            result += c.problems(meetingDays: m.days, targets: targets).map { "sak \(c.number): \($0)" }
        }
        return result
    }
}

/// Text from forms and files: no control characters other than line breaks and tabs.
public enum TextRules {
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") || $0.value == 0x7F }
    }
}

/// An open follow-up of an earlier decision ("oppfølgingssak"), for the next meeting's draft agenda.
public struct OpenFollowUp: Hashable, Sendable {
    public let origin: CouncilCase
    public let originMeeting: Meeting
    public let followUp: FollowUp
    /// The follow-up's place in its case (1-based), to name it in links.
    public let position: Int
    public init(origin: CouncilCase, originMeeting: Meeting, followUp: FollowUp, position: Int) {
        self.origin = origin
        self.originMeeting = originMeeting
        self.followUp = followUp
        self.position = position
    }
}

public enum FollowUpAgenda {
    /// Meetings in the order they are held: day, then start time (untimed first), then number.
    static func order(_ a: Meeting, _ b: Meeting) -> Bool {
        (a.startsOn, a.startTime?.minutes ?? -1, a.sequence ?? 1) < (
            b.startsOn, b.startTime?.minutes ?? -1, b.sequence ?? 1
        )
    }

    /// The council's next meeting: the first that is not over on `today`.
    public static func nextMeeting(of council: String, meetings: [Meeting], today: Day) -> Meeting? {
        meetings.filter { $0.council == council && $0.endsOn >= today }.sorted(by: order).first
    }

    /// The follow-ups still open (not done) from decisions in the council's earlier meetings, to be dealt with at
    /// `meeting` when it is the council's next meeting and its minutes are not out. `publicOnly`: only from meetings
    /// whose minutes are published (what a reader may see); the secretariat sees those recorded but not yet published.
    public static func open(
        for meeting: Meeting, meetings: [Meeting], cases: [CouncilCase], today: Day,
        publicOnly: Bool
    ) -> [OpenFollowUp] {
        guard meeting.state != .referat,
            nextMeeting(of: meeting.council, meetings: meetings, today: today)?.id == meeting.id
        else { return [] }
        let earlier = Dictionary(
            meetings.filter { $0.council == meeting.council && order($0, meeting) && $0.id != meeting.id }
                .filter { !publicOnly || $0.state.decisionsArePublic }.map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        return cases.filter { !$0.withdrawn && earlier[$0.meetingId] != nil }
            .sorted { ($0.number.year, $0.number.sequence) < ($1.number.year, $1.number.sequence) }
            .flatMap { c in
                c.followUps.enumerated().filter { !$0.element.done }.map {
                    OpenFollowUp(
                        origin: c, originMeeting: earlier[c.meetingId]!, followUp: $0.element, position: $0.offset + 1)
                }
            }
    }
}

/// Where what a follow-up links to stands today, in one line for the agenda ("live status").
public enum LinkStatus {
    public static func text(_ link: CaseLink, dataset d: Dataset, today: Day) -> String? {
        switch link.kind {
        case .initiative:
            guard d.initiative(link.target) != nil else { return "Tiltaket finnes ikke lenger i veikartet." }
            let milestones = d.milestones(ofInitiative: link.target)
            let activities = d.activities(ofInitiative: link.target)
            let overdue =
                milestones.filter { !$0.done && $0.date.lastDay < today }.count
                + activities.filter { a in !a.done && (a.span.end.map { $0.lastDay < today } ?? false) }.count
            let next = milestones.filter { !$0.done && $0.date.lastDay >= today }.min {
                $0.date.firstDay < $1.date.firstDay
            }
            let delayed = (milestones.map(\.delay) + activities.map(\.delay)).compactMap { $0 }.count
            var parts = [
                next.map { "Neste milepæl: \($0.description) (\($0.date.norwegian))" } ?? "Ingen kommende milepæler"
            ]
            if overdue > 0 { parts.append(NumberText.count(overdue, "leveranse er forfalt", "leveranser er forfalt")) }
            if delayed > 0 {
                parts.append(
                    NumberText.count(delayed, "vesentlig forsinkelse registrert", "vesentlige forsinkelser registrert"))
            }
            return parts.joined(separator: " · ") + "."
        case .indicator:
            return d.indicator(link.target) == nil ? "Indikatoren finnes ikke lenger." : nil
        case .goal, .subgoal, .report, .scoringRound:
            return nil
        }
    }
}
