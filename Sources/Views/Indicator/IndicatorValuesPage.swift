import Domain
@preconcurrency import Plot
import Routes

/// One indicator's values for editors: add or change a single value (with its breakdown), remove one after a
/// confirmation step, every write at the version the page showed.
public struct IndicatorValuesModel: Sendable {
    public struct Row: Sendable {
        public let key: MeasurementKey
        public let value: String
        public let note: String
        public let source: String
        public let editURL: String
        public let removeURL: String
        public init(
            key: MeasurementKey, value: String, note: String, source: String, editURL: String, removeURL: String
        ) {
            self.key = key
            self.value = value
            self.note = note
            self.source = source
            self.editURL = editURL
            self.removeURL = removeURL
        }
    }
    public let indicator: Indicator
    public let rows: [Row]
    /// The form: values typed, and the version of the value being changed ("" for a new one).
    public let values: [String: String]
    public let version: String
    public let reason: String
    public let errors: FieldErrors
    public let notice: String?
    /// The stored value when a colleague changed it first.
    public let conflict: String?
    /// The period and breakdown of the value being changed (periode, dimensjon, medlem); empty for a new one.
    public let original: [String: String]
    public init(
        indicator: Indicator, rows: [Row], values: [String: String] = [:], version: String = "", reason: String = "",
        errors: FieldErrors = FieldErrors(), notice: String? = nil, conflict: String? = nil,
        original: [String: String] = [:]
    ) {
        self.indicator = indicator
        self.rows = rows
        self.values = values
        self.version = version
        self.reason = reason
        self.errors = errors
        self.notice = notice
        self.conflict = conflict
        self.original = original
    }
    var url: String { SiteURL.indicatorValues(indicator.id).path }
}

