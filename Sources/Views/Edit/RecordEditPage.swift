import Domain
@preconcurrency import Plot

/// Any editable record's form: fields from the domain, errors next to each field, the typed input kept,
/// and on a conflict the stored version beside the user's.
public struct RecordEditModel: Sendable {
    public let kindName: String
    /// "Ny aktivitet", and for errors "Aktiviteten": the form's own words for a new record.
    public var newTitle = "", definiteName = ""
    public let context: String
    public let backURL: String
    public let formURL: String
    public let historyURL: String
    public let fields: [FormField]
    public let values: [String: String]
    public let reason: String
    public let version: Int64
    public let errors: FieldErrors
    /// The stored values when a colleague saved first.
    public let conflict: [String: String]?
    public let notice: String?
    /// Who saved the pending draft and when; the form then shows the draft, not the published values.
    public let draft: String?
    /// The draft the form shows (0: none), carried back so a newer draft is never overwritten or discarded unseen.
    public let draftVersion: Int64
    /// Whether the viewer may discard the draft (its author or an editor).
    public let canDiscard: Bool
    /// A form for a new record: no version, draft or history yet.
    public let isNew: Bool
    /// Where to retire the record (nil: new, or not allowed).
    public let retireURL: String?

    public init(
        kindName: String, context: String, backURL: String, formURL: String, historyURL: String, fields: [FormField],
        values: [String: String],
        reason: String = "", version: Int64, errors: FieldErrors = FieldErrors(), conflict: [String: String]? = nil,
        notice: String? = nil, draft: String? = nil,
        draftVersion: Int64 = 0, canDiscard: Bool = false, isNew: Bool = false, retireURL: String? = nil
    ) {
        self.kindName = kindName
        self.context = context
        self.backURL = backURL
        self.formURL = formURL
        self.historyURL = historyURL
        self.fields = fields
        self.values = values
        self.reason = reason
        self.version = version
        self.errors = errors
        self.conflict = conflict
        self.notice = notice
        self.draft = draft
        self.draftVersion = draftVersion
        self.canDiscard = canDiscard
        self.isNew = isNew
        self.retireURL = retireURL
    }
}

