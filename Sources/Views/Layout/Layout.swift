import Charts
import Domain
import Foundation
@preconcurrency import Plot
import Routes

/// The frame every page shares: skip link, site header and navigation, main content, footer.
public struct PageFrame: Sendable {
    public let title: String
    public let description: String
    public let path: String
    public let breadcrumbs: [(name: String, url: String)]

    public init(title: String, description: String, path: String, breadcrumbs: [(name: String, url: String)] = []) {
        self.title = title
        self.description = description
        self.path = path
        self.breadcrumbs = breadcrumbs
    }

    static let navigation: [(String, String)] = [
        ("Strategien", SiteURL.home.path), ("Veikart", SiteURL.roadmap.path),
        ("Prioriterte tiltak", SiteURL.prioritisedRoadmap.path), ("Aktører", SiteURL.actors.path),
        ("Indikatorer", SiteURL.indicators.path), ("Dashbord", SiteURL.dashboard.path),
        ("Status", SiteURL.reports.path), ("Prioritering", SiteURL.scoring.path), ("Råd", SiteURL.councils.path),
        ("Søk", SiteURL.search.path),
    ]

    public func render(_ content: Node<HTML.BodyContext>...) -> String {
        let html = HTML(
            .lang(.norwegianBokmål),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Plot's .title() also writes og:/twitter: meta tags with the value unescaped; only <title> is wanted.
                .element(
                    named: "title",
                    text: title != "Veikart"
                        ? "\(title) – Veikart"
                        : Site.current.brandSubtitle.map { "Veikart – \($0)" } ?? "Veikart"),
                .meta(.name("description"), .content(Fragments.escapeAttribute(description))),
                .link(.rel(.stylesheet), .href(Site.current.stylesheetURL)),
                .script(.src(Script.url), .attribute(named: "defer"))
            ),
            .body(
                .a(.class("skip-link"), .href("#innhold"), .text("Hopp til hovedinnhold")),
                .header(
                    .class("site-header"),
                    .div(
                        .class("wrap"),
                        .a(
                            .class("brand"), .href(SiteURL.home.path), .text("Veikart"),
                            .unwrap(Site.current.brandSubtitle) { .span(.class("brand-sub"), .text(" · " + $0)) }),
                        .nav(
                            .attribute(named: "aria-label", value: "Hovedmeny"),
                            .ul(
                                .forEach(PageFrame.navigation) { item in
                                    .li(
                                        .a(
                                            .href(item.1), .text(item.0),
                                            .if(isCurrent(item.1), .attribute(named: "aria-current", value: "page"))))
                                })
                        )
                    )
                ),
                accountBar(),
                .if(
                    !breadcrumbs.isEmpty,
                    .nav(
                        .class("breadcrumbs wrap"), .attribute(named: "aria-label", value: "Brødsmulesti"),
                        .ol(
                            .forEach(breadcrumbs) { crumb in .li(.a(.href(crumb.url), .text(crumb.name))) },
                            .li(.attribute(named: "aria-current", value: "page"), .text(title))))
                ),
                .main(.id("innhold"), .class("wrap"), .attribute(named: "tabindex", value: "-1"), .group(content)),
                .footer(
                    .class("site-footer"),
                    .div(
                        .class("wrap"),
                        .p(.text(Site.current.footer)),
                        .p(
                            .a(.href(SiteURL.openAPI.path), .text("Åpent API (OpenAPI)")), .text(" · "),
                            .a(.href(SiteURL.api("strategy").path), .text("Strategien som JSON")))
                    )
                )
            )
        )
        return html.render()
    }

    /// "Logg inn", or who is signed in with a sign-out button (a POST form with the CSRF token).
    func accountBar() -> Node<HTML.BodyContext> {
        let F = Fragments.self
        guard let viewer = Viewer.current else {
            let next = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? SiteURL.home.path
            return .div(.class("account wrap"), .a(.href(SiteURL.signIn.path + "?neste=" + next), .text("Logg inn")))
        }
        return .div(
            .class("account wrap"),
            .span(.text("Innlogget som \(viewer.name) (\(viewer.roleName))")),
            .a(.href(SiteURL.account.path), .text("Min konto")),
            viewer.canEditRoadmap ? .a(.href(SiteURL.myWork.path), .text("Mitt arbeid")) : .empty,
            viewer.canEditRoadmap ? .a(.href(SiteURL.reportingRounds.path), .text("Rapportering")) : .empty,
            viewer.canEditRoadmap || viewer.canEditStructure
                ? .a(.href(SiteURL.newRecordMenu.path), .text("Legg til")) : .empty,
            viewer.canEditRoadmap || viewer.canEditStructure ? .a(.href(SiteURL.drafts.path), .text("Utkast")) : .empty,
            viewer.canManageUsers ? .a(.href(SiteURL.users.path), .text("Brukere")) : .empty,
            F.el(
                "form", .class("inline"), F.attr("method", "post"), F.attr("action", SiteURL.signOut.path),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", viewer.csrfToken)]),
                F.el("button", .class("link-button"), F.attr("type", "submit"), .text("Logg ut"))))
    }

    func isCurrent(_ url: String) -> Bool { url == "/" ? path == "/" : path == url }
}

