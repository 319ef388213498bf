import Foundation

/// The kinds of record people edit, with the path segment used in URLs and the audit trail's type.
public enum RecordKind: String, CaseIterable, Sendable {
    case activity = "aktivitet", milestone = "milepael", initiative = "tiltak", subgoal = "delmal", goal = "mal",
        actor = "aktor"
    case indicator = "indikator"

    public var name: String {
        switch self {
        case .activity: "aktivitet"
        case .milestone: "milepæl"
        case .initiative: "tiltak"
        case .subgoal: "delmål"
        case .goal: "mål"
        case .actor: "aktør"
        case .indicator: "indikator"
        }
    }

    /// "Ny aktivitet", "Nytt tiltak": the heading of a form for a new record.
    public var newTitle: String {
        switch self {
        case .initiative, .subgoal, .goal: "Nytt \(name)"
        case .activity, .milestone, .actor, .indicator: "Ny \(name)"
        }
    }

    /// "en aktivitet", "et tiltak".
    public var indefinite: String { "\(neuter ? "et" : "en") \(name)" }
    /// "den" or "det", for the record in a sentence.
    public var pronoun: String { neuter ? "det" : "den" }
    var neuter: Bool { self == .initiative || self == .subgoal || self == .goal }

    /// The definite singular: "aktiviteten", "tiltaket".
    public var definiteName: String {
        switch self {
        case .activity: "aktiviteten"
        case .milestone: "milepælen"
        case .initiative: "tiltaket"
        case .subgoal: "delmålet"
        case .goal: "målet"
        case .actor: "aktøren"
        case .indicator: "indikatoren"
        }
    }

    /// The path segment in `/api/v1/records/{kind}/{id}`.
    public var apiName: String {
        switch self {
        case .activity: "activities"
        case .milestone: "milestones"
        case .initiative: "initiatives"
        case .subgoal: "subgoals"
        case .goal: "goals"
        case .actor: "actors"
        case .indicator: "indicators"
        }
    }

    /// The type recorded in the audit trail (stable, English).
    public var auditType: String {
        switch self {
        case .activity: "activity"
        case .milestone: "milestone"
        case .initiative: "initiative"
        case .subgoal: "subgoal"
        case .goal: "goal"
        case .actor: "actor"
        case .indicator: "indicator"
        }
    }
}

extension String {
    /// The first letter in upper case, for a word that starts a sentence ("aktiviteten" → "Aktiviteten").
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// One input in an edit form.
public struct FormField: Sendable {
    public enum Control: Sendable {
        case text(hint: String?)
        case textarea
        case select([(value: String, label: String)])
        case radio([(value: String, label: String)])
    }
    public let name: String
    public let label: String
    public let control: Control

    public init(_ name: String, _ label: String, _ control: Control) {
        self.name = name
        self.label = label
        self.control = control
    }
}

/// A record people edit through forms and the API: its fields, how typed input becomes a valid record
/// (or field errors in Norwegian), and what the audit trail records. Identity and parent links never change here.
public protocol EditableRecord: Sendable, Equatable {
    static var kind: RecordKind { get }
    var recordId: String { get }
    /// The actor a reporter must be allowed for; nil for structure only editors may change.
    var owningActor: String? { get }
    var auditFields: [(String, String)] { get }
    func formValues() -> [String: String]
    static func formFields(in d: Dataset) -> [FormField]
    func applying(_ input: [String: String], in d: Dataset) -> Result<Self, FieldErrors>
}

extension EditableRecord {
    public var owningActor: String? { nil }
}

/// Shared field checks, so every form speaks the same language.
struct Checks {
    var errors: [String: String] = [:]

