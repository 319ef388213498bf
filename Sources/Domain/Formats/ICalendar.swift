import Foundation

/// Council meetings as an iCalendar feed (RFC 5545): CRLF lines folded at 75 octets, text escaped,
/// local times in Europe/Oslo with the zone's rules included, so any calendar shows the right hour.
public enum ICalendar {
    public struct Event: Sendable {
        public let meeting: Meeting
        public let councilName: String
        /// Agenda lines for the description; empty while the agenda is not public.
        public let agenda: [String]
        public let url: String
        public init(meeting: Meeting, councilName: String, agenda: [String], url: String) {
            self.meeting = meeting
            self.councilName = councilName
            self.agenda = agenda
            self.url = url
        }
    }

    /// A whole-day deadline (a reporting round's), shown beside the meetings.
    public struct Deadline: Sendable {
        public let id: String
        public let day: Day
        public let title: String
        public let url: String
        public init(id: String, day: Day, title: String, url: String) {
            self.id = id
            self.day = day
            self.title = title
            self.url = url
        }
    }

    /// `stamp` is DTSTAMP for every event: when the data behind the feed last changed (keeps the feed byte-stable
    /// between changes).
    public static func feed(name: String, events: [Event], deadlines: [Deadline] = [], stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Veikart//Radsmoter//NB", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(name), "X-WR-TIMEZONE:Europe/Oslo",
        ]
        lines += osloTimeZone
        let dtstamp = utcStamp(stamp)
        for e in events {
            let m = e.meeting
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + m.id + "@veikart")
            lines.append("DTSTAMP:" + dtstamp)
            if let start = m.startTime, let end = m.endTime {
                lines.append("DTSTART;TZID=Europe/Oslo:" + local(m.startsOn, start))
                lines.append("DTEND;TZID=Europe/Oslo:" + local(m.endsOn, end))
            } else {
                // Without both times the meeting is shown as whole days (DTEND is exclusive).
                lines.append("DTSTART;VALUE=DATE:" + compact(m.startsOn))
                lines.append("DTEND;VALUE=DATE:" + compact(m.endsOn.adding(days: 1)))
            }
            let number = m.number.isEmpty ? "" : " \(m.number)"
            lines.append("SUMMARY:" + escape("\(e.councilName): møte\(number)"))
            if !m.place.isEmpty { lines.append("LOCATION:" + escape(m.place)) }
            var description: [String] = []
            if let start = m.startTime, m.endTime == nil { description.append("Starter kl. \(start).") }
            if !m.note.isEmpty { description.append(m.note) }
            if !e.agenda.isEmpty {
                description.append("Saksliste:")
                description += e.agenda
            }
            description.append(e.url)
            lines.append("DESCRIPTION:" + escape(description.joined(separator: "\n")))
            lines.append("URL:" + e.url)
            lines.append("STATUS:CONFIRMED")
            lines.append("END:VEVENT")
        }
        for d in deadlines {
            lines += [
                "BEGIN:VEVENT", "UID:" + d.id + "@veikart", "DTSTAMP:" + dtstamp,
                "DTSTART;VALUE=DATE:" + compact(d.day),
                "DTEND;VALUE=DATE:" + compact(d.day.adding(days: 1)), "SUMMARY:" + escape(d.title),
                "DESCRIPTION:" + escape(d.url), "URL:" + d.url, "TRANSP:TRANSPARENT", "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping: backslash, semicolon, comma and newlines.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default:
                // Other control characters are not allowed in TEXT values.
                if ch.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) { continue }
                out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line so no line exceeds 75 octets, never splitting a UTF-8 character.
    public static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        var limit = 75
        for ch in line {
            let size = String(ch).utf8.count
            if octets + size > limit {
                result += "\r\n "
                octets = 0
                limit = 74  // the leading space counts
            }
            result.append(ch)
            octets += size
        }
        return result
    }

    static func compact(_ d: Day) -> String {
        let c = d.components
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
    }

    static func local(_ d: Day, _ t: ClockTime) -> String {
        compact(d) + "T" + pad(t.hour, 2) + pad(t.minute, 2) + "00"
    }

    static func utcStamp(_ date: Date) -> String {
        let t = Day.utc(date)
        return compact(t.day) + "T" + pad(t.hour, 2) + pad(t.minute, 2) + pad(t.second, 2) + "Z"
    }

    /// Norway's rules since 1996 (EU summer time: last Sunday of March 02:00 → last Sunday of October 03:00).
    static let osloTimeZone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Oslo",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19960331T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19961027T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]
}
