import Domain
import Foundation
import NIOConcurrencyHelpers
import Persistence
import Vapor

/// Rendered responses for visitors who are not signed in, keyed by URL and valid for one data version and one
/// "today". Every write bumps the data version in the database (`RoadmapWrites.nextVersion`), and every request
/// reads it first, so no instance ever serves a page a write has made stale — whichever instance took the write.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        let day: Day
        let headers: HTTPHeaders
        let body: ByteBuffer
        let etag: String
        let lastModified: Date
    }

    private struct State {
        var entries: [String: (entry: Entry, lastUse: UInt64)] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())
    /// Bounds memory: the whole cache stays under this many body bytes (least recently used go first).
    let capacity: Int

    init(capacity: Int = 24 * 1024 * 1024) { self.capacity = capacity }

    func get(_ key: String, version: Int64, day: Day) -> Entry? {
        state.withLockedValue { s in
            guard let found = s.entries[key], found.entry.version == version, found.entry.day == day else { return nil }
            s.tick += 1
            s.entries[key]?.lastUse = s.tick
            return found.entry
        }
    }

    func set(_ key: String, _ entry: Entry) {
        let size = entry.body.readableBytes + key.utf8.count
        guard size < capacity / 8 else { return }
        state.withLockedValue { s in
            s.tick += 1
            if let old = s.entries[key] { s.bytes -= old.entry.body.readableBytes + key.utf8.count }
            // Entries of older versions are dead weight: drop them first.
            for (k, v) in s.entries where v.entry.version != entry.version {
                s.entries[k] = nil; s.bytes -= v.entry.body.readableBytes + k.utf8.count
            }
            while s.bytes + size > capacity, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.entries[oldest.key] = nil; s.bytes -= oldest.value.entry.body.readableBytes + oldest.key.utf8.count
            }
            s.entries[key] = (entry, s.tick)
            s.bytes += size
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

struct PageCacheKey: StorageKey { typealias Value = PageCache }

extension Application {
    var pageCache: PageCache { storage[PageCacheKey.self]! }
}

/// Conditional requests and the page cache for GET. Every 200 gets a strong ETag (data version + body hash);
/// `If-None-Match` and, for cached pages, `If-Modified-Since` answer 304. Responses for signed-in users are never
/// cached (they carry names, forms and CSRF tokens), nor are responses that start a session.
struct PageCacheMiddleware: AsyncMiddleware {
    static let cacheable: Set<String> = ["text/html", "application/json", "image/svg+xml", "text/csv", "text/calendar", "text/markdown", "application/pdf", "text/css"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, !Self.uncached(request.url.path) else { return try await next.respond(to: request) }
        let anonymous = !request.hasSession
        let version = try await request.dataVersion()
        let day = request.today
        let key = request.url.string
        let cache = request.application.pageCache
        if anonymous, let hit = cache.get(key, version: version, day: day) {
            Telemetry.pageCacheHits.increment()
            return Self.answer(request, headers: hit.headers, body: hit.body, etag: hit.etag, lastModified: hit.lastModified, cache: "hit")
        }
        let response = try await next.respond(to: request)
        guard response.status == .ok, let body = response.body.buffer else { return response }
        let etag = "\"\(version)-\(Self.fnv1a(body))\""
        let type = response.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        let storable = anonymous && !request.hasSession && !response.headers.contains(name: .setCookie) && Self.cacheable.contains(type)
        if storable {
            Telemetry.pageCacheMisses.increment()
            let now = Date()
            var headers = response.headers
            headers.remove(name: .contentLength)
            cache.set(key, .init(version: version, day: day, headers: headers, body: body, etag: etag, lastModified: now))
            return Self.answer(request, headers: headers, body: body, etag: etag, lastModified: now, cache: "miss")
        }
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
        if Self.matches(request, etag: etag) { return Self.notModified(response.headers) }
        return response
    }

    /// Probes and metrics must always reflect the moment; the sign-in flow is per visitor.
    static func uncached(_ path: String) -> Bool {
        path == "/healthz" || path == "/metrics" || path.hasPrefix("/logg-inn") || path.hasPrefix("/logg-ut") || path.hasPrefix("/konto")
    }

    static func answer(_ request: Request, headers: HTTPHeaders, body: ByteBuffer, etag: String, lastModified: Date, cache: String) -> Response {
        var h = headers
        h.replaceOrAdd(name: .eTag, value: etag)
        h.replaceOrAdd(name: .lastModified, value: HTTPDate.format(lastModified))
        h.replaceOrAdd(name: .cacheControl, value: "public, no-cache")
        h.replaceOrAdd(name: "X-Veikart-Cache", value: cache)
        if matches(request, etag: etag) { return notModified(h) }
        if request.headers.first(name: .ifNoneMatch) == nil, let since = request.headers.first(name: .ifModifiedSince),
           let date = HTTPDate.parse(since), date >= lastModified.timeIntervalSince1970.rounded(.down) {
            return notModified(h)
        }
        return Response(status: .ok, headers: h, body: .init(buffer: body))
    }

    static func matches(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers.first(name: .ifNoneMatch) else { return false }
        return header == "*" || header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag }
    }

    static func notModified(_ headers: HTTPHeaders) -> Response {
        var h = headers
        h.remove(name: .contentLength); h.remove(name: .contentType); h.remove(name: .contentDisposition)
        return Response(status: .notModified, headers: h)
    }

    /// FNV-1a, 64 bit: fast, and collisions only matter within one data version of one URL.
    static func fnv1a(_ buffer: ByteBuffer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in buffer.readableBytesView { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}

/// RFC 7231 IMF-fixdate, locale-independent.
enum HTTPDate {
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


    static func format(_ date: Date) -> String {
        let t = Day.utc(date)
        let c = t.day.components
        let weekday = ((t.day.ordinal % 7) + 7 + 4) % 7 // ordinal 0 is 1970-01-01, a Thursday
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(days[weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
    }

    /// Seconds since 1970 for an IMF-fixdate; nil for anything else.
    static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let m = months.firstIndex(of: String(parts[2])), let y = Int(parts[3]) else { return nil }
        let t = parts[4].split(separator: ":").compactMap { Int($0) }
        guard t.count == 3, let day = Day(year: y, month: m + 1, day: d) else { return nil }
        return Double(day.ordinal * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]) // ordinal 0 is 1970-01-01
    }
}
