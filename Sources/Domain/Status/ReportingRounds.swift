import Foundation

/// Where one actor's part of a reporting round stands. `forfalt` is never stored: it is an unfinished part after the
/// deadline.
public enum RoundPartState: String, CaseIterable, Sendable, Codable {
    case ikkePaabegynt = "ikke-pabegynt", underArbeid = "under-arbeid", levert, forfalt
    public var name: String {
        switch self {
        case .ikkePaabegynt: "Ikke påbegynt"
        case .underArbeid: "Under arbeid"
        case .levert: "Levert"
        case .forfalt: "Forfalt"
        }
    }
}

/// An initiative's status as one actor reports it in a round: the codes of the status report.
public struct InitiativeStatus: Hashable, Sendable, Codable {
    public var initiative: String
    public var assessment: Assessment
    public init(initiative: String, assessment: Assessment) {
        self.initiative = initiative
        self.assessment = assessment
    }
}

/// A reporting round: a period, a deadline, and the actors and initiatives asked to report.
public struct ReportingRound: Hashable, Sendable, Codable {
    /// The period's own text ("2026-Q4"): one round per period.
    public var id: String { period.description }
    public var period: Period
    public var deadline: Day
    public var actors: [String]
    public var initiatives: [String]
    public var note: String
    public var openedAt: Date?
    public var closedAt: Date?
    /// The roadmap version closing the round published (none for rounds closed before versions were kept).
    public var roadmapVersion: String?
    public init(
        period: Period, deadline: Day, actors: [String], initiatives: [String], note: String = "",
        openedAt: Date? = nil, closedAt: Date? = nil, roadmapVersion: String? = nil
    ) {
        self.period = period
        self.deadline = deadline
        self.actors = actors
        self.initiatives = initiatives
        self.note = note
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.roadmapVersion = roadmapVersion
    }
    public var isClosed: Bool { closedAt != nil }

