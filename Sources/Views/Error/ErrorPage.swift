@preconcurrency import Plot
import Routes

public enum ErrorPageView {
    public static func render(status: Int, message: String, path: String) -> String {
        let title: String
        switch status {
        case 404: title = "Siden finnes ikke"
        case 400: title = "Ugyldig forespørsel"
        case 503: title = "Tjenesten er midlertidig utilgjengelig"
        default: title = "Noe gikk galt"
        }
        return PageFrame(title: title, description: title, path: path).render(
            .h1(.text(title)),
            .p(.class("lead"), .text(message)),
            .p(
                .a(.href(SiteURL.home.path), .text("Til forsiden")), .text(" · "),
                .a(.href(SiteURL.search.path), .text("Søk")))
        )
    }
}