    mutating func text(_ input: [String: String], _ name: String, required: Bool, max: Int) -> String {
        let value = (input[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && value.isEmpty {
            errors[name] = "Feltet må fylles ut."
        } else if value.count > max {
            errors[name] = "Høyst \(max) tegn (nå \(value.count))."
        } else if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            errors[name] = "Teksten inneholder kontrolltegn."
        }
        return value
    }

    /// A required name and an optional short form that falls back to it.
    mutating func nameAndShortName(_ input: [String: String], _ name: String, _ short: String, max: Int) -> (
        String, String
    ) {
        let full = text(input, name, required: true, max: max)
        let abbreviated = text(input, short, required: false, max: 80)
        return (full, abbreviated.isEmpty ? full : abbreviated)
    }

    mutating func choice<E: RawRepresentable>(
        _ input: [String: String], _ name: String, _ type: E.Type, message: String
    ) -> E? where E.RawValue == String {
        guard let v = E(rawValue: input[name] ?? "") else {
            errors[name] = message
            return nil
        }
        return v
    }

    /// One of the dataset's own codes (phases, actor types).
    mutating func code<C: RawRepresentable & Equatable>(
        _ input: [String: String], _ name: String, in codes: [C],
        message: String
    ) -> C? where C.RawValue == String {
        guard let v = codes.first(where: { $0.rawValue == input[name] ?? "" }) else {
            errors[name] = message
            return nil
        }
        return v
    }

    mutating func period(_ input: [String: String], _ name: String) -> Period?? {
        let t = (input[name] ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .some(nil) }
        do { return .some(try Period.parse(t)) } catch {
            errors[name] =
                """
                «\(t)» er ikke en gyldig periode. Skriv år (2025), kvartal (2025-Q1), måned (2025-06) eller dato \
                (2025-06-30).
                """
            return nil
        }
    }

    mutating func planning(_ input: [String: String]) -> PlanningState? {
        guard let state = PlanningState(rawValue: input["planning"] ?? "") else {
            errors["planning"] = "Velg planlagt, tentativ eller ferdig."
            return nil
        }
        return state
    }

    /// The baseline and the delay record: no delay (kind «ingen»), or kind and cause with an optional note.
    mutating func delay(_ input: [String: String]) -> (Period??, Delay??) {
        let baseline = period(input, "baseline")
        let kindText = input["delayKind"] ?? ""
        let note = text(input, "delayNote", required: false, max: 1000)
        if kindText.isEmpty || kindText == "ingen" {
            if !note.isEmpty {
                errors["delayKind"] = "Velg hva forsinkelsen gjelder, eller fjern merknaden."
                return (baseline, nil)
            }
            return (baseline, .some(nil))
        }
        let kind = choice(input, "delayKind", DelayKind.self, message: "Velg utvikling eller innføring.")
        let cause = choice(input, "delayCause", DelayCause.self, message: "Velg årsaken til forsinkelsen.")
        guard let kind, let cause else { return (baseline, nil) }
        return (baseline, .some(Delay(kind: kind, cause: cause, note: note)))
    }

    var result: FieldErrors { FieldErrors(errors) }
}

func delayValues(_ baseline: Period?, _ delay: Delay?) -> [String: String] {
    [
        "baseline": baseline?.description ?? "", "delayKind": delay?.kind.rawValue ?? "ingen",
        "delayCause": delay?.cause.rawValue ?? "", "delayNote": delay?.note ?? "",
    ]
}

func delayFields(baselineLabel: String) -> [FormField] {
    [
        FormField(
            "baseline", baselineLabel,
            .text(hint: "Planen slik den først ble vedtatt; tom hvis den ikke er kjent. " + periodHint)),
        FormField(
            "delayKind", "Vesentlig forsinkelse",
            .radio([("ingen", "Ingen")] + DelayKind.allCases.map { ($0.rawValue, $0.name) })),
        FormField(
            "delayCause", "Årsak til forsinkelsen",
            .select([("", "Ikke forsinket")] + DelayCause.allCases.map { ($0.rawValue, $0.name) })),
        FormField("delayNote", "Merknad om forsinkelsen", .textarea),
    ]
}

let periodHint = "År (2025), kvartal (2025-Q1), måned (2025-06) eller dato (2025-06-30)."
let planningOptions: [(value: String, label: String)] = [
    ("planlagt", "Planlagt (heltrukken)"), ("tentativ", "Tentativ (stiplet)"),
    ("ferdig", "Ferdig (gjennomført)"),
]

/// Planned, tentative or done: one choice in forms and files (`planning`), two flags on the record.
public enum PlanningState: String, CaseIterable, Sendable {
    case planlagt, tentativ, ferdig
    public static func of(tentative: Bool, done: Bool) -> PlanningState {
        done ? .ferdig : tentative ? .tentativ : .planlagt
    }
    public var tentative: Bool { self == .tentativ }
    public var done: Bool { self == .ferdig }
    public var name: String {
        switch self {
        case .planlagt: "Planlagt"
        case .tentativ: "Tentativ"
        case .ferdig: "Ferdig"
        }
    }
}

extension Activity: EditableRecord {
    public static var kind: RecordKind { .activity }
    public var recordId: String { id }
    public var owningActor: String? { actorSlug }
    public var auditFields: [(String, String)] { AuditFields.of(self) }

