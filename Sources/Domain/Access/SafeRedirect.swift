import Foundation

/// Where the site may send a browser after signing in: only a path on this site. Parsed as a URL, not matched by
/// prefix: browsers drop tabs and newlines from URLs and read `\` as `/`, so `/<TAB>/evil.example` is `//evil.example`.
public enum SafeRedirect {
    public static func path(_ raw: String?, fallback: String = "/") -> String {
        guard let raw, !raw.isEmpty, raw.utf8.count < 300 else { return fallback }
        // No control characters, spaces or backslashes anywhere (nor their percent-encoded forms in the path).
        func refused(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x21 || c.value == 0x7F || c == "\\" || c.properties.isWhitespace
                || (c.value >= 0x80 && c.properties.generalCategory == .format)
        }
        guard !raw.unicodeScalars.contains(where: refused) else { return fallback }
        guard raw.hasPrefix("/"), !raw.hasPrefix("//"),
            let components = URLComponents(string: raw), components.scheme == nil, components.host == nil,
            components.user == nil, components.port == nil, components.path.hasPrefix("/")
        else { return fallback }
        let decoded = components.path.removingPercentEncoding ?? ""
        guard !decoded.hasPrefix("//"), !decoded.contains("\\"),
            !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return fallback }
        return raw
    }
}
