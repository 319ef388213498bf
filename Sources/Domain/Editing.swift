import Foundation

/// Field-level validation messages, keyed by form field name, in Norwegian.
public struct FieldErrors: Error, Equatable, Sendable {
    public var messages: [String: String] = [:]
    public init(_ messages: [String: String] = [:]) { self.messages = messages }
    public var isEmpty: Bool { messages.isEmpty }
    public subscript(_ field: String) -> String? { messages[field] }
}

/// What a person typed into the activity form, kept verbatim so the form can be shown again.
public struct ActivityInput: Equatable, Sendable {
    public var phase: String
    public var start: String
    public var end: String
    public var planning: String
    public var description: String
    public var reason: String

    public init(phase: String, start: String, end: String, planning: String, description: String, reason: String) {
        self.phase = phase; self.start = start; self.end = end; self.planning = planning; self.description = description; self.reason = reason
    }

    public init(_ a: Activity) {
        self.init(phase: a.phase.rawValue, start: a.span.start?.description ?? "", end: a.span.end?.description ?? "",
                  planning: a.tentative ? "tentativ" : "planlagt", description: a.description, reason: "")
    }

    public static let maxDescription = 2000
    public static let maxReason = 500

    /// The edited activity, or every problem with the input. Initiative and actor do not change here.
    public func validate(editing base: Activity) -> Result<Activity, FieldErrors> {
        var errors: [String: String] = [:]
        let phase = Phase(rawValue: self.phase)
        if phase == nil { errors["phase"] = "Velg en fase i verdikjeden." }
        func period(_ text: String, field: String) -> Period?? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .some(nil) }
            do { return .some(try Period.parse(t)) } catch {
                errors[field] = "«\(t)» er ikke en gyldig periode. Skriv år (2025), kvartal (2025-Q1), måned (2025-06) eller dato (2025-06-30)."
                return nil
            }
        }
        let start = period(self.start, field: "start"), end = period(self.end, field: "end")
        var span: Span?
        if case .some(let s) = start, case .some(let e) = end {
            do { span = try Span(start: s, end: e) } catch {
                switch error {
                case .empty: errors["start"] = "Oppgi start, slutt eller begge."
                case .endBeforeStart: errors["end"] = "Slutt kan ikke være før start."
                }
            }
        }
        let tentative: Bool? = planning == "planlagt" ? false : planning == "tentativ" ? true : nil
        if tentative == nil { errors["planning"] = "Velg planlagt eller tentativ." }
        let description = self.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > ActivityInput.maxDescription { errors["description"] = "Beskrivelsen kan ha høyst \(ActivityInput.maxDescription) tegn." }
        if description.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            errors["description"] = "Beskrivelsen inneholder kontrolltegn."
        }
        if reason.count > ActivityInput.maxReason { errors["reason"] = "Begrunnelsen kan ha høyst \(ActivityInput.maxReason) tegn." }
        guard errors.isEmpty, let phase, let span, let tentative else { return .failure(FieldErrors(errors)) }
        return .success(Activity(id: base.id, initiativeSlug: base.initiativeSlug, actorSlug: base.actorSlug, phase: phase, span: span,
                                 tentative: tentative, description: description))
    }
}

/// The fields an audit entry records for an activity, in display order.
public enum AuditFields {
    public static func of(_ a: Activity) -> [(String, String)] {
        [("Fase", a.phase.name), ("Start", a.span.start?.description ?? ""), ("Slutt", a.span.end?.description ?? ""),
         ("Status", a.tentative ? "Tentativ" : "Planlagt"), ("Beskrivelse", a.description), ("Aktør", a.actorSlug), ("Tiltak", a.initiativeSlug)]
    }

    /// Field names whose values differ between two recorded versions.
    public static func changed(_ before: [(String, String)], _ after: [(String, String)]) -> [(field: String, before: String, after: String)] {
        let old = Dictionary(before, uniquingKeysWith: { a, _ in a })
        return after.compactMap { (field, value) in old[field] == value ? nil : (field, old[field] ?? "", value) }
    }
}
