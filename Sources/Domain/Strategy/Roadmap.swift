import Foundation

/// Which part of the roadmap to show. Every field narrows; nil means "all".
public struct RoadmapFilter: Hashable, Sendable {
    public var goal: String?
    public var subgoal: String?
    public var actor: String?
    public var actorType: ActorType?
    public var phase: Phase?
    public var prioritizedOnly: Bool
    public var year: Int?
    public var initiative: String?

    public init(
        goal: String? = nil, subgoal: String? = nil, actor: String? = nil, actorType: ActorType? = nil,
        phase: Phase? = nil, prioritizedOnly: Bool = false, year: Int? = nil, initiative: String? = nil
    ) {
        self.goal = goal
        self.subgoal = subgoal
        self.actor = actor
        self.actorType = actorType
        self.phase = phase
        self.prioritizedOnly = prioritizedOnly
        self.year = year
        self.initiative = initiative
    }

    public var isEmpty: Bool { self == RoadmapFilter() }
}

/// The roadmap after filtering, grouped for drawing and for the equivalent table:
/// section (a sub-goal, or the priority list) → initiative → actor → activities and milestones.
public struct Roadmap: Hashable, Sendable {
    public struct ActorRow: Hashable, Sendable {
        public let actor: Actor?  // nil: milestones that belong to the initiative as a whole
        public let activities: [Activity]
        public let milestones: [Milestone]
    }
    public struct InitiativeGroup: Hashable, Sendable {
        public let initiative: Initiative
        public let rows: [ActorRow]
    }
    public struct Section: Hashable, Sendable {
        public let title: String
        public let subgoal: Subgoal?
        public let initiatives: [InitiativeGroup]
    }

    public enum Grouping: Sendable { case bySubgoal, byPriority }

    public let sections: [Section]
    public let filter: RoadmapFilter
    /// The dataset's value chain, for names, order and colours.
    public let phases: PhaseCatalog
    /// The years a drawing of this roadmap spans: the filter's year, else the strategy's roadmap years (for one
    /// initiative: its own items within them), so nothing planned falls outside.
    public let axis: ClosedRange<Int>

