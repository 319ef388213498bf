import Foundation

/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian).
/// Pure arithmetic, so it never depends on the machine's locale, time zone or calendar.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year: year, month: month) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = era * 146097 + doe - 719468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { components.year }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day of a Unix timestamp, in UTC.
    public init(secondsSince1970 seconds: Double) {
        ordinal = Int((seconds / 86_400).rounded(.down))
    }

    /// `YYYY-MM-DD` and nothing coarser; nil otherwise.
    public static func parse(_ text: String) -> Day? {
        if case .day(let d)? = try? Period.parse(text) { d } else { nil }
    }

    /// A Unix timestamp in UTC as its day and the clock time within it (for HTTP dates and iCalendar stamps).
    public static func utc(_ date: Date) -> (day: Day, hour: Int, minute: Int, second: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let inDay = ((seconds % 86_400) + 86_400) % 86_400
        return (Day(secondsSince1970: Double(seconds)), inDay / 3600, inDay / 60 % 60, inDay % 60)
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Norwegian display text `30.06.2025`.
    public var norwegian: String {
        let c = components
        return "\(pad(c.day, 2)).\(pad(c.month, 2)).\(c.year)"
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }
}

/// A value stored and exchanged as its text (`2022-09-21`, `35/22`, `10:30`): encoded as `description`,
/// decoded through `parse`, so JSON files and the database hold the same form people read.
public protocol CodableAsText: Codable, CustomStringConvertible {
    static func parse(_ text: String) -> Self?
    /// What the text should look like, for the decoding error.
    static var textFormat: String { get }
}

extension CodableAsText {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected \(Self.textFormat), got «\(text)»"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Day: CodableAsText {
    public static let textFormat = "YYYY-MM-DD"
}