    enum CodingKeys: String, CodingKey {
        case period, deadline, actors, initiatives, note, openedAt, closedAt, roadmapVersion
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .period)
        guard let p = ReportRules.parsePeriod(raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: .period, in: c, debugDescription: "ugyldig periode «\(raw)»")
        }
        period = p
        deadline = try c.decode(Day.self, forKey: .deadline)
        actors = try c.decodeIfPresent([String].self, forKey: .actors) ?? []
        initiatives = try c.decodeIfPresent([String].self, forKey: .initiatives) ?? []
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
        openedAt = try c.decodeIfPresent(Date.self, forKey: .openedAt)
        closedAt = try c.decodeIfPresent(Date.self, forKey: .closedAt)
        roadmapVersion = try c.decodeIfPresent(String.self, forKey: .roadmapVersion)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period.description, forKey: .period)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(actors, forKey: .actors)
        try c.encode(initiatives, forKey: .initiatives)
        try c.encode(note, forKey: .note)
        try c.encodeIfPresent(openedAt, forKey: .openedAt)
        try c.encodeIfPresent(closedAt, forKey: .closedAt)
        try c.encodeIfPresent(roadmapVersion, forKey: .roadmapVersion)
    }

    /// The initiatives in scope that `actor` takes part in: it has an activity or a milestone in them.
    public func initiatives(of actor: String, in d: Dataset) -> [String] {
        let involved = Set(d.activities.filter { $0.actorSlug == actor }.map(\.initiativeSlug))
            .union(d.milestones.filter { $0.actorSlug == actor }.map(\.initiativeSlug))
        return initiatives.filter(involved.contains)
    }

    /// The default scope of a new round: the national initiatives and every actor with work in them.
    public static func defaultScope(in d: Dataset) -> (initiatives: [String], actors: [String]) {
        let national = d.initiatives.filter { $0.kind == .national }.map(\.slug)
        let set = Set(national)
        let involved = Set(d.activities.filter { set.contains($0.initiativeSlug) }.map(\.actorSlug))
            .union(d.milestones.filter { set.contains($0.initiativeSlug) }.compactMap(\.actorSlug))
        return (national, d.actors.map(\.slug).filter(involved.contains))
    }

    /// A date as people write it (15.12.2026, 1.2.2027) or as files do (2026-12-15).
    public static func day(_ text: String) -> Day? {
        if let d = Day.parse(text) { return d }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].count == 4,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { ("0"..."9").contains($0) } }),
            let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), Period.validYears.contains(y)
        else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// Checks a round as opened by an editor; the messages name the form's fields.
    public static func problems(
        period: String, deadline: String, actors: [String], initiatives: [String], in d: Dataset,
        existing: [String]
    ) -> (round: ReportingRound?, errors: FieldErrors) {
        var errors = FieldErrors()
        let p = ReportRules.parsePeriod(period.trimmingCharacters(in: .whitespaces))
        if p == nil {
            errors.messages["period"] = "Skriv perioden som et år eller et kvartal, for eksempel 2026-Q4."
        } else if let p, existing.contains(p.description) {
            errors.messages["period"] = "Det finnes allerede en rapporteringsrunde for \(p.norwegian)."
        }
        let day = Self.day(deadline.trimmingCharacters(in: .whitespaces))
        if day == nil {
            errors.messages["deadline"] = "Skriv fristen som en dato, for eksempel 15.12.2026 eller 2026-12-15."
        }
        let known = Set(d.initiatives.map(\.slug))
        let knownActors = Set(d.actors.map(\.slug))
        if initiatives.isEmpty { errors.messages["initiatives"] = "Velg minst ett tiltak." }
        if initiatives.contains(where: { !known.contains($0) }) {
            errors.messages["initiatives"] = "Et valgt tiltak finnes ikke."
        }
        if actors.isEmpty { errors.messages["actors"] = "Velg minst én aktør." }
        if actors.contains(where: { !knownActors.contains($0) }) {
            errors.messages["actors"] = "En valgt aktør finnes ikke."
        }
        guard errors.isEmpty, let p, let day else { return (nil, errors) }
        // Kept in the dataset's order, so boards and forms list them as everywhere else.
        let chosen = Set(initiatives)
        let chosenActors = Set(actors)
        return (
            ReportingRound(
                period: p, deadline: day, actors: d.actors.map(\.slug).filter(chosenActors.contains),
                initiatives: d.initiatives.map(\.slug).filter(chosen.contains)), errors
        )
    }
}

/// One actor's part of a round: what it reported, and whether it is delivered.
public struct RoundPart: Hashable, Sendable, Codable {
    public var round: String
    public var actor: String
    public var statuses: [InitiativeStatus]
    public var note: String
    public var delivered: Bool
    public var deliveredAt: Date?
    public var deliveredBy: String?
    public var updatedAt: Date?
    public init(
        round: String, actor: String, statuses: [InitiativeStatus] = [], note: String = "", delivered: Bool = false,
        deliveredAt: Date? = nil, deliveredBy: String? = nil, updatedAt: Date? = nil
    ) {
        self.round = round
        self.actor = actor
        self.statuses = statuses
        self.note = note
        self.delivered = delivered
        self.deliveredAt = deliveredAt
        self.deliveredBy = deliveredBy
        self.updatedAt = updatedAt
    }

    public func status(of initiative: String) -> Assessment? {
        statuses.first { $0.initiative == initiative }?.assessment
    }

