import Foundation

/// Creating a record: the fields a new record needs besides its editable ones (its id and the records it hangs off),
/// and a blank record to apply the form to. Ids are given or derived, and never reused: `reserved` holds the ids of
/// retired records, which stay in the history and can be brought back.
public protocol CreatableRecord: EditableRecord {
    /// Parent fields shown before the editable ones. `actors` limits the actor choices (a reporter's own).
    static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField]
    /// The id a new record gets when none is given; never one in `avoiding` (ids in use or retired, lower-cased).
    /// Empty when the kind has no free id of its own form left (then one must be given).
    static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String
    /// A record with `id` and the parents in `input`, before the editable fields are applied; nil with errors set.
    static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String]) -> Self?
    /// Ids in use in the dataset.
    static func ids(in d: Dataset) -> [String]
    /// Values a fresh form starts with.
    static func defaults(in d: Dataset) -> [String: String]
    /// The records this one hangs off that `d` no longer has, in words (a reinstatement is refused while any is
    /// missing).
    func missingParents(in d: Dataset) -> [String]
    /// What lists call the record.
    var displayTitle: String { get }
}

extension CreatableRecord {
    /// Whether a given id has the form the dataset files require for this kind (so an export always imports again);
    /// nil when it does, else the problem in Norwegian. `input` gives the parents (a sub-goal's goal).
    static func idProblem(_ id: String, _ input: [String: String]) -> String? {
        switch kind {
        case .goal:
            return Int(id).map { $0 > 0 && String($0) == id } == true
                ? nil : "Et mål-id er et positivt heltall, f.eks. 6."
        case .subgoal:
            let goal = (input["goal"] ?? "").trimmingCharacters(in: .whitespaces)
            let parts = id.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 1, let letter = parts[1].first, letter.isUppercase, letter.isASCII
            else {
                return "Et delmål-id har formen <mål>.<stor bokstav>, f.eks. 2.G."
            }
            return goal.isEmpty || String(parts[0]) == goal
                ? nil : "Delmålet må ha id-en til målet sitt først (\(goal).…)."
        case .indicator:
            let ok =
                id.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
                }
                && !id.hasPrefix(".") && !id.hasSuffix(".")
            return ok ? nil : "Id-en kan bare inneholde små bokstaver a–z, sifre, punktum og bindestrek."
        case .activity, .milestone, .initiative, .actor:
            return Slug.isWellFormed(id) ? nil : "Id-en kan bare inneholde små bokstaver a–z, sifre og bindestrek."
        }
    }

    /// Path segments a record id may not be: the form for a new record lives at `/<kind>/ny`.
    static var reservedIds: Set<String> { ["ny"] }

    /// A slug made unique: `base`, `base-2`, `base-3` …
    static func unique(_ base: String, avoiding: Set<String>) -> String {
        guard !base.isEmpty else { return "" }
        var id = base
        var n = 2
        while avoiding.contains(id.lowercased()) {
            id = "\(base)-\(n)"
            n += 1
        }
        return id
    }

    /// The form for a new record: id, parents, then the editable fields.
    public static func creationFields(in d: Dataset, actors: Set<String>?) -> [FormField] {
        [
            FormField(
                "id", "Id i adressen (valgfri)",
                .text(
                    hint: "Tom: lages av \(kind == .goal ? "neste ledige nummer" : "navnet"). Kan ikke endres senere."))
        ]
            + parentFields(in: d, actors: actors) + formFields(in: d)
    }

    /// A new record from a form or an API body, with every problem at once. `reserved`: retired ids (compared
    /// without regard to case, like every id).
    public static func creating(_ input: [String: String], in d: Dataset, reserved: Set<String>) -> Result<
        Self, FieldErrors
    > {
        var errors: [String: String] = [:]
        let taken = Set(ids(in: d).map { $0.lowercased() })
        let retired = Set(reserved.map { $0.lowercased() })
        let given = (input["id"] ?? "").trimmingCharacters(in: .whitespaces)
        var id = given
        if given.isEmpty {
            id = derivedId(input, in: d, avoiding: taken.union(retired).union(reservedIds))
            if id.isEmpty { errors["id"] = "Veikart fant ingen ledig id av riktig form. Oppgi en." }
        } else if given.count > 80 {
            errors["id"] = "Id-en kan ha høyst 80 tegn."
        } else if let problem = idProblem(given, input) {
            errors["id"] = problem
        } else if reservedIds.contains(given.lowercased()) {
            errors["id"] = "«\(given)» er reservert i adressene. Velg en annen id."
        } else if taken.contains(given.lowercased()) {
            errors["id"] = "Id-en «\(given)» er allerede i bruk."
        } else if retired.contains(given.lowercased()) {
            errors["id"] =
                """
                Id-en «\(given)» tilhørte \(kind.indefinite) som er avviklet. Gjeninnfør \(kind.pronoun), eller \
                velg en annen id.
                """
        }
        let blank = blank(id: id, input, in: d, errors: &errors)
        guard let blank else { return .failure(FieldErrors(errors)) }
        switch blank.applying(input, in: d) {
        case .failure(let fieldErrors):
            return .failure(FieldErrors(errors.merging(fieldErrors.messages) { a, _ in a }))
        case .success(let record):
            return errors.isEmpty ? .success(record) : .failure(FieldErrors(errors))
        }
    }

    static func choose(
        _ input: [String: String], _ name: String, from ids: [String], message: String,
        errors: inout [String: String]
    ) -> String? {
        let value = (input[name] ?? "").trimmingCharacters(in: .whitespaces)
        guard let found = ids.first(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) else {
            errors[name] = message
            return nil
        }
        return found
    }
}

