import Domain
import Foundation
import Routes
import Vapor
import Views

/// Every query parameter each route reads. Handlers read parameters only through `Request.queryDictionary` and
/// `queryValues`, which see only those of the route the path belongs to, and the page cache keys on exactly those: a
/// parameter that is not listed cannot change a page without changing its cache key, and any other (`?n=1`, or `?q=`
/// on a page that does not search) neither bypasses the cache nor adds an entry.
enum QueryParameters {
    /// A path pattern (`:` matches one segment) and the parameters its routes read.
    struct Rule {
        let pattern: [String]
        let names: Set<String>
        /// Families of parameters: `vekt.<group>` on a scoring round.
        var prefixes: [String] = []
    }

    static let filter = Set(RoadmapFilter.Key.allCases.map(\.rawValue))

    static let rules: [Rule] = [
        // Before the record pages below: `/delmal/ny` is a form, not sub-goal «ny».
        Rule(pattern: ["aktivitet", "ny"], names: ["tiltak", "aktor"]),
        Rule(pattern: ["milepael", "ny"], names: ["tiltak", "aktor"]),
        Rule(pattern: ["delmal", "ny"], names: ["mal"]),
        Rule(pattern: ["avviklet"], names: ["avviklet"]),
        Rule(pattern: ["mitt-arbeid"], names: ["maneder", "aktor", "vis", "gjort"]),
        Rule(pattern: ["indikatorer", ":", "verdier"], names: ["periode", "dimensjon", "medlem", "lagret"]),
        Rule(pattern: ["indikatorer", ":", "verdier", "fjern"], names: ["periode", "dimensjon", "medlem"]),
        Rule(
            pattern: ["api", "v1", "indicators", ":", "measurements"],
            names: ["period", "dimension", "member", "version"]),
        Rule(pattern: ["veikart"], names: filter.union(["side", "versjon"])),
        Rule(pattern: ["veikart", "endringer"], names: ["fra", "til", "lagret"]),
        Rule(pattern: ["rapportering"], names: ["lagret"]),
        Rule(pattern: ["rapportering", ":"], names: ["lagret"]),
        Rule(pattern: ["rapportering", ":", ":"], names: ["lagret"]),
        Rule(pattern: ["api", "v1", "roadmap", "changes"], names: ["from", "to"]),
        Rule(pattern: ["veikart.svg"], names: filter.union(["side", "versjon"])),
        Rule(pattern: ["veikart", "prioriterte"], names: filter.union(["side"])),
        Rule(pattern: ["veikart", "prioriterte.svg"], names: filter.union(["side"])),
        Rule(pattern: ["mal", ":"], names: ["side"]),
        Rule(pattern: ["delmal", ":"], names: ["side"]),
        Rule(pattern: ["aktorer", ":"], names: ["side"]),
        Rule(pattern: ["tiltak", ":"], names: ["ar"]),
        Rule(pattern: ["sok"], names: ["q"]),
        Rule(pattern: ["indikatorer"], names: Set(IndicatorListFilter.keys)),
        Rule(pattern: ["rad", ":"], names: ["dato"]),
        Rule(pattern: ["rad", ":", "moter", ":", "saker", "ny"], names: ["oppfolging"]),
        Rule(pattern: ["prioritering", ":"], names: ["sammenlign"], prefixes: ["vekt."]),
        Rule(pattern: ["prioritering", ":", "svar"], names: ["kandidat", "lagret"]),
        Rule(pattern: [":", ":", "rediger"], names: ["lagret"]),
        Rule(pattern: ["logg-inn"], names: ["neste"]),
        Rule(pattern: ["logg-inn", "oidc"], names: ["neste"]),
        Rule(pattern: ["logg-inn", "oidc", "tilbake"], names: ["code", "state", "error"]),
        Rule(pattern: ["api", "v1", "search"], names: ["q"]),
        Rule(pattern: ["api", "v1", "roadmap"], names: filter),
        Rule(pattern: ["api", "v1", "initiatives"], names: ["prioritized"]),
    ]

    /// The path's non-empty segments: `/veikart/`, `//veikart` and `/veikart` are one page, as the router sees them.
    static func segments(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }

    static func rule(for segments: [String]) -> Rule? {
        rules.first { rule in
            rule.pattern.count == segments.count && zip(rule.pattern, segments).allSatisfy { $0 == ":" || $0 == $1 }
        }
    }

    static func isKnown(_ name: String, in rule: Rule) -> Bool {
        rule.names.contains(name) || rule.prefixes.contains { name.hasPrefix($0) && name.count <= $0.count + 64 }
    }

    /// The parameters the route of this URL reads, in their order; `+` is a space, as HTML forms send it.
    static func items(_ url: URI) -> [URLQueryItem] {
        guard let query = url.query, !query.isEmpty, let rule = rule(for: segments(url.path)) else { return [] }
        var components = URLComponents()
        components.percentEncodedQuery = query.replacingOccurrences(of: "+", with: "%20")
        guard components.percentEncodedQuery != nil else { return [] }
        return (components.queryItems ?? []).filter { isKnown($0.name, in: rule) }
    }

    /// The parameters the route of this URL reads, each with its last value (`?a=1&a=2` reads as `a=2`).
    static func lastValues(_ url: URI) -> [String: String] {
        Dictionary(items(url).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
    }

    /// `lastValues` as a query string, sorted by name and percent-encoded: the query the API runtime decodes, so an
    /// operation's typed input reads exactly what `Request.queryDictionary` reads.
    static func lastValuesQuery(_ url: URI) -> String {
        lastValues(url).sorted { $0.key < $1.key }
            .map { "\(SiteURL.encode($0.key))=\(SiteURL.encode($0.value))" }.joined(separator: "&")
    }

    /// The cache key: the normalised path and the parameters its route reads, sorted by name (repeated names keep
    /// their order).
    static func cacheKey(_ url: URI) -> String {
        let path = "/" + segments(url.path).joined(separator: "/")
        let known = items(url).enumerated()
            .sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
        guard !known.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = known
        return path + "?" + (components.percentEncodedQuery ?? "")
    }
}

extension Request {
    /// The query parameters this route reads, as plain strings (last value wins).
    var queryDictionary: [String: String] { QueryParameters.lastValues(url) }

    /// Every value of a repeated parameter (`?sammenlign=a&sammenlign=b`).
    func queryValues(_ name: String) -> [String] {
        QueryParameters.items(url).filter { $0.name == name }.compactMap(\.value)
    }
}
