import Domain
import Foundation
import NIOConcurrencyHelpers
import Persistence
import Vapor

/// Rendered responses for visitors who are not signed in, keyed by path and the query parameters routes read
/// (`QueryParameters`), valid for one "today" and while nothing they show has changed. Every write bumps the data
/// version in the database and names what it touched (`RoadmapWrites.nextVersion(touching:)`); every request reads
/// the version first and brings the instance's `ReadModel` up to it, which knows the last version that changed each
/// page topic (`PageTopics`). So no instance ever serves a page a write has made stale, whichever instance took the
/// write, and a write evicts only the pages that show what it changed. Least recently used entries go first; every
/// operation is O(1), and the size cap counts keys, headers and bodies.
final class PageCache: Sendable {
    struct Entry: Sendable {
        /// The data version read before the page was rendered.
        let version: Int64
        /// What the page shows (`PageTopics`); nil: anything.
        let topics: Set<String>?
        let day: Day
        let headers: HTTPHeaders
        let body: ByteBuffer
        let etag: String
        let lastModified: Date

        var size: Int { body.readableBytes + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } }
    }

    /// A doubly linked recency list over array slots (most recent at `head`), so nothing is ever scanned.
    private struct Slot {
        var key: String
        var entry: Entry
        var size: Int
        var newer: Int
        var older: Int
    }

    private struct State {
        var index: [String: Int] = [:]
        var slots: [Slot] = []
        var free: [Int] = []
        var head = -1
        var tail = -1
        var bytes = 0

        mutating func unlink(_ i: Int) {
            let s = slots[i]
            if s.newer >= 0 { slots[s.newer].older = s.older } else { head = s.older }
            if s.older >= 0 { slots[s.older].newer = s.newer } else { tail = s.newer }
        }

        mutating func pushFront(_ i: Int) {
            slots[i].newer = -1
            slots[i].older = head
            if head >= 0 { slots[head].newer = i }
            head = i
            if tail < 0 { tail = i }
        }

        mutating func remove(_ i: Int) {
            unlink(i)
            index[slots[i].key] = nil
            bytes -= slots[i].size
            slots[i].key = ""
            slots[i].entry = Self.vacant  // the body goes now, not when the slot is reused
            free.append(i)
        }

        static let vacant = Entry(
            version: -1, topics: [], day: Day(ordinal: 0), headers: [:], body: ByteBuffer(), etag: "",
            lastModified: Date(timeIntervalSince1970: 0))
    }

    private let state = NIOLockedValueBox(State())
    /// Bounds memory: the whole cache stays under this many bytes.
    let capacity: Int

    init(capacity: Int = 24 * 1024 * 1024) { self.capacity = capacity }

    func get(_ key: String, day: Day, isFresh: (Entry) -> Bool) -> Entry? {
        state.withLockedValue { s in
            guard let i = s.index[key] else { return nil }
            let entry = s.slots[i].entry
            guard entry.day == day, isFresh(entry) else {
                s.remove(i)  // stale for good: versions only grow
                return nil
            }
            s.unlink(i)
            s.pushFront(i)
            return entry
        }
    }

    func set(_ key: String, _ entry: Entry) {
        let size = entry.size + key.utf8.count
        guard size < capacity / 8 else { return }
        state.withLockedValue { s in
            if let old = s.index[key] { s.remove(old) }
            while s.bytes + size > capacity, s.tail >= 0 { s.remove(s.tail) }
            let slot = Slot(key: key, entry: entry, size: size, newer: -1, older: -1)
            let i: Int
            if let reused = s.free.popLast() {
                s.slots[reused] = slot
                i = reused
            } else {
                s.slots.append(slot)
                i = s.slots.count - 1
            }
            s.index[key] = i
            s.pushFront(i)
            s.bytes += size
        }
    }

    var count: Int { state.withLockedValue { $0.index.count } }
    var bytes: Int { state.withLockedValue { $0.bytes } }
}

struct PageCacheKey: StorageKey { typealias Value = PageCache }

struct PageTopicsKey: StorageKey { typealias Value = Set<String> }