public enum RecordEditView {
    public static func render(_ m: RecordEditModel) -> String {
        let F = Fragments.self
        let title = m.isNew ? m.newTitle : "Endre \(m.kindName)"
        let fieldOrder = Dictionary(uniqueKeysWithValues: m.fields.enumerated().map { ($1.name, $0) })
        return PageFrame(title: title, description: m.context, path: m.formURL, breadcrumbs: [("Tilbake", m.backURL)])
            .render(
                .h1(.text(title)),
                // A new record has no page yet: the lead is an instruction, not a link.
                m.isNew
                    ? .p(.class("lead"), .text(m.context)) : .p(.class("lead"), .a(.href(m.backURL), .text(m.context))),
                m.notice.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
                m.draft.map {
                    F.el(
                        "div", .class("notice"),
                        .p(
                            .strong(.text("Upublisert utkast. ")),
                            .text("\($0) Skjemaet viser utkastet; publikum ser fortsatt den publiserte versjonen.")))
                } ?? .empty,
                conflictPanel(m),
                m.errors.isEmpty
                    ? .empty
                    : F.el(
                        "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                        .h2(
                            .text(
                                m.isNew
                                    ? "\(m.definiteName.capitalizedFirst) ble ikke opprettet"
                                    : "Endringen ble ikke lagret")),
                        .ul(
                            .forEach(
                                m.errors.messages.sorted { (fieldOrder[$0.key] ?? 99) < (fieldOrder[$1.key] ?? 99) }
                            ) { e in
                                .li(.a(.href("#felt-\(e.key)"), .text(e.value)))
                            })),
                F.el(
                    "form", .class("form"), F.attr("method", "post"), F.attr("action", m.formURL),
                    F.attr("novalidate", ""),
                    F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                    F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version))]),
                    F.input([("type", "hidden"), ("name", "utkastversjon"), ("value", String(m.draftVersion))]),
                    .group(m.fields.map { field($0, m) }),
                    field(
                        FormField("reason", "Begrunnelse for endringen (valgfri)", .text(hint: "Vises i historikken.")),
                        m, value: m.reason),
                    m.isNew
                        ? F.el(
                            "div", .class("actions"),
                            F.el(
                                "button", F.attr("type", "submit"), F.attr("name", "handling"),
                                F.attr("value", "opprett"), .text("Opprett og publiser")),
                            .a(.class("button secondary"), .href(m.backURL), .text("Avbryt")))
                        : F.el(
                            "div", .class("actions"),
                            F.el(
                                "button", F.attr("type", "submit"), F.attr("name", "handling"),
                                F.attr("value", "publiser"),
                                .text(m.conflict == nil ? "Lagre og publiser" : "Publiser min versjon likevel")),
                            F.el(
                                "button", .class("secondary"), F.attr("type", "submit"), F.attr("name", "handling"),
                                F.attr("value", "utkast"), .text("Lagre som utkast")),
                            m.draft == nil || !m.canDiscard
                                ? .empty
                                : F.el(
                                    "button", .class("secondary"), F.attr("type", "submit"), F.attr("name", "handling"),
                                    F.attr("value", "forkast"), .text("Forkast utkastet")),
                            .a(.class("button secondary"), .href(m.backURL), .text("Avbryt")),
                            .a(.href(m.historyURL), .text("Historikk")),
                            m.retireURL.map { .a(.href($0), .text("Avvikle \(m.kindName)")) } ?? .empty)
                )
            )
    }

    static func field(_ f: FormField, _ m: RecordEditModel, value: String? = nil) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        let value = value ?? m.values[f.name] ?? ""
        let error = m.errors[f.name]
        let errorNode: Node<HTML.BodyContext> =
            error.map { F.el("p", .class("error-message"), F.attr("id", "feil-\(f.name)"), .text($0)) } ?? .empty
        let cls = error == nil ? "field" : "field has-error"
        let described = ([error == nil ? nil : "feil-\(f.name)"] + (hasHint(f) ? ["hint-\(f.name)"] : [])).compactMap {
            $0
        }.joined(separator: " ")
        var common: [(String, String?)] = [("name", f.name), ("id", "felt-\(f.name)")]
        if !described.isEmpty { common.append(("aria-describedby", described)) }
        if error != nil { common.append(("aria-invalid", "true")) }
        switch f.control {
        case .radio(let options):
            return F.el(
                "fieldset", .class(cls), F.attr("id", "felt-\(f.name)"),
                F.el("legend", .text(f.label)), errorNode,
                F.el(
                    "div", .class("radio"),
                    .group(
                        options.map { o in
                            .span(
                                F.input(
                                    [
                                        ("type", "radio"), ("name", f.name), ("id", "\(f.name)-\(o.value)"),
                                        ("value", o.value),
                                    ] + (value == o.value ? [("checked", nil)] : [])),
                                F.el("label", F.attr("for", "\(f.name)-\(o.value)"), .text(o.label)))
                        })))
        case .text(let hint):
            return F.el(
                "div", .class(cls), F.el("label", F.attr("for", "felt-\(f.name)"), .text(f.label)),
                hint.map { F.el("p", .class("hint"), F.attr("id", "hint-\(f.name)"), .text($0)) } ?? .empty, errorNode,
                F.input([("type", "text")] + common + [("value", value)]))
        case .textarea:
            return F.el(
                "div", .class(cls), F.el("label", F.attr("for", "felt-\(f.name)"), .text(f.label)), errorNode,
                .element(
                    named: "textarea",
                    nodes: common.map {
                        Node<HTML.BodyContext>.attribute(named: $0.0, value: F.escapeAttribute($0.1 ?? ""))
                    }
                        + [F.attr("rows", "4"), .text(value)]))
        case .select(let options):
            return F.el(
                "div", .class(cls), F.el("label", F.attr("for", "felt-\(f.name)"), .text(f.label)), errorNode,
                .element(
                    named: "select",
                    nodes: common.map {
                        Node<HTML.BodyContext>.attribute(named: $0.0, value: F.escapeAttribute($0.1 ?? ""))
                    }
                        + options.map { o in
                            F.el(
                                "option", F.attr("value", o.value),
                                o.value == value ? .attribute(named: "selected") : .empty, .text(o.label))
                        }))
        }
    }

    static func hasHint(_ f: FormField) -> Bool {
        if case .text(let hint?) = f.control { return !hint.isEmpty }
        return false
    }

    /// A choice's label rather than its code, for the comparison table.
    static func display(_ f: FormField, _ value: String) -> String {
        switch f.control {
        case .select(let options), .radio(let options): return options.first { $0.value == value }?.label ?? value
        case .text, .textarea: return value
        }
    }

    static func conflictPanel(_ m: RecordEditModel) -> Node<HTML.BodyContext> {
        guard let stored = m.conflict else { return .empty }
        let F = Fragments.self
        return F.el(
            "div", .class("conflict"), F.attr("role", "alert"),
            .h2(.text("Noen andre har lagret en nyere versjon")),
            .p(
                .text(
                    """
                    Endringen din er ikke lagret, og ingenting er overskrevet. Sammenlign versjonene under. \
                    Skjemaet inneholder fortsatt det du skrev; lagrer du igjen, erstatter du den nyeste versjonen \
                    med din.
                    """
                )),
            .table(
                .class("data"),
                .caption(.text("Lagret versjon og din versjon")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Felt")),
                        .th(.attribute(named: "scope", value: "col"), .text("Lagret nå")),
                        .th(.attribute(named: "scope", value: "col"), .text("Din versjon")))),
                .tbody(
                    .forEach(m.fields) { f in
                        .tr(
                            .class(stored[f.name] == m.values[f.name] ? "same" : "differs"),
                            .th(.attribute(named: "scope", value: "row"), .text(f.label)),
                            .td(.text(display(f, stored[f.name] ?? ""))), .td(.text(display(f, m.values[f.name] ?? "")))
                        )
                    })))
    }
}
