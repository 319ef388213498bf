import Foundation

/// Norwegian-aware search text handling shared by indexing, querying and highlighting,
/// so `sør-øst`, `Sør-Øst` and `SØR ØST` all mean the same thing on every database.
public enum SearchText {
    /// Lower-cased, NFC-normalised words of letters and digits (æ, ø, å kept as letters).
    public static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for scalar in text.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    public static func normalize(_ text: String) -> String { tokens(text).joined(separator: " ") }

    /// Query terms: at most 8 distinct tokens of at most 40 characters; empty when nothing searchable is left.
    public static func queryTerms(_ query: String) -> [String] {
        var seen: Set<String> = []
        return tokens(query).filter { $0.count <= 40 && seen.insert($0).inserted }.prefix(8).map { $0 }
    }

    public struct Segment: Hashable, Sendable {
        public let text: String
        public let isMatch: Bool
    }

    /// A window of `text` around the first matching word, split into plain and matching segments.
    /// A word matches when its normalised form starts with any term (prefix search).
    public static func highlight(_ text: String, terms: [String], maxLength: Int = 180) -> [Segment] {
        let chars = Array(text)
        // Find word ranges.
        var words: [Range<Int>] = []
        var start: Int?
        for (i, ch) in chars.enumerated() {
            let isWordChar = ch.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) }
            if isWordChar {
                if start == nil { start = i }
            } else if let s = start {
                words.append(s..<i)
                start = nil
            }
        }
        if let s = start { words.append(s..<chars.count) }
        let matching = words.filter { r in
            let word = String(chars[r]).precomposedStringWithCanonicalMapping.lowercased()
            return terms.contains { word.hasPrefix($0) }
        }
        // Choose the window.
        var lower = 0
        if let first = matching.first, chars.count > maxLength {
            lower = max(0, min(first.lowerBound - maxLength / 4, chars.count - maxLength))
            while lower > 0 && !chars[lower - 1].isWhitespace { lower -= 1 }
        }
        var upper = min(chars.count, lower + maxLength)
        while upper < chars.count && upper > lower && !chars[upper - 1].isWhitespace { upper -= 1 }
        if upper <= lower { upper = min(chars.count, lower + maxLength) }
        var segments: [Segment] = []
        if lower > 0 { segments.append(Segment(text: "… ", isMatch: false)) }
        var cursor = lower
        for r in matching where r.lowerBound >= lower && r.upperBound <= upper {
            if r.lowerBound > cursor {
                segments.append(Segment(text: String(chars[cursor..<r.lowerBound]), isMatch: false))
            }
            segments.append(Segment(text: String(chars[r]), isMatch: true))
            cursor = r.upperBound
        }
        if cursor < upper { segments.append(Segment(text: String(chars[cursor..<upper]), isMatch: false)) }
        if upper < chars.count { segments.append(Segment(text: " …", isMatch: false)) }
        return segments
    }
}

