@preconcurrency import Plot
import Domain

/// Who changed what and when, with the values before and after.
public struct HistoryPageModel: Sendable {
    public let title: String
    public let backURL: String
    public let entries: [(when: String, who: String, source: String, action: String, reason: String, changes: [(field: String, before: String, after: String)])]
    public init(title: String, backURL: String, entries: [(when: String, who: String, source: String, action: String, reason: String, changes: [(field: String, before: String, after: String)])]) {
        self.title = title; self.backURL = backURL; self.entries = entries
    }
}

public enum HistoryPageView {
    public static func render(_ m: HistoryPageModel, path: String) -> String {
        PageFrame(title: "Historikk", description: m.title, path: path, breadcrumbs: [("Tilbake", m.backURL)]).render(
            .h1(.text("Historikk: \(m.title)")),
            m.entries.isEmpty ? .p(.text("Ingen endringer er registrert etter at dataene ble importert.")) :
            .ol(.class("history"), .forEach(m.entries) { e in
                .li(.p(.strong(.text(e.when)), .text(" – \(e.who) (\(e.source), \(e.action))")),
                    e.reason.isEmpty ? .empty : .p(.text("Begrunnelse: \(e.reason)")),
                    e.changes.isEmpty ? .empty : .table(.class("data"),
                        .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text("Felt")), .th(.attribute(named: "scope", value: "col"), .text("Før")),
                                   .th(.attribute(named: "scope", value: "col"), .text("Etter")))),
                        .tbody(.forEach(e.changes) { c in .tr(.th(.attribute(named: "scope", value: "row"), .text(c.field)), .td(.text(c.before)), .td(.text(c.after))) })))
            })
        )
    }
}