    /// Reads a part's statuses from form or API fields, checked against what the actor may report in `round`.
    /// `status`/`tendency` take the status report's codes; an empty status means "not assessed".
    public static func read(
        _ entries: [(initiative: String, status: String, tendency: String, comment: String)],
        round: ReportingRound, actor: String, in d: Dataset
    ) -> (statuses: [InitiativeStatus], errors: FieldErrors) {
        var errors = FieldErrors()
        let allowed = round.initiatives(of: actor, in: d)
        var byInitiative: [String: InitiativeStatus] = [:]
        for e in entries {
            let field = "status-\(e.initiative)"
            guard allowed.contains(e.initiative) else {
                let name = d.initiative(e.initiative)?.shortTitle ?? e.initiative
                errors.messages[field] =
                    d.initiative(e.initiative) == nil
                    ? "Tiltaket «\(String(e.initiative.prefix(60)))» finnes ikke."
                    : "\(name) er ikke med i runden for \(d.actor(actor)?.name ?? actor)."
                continue
            }
            var a = Assessment(comment: e.comment.trimmingCharacters(in: .whitespacesAndNewlines))
            let s = e.status.trimmingCharacters(in: .whitespaces)
            let t = e.tendency.trimmingCharacters(in: .whitespaces)
            if !s.isEmpty {
                if let light = TrafficLight(rawValue: s) {
                    a.status = light
                } else {
                    errors.messages[field] = "Ukjent status «\(String(s.prefix(20)))»; velg grønn, gul eller rød."
                }
            }
            if !t.isEmpty {
                if let tendency = Tendency(rawValue: t) {
                    a.tendency = tendency
                } else {
                    errors.messages["tendency-\(e.initiative)"] =
                        "Ukjent retning «\(String(t.prefix(20)))»; velg mot grønt eller mot rødt."
                }
            }
            if a.tendency != nil && a.status == nil {
                errors.messages["tendency-\(e.initiative)"] = "Velg en status før retningen."
            }
            if a.comment.count > 5_000 {
                errors.messages["comment-\(e.initiative)"] = "Kommentaren kan ha høyst 5 000 tegn."
            }
            byInitiative[e.initiative] = InitiativeStatus(initiative: e.initiative, assessment: a)
        }
        return (allowed.compactMap { byInitiative[$0] }.filter { $0.assessment != Assessment() }, errors)
    }
}

/// One row of the editors' board: an actor's part with what it still lacks.
public struct RoundBoardRow: Hashable, Sendable {
    public let actor: String
    public let state: RoundPartState
    public let initiatives: [String]
    /// Initiatives the actor has not given a status for.
    public let missingStatuses: [String]
    public let deliveredAt: Date?
}

public enum RoundBoard {
    /// The state of `part` in `round` on `today`: delivered, else overdue after the deadline, else started or not.
    public static func state(of part: RoundPart?, in round: ReportingRound, today: Day) -> RoundPartState {
        if part?.delivered == true { return .levert }
        if today > round.deadline { return .forfalt }
        return part == nil ? .ikkePaabegynt : .underArbeid
    }

    public static func rows(_ round: ReportingRound, parts: [RoundPart], in d: Dataset, today: Day) -> [RoundBoardRow] {
        let byActor = Dictionary(parts.map { ($0.actor, $0) }, uniquingKeysWith: { a, _ in a })
        return round.actors.map { actor in
            let part = byActor[actor]
            let initiatives = round.initiatives(of: actor, in: d)
            let missing = initiatives.filter { part?.status(of: $0)?.status == nil }
            return RoundBoardRow(
                actor: actor, state: state(of: part, in: round, today: today), initiatives: initiatives,
                missingStatuses: missing, deliveredAt: part?.deliveredAt)
        }
    }

    /// How many parts are in each state, in the order of `RoundPartState`.
    public static func counts(_ rows: [RoundBoardRow]) -> [(RoundPartState, Int)] {
        RoundPartState.allCases.map { s in (s, rows.filter { $0.state == s }.count) }
    }
}

/// `cycle.json`: reporting rounds, their parts and the roadmap versions, as seeded, imported and exported.
/// A round without actors or initiatives takes the default scope; a version without items is the roadmap of the
/// dataset it is read with (how the seed records version 1.0 without repeating the roadmap).
public struct CycleFile: Sendable, Codable {
    public struct Version: Sendable, Codable {
        public var number: String
        public var publishedOn: Day
        public var round: String?
        public var note: String?
        public var items: [VersionItem]?
        public init(_ v: RoadmapVersion) {
            number = v.number
            publishedOn = v.publishedOn
            round = v.round
            note = v.note
            items = v.items
        }
    }
    public var rounds: [ReportingRound]
    public var parts: [RoundPart]?
    public var versions: [Version]?

