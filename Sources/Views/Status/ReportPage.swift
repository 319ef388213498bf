import Domain
@preconcurrency import Plot
import Routes

extension Fragments {
    /// A traffic light as shape and word ("▲ Gul, peker mot grønt"), never colour alone.
    public static func light(_ a: Assessment?) -> Node<HTML.BodyContext> {
        guard let a, let s = a.status else { return .span(.class("light light-none"), .text("– Ikke vurdert")) }
        return .span(
            .class("light light-\(s.rawValue)"),
            .span(.attribute(named: "aria-hidden", value: "true"), .text(s.symbol)), .text(" " + a.statusText))
    }
}

/// What the report page needs besides the snapshot: which revision, the workflow for editors.
public struct ReportPageModel: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    public struct Workflow: Sendable {
        public let state: ReportState
        public let version: Int64
        public let csrfToken: String
        public let sectionLinks: [(title: String, url: String)]
        public init(state: ReportState, version: Int64, csrfToken: String, sectionLinks: [(title: String, url: String)])
        {
            self.state = state
            self.version = version
            self.csrfToken = csrfToken
            self.sectionLinks = sectionLinks
        }
    }
    public let snapshot: ReportSnapshot
    public let state: ReportState
    public let publishedText: String?
    /// Other revisions of the period: (revision, url, label).
    public let revisions: [(Int, String, String)]
    public let workflow: Workflow?
    /// Shown to editors on the public page when a newer unpublished revision exists.
    public let draftURL: String?
    public let canCorrect: (csrf: String, url: String)?

    public init(
        snapshot: ReportSnapshot, state: ReportState, publishedText: String?, revisions: [(Int, String, String)],
        workflow: Workflow?,
        draftURL: String?, canCorrect: (csrf: String, url: String)?
    ) {
        self.snapshot = snapshot
        self.state = state
        self.publishedText = publishedText
        self.revisions = revisions
        self.workflow = workflow
        self.draftURL = draftURL
        self.canCorrect = canCorrect
    }
}

/// `/status/<period>`: laid out like the sector's status report, one section per goal.
public enum ReportPageView {
    public static func render(_ m: ReportPageModel, path: String) -> String {
        let s = m.snapshot
        let F = Fragments.self
        let prev = s.previousPeriodName
        return PageFrame(
            title: "Statusrapport \(s.periodName)", description: "Status for strategien \(s.periodName).", path: path,
            breadcrumbs: [("Statusrapporter", SiteURL.reports.path)]
        ).render(
            .h1(.text("Statusrapport \(s.periodName)")),
            .p(
                .class("meta"),
                .text(
                    """
                    \(s.strategyTitle). Utgave \(s.revision), \
                    \(m.state.name.lowercased())\(m.publishedText.map { " \($0)" } ?? "").\u{20}
                    """
                        + "Fremdrift vurdert mot \(s.horizon). "
                        + (prev.map { "Sammenlignet med \($0)." }
                            ?? "Ingen tidligere publisert periode å sammenligne med."))),
            s.correctionReason.isEmpty
                ? .empty : .p(.class("notice"), .strong(.text("Rettet utgave: ")), .text(s.correctionReason)),
            m.draftURL.map {
                .p(
                    .class("notice no-print"), .text("Det finnes en nyere utgave under arbeid: "),
                    .a(.href($0), .text("se utkastet")))
            } ?? .empty,
            m.workflow.map(workflow) ?? .empty,
            m.canCorrect.map { c in
                F.el(
                    "details", .class("no-print correction"),
                    F.el("summary", .text("Rett opp den publiserte rapporten")),
                    F.el(
                        "form", .class("form"), F.attr("method", "post"), F.attr("action", c.url),
                        F.input([("type", "hidden"), ("name", "_csrf"), ("value", c.csrf)]),
                        .p(
                            .text(
                                """
                                En rettelse lager en ny utgave som et utkast. Denne utgaven blir stående og kan \
                                fortsatt leses.
                                """
                            )),
                        F.el(
                            "div", .class("field"),
                            F.el("label", F.attr("for", "begrunnelse-rettelse"), .text("Hva rettes, og hvorfor")),
                            F.el(
                                "textarea", F.attr("name", "begrunnelse"), F.attr("id", "begrunnelse-rettelse"),
                                F.attr("rows", "3"), F.attr("required", ""))),
                        F.el("button", F.attr("type", "submit"), .text("Lag rettet utgave"))))
            } ?? .empty,
            .if(
                !m.revisions.isEmpty,
                .nav(
                    .class("no-print"), .attribute(named: "aria-label", value: "Utgaver"),
                    .p(
                        .text("Andre utgaver: "),
                        .group(m.revisions.map { r in .group(.a(.href(r.1), .text(r.2)), .text(" ")) })))),
            m.workflow == nil
                ? .p(
                    .class("no-print"), .text("Last ned: "),
                    F.el("a", F.attr("href", SiteURL.report(s.period).path + ".md"), .text("Markdown")), .text(" · "),
                    F.el("a", F.attr("href", SiteURL.report(s.period).path + ".pdf"), .text("PDF (A4)")))
                : .empty,
            .section(
                .class("report-section"), .attribute(named: "aria-labelledby", value: "helhet"),
                .h2(.id("helhet"), .text("Helhetsvurdering")),
                statusLine(s.overall, previous: s.overallPrevious, previousName: prev),
                F.paragraphs(s.overall.comment),
                block("Positive bevegelser", s.positives), block("Oppfølgingspunkter", s.followUps),
                .if(
                    !s.overarching.isEmpty,
                    .group(
                        .h3(.text("Oppsummering av status for strategien")),
                        F.facts(s.overarching.filter { !$0.comment.isEmpty }.map { ($0.title, .text($0.comment)) }))),
                block("Strategisk tema og veivalg", s.strategicThemes),
                block("Annen kvalitativ informasjon", s.otherInfo),
                s.delayFiguresGoal == nil ? computedPanel(s) : .empty),
            .forEach(s.goals) { g in goalSection(g, previousName: prev, snapshot: s) },
            Fragments.handledIn(m.handledIn)
        )
    }

