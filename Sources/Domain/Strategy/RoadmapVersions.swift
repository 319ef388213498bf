import Foundation

/// An activity or milestone as a roadmap version froze it. Dates stay as the files write them ("2026-Q4").
public struct VersionItem: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case activity, milestone }
    public var kind: Kind
    public var id: String
    public var initiative: String
    public var actor: String?
    /// The activity's phase code, or the milestone's kind.
    public var phase: String
    public var start: String?
    /// The activity's end or the milestone's date.
    public var end: String?
    public var planning: String
    public var description: String
    public var delay: Delay?
    /// The date first planned, when it differs from today's (`baseline` in the CSV files).
    public var baseline: String?

    public var key: String { "\(kind.rawValue):\(id)" }
    public var startPeriod: Period? { start.flatMap { try? Period.parse($0) } }
    public var endPeriod: Period? { end.flatMap { try? Period.parse($0) } }
    /// The day the item is due: its end, or its start when it has none.
    public var dueDay: Day? { (endPeriod ?? startPeriod)?.lastDay }

    public init(_ a: Activity) {
        kind = .activity
        id = a.id
        initiative = a.initiativeSlug
        actor = a.actorSlug
        phase = a.phase.rawValue
        start = a.span.start?.description
        end = a.span.end?.description
        planning = PlanningState.of(tentative: a.tentative, done: a.done).rawValue
        description = a.description
        delay = a.delay
        baseline = a.baseline?.description
    }

    public init(_ m: Milestone) {
        kind = .milestone
        id = m.id
        initiative = m.initiativeSlug
        actor = m.actorSlug
        phase = m.kind.rawValue
        start = nil
        end = m.date.description
        planning = PlanningState.of(tentative: m.tentative, done: m.done).rawValue
        description = m.description
        delay = m.delay
        baseline = m.baseline?.description
    }

    /// The dataset's record back, or nil when the stored text no longer reads (it always does for what Veikart wrote).
    public func activity() -> Activity? {
        guard kind == .activity, let actor, let span = try? Span(start: startPeriod, end: endPeriod) else { return nil }
        let plan = PlanningState(rawValue: planning) ?? .planlagt
        return Activity(
            id: id, initiativeSlug: initiative, actorSlug: actor, phase: Phase(rawValue: phase), span: span,
            tentative: plan.tentative, description: description,
            baseline: baseline.flatMap { try? Period.parse($0) }, delay: delay, done: plan.done)
    }

    public func milestone() -> Milestone? {
        guard kind == .milestone, let kind = MilestoneKind(rawValue: phase), let date = endPeriod else { return nil }
        let plan = PlanningState(rawValue: planning) ?? .planlagt
        return Milestone(
            id: id, initiativeSlug: initiative, actorSlug: actor, kind: kind, date: date, tentative: plan.tentative,
            description: description, baseline: baseline.flatMap { try? Period.parse($0) }, delay: delay,
            done: plan.done)
    }
}

/// A published roadmap: numbered ("1.0"), dated, and the items as they were.
public struct RoadmapVersion: Hashable, Sendable, Codable {
    public var number: String
    public var publishedOn: Day
    /// The reporting round whose closing published it; nil for a revision published by hand.
    public var round: String?
    public var note: String
    public var items: [VersionItem]
    public init(number: String, publishedOn: Day, round: String? = nil, note: String = "", items: [VersionItem]) {
        self.number = number
        self.publishedOn = publishedOn
        self.round = round
        self.note = note
        self.items = items
    }

    /// The roadmap of `d` as a version would freeze it.
    public static func items(of d: Dataset) -> [VersionItem] {
        d.activities.map(VersionItem.init) + d.milestones.map(VersionItem.init)
    }

    /// `d` with its roadmap as this version had it. Items of initiatives or actors the dataset no longer has are left
    /// out: the page can only draw what it can name.
    public func applied(to d: Dataset) -> Dataset {
        var copy = d
        let initiatives = Set(d.initiatives.map(\.slug))
        let actors = Set(d.actors.map(\.slug))
        let kept = items.filter { initiatives.contains($0.initiative) && ($0.actor.map(actors.contains) ?? true) }
        copy.activities = kept.compactMap { $0.activity() }
        copy.milestones = kept.compactMap { $0.milestone() }
        return copy
    }