    public func formValues() -> [String: String] {
        [
            "phase": phase.rawValue, "start": span.start?.description ?? "", "end": span.end?.description ?? "",
            "planning": PlanningState.of(tentative: tentative, done: done).rawValue, "description": description,
        ]
        .merging(delayValues(baseline, delay)) { a, _ in a }
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("phase", "Fase", .select(d.strategy.phases.all.map { ($0.code.rawValue, $0.name) })),
            FormField("start", "Start", .text(hint: periodHint + " Tom hvis kilden ikke oppgir start.")),
            FormField("end", "Slutt", .text(hint: "Samme format. Tom hvis aktiviteten pågår uten sluttdato.")),
            FormField("planning", "Status", .radio(planningOptions)),
            FormField("description", "Beskrivelse", .textarea),
        ] + delayFields(baselineLabel: "Opprinnelig planlagt slutt")
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Activity, FieldErrors> {
        var c = Checks()
        let phase = c.code(
            input, "phase", in: d.strategy.phases.all.map(\.code), message: "Velg en fase i verdikjeden.")
        let start = c.period(input, "start")
        let end = c.period(input, "end")
        var span: Span?
        if case .some(let s) = start, case .some(let e) = end {
            do { span = try Span(start: s, end: e) } catch {
                switch error {
                case .empty: c.errors["start"] = "Oppgi start, slutt eller begge."
                case .endBeforeStart: c.errors["end"] = "Slutt kan ikke være før start."
                }
            }
        }
        let planning = c.planning(input)
        let description = c.text(input, "description", required: false, max: 2000)
        let (baseline, delay) = c.delay(input)
        guard c.errors.isEmpty, let phase, let span, let planning, case .some(let b) = baseline,
            case .some(let dl) = delay
        else { return .failure(c.result) }
        return .success(
            Activity(
                id: id, initiativeSlug: initiativeSlug, actorSlug: actorSlug, phase: phase, span: span,
                tentative: planning.tentative,
                description: description, baseline: b, delay: dl, done: planning.done))
    }
}

extension Milestone: EditableRecord {
    public static var kind: RecordKind { .milestone }
    public var recordId: String { id }
    public var owningActor: String? { actorSlug }
    public var auditFields: [(String, String)] {
        [
            ("Type", kind.name), ("Dato", date.description),
            ("Status", PlanningState.of(tentative: tentative, done: done).name), ("Beskrivelse", description),
            ("Aktør", actorSlug ?? ""), ("Tiltak", initiativeSlug), ("Opprinnelig dato", baseline?.description ?? ""),
            ("Forsinkelse", AuditFields.delay(delay)),
        ]
    }

    public func formValues() -> [String: String] {
        [
            "kind": kind.rawValue, "date": date.description,
            "planning": PlanningState.of(tentative: tentative, done: done).rawValue,
            "description": description,
        ]
        .merging(delayValues(baseline, delay)) { a, _ in a }
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("kind", "Milepæl", .select(MilestoneKind.allCases.map { ($0.rawValue, $0.name) })),
            FormField("date", "Dato", .text(hint: periodHint)),
            FormField("planning", "Status", .radio(planningOptions)),
            FormField("description", "Beskrivelse", .textarea),
        ] + delayFields(baselineLabel: "Opprinnelig planlagt dato")
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Milestone, FieldErrors> {
        var c = Checks()
        let kind = c.choice(input, "kind", MilestoneKind.self, message: "Velg type milepæl.")
        let date = c.period(input, "date")
        if case .some(nil) = date { c.errors["date"] = "Oppgi en dato." }
        let planning = c.planning(input)
        let description = c.text(input, "description", required: false, max: 2000)
        let (baseline, delay) = c.delay(input)
        guard c.errors.isEmpty, let kind, case .some(let day?) = date, let planning, case .some(let b) = baseline,
            case .some(let dl) = delay
        else { return .failure(c.result) }
        return .success(
            Milestone(
                id: id, initiativeSlug: initiativeSlug, actorSlug: actorSlug, kind: kind, date: day,
                tentative: planning.tentative,
                description: description, baseline: b, delay: dl, done: planning.done))
    }
}

extension Initiative: EditableRecord {
    public static var kind: RecordKind { .initiative }
    public var recordId: String { slug }
    public var auditFields: [(String, String)] {
        [
            ("Tittel", title), ("Kortnavn", shortTitle), ("Type", kind.name),
            ("Prioritet", priorityRank.map(String.init) ?? ""),
            ("Delmål", subgoalIds.joined(separator: " ")), ("Målsetting", target), ("Beskrivelse", description),
        ]
    }

