import Foundation

/// Field-level validation messages, keyed by form field name, in Norwegian.
public struct FieldErrors: Error, Equatable, Sendable {
    public var messages: [String: String] = [:]
    public init(_ messages: [String: String] = [:]) { self.messages = messages }
    public var isEmpty: Bool { messages.isEmpty }
    public subscript(_ field: String) -> String? { messages[field] }
}

/// The fields an audit entry records for an activity, in display order.
public enum AuditFields {
    public static func of(_ a: Activity) -> [(String, String)] {
        [
            ("Fase", a.phase.rawValue), ("Start", a.span.start?.description ?? ""),
            ("Slutt", a.span.end?.description ?? ""),
            ("Status", PlanningState.of(tentative: a.tentative, done: a.done).name), ("Beskrivelse", a.description),
            ("Aktør", a.actorSlug), ("Tiltak", a.initiativeSlug),
            ("Opprinnelig slutt", a.baseline?.description ?? ""), ("Forsinkelse", delay(a.delay)),
        ]
    }

    public static func delay(_ d: Delay?) -> String {
        guard let d else { return "" }
        return "\(d.kind.name): \(d.cause.name)" + (d.note.isEmpty ? "" : " – \(d.note)")
    }

    /// Field names whose values differ between two recorded versions.
    public static func changed(_ before: [(String, String)], _ after: [(String, String)]) -> [(
        field: String, before: String, after: String
    )] {
        let old = Dictionary(before, uniquingKeysWith: { a, _ in a })
        return after.compactMap { (field, value) in old[field] == value ? nil : (field, old[field] ?? "", value) }
    }
}