    /// How many items `applied(to:)` leaves out.
    public func missing(in d: Dataset) -> Int {
        items.count - { $0.activities.count + $0.milestones.count }(applied(to: d))
    }
}

public enum VersionNumber {
    /// "1.0", "2.13": a major and a minor number.
    public static func parse(_ text: String) -> (major: Int, minor: Int)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        // Digits only, without leading zeros: one spelling per number, safe in a URL.
        func digits(_ p: Substring) -> Bool {
            !p.isEmpty && p.count <= 6 && p.allSatisfy { ("0"..."9").contains($0) } && (p == "0" || p.first != "0")
        }
        guard parts.count == 2, parts.allSatisfy(digits), let major = Int(parts[0]), let minor = Int(parts[1]) else {
            return nil
        }
        return (major, minor)
    }

    public static func precedes(_ a: String, _ b: String) -> Bool {
        guard let x = parse(a), let y = parse(b) else { return a < b }
        return (x.major, x.minor) < (y.major, y.minor)
    }

    /// The number after the latest: the next minor number, "1.0" for the first.
    public static func next(after numbers: [String]) -> String {
        guard let latest = numbers.compactMap(parse).max(by: { ($0.major, $0.minor) < ($1.major, $1.minor) }) else {
            return "1.0"
        }
        return latest.minor >= 999_999 ? "\(latest.major + 1).0" : "\(latest.major).\(latest.minor + 1)"
    }

    /// Why `text` cannot number a new version, or nil.
    public static func problem(_ text: String, existing: [String]) -> String? {
        guard parse(text) != nil else {
            return "Skriv versjonsnummeret som to hele tall med punktum, for eksempel 1.1 eller 2.0."
        }
        if existing.contains(text) { return "Versjon \(text) finnes allerede." }
        if let latest = existing.max(by: precedes), !precedes(latest, text) {
            return "Versjonsnummeret må være høyere enn siste versjon, \(latest)."
        }
        return nil
    }
}

/// One difference between two versions of the roadmap.
public struct RoadmapChange: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case added = "ny", removed = "fjernet", moved = "flyttet", changed = "endret"
        public var name: String {
            switch self {
            case .added: "Nye"
            case .removed: "Fjernet"
            case .moved: "Flyttet"
            case .changed: "Endret"
            }
        }
    }
    public let kind: Kind
    /// The item after the change (before it, for a removal).
    public let item: VersionItem
    public let before: VersionItem?
    /// Days the due date moved (positive: later); nil unless dated on both sides.
    public let days: Int?
    /// Phase, planning, actor or text changes, in words.
    public let details: [String]
}