extension String {
    func ifEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}

/// A placeholder span for blank roadmap items; the form always replaces it.
private let blankSpan = try! Span(start: nil, end: .year(2000))

extension RecordKind {
    /// The record type of a kind, for code that handles every kind the same way (forms, lifecycle, the API).
    public var recordType: any CreatableRecord.Type {
        switch self {
        case .activity: Activity.self
        case .milestone: Milestone.self
        case .initiative: Initiative.self
        case .subgoal: Subgoal.self
        case .goal: Goal.self
        case .actor: Actor.self
        case .indicator: IndicatorRecord.self
        }
    }
}

extension Activity: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        (d.initiative(initiativeSlug) == nil ? ["Tiltaket «\(initiativeSlug)» finnes ikke (lenger)."] : [])
            + (d.actor(actorSlug) == nil ? ["Aktøren «\(actorSlug)» finnes ikke (lenger)."] : [])
    }
    public var displayTitle: String { description.isEmpty ? id : RecordDependants.short(description) }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] {
        [
            FormField(
                "initiative", "Tiltak", .select([("", "Velg tiltak")] + d.initiatives.map { ($0.slug, $0.title) })),
            FormField(
                "actor", "Aktør",
                .select(
                    [("", "Velg aktør")]
                        + d.actors.filter { actors?.contains($0.slug) ?? true }.map { ($0.slug, $0.name) })),
        ]
    }
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let words = (input["description"] ?? "").split(separator: " ").prefix(4).joined(separator: " ")
        return unique(
            Slug.from(
                [input["initiative"] ?? "", input["actor"] ?? "", words.isEmpty ? input["phase"] ?? "" : words]
                    .joined(separator: " ")
            ).ifEmpty("aktivitet"), avoiding: avoiding)
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Activity?
    {
        let initiative = choose(
            input, "initiative", from: d.initiatives.map(\.slug), message: "Velg tiltaket aktiviteten hører til.",
            errors: &errors)
        let actor = choose(
            input, "actor", from: d.actors.map(\.slug), message: "Velg aktøren som gjør aktiviteten.",
            errors: &errors)
        guard let phase = d.strategy.phases.all.first?.code else { return nil }
        return Activity(
            id: id, initiativeSlug: initiative ?? "", actorSlug: actor ?? "", phase: phase, span: blankSpan,
            tentative: false,
            description: "")
    }
    public static func ids(in d: Dataset) -> [String] { d.activities.map(\.id) }
    public static func defaults(in d: Dataset) -> [String: String] { ["planning": "planlagt", "delayKind": "ingen"] }
}

