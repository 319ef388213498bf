import Foundation

/// Why a roadmap item needs its reporter's attention.
public enum WorkFlag: Hashable, Sendable {
    /// The end (or date) has passed and the item is not reported done.
    case overdue(Period)
    /// Nobody has confirmed or changed it within the chosen months (nil: never since it was loaded).
    case unconfirmed(since: Day?)

    public var text: String {
        switch self {
        case .overdue(let p): "Sluttdatoen (\(p.norwegian)) er passert, men den er ikke markert ferdig"
        case .unconfirmed(let since?): "Ikke bekreftet siden \(since.norwegian)"
        case .unconfirmed(nil): "Aldri bekreftet i Veikart"
        }
    }
}

/// One activity or milestone in a reporter's workspace.
public struct WorkItem: Hashable, Sendable {
    public let kind: RecordKind
    public let id: String
    public let initiativeSlug: String
    public let actorSlug: String?
    /// What it is: the activity's phase and description, or the milestone's kind and description.
    public let title: String
    /// The end of an activity, the date of a milestone.
    public let due: Period?
    public let planning: PlanningState
    public let baseline: Period?
    public let delay: Delay?
    public let lastConfirmed: Day?
    public let flags: [WorkFlag]
}

/// "Mitt arbeid": the activities and milestones of the actors someone reports for, with what needs attention first.
public enum MyWork {
    /// The choices offered for "not confirmed for …" (months).
    public static let monthChoices = [1, 3, 6, 12]
    public static let defaultMonths = 3

    /// Items of `actors` (nil: every actor; a reporter's actors include those beneath them), flagged against `today`;
    /// flagged items first, then by initiative order and due date. `lastConfirmed` is keyed `"<kind>:<id>"`.
    public static func items(in d: Dataset, actors: Set<String>?, lastConfirmed: [String: Day], today: Day, months: Int)
        -> [WorkItem]
    {
        let threshold = Day(ordinal: today.ordinal - Int((Double(months) * 30.44).rounded()))
        func flags(due: Period?, done: Bool, confirmed: Day?) -> [WorkFlag] {
            var result: [WorkFlag] = []
            if let due, !done, due.lastDay < today { result.append(.overdue(due)) }
            // Done is done: nothing left to confirm.
            if !done, confirmed.map({ $0 < threshold }) ?? true { result.append(.unconfirmed(since: confirmed)) }
            return result
        }
        var items: [WorkItem] = []
        for a in d.activities where actors?.contains(a.actorSlug) ?? true {
            let confirmed = lastConfirmed["\(RecordKind.activity.rawValue):\(a.id)"]
            let title = d.strategy.phases.name(a.phase) + (a.description.isEmpty ? "" : ": " + a.description)
            items.append(
                WorkItem(
                    kind: .activity, id: a.id, initiativeSlug: a.initiativeSlug, actorSlug: a.actorSlug, title: title,
                    due: a.span.end, planning: .of(tentative: a.tentative, done: a.done), baseline: a.baseline,
                    delay: a.delay,
                    lastConfirmed: confirmed, flags: flags(due: a.span.end, done: a.done, confirmed: confirmed)))
        }
        for m in d.milestones where m.actorSlug.map { actors?.contains($0) ?? true } ?? (actors == nil) {
            let confirmed = lastConfirmed["\(RecordKind.milestone.rawValue):\(m.id)"]
            let title = m.kind.name + (m.description.isEmpty ? "" : ": " + m.description)
            items.append(
                WorkItem(
                    kind: .milestone, id: m.id, initiativeSlug: m.initiativeSlug, actorSlug: m.actorSlug, title: title,
                    due: m.date, planning: .of(tentative: m.tentative, done: m.done), baseline: m.baseline,
                    delay: m.delay,
                    lastConfirmed: confirmed, flags: flags(due: m.date, done: m.done, confirmed: confirmed)))
        }
        let order = Dictionary(d.initiatives.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { a, _ in a })
        return items.enumerated().sorted { l, r in
            let (a, b) = (l.element, r.element)
            if a.flags.isEmpty != b.flags.isEmpty { return !a.flags.isEmpty }
            let (oa, ob) = (order[a.initiativeSlug] ?? .max, order[b.initiativeSlug] ?? .max)
            if oa != ob { return oa < ob }
            let (da, db) = (a.due?.firstDay.ordinal ?? .max, b.due?.firstDay.ordinal ?? .max)
            return da != db ? da < db : l.offset < r.offset
        }.map(\.element)
    }
}

/// Moving an activity's end or a milestone's date: the current date becomes the baseline (unless one is kept
/// already), and the form asks whether the move is a significant delay and why.
public protocol MovableRecord: CreatableRecord {
    /// The form field that holds the date being moved ("end", "date").
    static var dateField: String { get }
}

extension MovableRecord {
    public static func moveFields() -> [FormField] {
        [FormField(dateField, dateField == "end" ? "Ny slutt" : "Ny dato", .text(hint: periodHint))]
            + delayFields(baselineLabel: "").filter { $0.name != "baseline" }
    }

    /// The record with the new date and delay; the baseline keeps the first planned date.
    public func moving(_ input: [String: String], in d: Dataset) -> Result<Self, FieldErrors> {
        var values = formValues()
        let current = values[Self.dateField] ?? ""
        let wanted = (input[Self.dateField] ?? "").trimmingCharacters(in: .whitespaces)
        if wanted.isEmpty { return .failure(FieldErrors([Self.dateField: "Oppgi den nye datoen."])) }
        if let p = try? Period.parse(wanted), p.description == current {
            return .failure(
                FieldErrors([
                    Self.dateField: "Datoen er den samme som nå. Bruk «Bekreft uendret» i Mitt arbeid "
                        + "hvis planen står."
                ]))
        }
        if (values["baseline"] ?? "").isEmpty { values["baseline"] = current }
        for key in [Self.dateField, "delayKind", "delayCause", "delayNote"] { values[key] = input[key] ?? "" }
        values[Self.dateField] = wanted
        if (values["delayKind"] ?? "").isEmpty { values["delayKind"] = "ingen" }
        return applying(values, in: d)
    }
}

extension Activity: MovableRecord { public static var dateField: String { "end" } }
extension Milestone: MovableRecord { public static var dateField: String { "date" } }