    public func formValues() -> [String: String] {
        [
            "title": title, "shortTitle": shortTitle, "kind": kind.rawValue,
            "priorityRank": priorityRank.map(String.init) ?? "",
            "subgoals": subgoalIds.joined(separator: " "), "target": target, "description": description,
        ]
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("title", "Tittel", .text(hint: nil)),
            FormField("shortTitle", "Kortnavn (vises i figurer)", .text(hint: nil)),
            FormField("kind", "Type", .radio(InitiativeKind.allCases.map { ($0.rawValue, $0.name) })),
            FormField(
                "priorityRank", "Prioritet",
                .text(hint: "Tom hvis tiltaket ikke er prioritert. Hver prioritet brukes bare én gang.")),
            FormField(
                "subgoals", "Delmål",
                .text(
                    hint: "Id-er skilt med mellomrom; det første bestemmer hvor tiltaket tegnes, "
                        + "f.eks. «2.B 1.A».")),
            FormField("target", "Målsetting", .textarea), FormField("description", "Beskrivelse", .textarea),
        ]
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Initiative, FieldErrors> {
        var c = Checks()
        let (title, short) = c.nameAndShortName(input, "title", "shortTitle", max: 300)
        let kind = c.choice(input, "kind", InitiativeKind.self, message: "Velg type tiltak.")
        var rank: Int?
        let rankText = (input["priorityRank"] ?? "").trimmingCharacters(in: .whitespaces)
        if !rankText.isEmpty {
            if let r = Int(rankText), r > 0 {
                if let other = d.initiatives.first(where: { $0.priorityRank == r && $0.slug != slug }) {
                    c.errors["priorityRank"] = "Prioritet \(r) er allerede gitt til «\(other.title)»."
                } else {
                    rank = r
                }
            } else {
                c.errors["priorityRank"] = "Prioritet må være et positivt heltall."
            }
        }
        let ids = (input["subgoals"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }).map {
            String($0).uppercased()
        }
        let unknown = ids.filter { d.subgoal($0) == nil }
        if ids.isEmpty {
            c.errors["subgoals"] = "Tiltaket må høre til minst ett delmål."
        } else if !unknown.isEmpty {
            c.errors["subgoals"] = "Ukjent delmål: \(unknown.joined(separator: ", "))."
        }
        let target = c.text(input, "target", required: false, max: 1000)
        let description = c.text(input, "description", required: false, max: 4000)
        guard c.errors.isEmpty, let kind else { return .failure(c.result) }
        let subgoalIds = ids.map { id in d.subgoal(id)!.id }
        return .success(
            Initiative(
                slug: slug, title: title, shortTitle: short, kind: kind, priorityRank: rank, subgoalIds: subgoalIds,
                target: target, description: description))
    }
}

extension Subgoal: EditableRecord {
    public static var kind: RecordKind { .subgoal }
    public var recordId: String { id }
    public var auditFields: [(String, String)] {
        [("Tittel", title), ("Status", status.name), ("Beskrivelse", description)]
    }
    public func formValues() -> [String: String] {
        ["title": title, "status": status.rawValue, "description": description]
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("title", "Tittel", .textarea),
            FormField("status", "Status", .radio(SubgoalStatus.allCases.map { ($0.rawValue, $0.name) })),
            FormField("description", "Beskrivelse", .textarea),
        ]
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Subgoal, FieldErrors> {
        var c = Checks()
        let title = c.text(input, "title", required: true, max: 400)
        let status = c.choice(input, "status", SubgoalStatus.self, message: "Velg vedtatt eller kandidat.")
        let description = c.text(input, "description", required: false, max: 4000)
        guard c.errors.isEmpty, let status else { return .failure(c.result) }
        return .success(Subgoal(id: id, goalId: goalId, title: title, status: status, description: description))
    }
}

extension Goal: EditableRecord {
    public static var kind: RecordKind { .goal }
    public var recordId: String { id }
    public var auditFields: [(String, String)] {
        [("Tittel", title), ("Beskrivelse", description), ("Skal oppnå", outcomes.joined(separator: " | "))]
    }
    public func formValues() -> [String: String] {
        ["title": title, "description": description, "outcomes": outcomes.joined(separator: "\n")]
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("title", "Tittel", .text(hint: nil)), FormField("description", "Beskrivelse", .textarea),
            FormField("outcomes", "\(d.strategy.displayOutcomesHeading) (ett punkt per linje)", .textarea),
        ]
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Goal, FieldErrors> {
        var c = Checks()
        let title = c.text(input, "title", required: true, max: 300)
        let description = c.text(input, "description", required: false, max: 4000)
        let outcomes = c.text(input, "outcomes", required: false, max: 6000).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard c.errors.isEmpty else { return .failure(c.result) }
        return .success(Goal(id: id, title: title, description: description, outcomes: outcomes))
    }
}

extension Actor: EditableRecord {
    public static var kind: RecordKind { .actor }
    public var recordId: String { slug }
    public var auditFields: [(String, String)] {
        [
            ("Navn", name), ("Kortnavn", shortName), ("Type", type.rawValue), ("Hører til", parentSlug ?? ""),
            ("Beskrivelse", description),
        ]
    }
    public func formValues() -> [String: String] {
        [
            "name": name, "shortName": shortName, "type": type.rawValue, "parent": parentSlug ?? "",
            "description": description,
        ]
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("name", "Navn", .text(hint: nil)), FormField("shortName", "Kortnavn", .text(hint: nil)),
            FormField("type", "Type", .select(d.strategy.actorTypes.all.map { ($0.code.rawValue, $0.name) })),
            FormField("parent", "Hører til", .select([("", "Ingen")] + d.actors.map { ($0.slug, $0.name) })),
            FormField("description", "Beskrivelse", .textarea),
        ]
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<Actor, FieldErrors> {
        var c = Checks()
        let (name, short) = c.nameAndShortName(input, "name", "shortName", max: 200)
        let type = c.code(input, "type", in: d.strategy.actorTypes.all.map(\.code), message: "Velg aktørtype.")
        let parentText = (input["parent"] ?? "").trimmingCharacters(in: .whitespaces)
        var parent: String?
        if !parentText.isEmpty {
            if d.actor(parentText) == nil {
                c.errors["parent"] = "Ukjent aktør «\(parentText)»."
            } else if parentText == slug {
                c.errors["parent"] = "En aktør kan ikke høre til seg selv."
            } else {
                // Walking up from the new parent must never reach this actor.
                var seen: Set<String> = []
                var current: String? = parentText
                while let p = current, !seen.contains(p) {
                    if p == slug {
                        c.errors["parent"] = "Det ville gitt et hierarki som går i ring."
                        break
                    }
                    seen.insert(p)
                    current = d.actor(p)?.parentSlug
                }
                parent = parentText
            }
        }
        let description = c.text(input, "description", required: false, max: 4000)
        guard c.errors.isEmpty, let type else { return .failure(c.result) }
        return .success(
            Actor(slug: slug, name: name, shortName: short, type: type, parentSlug: parent, description: description))
    }
}

extension Access {
    /// One rule for every record: roadmap items follow the reporter's actors; structure is the editors'.
    public static func canWrite<R: EditableRecord>(_ record: R, _ p: Principal?, in d: Dataset) -> Bool {
        canWrite(R.kind, owningActor: record.owningActor, p, in: d)
    }

    /// The same rule from a record's kind and actor (a retired record, a list row).
    public static func canWrite(_ kind: RecordKind, owningActor: String?, _ p: Principal?, in d: Dataset) -> Bool {
        switch kind {
        case .activity, .milestone: canWriteRoadmapItem(p, actorSlug: owningActor, in: d)
        case .initiative, .subgoal, .goal, .actor, .indicator: canWriteStructure(p)
        }
    }

    /// Whether `p` may create records of `kind` at all (for which actors is `canWrite` on the new record).
    public static func canCreate(_ kind: RecordKind, _ p: Principal?) -> Bool {
        switch kind {
        case .activity, .milestone: Access.isEditor(p) || p?.role == .rapportor
        case .initiative, .subgoal, .goal, .actor, .indicator: canWriteStructure(p)
        }
    }
}
