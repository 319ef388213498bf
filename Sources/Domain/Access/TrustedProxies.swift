import Foundation

/// The proxies whose `X-Forwarded-For` is believed (`VEIKART_TRUSTED_PROXIES`: addresses and IPv4 CIDR ranges,
/// separated by commas). Everyone else's forwarded headers are ignored, since any client can send them.
public struct TrustedProxies: Sendable, Equatable {
    enum Entry: Sendable, Equatable {
        case exact(String)
        case ipv4Range(base: UInt32, mask: UInt32)
    }

    let entries: [Entry]

    public static let none = TrustedProxies(entries: [])

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// `127.0.0.1, 10.0.0.0/8, ::1`; empty or unset trusts no proxy.
    public static func parse(_ text: String?) throws(Invalid) -> TrustedProxies {
        var entries: [Entry] = []
        for raw in (text ?? "").split(separator: ",") {
            let item = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if item.isEmpty { continue }
            if let slash = item.firstIndex(of: "/") {
                guard let base = ipv4(String(item[..<slash])), let bits = Int(item[item.index(after: slash)...]),
                    (0...32).contains(bits)
                else {
                    throw Invalid(description: "«\(item)» er ikke et IPv4-nett som 10.0.0.0/8")
                }
                let mask: UInt32 = bits == 0 ? 0 : UInt32.max << UInt32(32 - bits)
                entries.append(.ipv4Range(base: base & mask, mask: mask))
            } else {
                guard ipv4(item) != nil || isIPv6(item) else {
                    throw Invalid(description: "«\(item)» er ikke en IP-adresse")
                }
                entries.append(.exact(item))
            }
        }
        return TrustedProxies(entries: entries)
    }

    public var isEmpty: Bool { entries.isEmpty }

    public func contains(_ address: String) -> Bool {
        let a = Self.normalised(address)
        return entries.contains { entry in
            switch entry {
            case .exact(let e): return e == a
            case .ipv4Range(let base, let mask): return Self.ipv4(a).map { $0 & mask == base } ?? false
            }
        }
    }

    /// The client's address: the peer's, or — only when the peer is a trusted proxy — the nearest address in
    /// `X-Forwarded-For` that is not itself a trusted proxy (read from the right, as each proxy appends).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer = peer.map(Self.normalised), !peer.isEmpty else { return "ukjent" }
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { Self.normalised(String($0)) }
        for hop in hops.reversed() {
            guard Self.ipv4(hop) != nil || Self.isIPv6(hop) else { return peer }  // garbage: trust nothing further
            if !contains(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// The key the sign-in throttle counts a client under: an IPv4 address as it is, an IPv6 address by its /64
    /// (one host, or one home network, holds a whole /64).
    public static func throttleKey(_ address: String) -> String {
        guard !address.contains("."), isIPv6(address), let groups = expandedIPv6(address) else { return address }
        return groups.prefix(4).joined(separator: ":") + "::/64"
    }

    /// The eight groups of an IPv6 address, `::` expanded; nil if it is not one.
    static func expandedIPv6(_ address: String) -> [String]? {
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        let head = halves[0].isEmpty ? [] : halves[0].split(separator: ":").map(String.init)
        let tail = halves.count == 2 && !halves[1].isEmpty ? halves[1].split(separator: ":").map(String.init) : []
        let missing = 8 - head.count - tail.count
        guard (halves.count == 2 && missing >= 1) || (halves.count == 1 && missing == 0) else { return nil }
        let groups = head + Array(repeating: "0", count: halves.count == 2 ? missing : 0) + tail
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return groups.map { String($0.drop { $0 == "0" }).isEmpty ? "0" : String($0.drop { $0 == "0" }) }
    }

    static func normalised(_ raw: String) -> String {
        var a = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if a.hasPrefix("["), let end = a.firstIndex(of: "]") { a = String(a[a.index(after: a.startIndex)..<end]) }
        if a.hasPrefix("::ffff:"), ipv4(String(a.dropFirst(7))) != nil { a = String(a.dropFirst(7)) }
        return a
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let n = UInt32(part), n <= 255 else {
                return nil
            }
            value = value << 8 | n
        }
        return value
    }

    static func isIPv6(_ text: String) -> Bool {
        text.contains(":") && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