/// What search indexes: one row per goal, sub-goal, initiative, activity, actor and indicator.
public struct SearchDocument: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case goal, subgoal, initiative, activity, actor, indicator, council, meeting, councilCase = "case"

        /// Rebuilt from the dataset on every dataset write.
        public static let dataset: [Kind] = [.goal, .subgoal, .initiative, .activity, .actor, .indicator]
        /// Rebuilt from the council model on every council write.
        public static let councilModel: [Kind] = [.council, .meeting, .councilCase]
        /// Multiplies the database's text rank, so the thing itself outranks the many activities that mention it.
        public var rankWeight: Double {
            switch self {
            case .initiative, .actor, .council: 3
            case .goal, .subgoal, .indicator, .meeting: 2
            case .activity, .councilCase: 1
            }
        }

        public var name: String {
            switch self {
            case .goal: "Mål"
            case .subgoal: "Delmål"
            case .initiative: "Tiltak"
            case .activity: "Aktivitet"
            case .actor: "Aktør"
            case .indicator: "Indikator"
            case .council: "Råd"
            case .meeting: "Møte"
            case .councilCase: "Sak"
            }
        }
    }

    public let kind: Kind
    public let id: String
    public let title: String
    public let body: String
    /// Where the hit leads, as route values (ids), not an address: the kind's page takes them in order —
    /// `[initiative, activity]` for an activity, `[council, meeting key, case number]` for a case, `[id]` otherwise.
    /// The Routes module makes the link (`SiteURL.searchHit`).
    public let place: [String]

    public init(kind: Kind, id: String, title: String, body: String, place: [String]? = nil) {
        self.kind = kind
        self.id = id
        self.title = title
        self.body = body
        self.place = place ?? [id]
    }

    /// `place` as the index stores it (a JSON array) and back.
    public static func encode(place: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(place)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public static func decode(place text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    public static func all(from d: Dataset) -> [SearchDocument] {
        let actorNames = Dictionary(d.actors.map { ($0.slug, $0.name) }, uniquingKeysWith: { a, _ in a })
        let initiativeTitles = Dictionary(d.initiatives.map { ($0.slug, $0.title) }, uniquingKeysWith: { a, _ in a })
        return d.goals.map(goal) + d.subgoals.map(subgoal) + d.initiatives.map(initiative)
            + d.activities.map {
                activity(
                    $0, actorName: actorNames[$0.actorSlug], initiativeTitle: initiativeTitles[$0.initiativeSlug],
                    phases: d.strategy.phases)
            }
            + d.actors.map { actor($0, types: d.strategy.actorTypes) } + d.indicators.map(indicator)
    }

    // One document per record; a write re-indexes just the documents of what it changed.

    public static func goal(_ g: Goal) -> SearchDocument {
        .init(
            kind: .goal, id: g.id, title: "Mål \(g.id): \(g.title)",
            body: ([g.description] + g.outcomes).joined(separator: " "))
    }

    public static func subgoal(_ s: Subgoal) -> SearchDocument {
        .init(kind: .subgoal, id: s.id, title: "Delmål \(s.id): \(s.title)", body: s.description)
    }

    public static func initiative(_ i: Initiative) -> SearchDocument {
        let short = i.shortTitle == i.title ? "" : i.shortTitle + " "
        return .init(kind: .initiative, id: i.slug, title: i.title, body: short + i.target + " " + i.description)
    }

    /// An activity is titled by its initiative and actor, so renaming either re-indexes their activities.
    public static func activity(
        _ a: Activity, actorName: String?, initiativeTitle: String?,
        phases: PhaseCatalog
    ) -> SearchDocument {
        .init(
            kind: .activity, id: a.id, title: "\(initiativeTitle ?? a.initiativeSlug) – \(actorName ?? a.actorSlug)",
            body: "\(a.description) \(phases.name(a.phase)) \(a.span.norwegian)", place: [a.initiativeSlug, a.id])
    }

    public static func actor(_ a: Actor, types: ActorTypeCatalog) -> SearchDocument {
        let short = a.shortName == a.name ? "" : a.shortName + " "
        return .init(kind: .actor, id: a.slug, title: a.name, body: short + types.name(a.type) + " " + a.description)
    }

    public static func indicator(_ ind: Indicator) -> SearchDocument {
        .init(
            kind: .indicator, id: ind.id, title: "Indikator: \(ind.name)",
            body: "\(ind.description) \(ind.source) \(ind.kind.name) \(ind.readiness.name)")
    }

    public static func all(from c: CouncilData) -> [SearchDocument] {
        var docs: [SearchDocument] = []
        let councils = Dictionary(c.councils.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        for council in c.councils {
            let names = council.names.map { "\($0.name) \($0.shortName)" }.joined(separator: " ")
            docs.append(
                .init(
                    kind: .council, id: council.slug, title: council.name,
                    body: names + " " + council.mandate + " " + council.responsibilities.joined(separator: " ")))
        }
        var casesByMeeting: [String: [CouncilCase]] = [:]
        for item in c.cases { casesByMeeting[item.meetingId, default: []].append(item) }
        for m in c.meetings {
            guard let council = councils[m.council] else { continue }
            let name = council.name(on: m.startsOn).name
            let cases = m.state.agendaIsPublic ? (casesByMeeting[m.id] ?? []).sorted { $0.number < $1.number } : []
            docs.append(
                .init(
                    kind: .meeting, id: m.id, title: "\(name): møte \(m.startsOn.norwegian)",
                    body: ([m.number, m.place, m.note] + cases.map { "\($0.number) \($0.title)" }).joined(
                        separator: " "), place: [m.council, m.key]))
            for item in cases {
                let decision = m.state.decisionsArePublic ? item.decision : ""
                docs.append(
                    .init(
                        kind: .councilCase, id: item.id, title: "Sak \(item.number): \(item.title)",
                        body: ([name, item.summary] + item.questions + [item.proposedDecision, decision]
                            + item.presenters.map { "\($0.name) \($0.organisation)" })
                            .joined(separator: " "),
                        place: [m.council, m.key, item.number.slug]))
            }
        }
        return docs
    }
}