extension Milestone: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        (d.initiative(initiativeSlug) == nil ? ["Tiltaket «\(initiativeSlug)» finnes ikke (lenger)."] : [])
            + (actorSlug.map { d.actor($0) == nil ? ["Aktøren «\($0)» finnes ikke (lenger)."] : [] } ?? [])
    }
    public var displayTitle: String {
        "\(kind.name) \(date.norwegian)" + (description.isEmpty ? "" : ": " + RecordDependants.short(description))
    }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] {
        [
            FormField(
                "initiative", "Tiltak", .select([("", "Velg tiltak")] + d.initiatives.map { ($0.slug, $0.title) })),
            FormField(
                "actor", "Aktør",
                .select(
                    (actors == nil ? [("", "Hele tiltaket (ingen enkelt aktør)")] : [("", "Velg aktør")])
                        + d.actors.filter { actors?.contains($0.slug) ?? true }.map { ($0.slug, $0.name) })),
        ]
    }
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let actor = input["actor"].flatMap { $0.isEmpty ? nil : $0 } ?? "nasjonal"
        return unique(
            Slug.from(
                [input["initiative"] ?? "", actor, input["kind"] ?? "", input["date"] ?? ""].joined(separator: " ")
            )
            .ifEmpty("milepael"), avoiding: avoiding)
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Milestone?
    {
        let initiative = choose(
            input, "initiative", from: d.initiatives.map(\.slug), message: "Velg tiltaket milepælen hører til.",
            errors: &errors)
        var actor: String?
        if !(input["actor"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            actor = choose(
                input, "actor", from: d.actors.map(\.slug), message: "Velg en aktør fra listen.", errors: &errors)
        }
        return Milestone(
            id: id, initiativeSlug: initiative ?? "", actorSlug: actor, kind: .ferdigstilt, date: .year(2000),
            tentative: false,
            description: "")
    }
    public static func ids(in d: Dataset) -> [String] { d.milestones.map(\.id) }
    public static func defaults(in d: Dataset) -> [String: String] { ["planning": "planlagt", "delayKind": "ingen"] }
}

extension Initiative: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        subgoalIds.filter { d.subgoal($0) == nil }.map { "Delmålet «\($0)» finnes ikke (lenger)." }
    }
    public var displayTitle: String { title }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] { [] }
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let short = (input["shortTitle"] ?? "").trimmingCharacters(in: .whitespaces)
        return unique(Slug.from(short.isEmpty ? input["title"] ?? "" : short).ifEmpty("tiltak"), avoiding: avoiding)
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Initiative?
    {
        Initiative(
            slug: id, title: "", shortTitle: "", kind: .national, priorityRank: nil, subgoalIds: [], target: "",
            description: "")
    }
    public static func ids(in d: Dataset) -> [String] { d.initiatives.map(\.slug) }
    public static func defaults(in d: Dataset) -> [String: String] { ["kind": InitiativeKind.national.rawValue] }
}

extension Subgoal: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        d.goal(goalId) == nil ? ["Målet «\(goalId)» finnes ikke (lenger)."] : []
    }
    public var displayTitle: String { "\(id) \(title)" }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] {
        [FormField("goal", "Mål", .select([("", "Velg mål")] + d.goals.map { ($0.id, "\($0.id) \($0.title)") }))]
    }
    /// The goal's number and the next free letter: «2.C» after «2.A» and «2.B».
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let goal = (input["goal"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !goal.isEmpty else { return "" }
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" where !avoiding.contains("\(goal).\(letter)".lowercased()) {
            return "\(goal).\(letter)"
        }
        return ""
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Subgoal?
    {
        let goal = choose(
            input, "goal", from: d.goals.map(\.id), message: "Velg målet delmålet hører til.", errors: &errors)
        return Subgoal(id: id, goalId: goal ?? "", title: "", status: .adopted, description: "")
    }
    public static func ids(in d: Dataset) -> [String] { d.subgoals.map(\.id) }
    public static func defaults(in d: Dataset) -> [String: String] { ["status": SubgoalStatus.adopted.rawValue] }
}