public enum RoadmapChanges {
    /// What changed from `old` to `new`, in the order of `new` (removals last, in the order of `old`).
    public static func compare(
        _ old: [VersionItem], _ new: [VersionItem], phaseName: (String) -> String = { $0 },
        actorName: (String) -> String = { $0 }, initiativeName: (String) -> String = { $0 }
    )
        -> [RoadmapChange]
    {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Set(new.map(\.key))
        var changes: [RoadmapChange] = []
        for item in new {
            guard let was = before[item.key] else {
                changes.append(RoadmapChange(kind: .added, item: item, before: nil, days: nil, details: []))
                continue
            }
            var details: [String] = []
            if was.phase != item.phase {
                details.append(
                    item.kind == .activity
                        ? "Fase: \(phaseName(was.phase)) → \(phaseName(item.phase))"
                        : """
                        Type: \(MilestoneKind(rawValue: was.phase)?.name ?? was.phase) → \
                        \(MilestoneKind(rawValue: item.phase)?.name ?? item.phase)
                        """
                )
            }
            if was.planning != item.planning {
                let name = { (raw: String) in PlanningState(rawValue: raw)?.name ?? raw }
                details.append("Status: \(name(was.planning)) → \(name(item.planning))")
            }
            if was.actor != item.actor {
                details.append(
                    """
                    Aktør: \(was.actor.map(actorName) ?? "hele tiltaket") → \
                    \(item.actor.map(actorName) ?? "hele tiltaket")
                    """
                )
            }
            if was.initiative != item.initiative {
                details.append("Tiltak: \(initiativeName(was.initiative)) → \(initiativeName(item.initiative))")
            }
            if was.delay != item.delay && was.start == item.start && was.end == item.end {
                details.append(
                    item.delay.map { "Forsinkelse: \($0.kind.name.lowercased()), \($0.cause.name.lowercased())" }
                        ?? "Forsinkelsen er fjernet")
            }
            if was.description != item.description { details.append("Beskrivelsen er endret") }
            let moved = was.start != item.start || was.end != item.end
            let days = moved ? bothDays(was.dueDay, item.dueDay).map { $1.ordinal - $0.ordinal } : nil
            if moved {
                changes.append(RoadmapChange(kind: .moved, item: item, before: was, days: days, details: details))
            } else if !details.isEmpty {
                changes.append(RoadmapChange(kind: .changed, item: item, before: was, days: nil, details: details))
            }
        }
        for item in old where !after.contains(item.key) {
            changes.append(RoadmapChange(kind: .removed, item: item, before: item, days: nil, details: []))
        }
        return changes
    }

    /// "183 dager senere", "1 dag tidligere", or, when only the start moved, "samme frist, endret start".
    public static func movedText(days: Int?) -> String {
        guard let days else { return "ny dato" }
        if days == 0 { return "samme frist, endret start" }
        let n = abs(days)
        let direction = days > 0 ? "senere" : "tidligere"
        return "\(n) \(n == 1 ? "dag" : "dager") \(direction)"
    }
}

private func bothDays(_ a: Day?, _ b: Day?) -> (Day, Day)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// A milestone's forecast date in each version, the classic milestone trend.
public struct MilestoneTrend: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        /// The version's number, or nil for today's plan.
        public let version: String?
        public let publishedOn: Day
        public let date: Period?
    }
    public let milestone: String
    public let points: [Point]

    /// The longest run of versions in a row where the date moved.
    public var movesInARow: Int {
        var best = 0
        var run = 0
        // Only published versions: today's plan has not been through a round yet.
        let published = points.filter { $0.version != nil }
        for (a, b) in zip(published, published.dropFirst()) {
            if let x = a.date, let y = b.date, x != y {
                run += 1
                best = max(best, run)
            } else {
                run = 0
            }
        }
        return best
    }
    /// Moved in two or more versions in a row: worth a question.
    public var isFlagged: Bool { movesInARow >= 2 }

    /// The milestone across `versions` (any order), with today's plan last when it differs from the latest version.
    public static func of(_ id: String, versions: [RoadmapVersion], current: Milestone?, today: Day) -> MilestoneTrend {
        let ordered = versions.sorted { VersionNumber.precedes($0.number, $1.number) }
        var points = ordered.map { v in
            Point(
                version: v.number, publishedOn: v.publishedOn,
                date: v.items.first { $0.kind == .milestone && $0.id == id }?.endPeriod)
        }
        if let current, points.last?.date != current.date || points.isEmpty {
            points.append(
                Point(version: nil, publishedOn: max(today, points.last?.publishedOn ?? today), date: current.date))
        }
        return MilestoneTrend(milestone: id, points: points)
    }
}

/// "29 % (5 av 17)" from the data: initiatives with a significant delay of one kind, recorded since the previous
/// version.
public struct RoundDelayFigures: Hashable, Sendable {
    public let kind: DelayKind
    /// The initiatives delayed, in scope order.
    public let initiatives: [String]
    public let total: Int
    public let byCause: [DelayCause: [String]]

    public var percent: Int { total == 0 ? 0 : Int((Double(initiatives.count) / Double(total) * 100).rounded()) }
    public var text: String { total == 0 ? "Ingen tiltak" : "\(percent) % (\(initiatives.count) av \(total))" }