    public var activityCount: Int {
        sections.reduce(0) { $0 + $1.initiatives.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.activities.count } } }
    }
    public var milestoneCount: Int {
        sections.reduce(0) { $0 + $1.initiatives.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.milestones.count } } }
    }
    public var isEmpty: Bool { sections.isEmpty }
    public var initiativeCount: Int { sections.reduce(0) { $0 + $1.initiatives.count } }

    init(sections: [Section], filter: RoadmapFilter, phases: PhaseCatalog, axis: ClosedRange<Int>) {
        self.sections = sections
        self.filter = filter
        self.phases = phases
        self.axis = axis
    }

    /// Initiatives `(page − 1)·size ..< page·size` in their order, each section kept around its initiatives, so a
    /// page costs the same however large the roadmap grows. Pages count from 1; a page past the end is empty.
    public func page(_ page: Int, size: Int) -> Roadmap {
        let first = (max(1, page) - 1) * size
        let last = first + size
        var index = 0
        var kept: [Section] = []
        for section in sections {
            let groups = section.initiatives.filter { _ in
                defer { index += 1 }
                return index >= first && index < last
            }
            if !groups.isEmpty {
                kept.append(Section(title: section.title, subgoal: section.subgoal, initiatives: groups))
            }
        }
        return Roadmap(sections: kept, filter: filter, phases: phases, axis: axis)
    }

    public static func pageCount(initiatives: Int, size: Int) -> Int { max(1, (initiatives + size - 1) / size) }

    public init(dataset d: Dataset, filter: RoadmapFilter, grouping: Grouping = .bySubgoal) {
        self.filter = filter
        self.phases = d.strategy.phases
        if let year = filter.year {
            self.axis = year...year
        } else if let slug = filter.initiative {
            let own = Dataset.years(
                d.strategy, activities: d.activities(ofInitiative: slug),
                milestones: d.milestones(ofInitiative: slug))
            self.axis = Dataset.axis(d.strategy, years: own)
        } else {
            self.axis = d.roadmapYears
        }
        let actorsBySlug = Dictionary(d.actors.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        func actorMatches(_ slug: String?) -> Bool {
            guard filter.actor != nil || filter.actorType != nil else { return true }
            guard let slug, let actor = actorsBySlug[slug] else { return false }
            if let wanted = filter.actor, actor.slug != wanted, actor.parentSlug != wanted { return false }
            if let type = filter.actorType, actor.type != type { return false }
            return true
        }
        let yearRange = filter.year.map { (Period.year($0).firstDay, Period.year($0).lastDay) }
        // One initiative's roadmap (its own page) looks at its own rows only, not at every activity of the strategy.
        let activities = (filter.initiative.map { d.activities(ofInitiative: $0) } ?? d.activities).filter { a in
            actorMatches(a.actorSlug)
                && (filter.phase.map { a.phase == $0 } ?? true)
                && (yearRange.map { a.span.overlaps(from: $0.0, to: $0.1) } ?? true)
        }
        // Milestones carry no phase, so a phase filter leaves them out.
        let milestones =
            filter.phase != nil
            ? []
            : (filter.initiative.map { d.milestones(ofInitiative: $0) } ?? d.milestones).filter { m in
                (filter.actor == nil && filter.actorType == nil ? true : actorMatches(m.actorSlug))
                    && (filter.year.map { m.date.year == $0 } ?? true)
            }
        let activitiesByInitiative = Dictionary(grouping: activities, by: \.initiativeSlug)
        let milestonesByInitiative = Dictionary(grouping: milestones, by: \.initiativeSlug)
        let actorOrder = Dictionary(d.actors.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { a, _ in a })

        func subgoalAllowed(_ s: Subgoal) -> Bool {
            (filter.subgoal.map { s.id.caseInsensitiveCompare($0) == .orderedSame } ?? true)
                && (filter.goal.map { s.goalId == $0 } ?? true)
        }
        func group(_ initiative: Initiative) -> InitiativeGroup? {
            if filter.prioritizedOnly && initiative.priorityRank == nil { return nil }
            if let only = filter.initiative, initiative.slug != only { return nil }
            let acts = activitiesByInitiative[initiative.slug] ?? []
            let mss = milestonesByInitiative[initiative.slug] ?? []
            guard !acts.isEmpty || !mss.isEmpty else { return nil }
            var slugs: [String?] = Array(Set(acts.map { Optional($0.actorSlug) } + mss.map(\.actorSlug)))
            slugs.sort { (actorOrder[$0 ?? ""] ?? -1) < (actorOrder[$1 ?? ""] ?? -1) }
            let rows = slugs.map { slug in
                ActorRow(
                    actor: slug.flatMap { actorsBySlug[$0] },
                    activities: acts.filter { $0.actorSlug == slug }.sorted {
                        Roadmap.byStart($0, $1, d.strategy.phases)
                    },
                    milestones: mss.filter { $0.actorSlug == slug }.sorted { $0.date < $1.date })
            }
            return InitiativeGroup(initiative: initiative, rows: rows)
        }

        switch grouping {
        case .byPriority:
            let groups = d.prioritized.filter { i in
                i.subgoalIds.contains { id in d.subgoal(id).map(subgoalAllowed) ?? false }
            }.compactMap(group)
            sections =
                groups.isEmpty
                ? [] : [Section(title: "Prioriterte tiltak i rangert rekkefølge", subgoal: nil, initiatives: groups)]
        case .bySubgoal:
            // An initiative linked to several sub-goals is drawn once, under the first of its own sub-goals the filter
            // allows.
            let subgoalsById = Dictionary(d.subgoals.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let pool = filter.initiative.map { slug in d.initiatives.filter { $0.slug == slug } } ?? d.initiatives
            // Each initiative under its primary sub-goal, in the initiatives' order: one pass, not one per sub-goal.
            var underSubgoal: [String: [Initiative]] = [:]
            for i in pool {
                guard let primary = i.subgoalIds.first(where: { id in subgoalsById[id].map(subgoalAllowed) ?? false })
                else { continue }
                underSubgoal[primary, default: []].append(i)
            }
            var result: [Section] = []
            for s in d.subgoals where subgoalAllowed(s) {
                let groups = (underSubgoal[s.id] ?? []).compactMap(group)
                if !groups.isEmpty {
                    result.append(Section(title: "Delmål \(s.id): \(s.title)", subgoal: s, initiatives: groups))
                }
            }
            sections = result
        }
    }

    static func byStart(_ a: Activity, _ b: Activity, _ phases: PhaseCatalog) -> Bool {
        let sa = a.span.start?.firstDay.ordinal ?? Int.min
        let sb = b.span.start?.firstDay.ordinal ?? Int.min
        return sa != sb ? sa < sb : phases.order(a.phase) < phases.order(b.phase)
    }

    /// "What happens in year X": per actor, the activities of one initiative that touch that year.
    public static func yearPlan(dataset d: Dataset, initiative slug: String, year: Int) -> [(
        actor: Actor, activities: [Activity]
    )] {
        let acts = d.activities(ofInitiative: slug).filter { $0.span.overlaps(year: year) }
        return d.actors.compactMap { actor in
            let mine = acts.filter { $0.actorSlug == actor.slug }.sorted { byStart($0, $1, d.strategy.phases) }
            return mine.isEmpty ? nil : (actor, mine)
        }
    }

    /// Years in which an initiative has any activity or milestone, for the year picker.
    /// The years in which something of the initiative happens.
    public static func years(dataset d: Dataset, initiative slug: String) -> [Int] {
        let acts = d.activities(ofInitiative: slug)
        return d.dataYears.filter { y in acts.contains { $0.span.overlaps(year: y) } }
    }
}

extension RoadmapFilter {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let parameter: String
        public let message: String
        public var description: String { "\(parameter): \(message)" }
    }

    /// Query-string names, shared by the HTML form, the SVG download and links.
    public enum Key: String, CaseIterable, Sendable {
        case goal = "mal", subgoal = "delmal", actor = "aktor", actorType = "aktortype", phase = "fase", year = "ar",
            prioritized = "prioriterte", initiative = "tiltak"
    }

    /// Reads a filter from query parameters; empty values mean "all". Unknown ids are errors, never silently ignored.
    public static func parse(_ query: [String: String], dataset d: Dataset) throws(Invalid) -> RoadmapFilter {
        var f = RoadmapFilter()
        func value(_ key: Key) -> String? {
            guard let v = query[key.rawValue]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        if let v = value(.goal) {
            guard d.goal(v) != nil else { throw Invalid(parameter: Key.goal.rawValue, message: "ukjent mål «\(v)»") }
            f.goal = v
        }
        if let v = value(.subgoal) {
            guard let s = d.subgoal(v) else {
                throw Invalid(parameter: Key.subgoal.rawValue, message: "ukjent delmål «\(v)»")
            }
            f.subgoal = s.id
        }
        if let v = value(.actor) {
            guard d.actor(v) != nil else {
                throw Invalid(parameter: Key.actor.rawValue, message: "ukjent aktør «\(v)»")
            }
            f.actor = v
        }
        if let v = value(.actorType) {
            let t = ActorType(rawValue: v)
            guard d.strategy.actorTypes.contains(t) else {
                throw Invalid(parameter: Key.actorType.rawValue, message: "ukjent aktørtype «\(v)»")
            }
            f.actorType = t
        }
        if let v = value(.phase) {
            let p = Phase(rawValue: v)
            guard d.strategy.phases.contains(p) else {
                throw Invalid(parameter: Key.phase.rawValue, message: "ukjent fase «\(v)»")
            }
            f.phase = p
        }
        if let v = value(.year) {
            let years = d.dataYears
            guard let y = Int(v), years.contains(y) else {
                throw Invalid(
                    parameter: Key.year.rawValue,
                    message: "år må være et årstall mellom \(years.lowerBound) og \(years.upperBound)")
            }
            f.year = y
        }
        if let v = value(.prioritized) {
            switch v.lowercased() {
            case "1", "true", "ja", "on": f.prioritizedOnly = true
            case "0", "false", "nei", "off": f.prioritizedOnly = false
            default: throw Invalid(parameter: Key.prioritized.rawValue, message: "bruk 1 eller 0")
            }
        }
        if let v = value(.initiative) {
            guard d.initiative(v) != nil else {
                throw Invalid(parameter: Key.initiative.rawValue, message: "ukjent tiltak «\(v)»")
            }
            f.initiative = v
        }
        return f
    }

    /// The filter as query items in a stable order, for links and the SVG download.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let goal { items.append((Key.goal.rawValue, goal)) }
        if let subgoal { items.append((Key.subgoal.rawValue, subgoal)) }
        if let actor { items.append((Key.actor.rawValue, actor)) }
        if let actorType { items.append((Key.actorType.rawValue, actorType.rawValue)) }
        if let phase { items.append((Key.phase.rawValue, phase.rawValue)) }
        if let year { items.append((Key.year.rawValue, String(year))) }
        if prioritizedOnly { items.append((Key.prioritized.rawValue, "1")) }
        if let initiative { items.append((Key.initiative.rawValue, initiative)) }
        return items
    }

    public var queryString: String {
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))
        return queryItems.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
        }
        .joined(separator: "&")
    }
}
