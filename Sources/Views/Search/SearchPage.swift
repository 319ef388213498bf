import Domain
@preconcurrency import Plot
import Routes

public struct SearchResult: Sendable {
    public let kind: SearchDocument.Kind
    public let title: String
    public let url: String
    public let titleSegments: [SearchText.Segment]
    public let snippet: [SearchText.Segment]

    public init(kind: SearchDocument.Kind, title: String, body: String, url: String, terms: [String]) {
        self.kind = kind
        self.title = title
        self.url = url
        self.titleSegments = SearchText.highlight(title, terms: terms, maxLength: 400)
        self.snippet = SearchText.highlight(body, terms: terms)
    }
}

public struct SearchPageModel: Sendable {
    public let query: String
    public let results: [SearchResult]
    /// There were more hits than `shown`.
    public let more: Bool
    public static let shown = 50
    public init(query: String, results: [SearchResult], more: Bool = false) {
        self.query = query
        self.results = results
        self.more = more
    }
}

public enum SearchView {
    public static func form(query: String, headingId: String?) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return F.el(
            "form", .class("search-form"), F.attr("method", "get"), F.attr("action", SiteURL.search.path),
            F.attr("role", "search"),
            F.el("label", F.attr("for", "sok-felt"), .text("Søk i strategi, tiltak, aktiviteter og aktører")),
            F.el(
                "div", .class("search-row"),
                F.input([
                    ("type", "search"), ("name", "q"), ("id", "sok-felt"), ("value", query), ("maxlength", "200"),
                    ("placeholder", "f.eks. et tiltak, en aktør eller et tema"),
                ]),
                F.el("button", F.attr("type", "submit"), .text("Søk"))))
    }

    public static func render(_ m: SearchPageModel) -> String {
        let title = m.query.isEmpty ? "Søk" : "Søk: \(m.query)"
        return PageFrame(
            title: title, description: "Søk i strategien, veikartet og aktørene.",
            path: SiteURL.search.path
        ).render(
            .h1(.text("Søk")),
            form(query: m.query, headingId: nil),
            m.query.isEmpty
                ? .empty
                : .section(
                    .attribute(named: "aria-labelledby", value: "treff"),
                    .h2(
                        .id("treff"), .attribute(named: "aria-live", value: "polite"),
                        .text(
                            m.results.isEmpty
                                ? "Ingen treff på «\(m.query)»"
                                : m.more
                                    ? """
                                    Mer enn \(m.results.count) treff på «\(m.query)»; de \(m.results.count) beste \
                                    vises
                                    """
                                    : "\(m.results.count) treff på «\(m.query)»")),
                    .ol(
                        .class("results"),
                        .forEach(m.results) { r in
                            .li(
                                .class("result"),
                                .p(.class("result-kind"), .text(r.kind.name)),
                                .h3(
                                    Fragments.el(
                                        "a", Fragments.attr("href", r.url), Fragments.highlighted(r.titleSegments))),
                                .p(.class("snippet"), Fragments.highlighted(r.snippet)))
                        }),
                    m.results.isEmpty ? .p(.text("Prøv et kortere ord eller bare begynnelsen av et ord.")) : .empty
                )
        )
    }
}
