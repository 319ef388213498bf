import Domain
@preconcurrency import Plot
import Routes

public struct IndicatorImportModel: Sendable {
    /// Nil for the bulk import of many indicators.
    public let indicator: Indicator?
    public let csrfToken: String
    public let issues: [ImportIssue]
    public let text: String
    public let reason: String
    /// What the file would do, before anything is written.
    public var preview: ImportPreview?
    public init(
        indicator: Indicator?, csrfToken: String, issues: [ImportIssue] = [], text: String = "", reason: String = "",
        preview: ImportPreview? = nil
    ) {
        self.indicator = indicator
        self.csrfToken = csrfToken
        self.issues = issues
        self.text = text
        self.reason = reason
        self.preview = preview
    }
    var action: String { indicator.map { SiteURL.indicatorImport($0.id).path } ?? SiteURL.indicatorsImport.path }
}

/// Upload or paste measurements: one indicator in the Open SDG style, or many in the bulk format. All or nothing.
public enum IndicatorImportView {
    public static func render(_ m: IndicatorImportModel) -> String {
        if let preview = m.preview { return renderPreview(m, preview) }
        let F = Fragments.self
        let title = m.indicator.map { "Importer målinger: \($0.name)" } ?? "Importer målinger for mange indikatorer"
        return PageFrame(
            title: title, description: "Last opp målinger som CSV.", path: m.action,
            breadcrumbs: [("Indikatorer", SiteURL.indicators.path)]
                + (m.indicator.map { [($0.name, SiteURL.indicator($0.id).path)] } ?? [])
        ).render(
            .h1(.text(title)),
            m.indicator.map { ind in
                .group(
                    .p(
                        .text(
                            """
                            Filen erstatter alle målingene for denne indikatoren. Kolonner i Open SDG-stil: \
                            «periode» (2024, 2024-Q1, 2024-06 eller 2024-06-30),\u{20}
                            """
                                + """
                                «verdi», eventuelt «enhet» (\(ind.unit.csv.0)), «merknad» og «kilde». Alle \
                                andre kolonner er inndelinger: kolonnenavnet er dimensjonen\u{20}
                                """
                                    + """
                                    (for eksempel «region»), cellen er verdien (for eksempel «Region nord»); tomme \
                                    inndelinger betyr hovedserien.
                                    """
                        )),
                    .pre(.code(.text("periode,region,verdi,merknad\n2024,,52,\n2024,Region nord,63,\n"))))
            }
                ?? .group(
                    .p(
                        .text(
                            """
                            Filen erstatter alle målingene for hver indikator som står i den. Kolonner: \
                            indicator, period, dimension, member, value, note, source\u{20}
                            """
                                + "(samme som measurements.csv i datasettformatet).")),
                    .pre(
                        .code(
                            .text(
                                "indicator,period,dimension,member,value,note,source\n"
                                    + "indikator-id,2026,,,52,,Undersøkelse\n"
                            )))),
            m.issues.isEmpty
                ? .empty
                : F.el(
                    "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                    F.attr("id", "feil"),
                    .h2(.text("Importen ble avvist – ingenting er endret")),
                    .p(.text("\(m.issues.count) feil:")),
                    .ul(.forEach(m.issues) { .li(.text($0.description)) })),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", m.action),
                F.attr("enctype", "multipart/form-data"),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "fil"), .text("CSV-fil")),
                    F.input([("type", "file"), ("name", "fil"), ("id", "fil"), ("accept", ".csv,text/csv")])),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "tekst"), .text("… eller lim inn innholdet")),
                    F.el(
                        "textarea", F.attr("name", "tekst"), F.attr("id", "tekst"), F.attr("rows", "10"), .text(m.text))
                ),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "begrunnelse"), .text("Begrunnelse (vises i historikken)")),
                    F.input([("type", "text"), ("name", "begrunnelse"), ("id", "begrunnelse"), ("value", m.reason)])),
                F.el("button", F.attr("type", "submit"), .text("Vis hva som vil endres")))
        )
    }

    /// The preview: per indicator what merging and what replacing would do; the user picks one and confirms.
    static func renderPreview(_ m: IndicatorImportModel, _ p: ImportPreview) -> String {
        let F = Fragments.self
        let title = "Forhåndsvisning av importen"
        func n(_ count: Int) -> String { String(count) }
        return PageFrame(
            title: title, description: "Hva importen vil endre.", path: m.action,
            breadcrumbs: [("Indikatorer", SiteURL.indicators.path)]
                + (m.indicator.map { [($0.name, SiteURL.indicator($0.id).path)] } ?? [])
        ).render(
            .h1(.text(title)),
            p.conflict.map {
                F.el("div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"), .p(.text($0)))
            } ?? .empty,
            .p(
                .class("lead"),
                .text(
                    """
                    Ingenting er lagret ennå. Se over hva filen «\(p.fileName)» vil gjøre, velg om verdiene skal \
                    slås sammen\u{20}
                    """
                        + "med de lagrede eller erstatte dem, og bekreft.")),
            .div(
                .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                .attribute(named: "role", value: "region"),
                .attribute(named: "aria-label", value: "Endringer per indikator"),
                .table(
                    .class("data"),
                    .caption(.text("Endringer per indikator")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Indikator")),
                            .th(.attribute(named: "scope", value: "col"), .class("num"), .text("Nye verdier")),
                            .th(.attribute(named: "scope", value: "col"), .class("num"), .text("Endrede verdier")),
                            .th(.attribute(named: "scope", value: "col"), .class("num"), .text("Uendret i filen")),
                            .th(
                                .attribute(named: "scope", value: "col"), .class("num"),
                                .text("Fjernes hvis du erstatter")),
                            .th(.attribute(named: "scope", value: "col"), .text("Endringer")))),
                    .tbody(
                        .forEach(p.rows) { r in
                            .tr(
                                .th(.attribute(named: "scope", value: "row"), .text(r.name)),
                                .td(.class("num"), .text(n(r.added))), .td(.class("num"), .text(n(r.changed))),
                                .td(.class("num"), .text(n(r.unchanged))),
                                .td(.class("num"), .text(n(r.removedIfReplaced))),
                                .td(
                                    r.details.isEmpty
                                        ? .text("–")
                                        : .ul(.class("compact"), .forEach(r.details) { .li(.text($0)) })))
                        }))),
            // Multipart, as the upload was: the file's text comes back without tripling in size.
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", m.action),
                F.attr("enctype", "multipart/form-data"),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.input([("type", "hidden"), ("name", "stempel"), ("value", p.stamp)]),
                F.input([("type", "hidden"), ("name", "filnavn"), ("value", p.fileName)]),
                F.input([("type", "hidden"), ("name", "begrunnelse"), ("value", m.reason)]),
                // HTML drops a newline right after <textarea>: one is added so the text comes back as it was.
                F.el(
                    "textarea", F.attr("name", "tekst"), F.attr("hidden", ""), F.attr("aria-hidden", "true"),
                    .text("\n" + m.text)),
                F.el(
                    "fieldset", .class("field"), F.attr("id", "felt-modus"),
                    F.el("legend", .text("Hva skal skje med verdiene som ikke står i filen?")),
                    F.el(
                        "div", .class("radio"),
                        .span(
                            F.input(
                                [
                                    ("type", "radio"), ("name", "modus"), ("id", "modus-slaa-sammen"),
                                    ("value", MeasurementDiff.Mode.merge.rawValue),
                                ]
                                    + (p.mode == .merge ? [("checked", nil)] : [])),
                            F.el("label", F.attr("for", "modus-slaa-sammen"), .text("Behold dem (slå sammen)"))),
                        .span(
                            F.input(
                                [
                                    ("type", "radio"), ("name", "modus"), ("id", "modus-erstatt"),
                                    ("value", MeasurementDiff.Mode.replace.rawValue),
                                ]
                                    + (p.mode == .replace ? [("checked", nil)] : [])),
                            F.el("label", F.attr("for", "modus-erstatt"), .text("Fjern dem (erstatt)"))))),
                F.el(
                    "div", .class("actions"),
                    F.el(
                        "button", F.attr("type", "submit"), F.attr("name", "bekreft"), F.attr("value", "ja"),
                        .text("Importer")),
                    .a(.class("button secondary"), .href(m.action), .text("Avbryt"))))
        )
    }
}

/// What an import would change, per indicator, for the preview.
public struct ImportPreview: Sendable {
    public struct Row: Sendable {
        public let name: String
        public let added: Int, changed: Int, unchanged: Int, removedIfReplaced: Int
        /// "2025: 48 → 52", "2026 (ny): 55", "2024 (fjernes ved erstatt)".
        public let details: [String]
        public init(name: String, added: Int, changed: Int, unchanged: Int, removedIfReplaced: Int, details: [String]) {
            self.name = name
            self.added = added
            self.changed = changed
            self.unchanged = unchanged
            self.removedIfReplaced = removedIfReplaced
            self.details = details
        }
    }
    public let rows: [Row]
    public let stamp: String
    public let fileName: String
    public let mode: MeasurementDiff.Mode
    public let conflict: String?
    public init(rows: [Row], stamp: String, fileName: String, mode: MeasurementDiff.Mode, conflict: String? = nil) {
        self.rows = rows
        self.stamp = stamp
        self.fileName = fileName
        self.mode = mode
        self.conflict = conflict
    }
}
