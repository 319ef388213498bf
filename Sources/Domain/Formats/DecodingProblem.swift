import Foundation

/// A decoder's failure told in Norwegian, naming the field it could not read — never Swift's own error text
/// (type names and debug descriptions mean nothing to a user and say too much to an attacker).
public enum DecodingProblem {
    public static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "Innholdet kunne ikke leses." }
        let what: String
        switch decoding {
        case .typeMismatch: what = "har feil type"
        case .valueNotFound: what = "mangler verdi"
        case .keyNotFound: what = "mangler"
        case .dataCorrupted(let c) where c.codingPath.isEmpty: return "Innholdet er ikke gyldig JSON."
        case .dataCorrupted: what = "har en ugyldig verdi"
        @unknown default: what = "kunne ikke leses"
        }
        guard let field = field(decoding) else { return "Innholdet kunne ikke leses: et felt \(what)." }
        return "Innholdet kunne ikke leses: feltet «\(field)» \(what)."
    }

    /// The field path (`criteria[2].weight`), if it is short and printable.
    public static func field(_ error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        var names = ""
        for key in path {
            if let i = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(i) {
                names += "[\(i)]"
            } else {
                names += (names.isEmpty ? "" : ".") + key.stringValue
            }
        }
        let printable = names.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        return names.isEmpty || !printable || names.count > 100 ? nil : names
    }
}