extension Request {
    /// What the page being answered shows (`PageTopics`), when its handler knows better than its path does.
    func shows(_ topics: Set<String>) { storage[PageTopicsKey.self] = topics }
}

/// Renders of cacheable pages in progress, so that concurrent visitors of one page share a render. A request joins a
/// render only if it started at the request's data version or later, so what it is given is as fresh as its own.
final class RenderFlights: Sendable {
    enum Role: Sendable {
        /// Render, store, and then call `finish`.
        case leader
        /// Another request rendered it: its entry, or nil when the answer could not be shared (render yourself).
        case joined(PageCache.Entry?)
        /// A render of an older version is running: render yourself.
        case independent
    }

    private struct Flight {
        let version: Int64
        var waiters: [CheckedContinuation<Role, Never>]
    }

    private let flights = NIOLockedValueBox<[String: Flight]>([:])

    func enter(_ key: String, version: Int64) async -> Role {
        await withCheckedContinuation { continuation in
            let role: Role? = flights.withLockedValue { f in
                guard let flight = f[key] else {
                    f[key] = Flight(version: version, waiters: [])
                    return .leader
                }
                guard flight.version >= version else { return .independent }
                f[key]!.waiters.append(continuation)
                return nil
            }
            if let role { continuation.resume(returning: role) }
        }
    }

    func finish(_ key: String, with entry: PageCache.Entry?) {
        let waiters = flights.withLockedValue { f in f.removeValue(forKey: key)?.waiters ?? [] }
        for waiter in waiters { waiter.resume(returning: .joined(entry)) }
    }
}

struct RenderFlightsKey: StorageKey { typealias Value = RenderFlights }

extension Application {
    var pageCache: PageCache { storage[PageCacheKey.self]! }
    var renderFlights: RenderFlights { storage[RenderFlightsKey.self]! }
}