/// Small shared view pieces.
public enum Fragments {
    /// An element Plot has no typed builder for (figure, figcaption, mark …).
    public static func element(_ name: String, _ nodes: Node<HTML.BodyContext>...) -> Node<HTML.BodyContext> {
        .element(named: name, nodes: nodes)
    }

    /// Any element in any context, with body-context children. Plot's typed contexts are stricter than HTML
    /// (no `figure`, text-less `option`); this keeps forms and figures simple without giving up escaping.
    public static func el<Context>(_ name: String, _ nodes: Node<HTML.BodyContext>...) -> Node<Context> {
        Node<Context>.element(named: name, nodes: nodes)
    }

    /// A description list of facts: term → content.
    public static func facts(_ items: [(term: String, value: Node<HTML.BodyContext>)]) -> Node<HTML.BodyContext> {
        el("dl", .class("facts"), .group(items.map { .group(el("dt", .text($0.term)), el("dd", $0.value)) }))
    }

    /// Plot writes attribute values verbatim (it escapes text, not attributes), so every attribute that can
    /// carry data goes through here.
    /// Empty values are kept (`value=""` matters on an "all" option), which Plot would otherwise drop.
    public static func attr(_ name: String, _ value: String) -> Node<HTML.BodyContext> {
        .attribute(Attribute(name: name, value: escapeAttribute(value), ignoreIfValueIsEmpty: false))
    }

    public static func escapeAttribute(_ value: String) -> String { xmlEscape(value) }

    /// `<input>` with the given attributes; boolean attributes have a nil value.
    public static func input(_ attributes: [(String, String?)]) -> Node<HTML.BodyContext> {
        .selfClosedElement(
            named: "input",
            attributes: attributes.map {
                Attribute<HTML.BodyContext>(name: $0.0, value: $0.1.map(escapeAttribute), ignoreIfValueIsEmpty: false)
            })
    }

    /// A labelled `<select>` whose first option is "Alle" (empty value).
    public static func select(
        name: String, id: String, label: String, options: [(value: String, text: String)], selected: String?,
        allLabel: String? = "Alle"
    ) -> Node<HTML.BodyContext> {
        .group(
            el("label", attr("for", id), .text(label)),
            el(
                "select", attr("name", name), attr("id", id),
                allLabel.map { el("option", attr("value", ""), .text($0)) } ?? .empty,
                .group(
                    options.map { o in
                        el(
                            "option", attr("value", o.value),
                            o.value == selected ? .attribute(named: "selected") : .empty, .text(o.text))
                    }))
        )
    }

    public static func statusBadge(_ status: SubgoalStatus) -> Node<HTML.BodyContext> {
        status == .candidate ? .span(.class("badge badge-candidate"), .text("Kandidat")) : .empty
    }

    public static func priorityBadge(_ rank: Int?) -> Node<HTML.BodyContext> {
        guard let rank else { return .empty }
        return .span(.class("badge badge-priority"), .text("Prioritert nr. \(rank)"))
    }

    public static func phaseLabel(_ phase: Phase, in phases: PhaseCatalog) -> Node<HTML.BodyContext> {
        .span(
            .class("phase"),
            .span(
                .class("swatch phase-\(phase.rawValue)"), .attribute(named: "aria-hidden", value: "true"),
                .text(String(phases.number(phase)))),
            .text(" " + phases.name(phase)))
    }

    public static func planning(_ tentative: Bool, done: Bool = false) -> String {
        PlanningState.of(tentative: tentative, done: done).name
    }

    /// "(opprinnelig: 2025)" when the plan has moved from its baseline.
    public static func baseline(_ baseline: Period?, current: Period?) -> Node<HTML.BodyContext> {
        guard let baseline, baseline != current else { return .empty }
        return .span(.class("baseline"), .text(" (opprinnelig: \(baseline.norwegian))"))
    }

    /// A recorded significant delay, in words.
    public static func delay(_ delay: Delay?) -> Node<HTML.BodyContext> {
        guard let delay else { return .empty }
        return .group(
            .br(),
            .span(
                .class("delay"),
                .text(
                    "\(delay.kind.name) (\(delay.cause.name.lowercased()))"
                        + (delay.note.isEmpty ? "" : ": \(delay.note)"))))
    }

    /// Plain and highlighted segments, with matches in `<mark>`.
    public static func highlighted(_ segments: [SearchText.Segment]) -> Node<HTML.BodyContext> {
        .group(segments.map { $0.isMatch ? .element(named: "mark", nodes: [.text($0.text)]) : .text($0.text) })
    }

    public static func paragraphs(_ text: String) -> Node<HTML.BodyContext> {
        text.isEmpty ? .empty : .p(.text(text))
    }
}