    /// An item counts when it carries a delay of the kind that it did not carry in `previous`, or it carries one and
    /// its due date moved later since `previous`. Without a previous version every recorded delay counts.
    public static func compute(scope: [String], previous: [VersionItem]?, current: [VersionItem]) -> [RoundDelayFigures]
    {
        let delayed = newDelays(previous: previous, current: current)
        let inScope = Set(scope)
        return DelayKind.allCases.map { kind in
            let items = delayed.filter { $0.delay?.kind == kind && inScope.contains($0.initiative) }
            let slugs = Set(items.map(\.initiative))
            var byCause: [DelayCause: [String]] = [:]
            for cause in DelayCause.allCases {
                let s = Set(items.filter { $0.delay?.cause == cause }.map(\.initiative))
                if !s.isEmpty { byCause[cause] = scope.filter(s.contains) }
            }
            return RoundDelayFigures(
                kind: kind, initiatives: scope.filter(slugs.contains), total: scope.count, byCause: byCause)
        }
    }

    /// The items whose significant delay is new since `previous`.
    public static func newDelays(previous: [VersionItem]?, current: [VersionItem]) -> [VersionItem] {
        let before = Dictionary((previous ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        return current.filter { item in
            guard let delay = item.delay else { return false }
            guard previous != nil, let was = before[item.key] else { return true }
            // Rewording the note or naming another cause is not a new delay; a delay of another kind is.
            if was.delay?.kind != delay.kind { return true }
            if let a = was.dueDay, let b = item.dueDay, b > a { return true }
            return false
        }
    }
}

/// One initiative in one round: what the actors reported beside what the data says.
public struct InitiativeRoundStatus: Hashable, Sendable {
    public let round: String
    public let period: Period
    public let statuses: [(actor: String, assessment: Assessment)]
    /// Items of the initiative with a significant delay new in the round.
    public let delayed: Int
    /// Items due before the round's deadline and not done.
    public let overdue: Int
    /// Set when the reported colours and the computed signals disagree.
    public let disagreement: String?

    public static func == (a: Self, b: Self) -> Bool {
        a.round == b.round && a.delayed == b.delayed && a.overdue == b.overdue && a.disagreement == b.disagreement
            && a.statuses.map(\.actor) == b.statuses.map(\.actor)
            && a.statuses.map(\.assessment) == b.statuses.map(\.assessment)
    }
    public func hash(into h: inout Hasher) {
        h.combine(round)
        h.combine(delayed)
        h.combine(overdue)
    }

    /// The worst reported colour.
    public var worst: TrafficLight? { statuses.compactMap(\.assessment.status).max { $0.severity < $1.severity } }

    public static func compute(
        initiative: String, round: ReportingRound, parts: [RoundPart], previous: [VersionItem]?,
        current: [VersionItem]
    ) -> InitiativeRoundStatus {
        let statuses = parts.filter { round.actors.contains($0.actor) }
            .compactMap { p in p.status(of: initiative).map { (actor: p.actor, assessment: $0) } }
        let mine = current.filter { $0.initiative == initiative }
        let delayed = RoundDelayFigures.newDelays(
            previous: previous?.filter { $0.initiative == initiative }, current: mine
        ).count
        let overdue = mine.filter {
            $0.planning != PlanningState.ferdig.rawValue && ($0.dueDay.map { $0 < round.deadline } ?? false)
        }.count
        let colours = statuses.compactMap(\.assessment.status)
        var disagreement: String?
        let signals = delayed + overdue
        if colours.contains(.gronn) && signals > 0 {
            let parts = [
                delayed == 0 ? nil : "\(delayed) ny\(delayed == 1 ? "" : "e") forsinkelse\(delayed == 1 ? "" : "r")",
                overdue == 0 ? nil : "\(overdue) forfalt\(overdue == 1 ? "" : "e") leveranse\(overdue == 1 ? "" : "r")",
            ]
            disagreement = "Rapportert grønn, men " + parts.compactMap { $0 }.joined(separator: " og ")
        } else if colours.contains(.rod) && signals == 0 && !mine.isEmpty {
            disagreement = "Rapportert rød, men ingen nye forsinkelser eller forfalte leveranser"
        }
        return InitiativeRoundStatus(
            round: round.id, period: round.period, statuses: statuses, delayed: delayed, overdue: overdue,
            disagreement: disagreement)
    }
}

/// The roadmap a round is judged on, and the version it is compared with.
public struct RoundRoadmaps: Sendable {
    /// The version the round's closing published; nil while the round is open.
    public let published: RoadmapVersion?
    /// The version before it (for an open round: the latest version).
    public let previous: RoadmapVersion?
    /// The published version's items, or today's roadmap while the round is open.
    public let current: [VersionItem]
}

extension ReportingRound {
    /// What the round's signals are computed from; nil for a closed round that published no version (nothing to
    /// compute against: today's data would say something else). `versions` oldest first, any order accepted.
    public func roadmaps(versions: [RoadmapVersion], dataset d: Dataset) -> RoundRoadmaps? {
        let published = roadmapVersion.flatMap { n in versions.first { $0.number == n } }
        if isClosed && published == nil { return nil }
        let sorted = versions.sorted { VersionNumber.precedes($0.number, $1.number) }
        let previous = published.map { p in sorted.last { VersionNumber.precedes($0.number, p.number) } } ?? sorted.last
        return RoundRoadmaps(
            published: published, previous: previous, current: published?.items ?? RoadmapVersion.items(of: d))
    }
}

/// The delay figures of the reporting round behind a status report, as the report froze them.
public struct RoundDelaySummary: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public let kind: DelayKind
        public let text: String
        public let initiatives: [String]
        /// Cause code → the initiatives delayed for it.
        public let byCause: [String: [String]]
    }
    /// The round's period ("2026-Q4").
    public let round: String
    public let basis: String
    public let lines: [Line]
    /// Initiative slug → short title when the figures were computed, so a frozen report names them as it did.
    public let names: [String: String]

