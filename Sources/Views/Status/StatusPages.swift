import Domain
@preconcurrency import Plot
import Routes

public struct StatusListModel: Sendable {
    public struct Row: Sendable {
        public let period: String
        public let periodName: String
        public let url: String
        public let state: ReportState
        public let revision: Int
        public let overall: Assessment?
        public init(
            period: String, periodName: String, url: String, state: ReportState, revision: Int, overall: Assessment?
        ) {
            self.period = period
            self.periodName = periodName
            self.url = url
            self.state = state
            self.revision = revision
            self.overall = overall
        }
    }
    public let rows: [Row]
    /// Set for editors: the CSRF token for starting a new period, and a suggested next period.
    public let create: (csrf: String, suggestion: String)?
    public let error: String?
    public init(rows: [Row], create: (csrf: String, suggestion: String)?, error: String? = nil) {
        self.rows = rows
        self.create = create
        self.error = error
    }
}

/// `/status`: every reporting period (the public sees published ones only).
public enum StatusListView {
    public static func render(_ m: StatusListModel) -> String {
        let F = Fragments.self
        return PageFrame(
            title: "Statusrapporter", description: "Kvartalsvise statusrapporter for strategien.",
            path: SiteURL.reports.path
        ).render(
            .h1(.text("Statusrapporter")),
            .p(
                .class("lead"),
                .text(
                    """
                    Vurderingen av fremdriften i strategien, per mål, delmål og indikator, med trafikklys og \
                    kommentarer.
                    """
                )),
            m.error.map { e in F.el("div", .class("error-summary"), F.attr("role", "alert"), .p(.text(e))) } ?? .empty,
            m.rows.isEmpty
                ? .p(.class("empty"), .text("Ingen rapporter er publisert ennå."))
                : .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"),
                        .caption(.text("Rapporteringsperioder")),
                        .thead(
                            .tr(
                                .th(.text("Periode")), .th(.text("Helhetsvurdering")), .th(.text("Status")),
                                .th(.text("Utgave")))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .td(.a(.href(r.url), .text(r.periodName))), .td(Fragments.light(r.overall)),
                                    .td(.text(r.state.name)), .td(.text(String(r.revision))))
                            }))),
            m.create.map { c in
                .section(
                    .attribute(named: "aria-labelledby", value: "ny"),
                    .h2(.id("ny"), .text("Ny rapporteringsperiode")),
                    .p(
                        .text(
                            """
                            Den nye perioden starter som et utkast med tekstene og vurderingene fra forrige \
                            periode.
                            """)),
                    F.el(
                        "form", .class("form inline-form"), F.attr("method", "post"),
                        F.attr("action", SiteURL.reports.path),
                        F.input([("type", "hidden"), ("name", "_csrf"), ("value", c.csrf)]),
                        F.el("label", F.attr("for", "periode"), .text("Periode (f.eks. 2024-Q2)")),
                        F.input([
                            ("type", "text"), ("name", "periode"), ("id", "periode"), ("value", c.suggestion),
                            ("required", nil),
                        ]),
                        F.el("button", F.attr("type", "submit"), .text("Opprett"))))
            } ?? .empty
        )
    }
}

/// One section of a report in a form: the overall section or a goal's.
public struct ReportSectionFormModel: Sendable {
    public struct Item: Sendable {
        public let prefix: String
        public let title: String
        public let withStatus: Bool
        public init(prefix: String, title: String, withStatus: Bool) {
            self.prefix = prefix
            self.title = title
            self.withStatus = withStatus
        }
    }
    public let period: String
    public let periodName: String
    public let sectionTitle: String
    public let action: String
    public let csrfToken: String
    public let version: Int64
    public let values: [String: String]
    public let errors: FieldErrors
    public let texts: [(name: String, label: String)]
    public let items: [(heading: String, items: [Item])]
    /// Per national initiative: slug and title, for the benefit follow-up survey (overall section only).
    public let survey: [(slug: String, title: String)]
    public let withIndicatorIds: Bool
    /// A colleague saved first: their version, as readable lines.
    public let conflict: [(label: String, value: String)]?
    /// What the actors reported in the period's reporting round for the goal's initiatives, to write from.
    public var roundPanel: RoundStatusPanel?