    public static let file = "cycle.json"

    public init(rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion]) {
        self.rounds = rounds
        self.parts = parts
        self.versions = versions.map(Version.init)
    }

    /// The rounds, parts and versions checked against `d`; every problem is listed and nothing is returned half-read.
    public func resolved(with d: Dataset, file: String = file) throws -> (
        rounds: [ReportingRound], parts: [RoundPart],
        versions: [RoadmapVersion]
    ) {
        var issues: [String] = []
        let initiatives = Set(d.initiatives.map(\.slug))
        let actors = Set(d.actors.map(\.slug))
        let scope = ReportingRound.defaultScope(in: d)
        var seen: Set<String> = []
        let rounds = self.rounds.map { r in
            var r = r
            if !seen.insert(r.id).inserted { issues.append("runden for \(r.id) står to ganger") }
            if r.initiatives.isEmpty { r.initiatives = scope.initiatives }
            if r.actors.isEmpty { r.actors = scope.actors }
            for s in r.initiatives where !initiatives.contains(s) {
                issues.append("runden \(r.id): tiltaket «\(s)» finnes ikke")
            }
            for s in r.actors where !actors.contains(s) {
                issues.append("runden \(r.id): aktøren «\(s)» finnes ikke")
            }
            return r
        }
        let byId = Dictionary(rounds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var partKeys: Set<String> = []
        for p in parts ?? [] {
            guard let r = byId[p.round] else {
                issues.append("en del viser til runden «\(p.round)», som ikke finnes")
                continue
            }
            if !r.actors.contains(p.actor) {
                issues.append("runden \(p.round): aktøren «\(p.actor)» er ikke med i runden")
            }
            if !partKeys.insert("\(p.round)/\(p.actor)").inserted {
                issues.append("runden \(p.round): aktøren «\(p.actor)» har to deler")
            }
            for s in p.statuses where !r.initiatives.contains(s.initiative) {
                issues.append(
                    "runden \(p.round): \(p.actor) rapporterer på «\(s.initiative)», som ikke er med i runden")
            }
            if Set(p.statuses.map(\.initiative)).count != p.statuses.count {
                issues.append("runden \(p.round): \(p.actor) har samme tiltak flere ganger")
            }
        }
        var numbers: [String] = []
        let versions = (versions ?? []).map { v in
            if let problem = VersionNumber.problem(v.number, existing: numbers) {
                issues.append("versjon «\(v.number)»: \(problem)")
            }
            numbers.append(v.number)
            if let round = v.round, byId[round] == nil {
                issues.append("versjon \(v.number) viser til runden «\(round)», som ikke finnes")
            }
            return RoadmapVersion(
                number: v.number, publishedOn: v.publishedOn, round: v.round, note: v.note ?? "",
                items: v.items ?? RoadmapVersion.items(of: d))
        }
        for r in rounds {
            if let v = r.roadmapVersion, !numbers.contains(v) {
                issues.append("runden \(r.id) viser til versjon «\(v)», som ikke finnes")
            }
            if r.roadmapVersion != nil && !r.isClosed {
                issues.append("runden \(r.id) har en veikartversjon, men er ikke avsluttet")
            }
        }
        for v in versions {
            if let id = v.round, byId[id]?.isClosed == false {
                issues.append("versjon \(v.number) viser til runden \(id), som er åpen")
            }
        }
        guard issues.isEmpty else {
            throw ImportFailure(issues: issues.map { ImportIssue(file: file, line: nil, message: $0) })
        }
        return (rounds, parts ?? [], versions)
    }
}
