import Domain
import Foundation
import Vapor

/// Every query parameter a route reads. Handlers read parameters only through `Request.queryDictionary` and
/// `queryValues`, which see these alone, and the page cache keys on exactly these: a parameter that is not listed
/// cannot change a page without changing its cache key, and an unknown one (`?n=1`) neither bypasses nor fills it.
enum QueryParameters {
    static let names: Set<String> = Set(RoadmapFilter.Key.allCases.map(\.rawValue)).union([
        "q", "side", "dato", "sammenlign", "lagret", "prioritized", "neste",
        // The OpenID Connect return (never cached).
        "code", "state", "error",
    ])
    /// Families of parameters: `vekt.<group>` on a scoring round.
    static let prefixes = ["vekt."]

    static func isKnown(_ name: String) -> Bool {
        names.contains(name) || prefixes.contains { name.hasPrefix($0) && name.count <= $0.count + 64 }
    }

    /// The known parameters of a URL, in their order; `+` is a space, as HTML forms send it.
    static func items(_ url: URI) -> [URLQueryItem] {
        guard let query = url.query, !query.isEmpty else { return [] }
        var components = URLComponents()
        components.percentEncodedQuery = query.replacingOccurrences(of: "+", with: "%20")
        guard components.percentEncodedQuery != nil else { return [] }
        return (components.queryItems ?? []).filter { isKnown($0.name) }
    }

    /// The cache key: the path and the known parameters, sorted by name (repeated names keep their order).
    static func cacheKey(_ url: URI) -> String {
        let known = items(url).enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
        guard !known.isEmpty else { return url.path }
        var components = URLComponents()
        components.queryItems = known
        return url.path + "?" + (components.percentEncodedQuery ?? "")
    }
}

extension Request {
    /// The known query parameters as plain strings (last value wins).
    var queryDictionary: [String: String] {
        var result: [String: String] = [:]
        for item in QueryParameters.items(url) { result[item.name] = item.value ?? "" }
        return result
    }

    /// Every value of a repeated parameter (`?sammenlign=a&sammenlign=b`).
    func queryValues(_ name: String) -> [String] {
        QueryParameters.items(url).filter { $0.name == name }.compactMap(\.value)
    }
}
