@preconcurrency import Plot
import Routes

/// Unpublished drafts the viewer may publish or discard.
public struct DraftsPageModel: Sendable {
    public struct Row: Sendable {
        public let kindName: String
        public let context: String
        public let editURL: String
        public let author: String
        public let when: String
        public init(kindName: String, context: String, editURL: String, author: String, when: String) {
            self.kindName = kindName
            self.context = context
            self.editURL = editURL
            self.author = author
            self.when = when
        }
    }
    public let rows: [Row]
    public init(rows: [Row]) { self.rows = rows }
}

public enum DraftsPageView {
    public static func render(_ m: DraftsPageModel) -> String {
        PageFrame(title: "Utkast", description: "Upubliserte endringer", path: SiteURL.drafts.path).render(
            .h1(.text("Upubliserte utkast")),
            .p(
                .text(
                    """
                    Utkast er lagret, men ikke publisert. Publikum ser den publiserte versjonen til noen \
                    publiserer utkastet.
                    """
                )),
            m.rows.isEmpty
                ? .p(.text("Ingen utkast venter."))
                : .table(
                    .class("data"),
                    .caption(.text("Utkast (\(m.rows.count))")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Hva")),
                            .th(.attribute(named: "scope", value: "col"), .text("Lagret av")),
                            .th(.attribute(named: "scope", value: "col"), .text("Sist lagret")))),
                    .tbody(
                        .forEach(m.rows) { r in
                            .tr(
                                .td(.a(.href(r.editURL), .text("\(r.kindName.capitalizedFirst): \(r.context)"))),
                                .td(.text(r.author)), .td(.text(r.when)))
                        }))
        )
    }
}
