import Crypto
import Foundation
import Persistence
import Vapor

/// Signs and seals the values Veikart puts in cookies with the installation's secret (`AppSecrets`, shared by every
/// instance through the database). A forged or altered cookie is recognised without touching the database.
struct CookieSigner: Sendable {
    /// What a signed value is for: a token signed for one purpose is never accepted for another.
    enum Purpose: String, Sendable { case session = "sesjon", csrf }

    private let signingKey: SymmetricKey
    private let sealingKey: SymmetricKey

    init(secret: String) {
        // Separate keys for signing and sealing, derived from the one installation secret.
        let master = SymmetricKey(data: Data(secret.utf8))
        func derive(_ use: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(use.utf8), outputByteCount: 32)
        }
        signingKey = derive("veikart-cookie-hmac")
        sealingKey = derive("veikart-cookie-aes-gcm")
    }

    /// `value.signature` (base64url, no padding); the signature covers the purpose too.
    func sign(_ value: String, purpose: Purpose) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((purpose.rawValue + ":" + value).utf8), using: signingKey)
        return value + "." + Digests.base64url(Data(mac))
    }

    /// The value of a token `sign` made for `purpose`, or nil for anything else.
    func verify(_ token: String, purpose: Purpose) -> String? {
        guard token.utf8.count < 512, let dot = token.lastIndex(of: ".") else { return nil }
        let value = String(token[..<dot])
        guard !value.isEmpty, constantTimeEqual(sign(value, purpose: purpose), token) else { return nil }
        return value
    }

    /// Encrypted and authenticated (AES-GCM): for values the browser must carry but not read or change.
    func seal(_ plain: Data) throws -> String {
        Digests.base64url(try AES.GCM.seal(plain, using: sealingKey).combined!)
    }

    func open(_ sealed: String) -> Data? {
        guard sealed.utf8.count < 8192, let data = Digests.data(base64url: sealed),
            let box = try? AES.GCM.SealedBox(combined: data)
        else { return nil }
        return try? AES.GCM.open(box, using: sealingKey)
    }

}

struct CookieSignerKey: StorageKey { typealias Value = CookieSigner }

extension Application {
    var cookieSigner: CookieSigner { storage[CookieSignerKey.self]! }
}