    public init(
        period: String, periodName: String, sectionTitle: String, action: String, csrfToken: String, version: Int64,
        values: [String: String],
        errors: FieldErrors, texts: [(name: String, label: String)], items: [(heading: String, items: [Item])],
        survey: [(slug: String, title: String)],
        withIndicatorIds: Bool, conflict: [(label: String, value: String)]?
    ) {
        self.period = period
        self.periodName = periodName
        self.sectionTitle = sectionTitle
        self.action = action
        self.csrfToken = csrfToken
        self.version = version
        self.values = values
        self.errors = errors
        self.texts = texts
        self.items = items
        self.survey = survey
        self.withIndicatorIds = withIndicatorIds
        self.conflict = conflict
    }
}

/// The initiatives of a goal as the period's reporting round has them: reported colours and computed signals.
public struct RoundStatusPanel: Sendable {
    public struct Row: Sendable {
        public let initiative: String
        public let url: String
        public let status: RoundStatusRow
        public init(initiative: String, url: String, status: RoundStatusRow) {
            self.initiative = initiative
            self.url = url
            self.status = status
        }
    }
    public let title: String
    public let rows: [Row]
    /// Actors in the round that have not delivered.
    public let waiting: Int
    public init(title: String, rows: [Row], waiting: Int) {
        self.title = title
        self.rows = rows
        self.waiting = waiting
    }
}

public enum ReportSectionFormView {
    static func roundPanel(_ p: RoundStatusPanel?) -> Node<HTML.BodyContext> {
        guard let p, !p.rows.isEmpty else { return .empty }
        let F = Fragments.self
        return F.el(
            "div", .class("computed-panel"),
            .h2(.text(p.title)),
            .p(
                .text(
                    p.waiting == 0
                        ? "Alle aktørene i runden har levert."
                        : "\(p.waiting) \(p.waiting == 1 ? "aktør" : "aktører") har ikke levert ennå; "
                            + "bare leverte deler er med.")),
            .ul(
                .class("plain"),
                .forEach(p.rows) { r in
                    .li(
                        .a(.href(r.url), .text(r.initiative)), .text(": "),
                        .text(
                            r.status.statuses.isEmpty
                                ? "ingen status levert"
                                : r.status.statuses.map { "\($0.actor) \($0.assessment.statusText.lowercased())" }
                                    .joined(separator: "; ")),
                        .text(
                            r.status.delayed.map { d in
                                " · nye forsinkelser: \(d), forfalt: \(r.status.overdue ?? 0)"
                            } ?? ""),
                        r.status.disagreement.map { .strong(.text(" ⚠ " + $0)) } ?? .empty)
                }))
    }

