import Domain
import Routes

/// The strategy the site shows, for what every page's frame says about it (header, title, footer) and the
/// stylesheet's phase colours. Set per request by the app (a task-local, like `Viewer`); without data the frame
/// speaks of no strategy at all.
public struct Site: Sendable {
    public let strategy: Strategy?
    /// Changes whenever the phase colours do, so browsers fetch the stylesheet again after an import.
    public let stylesheetVersion: String
    /// The installation's own address (`VEIKART_PUBLIC_URL`), for links that leave the site, such as calendar
    /// subscriptions; nil where it is not known.
    public let publicURL: String?

    public init(strategy: Strategy?, publicURL: String? = nil) {
        self.strategy = strategy
        self.publicURL = publicURL
        self.stylesheetVersion = Site.fingerprint(Stylesheet.phaseRules(strategy?.phases ?? .defaults))
    }

    @TaskLocal public static var current = Site(strategy: nil)

    public var stylesheetURL: String { SiteURL.stylesheet.path(query: [("v", stylesheetVersion)]) }

    /// The strategy's short name after "Veikart ·" in the header; nothing without a strategy.
    public var brandSubtitle: String? { strategy?.displayShortName }

    public var footer: String {
        guard let s = strategy else { return "Veikart viser strategien, veikartet og hvem som gjør hva og når." }
        let about = "Veikart viser \(s.displayShortName) \(s.periodText), veikartet og hvem som gjør hva og når."
        return s.source.isEmpty ? about : about + " " + s.source
    }

    /// `webcal://…` for a calendar feed at `path`, so a click subscribes instead of downloading; nil without an
    /// address.
    public func webcalURL(_ path: String) -> String? {
        guard let base = publicURL, let scheme = base.range(of: "://") else { return nil }
        return "webcal://" + base[scheme.upperBound...] + path
    }

    /// FNV-1a, printed in hex: stable across runs and platforms (Swift's `hashValue` is not).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