/// Conditional requests and the page cache for GET. Every 200 gets a strong ETag (data version + body hash);
/// `If-None-Match` and, for cached pages, `If-Modified-Since` answer 304. Responses for signed-in users are never
/// cached (they carry names, forms and CSRF tokens), nor answers to a request with an API token, nor responses that
/// start a session.
struct PageCacheMiddleware: AsyncMiddleware {
    static let cacheable: Set<String> = [
        "text/html", "application/json", "image/svg+xml", "text/csv", "text/calendar", "text/markdown",
        "application/pdf", "text/css",
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // HEAD is answered by the GET handler; it reads the same cache (headers only) but never fills it.
        let head = request.method == .HEAD
        guard request.method == .GET || head, !Self.uncached(request.url.path) else {
            return try await next.respond(to: request)
        }
        // A request with credentials (an API token) gets an answer for its user only: never from or into the
        // shared cache, as with a session.
        let anonymous = !request.hasSession && !request.headers.contains(name: .authorization)
        let version = try await request.dataVersion()
        let day = request.today
        let key = QueryParameters.cacheKey(request.url)
        let cache = request.application.pageCache
        let readModel = request.application.readModel
        // Freshness is known only once this instance has replayed every change up to `version`. When it cannot
        // (no data yet, a database error), the cache is neither read nor filled; the handler reports the problem.
        let synced = (try? await readModel.sync(to: version, on: request.db)) != nil
        if anonymous, synced,
            let hit = cache.get(
                key, day: day, isFresh: { readModel.isFresh(renderedAt: $0.version, topics: $0.topics) })
        {
            Telemetry.pageCacheHits.increment()
            let answer = Self.answer(
                request, headers: hit.headers, body: hit.body, etag: hit.etag, lastModified: hit.lastModified,
                cache: "hit")
            if head, answer.status == .ok {
                answer.body = .empty  // resets Content-Length, so the GET's length is set after it
                answer.headers.replaceOrAdd(name: .contentLength, value: String(hit.body.readableBytes))
            }
            return answer
        }
        if head { return try await next.respond(to: request) }
        // Visitors asking for the same page at once share one render (after a write evicted a busy page, the next
        // dozen requests would otherwise all render it): the first renders, the others wait for its entry.
        let flights = request.application.renderFlights
        var leading = false
        if anonymous, synced {
            switch await flights.enter(key, version: version) {
            case .leader: leading = true
            case .joined(let entry?):
                Telemetry.pageCacheHits.increment()
                return Self.answer(
                    request, headers: entry.headers, body: entry.body, etag: entry.etag,
                    lastModified: entry.lastModified,
                    cache: "hit")
            case .joined(nil), .independent: break
            }
        }
        var stored: PageCache.Entry?
        defer { if leading { flights.finish(key, with: stored) } }
        let response = try await next.respond(to: request)
        guard response.status == .ok, let body = response.body.buffer else { return response }
        let etag = "\"\(version)-\(Self.fnv1a(body))\""
        let type = response.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        // A cookie a handler set for this visitor (`Request.setCookie`, applied outside this middleware) is as
        // personal as a Set-Cookie header.
        let storable =
            anonymous && !request.hasSession && !response.headers.contains(name: .setCookie)
            && request.storage[PendingCookiesKey.self] == nil && Self.cacheable.contains(type)
        if storable && synced {
            Telemetry.pageCacheMisses.increment()
            let now = Date()
            var headers = response.headers
            headers.remove(name: .contentLength)
            let topics = request.storage[PageTopicsKey.self] ?? PageTopics.topics(forPath: request.url.path)
            let entry = PageCache.Entry(
                version: version, topics: topics, day: day, headers: headers, body: body, etag: etag, lastModified: now)
            cache.set(key, entry)
            stored = entry
            return Self.answer(request, headers: headers, body: body, etag: etag, lastModified: now, cache: "miss")
        }
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        // A page that asked not to be stored at all (drafts, forms with a token) keeps that.
        if !(response.headers.first(name: .cacheControl)?.contains("no-store") ?? false) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
        }
        if Self.matches(request, etag: etag) { return Self.notModified(response.headers) }
        return response
    }

    /// Probes and metrics must always reflect the moment; the sign-in flow is per visitor.
    static func uncached(_ path: String) -> Bool {
        path == "/healthz" || path == "/metrics" || path.hasPrefix("/logg-inn") || path.hasPrefix("/logg-ut")
            || path.hasPrefix("/konto")
    }

    static func answer(
        _ request: Request, headers: HTTPHeaders, body: ByteBuffer, etag: String, lastModified: Date, cache: String
    ) -> Response {
        var h = headers
        h.replaceOrAdd(name: .eTag, value: etag)
        h.replaceOrAdd(name: .lastModified, value: HTTPDate.format(lastModified))
        h.replaceOrAdd(name: .cacheControl, value: "public, no-cache")
        h.replaceOrAdd(name: "X-Veikart-Cache", value: cache)
        if matches(request, etag: etag) { return notModified(h) }
        if request.headers.first(name: .ifNoneMatch) == nil, let since = request.headers.first(name: .ifModifiedSince),
            let date = HTTPDate.parse(since), date >= lastModified.timeIntervalSince1970.rounded(.down)
        {
            return notModified(h)
        }
        return Response(status: .ok, headers: h, body: .init(buffer: body))
    }

    static func matches(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers.first(name: .ifNoneMatch) else { return false }
        return header == "*"
            || header.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag
            }
    }

    static func notModified(_ headers: HTTPHeaders) -> Response {
        var h = headers
        h.remove(name: .contentLength)
        h.remove(name: .contentType)
        h.remove(name: .contentDisposition)
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
        let weekday = ((t.day.ordinal % 7) + 7 + 4) % 7  // ordinal 0 is 1970-01-01, a Thursday
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return
            """
            \(days[weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \
            \(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT
            """
    }

    /// Seconds since 1970 for an IMF-fixdate; nil for anything else.
    static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]),
            let m = months.firstIndex(of: String(parts[2])), let y = Int(parts[3])
        else { return nil }
        let t = parts[4].split(separator: ":").compactMap { Int($0) }
        guard t.count == 3, let day = Day(year: y, month: m + 1, day: d) else { return nil }
        return Double(day.ordinal * 86_400 + t[0] * 3600 + t[1] * 60 + t[2])  // ordinal 0 is 1970-01-01
    }
}