/// Identifiers in URLs and files (slugs, ids): only `a–z`, `0–9` and `-`.
public enum Slug {
    public static func isWellFormed(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A well-formed slug made from a title: lower case, Norwegian letters spelt out, anything else a single hyphen;
    /// at most `maxLength` characters, cut at a hyphen. Empty when the text has no letter or digit.
    public static func from(_ text: String, maxLength: Int = 60) -> String {
        let map: [Character: String] = [
            "æ": "ae", "ø": "o", "å": "a", "é": "e", "è": "e", "ü": "u", "ö": "o", "ä": "a",
        ]
        var out = ""
        for ch in text.lowercased() {
            if let m = map[ch] {
                out += m
            } else if ch.isASCII && (ch.isLetter || ch.isNumber) {
                out.append(ch)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        out = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        guard out.count > maxLength else { return out }
        let cut = String(out.prefix(maxLength))
        if let hyphen = cut.lastIndex(of: "-"), cut.distance(from: cut.startIndex, to: hyphen) > maxLength / 2 {
            return String(cut[..<hyphen])
        }
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// A period with the precision the sources give: `2025`, `2025-Q1`, `2025-06` or `2025-06-30`.
public enum Period: Hashable, Sendable, Comparable, CustomStringConvertible {
    case year(Int)
    case quarter(Int, Int)
    case month(Int, Int)
    case day(Day)

    public enum Precision: String, Sendable, Comparable {
        case year, quarter, month, day
        var rank: Int {
            switch self {
            case .year: 0
            case .quarter: 1
            case .month: 2
            case .day: 3
            }
        }
        public static func < (l: Precision, r: Precision) -> Bool { l.rank < r.rank }
    }

    /// Years Veikart accepts. Far-out values are input errors, not plans.
    public static let validYears = 1990...2100

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "ugyldig periode «\(input)»: \(reason)" }
    }

    public static func parse(_ raw: String) throws(ParseError) -> Period {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func fail(_ reason: String) -> ParseError { ParseError(input: raw, reason: reason) }
        let expected = "bruk ÅÅÅÅ, ÅÅÅÅ-Qn, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, let year = Int(first), first.allSatisfy(\.isASCII) else {
            throw fail(expected)
        }
        guard validYears.contains(year) else {
            throw fail("året må ligge mellom \(validYears.lowerBound) og \(validYears.upperBound)")
        }
        switch parts.count {
        case 1:
            return .year(year)
        case 2:
            let second = parts[1]
            if second.uppercased().hasPrefix("Q") {
                guard second.count == 2, let q = Int(second.dropFirst()), (1...4).contains(q) else {
                    throw fail("kvartal må være Q1–Q4")
                }
                return .quarter(year, q)
            }
            guard second.count == 2, let m = Int(second), (1...12).contains(m) else {
                throw fail("måned må være 01–12")
            }
            return .month(year, m)
        case 3:
            guard parts[1].count == 2, parts[2].count == 2, let m = Int(parts[1]), let d = Int(parts[2]) else {
                throw fail(expected)
            }
            guard let day = Day(year: year, month: m, day: d) else { throw fail("datoen finnes ikke") }
            return .day(day)
        default:
            throw fail(expected)
        }
    }

    public var precision: Precision {
        switch self {
        case .year: .year
        case .quarter: .quarter
        case .month: .month
        case .day: .day
        }
    }

    public var year: Int {
        switch self {
        case .year(let y), .quarter(let y, _), .month(let y, _): y
        case .day(let d): d.year
        }
    }

    public var firstDay: Day {
        switch self {
        case .year(let y): Day(year: y, month: 1, day: 1)!
        case .quarter(let y, let q): Day(year: y, month: (q - 1) * 3 + 1, day: 1)!
        case .month(let y, let m): Day(year: y, month: m, day: 1)!
        case .day(let d): d
        }
    }

    public var lastDay: Day {
        switch self {
        case .year(let y): Day(year: y, month: 12, day: 31)!
        case .quarter(let y, let q): Day(year: y, month: q * 3, day: Day.daysInMonth(year: y, month: q * 3))!
        case .month(let y, let m): Day(year: y, month: m, day: Day.daysInMonth(year: y, month: m))!
        case .day(let d): d
        }
    }

    /// Canonical text form, the one import accepts and export writes.
    public var description: String {
        switch self {
        case .year(let y): String(y)
        case .quarter(let y, let q): "\(y)-Q\(q)"
        case .month(let y, let m): "\(y)-\(pad(m, 2))"
        case .day(let d): d.description
        }
    }

    /// Norwegian display text: `2025`, `1. kv. 2025`, `juni 2025`, `30.06.2025`.
    public var norwegian: String {
        switch self {
        case .year(let y): return String(y)
        case .quarter(let y, let q): return "\(q). kv. \(y)"
        case .month(let y, let m): return "\(Period.monthNames[m - 1]) \(y)"
        case .day(let d): return d.norwegian
        }
    }

    static let monthNames = [
        "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
        "desember",
    ]

    /// Ordered by first day; on a tie the coarser period comes first.
    public static func < (lhs: Period, rhs: Period) -> Bool {
        if lhs.firstDay != rhs.firstDay { return lhs.firstDay < rhs.firstDay }
        return lhs.precision < rhs.precision
    }

    public func contains(_ day: Day) -> Bool { firstDay <= day && day <= lastDay }
}

/// A span from an optional start period to an optional end period. A missing start means
/// "already under way before the sources say"; a missing end means "ongoing, no end date".
public struct Span: Hashable, Sendable {
    public let start: Period?
    public let end: Period?

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case empty
        case endBeforeStart(start: Period, end: Period)
        public var description: String {
            switch self {
            case .empty: "både start og slutt mangler; minst én må være oppgitt"
            case .endBeforeStart(let s, let e): "slutt (\(e)) er før start (\(s))"
            }
        }
    }

    public init(start: Period?, end: Period?) throws(Invalid) {
        guard start != nil || end != nil else { throw .empty }
        if let s = start, let e = end, e.lastDay < s.firstDay { throw .endBeforeStart(start: s, end: e) }
        self.start = start
        self.end = end
    }

    /// Whether the span touches the closed day interval.
    public func overlaps(from: Day, to: Day) -> Bool {
        let startsBeforeEnd = start.map { $0.firstDay <= to } ?? true
        let endsAfterStart = end.map { $0.lastDay >= from } ?? true
        return startsBeforeEnd && endsAfterStart
    }

    public func overlaps(year: Int) -> Bool {
        overlaps(from: Period.year(year).firstDay, to: Period.year(year).lastDay)
    }

    /// Norwegian display text, e.g. `2023 → 2025`, `→ 2023`, `2023 →`.
    public var norwegian: String {
        switch (start, end) {
        case (let s?, let e?) where s == e: s.norwegian
        case (let s?, let e?): "\(s.norwegian) → \(e.norwegian)"
        case (let s?, nil): "\(s.norwegian) →"
        case (nil, let e?): "→ \(e.norwegian)"
        case (nil, nil): ""
        }
    }
}
