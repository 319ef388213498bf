/// Locale-independent number formatting for SVG coordinates: fixed one decimal, no grouping.
public func svgNumber(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let a = abs(tenths)
    return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
}

/// Escapes text for XML content and attribute values.
public func xmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters are not allowed in XML 1.0.
            if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// The opening of a standalone, accessible SVG picture: size, role, title and description (referenced by id),
/// the shared font, and a white background so downloads and prints look the same as on screen.
/// `role`: "img" for a picture; nil when it holds links (an image's children are hidden from assistive technology;
/// without a role an inline SVG is a graphics document whose links are reachable).
/// `top`: the first user unit shown (a drawing whose heading is drawn apart, to stay in view while scrolling).
public func svgOpening(
    width: Double, height: Double, title: String, description: String, id: String, cssClass: String,
    role: String? = "img", top: Double = 0
) -> String {
    let n = svgNumber
    return
        """
        <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 \(n(top)) \(n(width)) \(n(height - top))\" \
        width=\"\(n(width))\"\u{20}
        """
            + "height=\"\(n(height - top))\" " + (role.map { "role=\"\($0)\" " } ?? "")
                + """
                aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, \
                sans-serif\"\u{20}
                """
            + "font-size=\"12\" class=\"\(cssClass)\">\n"
                + """
                <title id=\"\(id)-title\">\(xmlEscape(title))</title>\n<desc \
                id=\"\(id)-desc\">\(xmlEscape(description))</desc>\n
                """
}

/// The white background rectangle every picture starts with.
public let svgBackground = "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
