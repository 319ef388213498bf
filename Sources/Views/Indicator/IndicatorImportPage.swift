@preconcurrency import Plot
import Domain

public struct IndicatorImportModel: Sendable {
    /// Nil for the bulk import of many indicators.
    public let indicator: Indicator?
    public let csrfToken: String
    public let issues: [ImportIssue]
    public let text: String
    public let reason: String
    public init(indicator: Indicator?, csrfToken: String, issues: [ImportIssue] = [], text: String = "", reason: String = "") {
        self.indicator = indicator; self.csrfToken = csrfToken; self.issues = issues; self.text = text; self.reason = reason
    }
    var action: String { indicator.map { "/indikatorer/\($0.id)/importer" } ?? "/indikatorer/importer" }
}

/// Upload or paste measurements: one indicator in the Open SDG style, or many in the bulk format. All or nothing.
public enum IndicatorImportView {
    public static func render(_ m: IndicatorImportModel) -> String {
        let F = Fragments.self
        let title = m.indicator.map { "Importer målinger: \($0.name)" } ?? "Importer målinger for mange indikatorer"
        return PageFrame(title: title, description: "Last opp målinger som CSV.", path: m.action,
                         breadcrumbs: [("Indikatorer", "/indikatorer")] + (m.indicator.map { [($0.name, "/indikatorer/\($0.id)")] } ?? [])).render(
            .h1(.text(title)),
            m.indicator.map { ind in
                .group(.p(.text("Filen erstatter alle målingene for denne indikatoren. Kolonner i Open SDG-stil: «periode» (2024, 2024-Q1, 2024-06 eller 2024-06-30), "
                                + "«verdi», eventuelt «enhet» (\(ind.unit.csv.0)), «merknad» og «kilde». Alle andre kolonner er inndelinger: kolonnenavnet er dimensjonen "
                                + "(for eksempel «region»), cellen er verdien (for eksempel «Region nord»); tomme inndelinger betyr hovedserien.")),
                       .pre(.code(.text("periode,region,verdi,merknad\n2024,,52,\n2024,Region nord,63,\n"))))
            } ?? .group(.p(.text("Filen erstatter alle målingene for hver indikator som står i den. Kolonner: indicator, period, dimension, member, value, note, source "
                                 + "(samme som measurements.csv i datasettformatet).")),
                        .pre(.code(.text("indicator,period,dimension,member,value,note,source\nindikator-id,2026,,,52,,Undersøkelse\n")))),
            m.issues.isEmpty ? .empty : F.el("div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"), F.attr("id", "feil"),
                .h2(.text("Importen ble avvist – ingenting er endret")),
                .p(.text("\(m.issues.count) feil:")),
                .ul(.forEach(m.issues) { .li(.text($0.description)) })),
            F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", m.action), F.attr("enctype", "multipart/form-data"),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.el("div", .class("field"),
                    F.el("label", F.attr("for", "fil"), .text("CSV-fil")),
                    F.input([("type", "file"), ("name", "fil"), ("id", "fil"), ("accept", ".csv,text/csv")])),
                F.el("div", .class("field"),
                    F.el("label", F.attr("for", "tekst"), .text("… eller lim inn innholdet")),
                    F.el("textarea", F.attr("name", "tekst"), F.attr("id", "tekst"), F.attr("rows", "10"), .text(m.text))),
                F.el("div", .class("field"),
                    F.el("label", F.attr("for", "begrunnelse"), .text("Begrunnelse (vises i historikken)")),
                    F.input([("type", "text"), ("name", "begrunnelse"), ("id", "begrunnelse"), ("value", m.reason)])),
                F.el("button", F.attr("type", "submit"), .text("Importer")))
        )
    }
}