extension Goal: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] { [] }
    public var displayTitle: String { "\(id) \(title)" }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] { [] }
    /// The next number after the highest numbered goal.
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        var n = (d.goals.compactMap { Int($0.id) }.max() ?? 0) + 1
        while avoiding.contains(String(n)) { n += 1 }
        return String(n)
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Goal?
    {
        Goal(id: id, title: "", description: "", outcomes: [])
    }
    public static func ids(in d: Dataset) -> [String] { d.goals.map(\.id) }
    public static func defaults(in d: Dataset) -> [String: String] { [:] }
}

extension Actor: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        parentSlug.map { d.actor($0) == nil ? ["Aktøren den hører til, «\($0)», finnes ikke (lenger)."] : [] } ?? []
    }
    public var displayTitle: String { name }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] { [] }
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let short = (input["shortName"] ?? "").trimmingCharacters(in: .whitespaces)
        return unique(Slug.from(short.isEmpty ? input["name"] ?? "" : short).ifEmpty("aktor"), avoiding: avoiding)
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> Actor?
    {
        Actor(
            slug: id, name: "", shortName: "", type: d.strategy.actorTypes.all.first?.code ?? ActorType(rawValue: ""),
            parentSlug: nil,
            description: "")
    }
    public static func ids(in d: Dataset) -> [String] { d.actors.map(\.slug) }
    public static func defaults(in d: Dataset) -> [String: String] { [:] }
}