public enum IndicatorValuesView {
    public static func render(_ m: IndicatorValuesModel) -> String {
        let F = Fragments.self
        let title = "Verdier: \(m.indicator.name)"
        let editing = !m.version.isEmpty
        let order = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.enumerated().map { ($1.name, $0) })
        let form = RecordEditModel(
            kindName: "verdi", context: "", backURL: m.url, formURL: m.url, historyURL: "",
            fields: fields(m.indicator), values: m.values, version: 0, errors: m.errors)
        return PageFrame(
            title: title, description: "Legg til, endre eller fjern enkeltverdier.", path: m.url,
            breadcrumbs: [
                ("Indikatorer", SiteURL.indicators.path),
                (m.indicator.name, SiteURL.indicator(m.indicator.id).path),
            ]
        ).render(
            .h1(.text(title)),
            m.notice.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            m.errors.isEmpty
                ? .empty
                : F.el(
                    "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                    .h2(.text("Verdien ble ikke lagret")),
                    .ul(
                        .forEach(m.errors.messages.sorted { (order[$0.key] ?? 99) < (order[$1.key] ?? 99) }) { e in
                            .li(.a(.href("#felt-\(e.key)"), .text(e.value)))
                        })),
            m.conflict.map { c in
                F.el(
                    "div", .class("conflict"), F.attr("role", "alert"),
                    .h2(.text("Noen andre har endret denne verdien")),
                    .p(
                        .text(
                            """
                            Lagret nå: \(c). Ingenting er overskrevet. Skjemaet har fortsatt det du skrev; lagrer \
                            du igjen, erstatter du den lagrede verdien.
                            """
                        )))
            } ?? .empty,
            .p(
                .text(
                    "Én verdi om gangen. Hele filer importeres under «Importer målinger», "
                        + "med forhåndsvisning. "),
                .a(.href(SiteURL.indicatorImport(m.indicator.id).path), .text("Importer målinger"))),
            .h2(.id("skjema"), .text(editing ? "Endre verdien" : "Legg til eller endre en verdi")),
            .p(.class("hint"), .text("Finnes det allerede en verdi for samme periode og inndeling, blir den endret.")),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", m.url), F.attr("novalidate", ""),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", m.version)]),
                .group(
                    ["periode", "dimensjon", "medlem"].filter { _ in editing }.map { name in
                        F.input([("type", "hidden"), ("name", "fra-\(name)"), ("value", m.original[name] ?? "")])
                    }),
                .group(fields(m.indicator).map { RecordEditView.field($0, form) }),
                RecordEditView.field(
                    FormField("reason", "Begrunnelse (valgfri)", .text(hint: "Vises i historikken.")), form,
                    value: m.reason),
                F.el(
                    "div", .class("actions"), F.el("button", F.attr("type", "submit"), .text("Lagre verdien")),
                    editing ? .a(.class("button secondary"), .href(m.url), .text("Avbryt")) : .empty)),
            .h2(.text("Lagrede verdier")),
            m.rows.isEmpty
                ? .p(.text("Indikatoren har ingen verdier ennå."))
                : .div(
                    .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    .attribute(named: "aria-label", value: "Lagrede verdier"),
                    .table(
                        .class("data"),
                        .caption(.text(m.rows.count == 1 ? "1 verdi" : "\(m.rows.count) verdier")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Periode")),
                                .th(.attribute(named: "scope", value: "col"), .text("Inndeling")),
                                .th(.attribute(named: "scope", value: "col"), .class("num"), .text("Verdi")),
                                .th(.attribute(named: "scope", value: "col"), .text("Merknad")),
                                .th(.attribute(named: "scope", value: "col"), .text("Kilde")),
                                .th(.attribute(named: "scope", value: "col"), .text("Handlinger")))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .th(.attribute(named: "scope", value: "row"), .text(r.key.period.norwegian)),
                                    .td(
                                        .text(
                                            r.key.dimension.isEmpty
                                                ? "Hovedserien" : "\(r.key.dimension): \(r.key.member)")),
                                    .td(.class("num"), .text(r.value)), .td(.text(r.note)), .td(.text(r.source)),
                                    .td(
                                        F.el(
                                            "div", .class("row-actions"),
                                            .a(
                                                .href(r.editURL), .text("Endre"),
                                                .span(.class("visually-hidden"), .text(" \(r.key.text)"))),
                                            .a(
                                                .href(r.removeURL), .text("Fjern"),
                                                .span(.class("visually-hidden"), .text(" \(r.key.text)"))))))
                            })))
        )
    }

    static func fields(_ ind: Indicator) -> [FormField] {
        let hints = [
            "periode": "År (2025), kvartal (2025-Q1), måned (2025-06) eller dato (2025-06-30).",
            "verdi":
                "Et tall i indikatorens enhet (\(ind.unit.name.lowercased())); komma eller punktum som desimaltegn.",
            "dimensjon": "For en inndelt verdi, f.eks. «Region». Tom for hovedserien.",
            "medlem": "F.eks. «Region nord». Tom for hovedserien.",
        ]
        return MeasurementInput.fields.map { f in
            FormField(f.name, f.label, f.name == "merknad" ? .textarea : .text(hint: hints[f.name]))
        }
    }
}

/// The confirmation step before one value is removed.
public enum RemoveValueView {
    public static func render(
        indicator: Indicator, measurement: IndicatorMeasurement, value: String, version: Int64, formURL: String
    ) -> String {
        let F = Fragments.self
        let back = SiteURL.indicatorValues(indicator.id).path
        return PageFrame(
            title: "Fjern verdien", description: indicator.name, path: formURL,
            breadcrumbs: [
                ("Indikatorer", SiteURL.indicators.path),
                (indicator.name, SiteURL.indicator(indicator.id).path),
                ("Verdier", back),
            ]
        ).render(
            .h1(.text("Fjern verdien")),
            F.facts([
                ("Indikator", .text(indicator.name)), ("Måling", .text(measurement.key.text)), ("Verdi", .text(value)),
            ]),
            .p(.text("Verdien forsvinner fra figurene og tabellene. Endringen står i historikken.")),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", formURL),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(version))]),
                F.input([("type", "hidden"), ("name", "periode"), ("value", measurement.period.description)]),
                F.input([("type", "hidden"), ("name", "dimensjon"), ("value", measurement.dimension)]),
                F.input([("type", "hidden"), ("name", "medlem"), ("value", measurement.member)]),
                F.el(
                    "div", .class("actions"),
                    F.el("button", .class("danger"), F.attr("type", "submit"), .text("Ja, fjern verdien")),
                    .a(.class("button secondary"), .href(back), .text("Avbryt"))))
        )
    }
}