    public init(round: ReportingRound, figures: [RoundDelayFigures], basis: String, dataset d: Dataset) {
        self.round = round.id
        self.basis = basis
        lines = figures.map { f in
            Line(
                kind: f.kind, text: f.text, initiatives: f.initiatives,
                byCause: Dictionary(uniqueKeysWithValues: f.byCause.map { ($0.key.rawValue, $0.value) }))
        }
        let slugs = Set(figures.flatMap(\.initiatives))
        names = Dictionary(uniqueKeysWithValues: slugs.map { s in (s, d.initiative(s)?.shortTitle ?? s) })
    }

    /// The figures of `round` against the version before it: of the version the round published when closed, else of
    /// today's roadmap against the latest version. Nil for a closed round that published none (nothing to count).
    public static func compute(_ round: ReportingRound, versions: [RoadmapVersion], dataset d: Dataset)
        -> RoundDelaySummary?
    {
        guard let roadmaps = round.roadmaps(versions: versions, dataset: d) else { return nil }
        let (published, previous, current) = (roadmaps.published, roadmaps.previous, roadmaps.current)
        let national = Set(d.initiatives.filter { $0.kind == .national }.map(\.slug))
        let scope = round.initiatives.filter(national.contains)
        let figures = RoundDelayFigures.compute(
            scope: scope.isEmpty ? round.initiatives : scope, previous: previous?.items,
            current: current)
        let against = previous.map { "versjon \($0.number)" } ?? "da aktivitetene ble lagt inn"
        let basis =
            (published.map { "Beregnet fra veikartet i versjon \($0.number)" }
                ?? "Beregnet fra veikartet slik det er nå")
                + """
                , mot \(against): andelen \(scope.isEmpty ? "" : "nasjonale ")tiltak i rapporteringsrunden \
                \(round.period.norwegian)\u{20}
                """
            + "med minst én aktivitet eller milepæl som har fått en vesentlig forsinkelse siden da."
        return RoundDelaySummary(round: round, figures: figures, basis: basis, dataset: d)
    }
}