extension IndicatorRecord: CreatableRecord {
    public func missingParents(in d: Dataset) -> [String] {
        indicator.goalIds.filter { d.goal($0) == nil }.map { "Målet «\($0)» finnes ikke (lenger)." }
            + (indicator.overarchingGoalId.map { id in
                d.overarchingGoals.contains { $0.id == id }
                    ? [] : ["Det overordnede målet «\(id)» finnes ikke (lenger)."]
            } ?? [])
    }
    public var displayTitle: String { "\(indicator.id) \(indicator.name)" }
    public static func parentFields(in d: Dataset, actors: Set<String>?) -> [FormField] { [] }
    /// The first goal's number and the next free position («2.4» after «2.3»); from the name without a goal.
    public static func derivedId(_ input: [String: String], in d: Dataset, avoiding: Set<String>) -> String {
        let goal = (input["goals"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).first.map(String.init) ?? ""
        guard !goal.isEmpty, d.goal(goal) != nil else {
            return unique(Slug.from(input["name"] ?? "").ifEmpty("indikator"), avoiding: avoiding)
        }
        var n = 1
        while avoiding.contains("\(goal).\(n)") { n += 1 }
        return "\(goal).\(n)"
    }
    public static func blank(id: String, _ input: [String: String], in d: Dataset, errors: inout [String: String])
        -> IndicatorRecord?
    {
        IndicatorRecord(
            indicator: Indicator(
                id: id, name: "", description: "", goalIds: [], overarchingGoalId: nil, international: false,
                kind: .innsatsfaktor, unit: .percent, direction: .hoyere, source: "", frequency: .arlig,
                readiness: .klar, dashboardOrder: nil, noAmbitionReason: ""),
            ambitions: [], breaks: [])
    }
    public static func ids(in d: Dataset) -> [String] { d.indicators.map(\.id) }
    public static func defaults(in d: Dataset) -> [String: String] {
        [
            "international": "nei", "direction": Direction.hoyere.rawValue, "unit": "prosent",
            "frequency": Frequency.arlig.rawValue,
            "readiness": Readiness.klar.rawValue, "kind": IndicatorKind.innsatsfaktor.rawValue,
        ]
    }
}

/// What keeps a record from being retired: the records and documents that point at it, in words for the editor.
public enum RecordDependants {
    /// Everything that refers to the record, each line naming one referrer. Empty: the record may be retired.
    public static func of(
        _ kind: RecordKind, id: String, in d: Dataset, reports: [ReportFile] = [], rounds: [ScoringRound] = [],
        cases: [CouncilCase] = [], accounts: [String] = []
    ) -> [String] {
        var lines: [String] = []
        let initiativeTitle = { (slug: String) in d.initiative(slug)?.shortTitle ?? slug }
        switch kind {
        case .goal:
            if d.strategy.delayGoal == id {
                lines.append(
                    "Strategien henter forsinkelsestallene i statusrapporten fra dette målet («delay_goal»)")
            }
            lines += d.subgoals(ofGoal: id).map { "Delmål \($0.id): \($0.title)" }
            lines += d.indicators.filter { $0.goalIds.contains(id) }.map { "Indikator \($0.id): \($0.name)" }
        case .subgoal:
            lines += d.initiatives.filter { $0.subgoalIds.contains { $0.caseInsensitiveCompare(id) == .orderedSame } }
                .map { "Tiltaket «\($0.title)»" }
        case .initiative:
            lines += d.activities(ofInitiative: id).map {
                "Aktiviteten «\(short($0.description))» (\(d.actor($0.actorSlug)?.name ?? $0.actorSlug))"
            }
            lines += d.milestones(ofInitiative: id).map { "Milepælen «\($0.kind.name) \($0.date.norwegian)»" }
            for round in rounds {
                for c in round.candidates where c.initiativeSlug == id {
                    lines.append("Kandidaten «\(c.name)» i prioriteringsrunden «\(round.title)»")
                }
            }
        case .actor:
            lines += d.children(ofActor: id).map { "Aktøren «\($0.name)» hører til denne" }
            lines += d.activities.filter { $0.actorSlug == id }
                .map { "Aktiviteten «\(short($0.description))» i tiltaket «\(initiativeTitle($0.initiativeSlug))»" }
            lines += d.milestones.filter { $0.actorSlug == id }
                .map {
                    """
                    Milepælen «\($0.kind.name) \($0.date.norwegian)» i tiltaket \
                    «\(initiativeTitle($0.initiativeSlug))»
                    """
                }
            lines += accounts.map {
                "Brukerkontoen \($0) rapporterer for aktøren (en administrator kan fjerne koblingen)"
            }
        case .activity, .milestone, .indicator:
            break
        }
        if let linkKind = caseLinkKind(kind) {
            for c in cases where c.links.contains(CaseLink(kind: linkKind, target: id)) {
                lines.append("Rådssaken \(c.number.description) «\(c.title)» lenker hit")
            }
        }
        for r in reports {
            let label = "Statusrapporten for \((try? Period.parse(r.period))?.norwegian ?? r.period)"
            let refers: Bool
            switch kind {
            case .goal: refers = r.content.goals.contains { $0.goalId == id }
            case .subgoal: refers = r.content.goals.contains { $0.subgoals.contains { $0.id == id } }
            case .indicator: refers = r.content.goals.contains { $0.indicators.contains { $0.id == id } }
            case .initiative: refers = r.content.overall.benefitAnswers[id] != nil
            case .activity, .milestone, .actor: refers = false
            }
            if refers && !lines.contains(label + " viser til den") { lines.append(label + " viser til den") }
        }
        return lines
    }

    static func caseLinkKind(_ kind: RecordKind) -> CaseLinkKind? {
        switch kind {
        case .goal: .goal
        case .subgoal: .subgoal
        case .initiative: .initiative
        case .indicator: .indicator
        case .activity, .milestone, .actor: nil
        }
    }

    static func short(_ text: String) -> String { text.count > 60 ? String(text.prefix(57)) + "…" : text }
}
