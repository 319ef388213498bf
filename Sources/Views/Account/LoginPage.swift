import Foundation
@preconcurrency import Plot
import Routes

public struct LoginPageModel: Sendable {
    public let email: String
    public let next: String
    public let csrfToken: String
    public let error: String?
    /// The OpenID Connect provider's name when one is configured ("HelseID").
    public let externalProvider: String?
    public init(email: String, next: String, csrfToken: String, error: String?, externalProvider: String? = nil) {
        self.email = email
        self.next = next
        self.csrfToken = csrfToken
        self.error = error
        self.externalProvider = externalProvider
    }
}

public enum LoginPageView {
    public static func render(_ m: LoginPageModel) -> String {
        let F = Fragments.self
        return PageFrame(
            title: "Logg inn", description: "Logg inn for å oppdatere veikartet.",
            path: SiteURL.signIn.path
        ).render(
            .h1(.text("Logg inn")),
            .p(
                .text(
                    """
                    For porteføljekontakter, redaktører og sekretariat. Alt som er publisert, kan leses uten å \
                    logge inn.
                    """
                )),
            m.error.map { e in F.el("div", .class("error-summary"), F.attr("role", "alert"), .p(.text(e))) } ?? .empty,
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.signIn.path),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.input([("type", "hidden"), ("name", "neste"), ("value", m.next)]),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "epost"), .text("E-post")),
                    F.input([
                        ("type", "text"), ("inputmode", "email"), ("name", "epost"), ("id", "epost"),
                        ("value", m.email),
                        ("autocomplete", "username"), ("spellcheck", "false"), ("autocapitalize", "none"),
                        ("required", nil),
                    ])),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "passord"), .text("Passord")),
                    F.input([
                        ("type", "password"), ("name", "passord"), ("id", "passord"),
                        ("autocomplete", "current-password"), ("required", nil),
                    ])),
                F.el("button", F.attr("type", "submit"), .text("Logg inn"))),
            m.externalProvider.map { provider in
                F.el(
                    "section", .class("external-sign-in"), F.attr("aria-labelledby", "ekstern"),
                    F.el("h2", F.attr("id", "ekstern"), .text("Eller med \(provider)")),
                    .p(
                        .text(
                            """
                            Kontoen din må være opprettet av en administrator; første gang knyttes den til \
                            identiteten fra \(provider) via e-postadressen.
                            """
                        )),
                    F.el(
                        "a", .class("button"),
                        F.attr(
                            "href",
                            SiteURL.signInOIDC.path + "?neste="
                                + (m.next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")),
                        .text("Logg inn med \(provider)")))
            } ?? .empty
        )
    }
}
