import Crypto
import Foundation
import Vapor

/// Signs and seals the values Veikart puts in cookies with the installation's secret (`AppSecrets`, shared by every
/// instance through the database). A forged or altered cookie is recognised without touching the database.
struct CookieSigner: Sendable {
    private let key: SymmetricKey

    init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("veikart-cookies:" + secret).utf8)))
    }

    /// `value.signature` (base64url, no padding).
    func sign(_ value: String) -> String {
        value + "." + Self.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)))
    }

    /// The value of a token `sign` made, or nil for anything else.
    func verify(_ token: String) -> String? {
        guard token.utf8.count < 512, let dot = token.lastIndex(of: ".") else { return nil }
        let value = String(token[..<dot])
        guard !value.isEmpty, constantTimeEqual(sign(value), token) else { return nil }
        return value
    }

    /// Encrypted and authenticated (AES-GCM): for values the browser must carry but not read or change.
    func seal(_ plain: Data) throws -> String {
        Self.base64url(try AES.GCM.seal(plain, using: key).combined!)
    }

    func open(_ sealed: String) -> Data? {
        guard sealed.utf8.count < 8192, let data = Self.data(base64url: sealed),
              let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        return try? AES.GCM.open(box, using: key)
    }

    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64url(Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

struct CookieSignerKey: StorageKey { typealias Value = CookieSigner }

extension Application {
    var cookieSigner: CookieSigner { storage[CookieSignerKey.self]! }
}