    static func workflow(_ w: ReportPageModel.Workflow) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return .section(
            .class("workflow no-print"), .attribute(named: "aria-labelledby", value: "arbeidsflyt"),
            .h2(.id("arbeidsflyt"), .text("Arbeidsflyt: \(w.state.name)")),
            .p(
                .text("Deler: "),
                .group(w.sectionLinks.map { l in .group(.a(.href(l.url), .text(l.title)), .text(" · ")) })),
            .div(
                .class("actions"),
                .group(
                    w.state.allowedNext.map { next in
                        // Publishing cannot be undone: it goes through a page that says what becomes public.
                        next == .publisert
                            ? .a(.class("button"), .href("publiser"), .text(actionName(next) + " …"))
                            : F.el(
                                "form", .class("inline"), F.attr("method", "post"), F.attr("action", "tilstand"),
                                F.input([("type", "hidden"), ("name", "_csrf"), ("value", w.csrfToken)]),
                                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(w.version))]),
                                F.input([("type", "hidden"), ("name", "til"), ("value", next.rawValue)]),
                                F.el(
                                    "button", F.attr("type", "submit"), next == .utkast ? .class("secondary") : .empty,
                                    .text(actionName(next))))
                    })))
    }

    static func actionName(_ next: ReportState) -> String {
        switch next {
        case .utkast: "Send tilbake til utkast"
        case .tilGjennomgang: "Send til gjennomgang"
        case .publisert: "Publiser"
        }
    }

    static func statusLine(_ a: Assessment, previous: Assessment?, previousName: String?) -> Node<HTML.BodyContext> {
        .p(
            .class("status-line"), .strong(.text("Status: ")), Fragments.light(a),
            previousName.map { name in
                .group(
                    .text(" · \(name): "), Fragments.light(previous),
                    a.change(since: previous).map { .text(" · Endring: \($0)") } ?? .empty)
            } ?? .empty)
    }

    static func block(_ title: String, _ text: String) -> Node<HTML.BodyContext> {
        text.isEmpty
            ? .empty
            : .group(
                .h3(.text(title)),
                .div(.class("prose"), .group(text.split(separator: "\n").map { .p(.text(String($0))) })))
    }

    static func goalSection(_ g: ReportSnapshot.GoalPart, previousName: String?, snapshot s: ReportSnapshot) -> Node<
        HTML.BodyContext
    > {
        .section(
            .class("report-section goal-section"), .attribute(named: "aria-labelledby", value: "mal-\(g.id)"),
            .h2(.id("mal-\(g.id)"), .a(.href(SiteURL.goal(g.id).path), .text(g.title))),
            statusLine(g.assessment, previous: g.previous, previousName: previousName),
            Fragments.paragraphs(g.assessment.comment),
            block("Positive bevegelser", g.positives), block("Oppfølgingspunkter", g.followUps),
            .if(
                !g.subgoals.isEmpty,
                table(
                    "Strategiske delmål – fremdrift mot \(s.horizon)", items: g.subgoals, previousName: previousName,
                    withValues: false)),
            .if(
                !g.indicators.isEmpty,
                table(
                    "Indikatorer for strategien – fremdrift mot \(s.horizon)", items: g.indicators,
                    previousName: previousName, withValues: true)),
            g.id == s.delayFiguresGoal ? computedPanel(s) : .empty,
            block("Strategisk tema og veivalg", g.strategicThemes), block("Annen kvalitativ informasjon", g.otherInfo),
            block("Kandidater til indikatorer", g.candidateIndicators),
            block("Kandidater til strategiske delmål", g.candidateSubgoals))
    }

    /// A table of sub-goals (`withValues` false) or indicators, each linked to its page.
    static func table(_ caption: String, items: [ReportSnapshot.Item], previousName: String?, withValues: Bool) -> Node<
        HTML.BodyContext
    > {
        .div(
            .class("table-scroll"),
            .table(
                .class("data report-table"),
                .caption(.text(caption)),
                .thead(
                    .tr(
                        .th(.text(withValues ? "Indikator" : "Delmål")),
                        .if(withValues, .th(.text("Verdi i perioden"))),
                        .th(.text("Vurdert status")), .if(withValues, .th(.text("Beregnet fremdrift"))),
                        .if(previousName != nil, .th(.text(previousName.map { "Status \($0)" } ?? ""))),
                        .th(.text("Kommentar")))),
                .tbody(
                    .forEach(items) { i in
                        .tr(
                            i.disagreement ? .class("disagreement") : .empty,
                            .td(
                                .a(
                                    .href((withValues ? SiteURL.indicator(i.id) : .subgoal(i.id)).path),
                                    .text(i.title))),
                            .if(withValues, .td(.text(i.value ?? "–"))),
                            .td(
                                Fragments.light(i.assessment),
                                i.assessment.change(since: i.previous).map {
                                    .span(.class("meta"), .text(" (\($0.lowercased()))"))
                                } ?? .empty),
                            .if(
                                withValues,
                                .td(
                                    .text(i.computedName ?? "–"),
                                    i.disagreement
                                        ? .strong(.class("disagreement-flag"), .text(" Avvik fra vurderingen")) : .empty
                                )),
                            .if(previousName != nil, .td(Fragments.light(i.previous))),
                            .td(.text(i.assessment.comment)))
                    })))
    }

    /// The figures computed from the roadmap and the portfolio survey, beside what people wrote: in the section of the
    /// goal the strategy names for them (`Strategy.delayGoal`), else in the overall assessment.
    static func computedPanel(_ s: ReportSnapshot) -> Node<HTML.BodyContext> {
        .div(
            .class("computed-panel"),
            .h3(.text("Beregnet fra veikartet og porteføljeundersøkelsen")),
            Fragments.facts(
                s.delays.map { d in
                    (
                        d.kind == .utvikling
                            ? "Vesentlige forsinkelser i utvikling" : "Vesentlige forsinkelser i innføring",
                        .text(d.text + (d.causesText.isEmpty ? "" : ", fordelt etter årsak: \(d.causesText)"))
                    )
                } + [("Tiltak med midler eller planer for gevinstoppfølging", .text(s.benefit.text))]),
            .p(
                .class("meta"),
                .text(
                    """
                    Leveranser er aktiviteter og milepæler i nasjonale tiltak som pågår i perioden; en \
                    forsinkelse teller når den er registrert på leveransen.
                    """
                )),
            roundPanel(s.roundDelays))
    }

    /// The figures from the period's reporting round, each with the initiatives behind it a click away.
    static func roundPanel(_ r: RoundDelaySummary?) -> Node<HTML.BodyContext> {
        guard let r else { return .empty }
        func links(_ slugs: [String]) -> Node<HTML.BodyContext> {
            .group(
                slugs.enumerated().map { i, s in
                    .group(i == 0 ? .empty : .text(", "), .a(.href(SiteURL.initiative(s).path), .text(r.names[s] ?? s)))
                })
        }
        return .group(
            .h4(.text("Fra rapporteringsrunden")),
            Fragments.facts(
                r.lines.map { line in
                    (
                        line.kind == .utvikling
                            ? "Tiltak med vesentlig forsinkelse i utvikling"
                            : "Tiltak med vesentlig forsinkelse i innføring",
                        line.initiatives.isEmpty
                            ? .text(line.text)
                            : Fragments.el(
                                "details",
                                Fragments.el("summary", .text(line.text)),
                                .p(links(line.initiatives)),
                                .ul(
                                    .class("plain"),
                                    .forEach(DelayCause.allCases.filter { line.byCause[$0.rawValue] != nil }) { c in
                                        .li(.text("\(c.name): "), links(line.byCause[c.rawValue] ?? []))
                                    }))
                    )
                }),
            .p(.class("meta"), .text(r.basis)))
    }
}