    public static func render(_ m: ReportSectionFormModel) -> String {
        let F = Fragments.self
        func error(_ name: String) -> Node<HTML.BodyContext> {
            m.errors.messages[name].map { .p(.class("error-message"), .id("feil-\(fieldId(name))"), .text($0)) }
                ?? .empty
        }
        func textarea(_ name: String, _ label: String, rows: Int = 4) -> Node<HTML.BodyContext> {
            F.el(
                "div", .class(m.errors.messages[name] == nil ? "field" : "field has-error"),
                F.el("label", F.attr("for", fieldId(name)), .text(label)), error(name),
                F.el(
                    "textarea", F.attr("name", name), F.attr("id", fieldId(name)), F.attr("rows", String(rows)),
                    .text(m.values[name] ?? "")))
        }
        func radios(_ name: String, _ legend: String, _ options: [(String, String)]) -> Node<HTML.BodyContext> {
            F.el(
                "fieldset", .class(m.errors.messages[name] == nil ? "field" : "field has-error"),
                F.el("legend", .text(legend)), error(name),
                F.el(
                    "div", .class("radio"),
                    .group(
                        options.map { (value, label) in
                            F.el(
                                "label",
                                F.input(
                                    [("type", "radio"), ("name", name), ("value", value)]
                                        + ((m.values[name] ?? "") == value ? [("checked", nil)] : [])),
                                .text(" " + label))
                        })))
        }
        func assessment(_ prefix: String, _ title: String, withStatus: Bool) -> Node<HTML.BodyContext> {
            .group(
                withStatus
                    ? radios(
                        prefix + "status", "Status – \(title)",
                        [("", "Ikke vurdert")] + TrafficLight.allCases.map { ($0.rawValue, $0.name) }) : .empty,
                withStatus
                    ? radios(
                        prefix + "tendency", "Retning – \(title)",
                        [("", "Ingen")] + Tendency.allCases.map { ($0.rawValue, $0.name) }) : .empty,
                textarea(prefix + "comment", "Kommentar – \(title)", rows: 3))
        }
        return PageFrame(
            title: "Rediger \(m.sectionTitle)", description: "Statusrapport \(m.periodName)", path: m.action,
            breadcrumbs: [
                ("Statusrapporter", SiteURL.reports.path),
                (m.periodName, SiteURL.reportDraft(m.period).path),
            ]
        ).render(
            .h1(.text("\(m.sectionTitle) – \(m.periodName)")),
            roundPanel(m.roundPanel),
            m.conflict.map { lines in
                F.el(
                    "div", .class("conflict"), F.attr("role", "alert"),
                    .h2(.text("Noen andre har lagret denne delen etter at du åpnet den")),
                    .p(
                        .text(
                            """
                            Ingenting er overskrevet. Teksten din står i skjemaet under; dette er den lagrede \
                            versjonen. Flett inn det du vil beholde og lagre igjen.
                            """
                        )),
                    F.facts(lines.map { ($0.label, .text($0.value)) }))
            } ?? .empty,
            m.errors.messages.isEmpty
                ? .empty
                : F.el(
                    "div", .class("error-summary"), F.attr("role", "alert"),
                    .p(.text("Noe må rettes før delen kan lagres:")),
                    .ul(
                        .forEach(m.errors.messages.sorted { $0.key < $1.key }) { e in
                            .li(.a(.href("#\(fieldId(e.key))"), .text(e.value)))
                        })),
            F.el(
                "form", .class("form report-form"), F.attr("method", "post"), F.attr("action", m.action),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version))]),
                assessment("", "hele \(m.sectionTitle.lowercased())", withStatus: true),
                .group(m.texts.map { textarea($0.name, $0.label) }),
                m.withIndicatorIds
                    ? F.el(
                        "div", .class("field"),
                        F.el(
                            "label", F.attr("for", fieldId("indicatorIds")),
                            .text("Indikatorer i rapporten (id-er med mellomrom)")), error("indicatorIds"),
                        F.input([
                            ("type", "text"), ("name", "indicatorIds"), ("id", fieldId("indicatorIds")),
                            ("value", m.values["indicatorIds"] ?? ""),
                        ])) : .empty,
                .group(
                    m.items.map { group in
                        .group(
                            .h2(.text(group.heading)),
                            .group(
                                group.items.map { item in
                                    F.el(
                                        "div", .class("report-item"), .h3(.text(item.title)),
                                        assessment(item.prefix, item.title, withStatus: item.withStatus))
                                }))
                    }),
                .if(
                    !m.survey.isEmpty,
                    .group(
                        .h2(
                            .text(
                                "Porteføljeundersøkelsen: midler avsatt eller planer for strukturert "
                                    + "gevinstoppfølging")
                        ),
                        .group(
                            m.survey.map { t in
                                F.el(
                                    "div", .class("field"),
                                    F.el("label", F.attr("for", fieldId("benefit.\(t.slug)")), .text(t.title)),
                                    F.el(
                                        "select", F.attr("name", "benefit.\(t.slug)"),
                                        F.attr("id", fieldId("benefit.\(t.slug)")),
                                        .group(
                                            ([("", "Ikke registrert")]
                                                + SurveyAnswer.allCases.map { ($0.rawValue, $0.name) }).map { (v, l) in
                                                    F.el(
                                                        "option", F.attr("value", v),
                                                        (m.values["benefit.\(t.slug)"] ?? "") == v
                                                            ? .attribute(named: "selected") : .empty, .text(l))
                                                })))
                            }))),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "begrunnelse"), .text("Begrunnelse for endringen (valgfri)")),
                    F.input([
                        ("type", "text"), ("name", "begrunnelse"), ("id", "begrunnelse"),
                        ("value", m.values["begrunnelse"] ?? ""),
                    ])),
                F.el("button", F.attr("type", "submit"), .text("Lagre")))
        )
    }

    /// Field names contain dots (`sub.1.A.status`); ids use dashes.
    static func fieldId(_ name: String) -> String {
        "felt-" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }
}

/// The report as Markdown, for pasting into documents and e-mail. Every text from the data is escaped (`text`), so
/// what someone typed stays text in any Markdown renderer: no raw HTML, links, images, headings or lists of its own.
public enum ReportMarkdown {
    /// Backslash-escapes Markdown's inline syntax everywhere and block syntax at the start of each line.
    public static func text(_ raw: String) -> String {
        let inline: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!", "#"]
        return raw.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                // Leading spaces would make an indented code block.
                var out = ""
                for c in line.drop(while: { $0 == " " || $0 == "\t" }) {
                    if inline.contains(c) { out.append("\\") }
                    out.append(c)
                }
                if let first = out.first, ["-", "+", "="].contains(first) { out = "\\" + out }
                if let dot = out.firstIndex(where: { !$0.isNumber }), dot != out.startIndex,
                    [".", ")"].contains(out[dot])
                {
                    out.insert("\\", at: dot)
                }
                return out
            }.joined(separator: "\n")
    }

    public static func render(_ s: ReportSnapshot) -> String {
        func light(_ a: Assessment?) -> String { a?.status.map { "\($0.symbol) \(a!.statusText)" } ?? "Ikke vurdert" }
        func cell(_ t: String) -> String { text(t).replacingOccurrences(of: "\n", with: " ") }
        func computedFigures() -> String {
            s.delays.map { d in
                "- \(d.kind.name): \(cell(d.text))\(d.causesText.isEmpty ? "" : " – \(cell(d.causesText))")\n"
            }.joined()
                + "- Gevinstoppfølging: \(cell(s.benefit.text))\n"
                + (s.roundDelays.map { r in
                    r.lines.map { l in
                        """
                        - Tiltak med vesentlig \
                        \(l.kind == .utvikling ? "forsinkelse i utvikling" : "forsinkelse i innføring")\u{20}
                        """
                            + "(rapporteringsrunden): \(cell(l.text))"
                            + (l.initiatives.isEmpty
                                ? "" : " – \(cell(l.initiatives.map { r.names[$0] ?? $0 }.joined(separator: ", ")))")
                            + "\n"
                    }.joined() + "\n" + cell(r.basis) + "\n"
                } ?? "") + "\n"
        }
        var out =
            """
            # Statusrapport \(s.periodName)\n\n\(text(s.strategyTitle)). Utgave \(s.revision). Fremdrift vurdert \
            mot \(s.horizon).
            """
        if let p = s.previousPeriodName { out += " Sammenlignet med \(p)." }
        out += "\n\n"
        if !s.correctionReason.isEmpty {
            out += "> Rettet utgave: " + text(s.correctionReason).replacingOccurrences(of: "\n", with: "\n> ") + "\n\n"
        }
        out +=
            "## Helhetsvurdering\n\nStatus: \(light(s.overall))"
            + (s.previousPeriodName.map { " (\($0): \(light(s.overallPrevious)))" } ?? "") + "\n\n"
        for (title, body) in [
            ("", s.overall.comment), ("Positive bevegelser", s.positives), ("Oppfølgingspunkter", s.followUps),
            ("Strategisk tema og veivalg", s.strategicThemes), ("Annen kvalitativ informasjon", s.otherInfo),
        ] where !body.isEmpty {
            out += (title.isEmpty ? "" : "### \(title)\n\n") + text(body) + "\n\n"
        }
        for o in s.overarching where !o.comment.isEmpty { out += "**\(cell(o.title)):** \(text(o.comment))\n\n" }
        if s.delayFiguresGoal == nil { out += computedFigures() }
        for g in s.goals {
            out +=
                "## \(cell(g.title))\n\nStatus: \(light(g.assessment))"
                + (s.previousPeriodName.map { " (\($0): \(light(g.previous)))" } ?? "") + "\n\n"
            if !g.assessment.comment.isEmpty { out += text(g.assessment.comment) + "\n\n" }
            for (title, items, values) in [
                ("Strategiske delmål", g.subgoals, false), ("Indikatorer", g.indicators, true),
            ] where !items.isEmpty {
                out +=
                    """
                    ### \(title)\n\n| | \(values ? "Verdi | Beregnet | " : "")Status | Kommentar \
                    |\n|---|\(values ? "---|---|" : "")---|---|\n
                    """
                for i in items {
                    out +=
                        "| \(cell(i.title)) | "
                        + (values
                            ? """
                            \(cell(i.value ?? "–")) | \
                            \(cell(i.computedName ?? "–"))\(i.disagreement ? " (avvik)" : "") |\u{20}
                            """
                            : "")
                        + "\(light(i.assessment)) | \(cell(i.assessment.comment)) |\n"
                }
                out += "\n"
            }
            if g.id == s.delayFiguresGoal { out += computedFigures() }
            for (title, body) in [
                ("Positive bevegelser", g.positives), ("Oppfølgingspunkter", g.followUps),
                ("Strategisk tema og veivalg", g.strategicThemes),
                ("Annen kvalitativ informasjon", g.otherInfo), ("Kandidater til indikatorer", g.candidateIndicators),
                ("Kandidater til strategiske delmål", g.candidateSubgoals),
            ] where !body.isEmpty {
                out += "### \(title)\n\n\(text(body))\n\n"
            }
        }
        return out
    }
}
