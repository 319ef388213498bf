import Domain
import FluentKit
import Foundation
import SQLKit

public enum CouncilStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notFound(String), invalid([String])
        public var description: String {
            switch self {
            case .notFound(let what): "\(what) finnes ikke."
            case .invalid(let problems): problems.joined(separator: "; ")
            }
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    // MARK: Reading

    public static func councils(on db: any Database) async throws -> [Council] {
        try await CouncilModel.query(on: db).sort(\.$position).all().map { try decode(Council.self, $0.document) }
    }

    public static func council(_ slug: String, on db: any Database) async throws -> (council: Council, version: Int64)?
    {
        guard let m = try await CouncilModel.find(slug, on: db) else { return nil }
        return (try decode(Council.self, m.document), m.version)
    }

    static func membership(_ m: CouncilMemberModel) -> Membership {
        Membership(
            id: m.id ?? "", council: m.councilId, name: m.name, title: m.title, organisation: m.organisation,
            role: CouncilRole(rawValue: m.role) ?? .medlem, from: m.fromDay.flatMap(Day.parse),
            until: m.untilDay.flatMap(Day.parse), replaces: m.replaces)
    }

    public static func members(of council: String? = nil, on db: any Database) async throws -> [Membership] {
        var q = CouncilMemberModel.query(on: db)
        if let council { q = q.filter(\.$councilId == council) }
        return try await q.all().map(membership).sorted {
            ($0.council, $0.name, $0.from?.ordinal ?? 0) < ($1.council, $1.name, $1.from?.ordinal ?? 0)
        }
    }

    /// Meetings, oldest first; every council's when `council` is nil.
    public static func meetings(of council: String? = nil, on db: any Database) async throws -> [Meeting] {
        var q = MeetingModel.query(on: db).sort(\.$startsOn)
        if let council { q = q.filter(\.$councilId == council) }
        return try await q.all().map { try decode(Meeting.self, $0.document) }
    }

    /// A meeting by its key in the council (`2026-12-03`, or `2026-12-03-2` for the day's second meeting).
    public static func meeting(_ council: String, key: String, on db: any Database) async throws -> (
        meeting: Meeting, version: Int64
    )? {
        guard
            let m = try await MeetingModel.query(on: db).filter(\.$councilId == council).filter(\.$startsOn == key)
                .first()
        else { return nil }
        return (try decode(Meeting.self, m.document), m.version)
    }

    public static func meeting(id: String, on db: any Database) async throws -> (meeting: Meeting, version: Int64)? {
        guard let m = try await MeetingModel.find(id, on: db) else { return nil }
        return (try decode(Meeting.self, m.document), m.version)
    }

    /// A meeting's cases in number order, each with its own version (two secretaries can edit two cases at once).
    public static func cases(of meetingId: String, on db: any Database) async throws -> [(
        item: CouncilCase, version: Int64
    )] {
        try await CouncilCaseModel.query(on: db).filter(\.$meetingId == meetingId).sort(\.$sequence).all()
            .map { (try decode(CouncilCase.self, $0.document), $0.version) }
    }

    public static func allCases(on db: any Database) async throws -> [CouncilCase] {
        try await CouncilCaseModel.query(on: db).sort(\.$year).sort(\.$sequence).all().map {
            try decode(CouncilCase.self, $0.document)
        }
    }

    public static func data(on db: any Database) async throws -> CouncilData {
        CouncilData(
            councils: try await councils(on: db), members: try await members(on: db),
            meetings: try await meetings(on: db), cases: try await allCases(on: db))
    }

    public static func isEmpty(on db: any Database) async throws -> Bool {
        try await CouncilModel.query(on: db).count() == 0
    }

    /// "Behandlet i": the public cases linked to `link`, newest first.
    public static func handling(_ link: CaseLink, on db: any Database) async throws -> [CaseReference] {
        let ids = try await CaseLinkModel.query(on: db).filter(\.$kind == link.kind.rawValue).filter(
            \.$target == link.target
        ).all().map(\.caseId)
        guard !ids.isEmpty else { return [] }
        let cases = try await CouncilCaseModel.query(on: db).filter(\.$id ~~ ids).all().map {
            try decode(CouncilCase.self, $0.document)
        }
        let meetings = try await MeetingModel.query(on: db).filter(\.$id ~~ Set(cases.map(\.meetingId))).all().map {
            try decode(Meeting.self, $0.document)
        }
        return CaseReference.handling(link, councils: try await councils(on: db), meetings: meetings, cases: cases)
    }

    // MARK: Writing

    /// Replaces the whole council model (import, restore, first seed), after `data` passed its checks.
    public static func replaceAll(_ data: CouncilData, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            try await replaceRows(data, version: version, on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-model", entityId: "alle", action: "import", before: nil,
                after: [
                    ("Råd", String(data.councils.count)), ("Medlemskap", String(data.members.count)),
                    ("Møter", String(data.meetings.count)), ("Saker", String(data.cases.count)),
                ],
                author: author, reason: "", on: tx)
        }
    }

    /// The rows of `replaceAll`, inside a transaction the caller holds (a dataset import replaces both at once).
    static func replaceRows(_ data: CouncilData, version: Int64, on tx: any Database) async throws {
        try await CaseLinkModel.query(on: tx).delete()
        try await CouncilCaseModel.query(on: tx).delete()
        try await MeetingModel.query(on: tx).delete()
        try await CouncilMemberModel.query(on: tx).delete()
        try await CouncilModel.query(on: tx).delete()
        let councilOfMeeting = Dictionary(data.meetings.map { ($0.id, $0.council) }, uniquingKeysWith: { a, _ in a })
        for c in data.councils { try await councilRow(c, version: version).create(on: tx) }
        for m in data.members { try await memberRow(m).create(on: tx) }
        for m in data.meetings { try await meetingRow(m, version: version).create(on: tx) }
        for c in data.cases {
            guard let council = councilOfMeeting[c.meetingId] else {
                throw Problem.notFound("Møtet «\(c.meetingId)»")
            }
            try await insertCase(c, council: council, version: version, on: tx)
        }
        try await reindex(on: tx)
    }

    /// What a case may link to: the dataset's goals, sub-goals, initiatives and indicators, every report period and the
    /// published scoring rounds (a draft's title is not public).
    public static func linkTargets(dataset: Dataset, on db: any Database) async throws -> LinkTargets {
        LinkTargets(
            dataset: dataset, reportPeriods: try await ReportStore.periods(on: db),
            scoringRounds: try await ScoringStore.publishedTitles(on: db))
    }

    /// Name, names over time, mandate and responsibilities.
    public static func saveCouncil(_ council: Council, expectedVersion: Int64, author: Author, on db: any Database)
        async throws -> SaveResult<Council>
    {
        try await versionedSave(Council.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await CouncilModel.find(council.slug, on: tx) else {
                throw RefusedSave<Council>.notFound
            }
            let before = try decode(Council.self, row.document)
            guard row.version == expectedVersion else { throw RefusedSave.conflict(before, version: row.version) }
            let problems = CouncilData(councils: [council], members: [], meetings: [], cases: []).problems(targets: nil)
            guard problems.isEmpty else { throw RefusedSave<Council>.refused(problems) }
            row.document = try json(council)
            row.version = version
            try await row.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council", entityId: council.slug, action: "update", before: describe(before),
                after: describe(council),
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return version
        }
    }

    /// Adds a member; with `replacing`, the replaced member's seat ends the day the new one starts (X erstatter Y).
    public static func addMember(
        _ member: Membership, replacing previousId: String?, author: Author, on db: any Database
    ) async throws {
        try await db.transaction { tx in
            _ = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard try await CouncilModel.find(member.council, on: tx) != nil else { throw Problem.notFound("Rådet") }
            var all = try await members(of: member.council, on: tx)
            var new = member
            if let previousId {
                guard let i = all.firstIndex(where: { $0.id == previousId }) else {
                    throw Problem.notFound("Medlemmet som erstattes")
                }
                guard all[i].until == nil else {
                    throw Problem.invalid(["\(all[i].name) har allerede gått ut av rådet"])
                }
                guard let from = member.from else { throw Problem.invalid(["oppgi datoen \(member.name) tar over"]) }
                all[i].until = from
                new.replaces = previousId
                let problems = Memberships.problems(all + [new])
                guard problems.isEmpty else { throw Problem.invalid(problems) }
                guard let row = try await CouncilMemberModel.find(previousId, on: tx) else {
                    throw Problem.notFound("Medlemmet som erstattes")
                }
                try await memberRow(all[i], into: row).update(on: tx)
            } else {
                let problems = Memberships.problems(all + [new])
                guard problems.isEmpty else { throw Problem.invalid(problems) }
            }
            try await memberRow(new).create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-member", entityId: new.id, action: "create", before: nil,
                after: [
                    ("Råd", new.council), ("Navn", new.name), ("Tittel", new.title),
                    ("Organisasjon", new.organisation),
                    ("Rolle", new.role.name), ("Fra", new.from?.description ?? ""),
                    ("Erstatter", all.first { $0.id == previousId }?.name ?? ""),
                ],
                author: author, reason: "", on: tx)
        }
    }

    /// Ends a membership (without a successor) from `until`.
    public static func endMember(_ id: String, until: Day, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            _ = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await CouncilMemberModel.find(id, on: tx) else { throw Problem.notFound("Medlemmet") }
            var m = membership(row)
            guard m.until == nil else { throw Problem.invalid(["\(m.name) har allerede gått ut av rådet"]) }
            m.until = until
            let problems = Memberships.problems([m])
            guard problems.isEmpty else { throw Problem.invalid(problems) }
            try await memberRow(m, into: row).update(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-member", entityId: id, action: "update", before: [("Til", "")],
                after: [("Til", until.description)],
                author: author, reason: "", on: tx)
        }
    }

    /// Creates a meeting; a second meeting the same day gets the next free number that day. Returns the stored meeting.
    @discardableResult
    public static func createMeeting(_ draft: Meeting, author: Author, on db: any Database) async throws -> Meeting {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard try await CouncilModel.find(draft.council, on: tx) != nil else { throw Problem.notFound("Rådet") }
            var meeting = draft
            let n = Meeting.freeSequence(
                on: meeting.startsOn, taken: try await meetingKeys(of: meeting.council, except: nil, on: tx))
            meeting.sequence = n > 1 ? n : nil
            try await validate(meeting, on: tx)
            try await meetingRow(meeting, version: version).create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-meeting", entityId: meeting.id, action: "create", before: nil,
                after: describe(meeting),
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return meeting
        }
    }

    /// The keys of the council's meetings (all but `except`).
    static func meetingKeys(of council: String, except id: String?, on db: any Database) async throws -> Set<String> {
        Set(
            try await MeetingModel.query(on: db).filter(\.$councilId == council).all().filter { $0.id != id }.map(
                \.startsOn))
    }

    /// Changes a meeting's details or state, if nobody changed it since `expectedVersion`. A meeting with cases keeps
    /// its year
    /// (the case numbers carry it) and cannot lose the days its cases are on.
    /// A meeting moved to another day takes the first free number on that day (read it back by id for its address).
    public static func updateMeeting(_ changed: Meeting, expectedVersion: Int64, author: Author, on db: any Database)
        async throws -> SaveResult<Meeting>
    {
        try await versionedSave(Meeting.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await MeetingModel.find(changed.id, on: tx) else { throw RefusedSave<Meeting>.notFound }
            let before = try decode(Meeting.self, row.document)
            guard row.version == expectedVersion else { throw RefusedSave.conflict(before, version: row.version) }
            var meeting = changed
            if meeting.startsOn != before.startsOn {
                let n = Meeting.freeSequence(
                    on: meeting.startsOn, taken: try await meetingKeys(of: meeting.council, except: meeting.id, on: tx))
                meeting.sequence = n > 1 ? n : nil
            }
            do { try await validate(meeting, on: tx) } catch Problem.invalid(let problems) {
                throw RefusedSave<Meeting>.refused(problems)
            }
            let cases = try await CouncilCaseModel.query(on: tx).filter(\.$meetingId == meeting.id).all().map {
                try decode(CouncilCase.self, $0.document)
            }
            if !cases.isEmpty && meeting.startsOn.year != before.startsOn.year {
                throw RefusedSave<Meeting>.refused([
                    "møtet har saker nummerert for \(before.startsOn.year); det kan ikke flyttes til et annet år"
                ])
            }
            if let c = cases.first(where: { $0.day > meeting.days }) {
                throw RefusedSave<Meeting>.refused([
                    "sak \(c.number) står på dag \(c.day), som ikke lenger er med i møtet"
                ])
            }
            let updated = meetingRow(meeting, version: version)
            row.startsOn = updated.startsOn
            row.state = updated.state
            row.document = updated.document
            row.version = version
            try await row.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-meeting", entityId: meeting.id, action: "update", before: describe(before),
                after: describe(meeting),
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return version
        }
    }

    /// Adds a case to a meeting and gives it the council's next number for the meeting's year. Returns the stored case.
    @discardableResult
    public static func addCase(
        _ draft: CouncilCase, toMeeting meetingId: String, targets: LinkTargets, author: Author, on db: any Database
    ) async throws -> CouncilCase {
        try await db.transaction { tx in
            // nextVersion takes the write lock first, so two secretaries adding cases at once get consecutive numbers.
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await MeetingModel.find(meetingId, on: tx) else { throw Problem.notFound("Møtet") }
            let meeting = try decode(Meeting.self, row.document)
            let year = meeting.startsOn.year
            let used = try await CouncilCaseModel.query(on: tx).filter(\.$councilId == meeting.council).filter(
                \.$year == year
            ).all()
                .map { CaseNumber(sequence: $0.sequence, year: $0.year) }
            var item = draft
            item.meetingId = meetingId
            item.number = CaseNumbering.next(year: year, used: used)
            item.id = UUID().uuidString.lowercased()
            let problems = item.problems(meetingDays: meeting.days, targets: targets)
            guard problems.isEmpty else { throw Problem.invalid(problems) }
            try await insertCase(item, council: meeting.council, version: version, on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-case", entityId: item.id, action: "create", before: nil, after: describe(item),
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return item
        }
    }

    /// Saves a case (its number and meeting never change), if nobody changed it since `expectedVersion`.
    public static func updateCase(
        _ item: CouncilCase, expectedVersion: Int64, targets: LinkTargets, author: Author,
        on db: any Database
    ) async throws -> SaveResult<CouncilCase> {
        try await versionedSave(CouncilCase.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await CouncilCaseModel.find(item.id, on: tx) else {
                throw RefusedSave<CouncilCase>.notFound
            }
            let before = try decode(CouncilCase.self, row.document)
            guard row.version == expectedVersion else { throw RefusedSave.conflict(before, version: row.version) }
            guard let meetingRow = try await MeetingModel.find(before.meetingId, on: tx) else {
                throw RefusedSave<CouncilCase>.notFound
            }
            let meeting = try decode(Meeting.self, meetingRow.document)
            var updated = item
            updated.number = before.number
            updated.meetingId = before.meetingId
            let problems = updated.problems(meetingDays: meeting.days, targets: targets)
            guard problems.isEmpty else { throw RefusedSave<CouncilCase>.refused(problems) }
            row.document = try json(updated)
            row.version = version
            try await row.save(on: tx)
            try await CaseLinkModel.query(on: tx).filter(\.$caseId == item.id).delete()
            for link in updated.links { try await linkRow(caseId: item.id, link).create(on: tx) }
            try await RoadmapWrites.audit(
                entityType: "council-case", entityId: item.id, action: "update", before: describe(before),
                after: describe(updated),
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return version
        }
    }

    /// Removes a case added by mistake, while the meeting's notice is unpublished (afterwards a case can only be
    /// withdrawn: its number has been public). The number is free again if it was the year's last.
    public static func removeCase(_ id: String, expectedVersion: Int64, author: Author, on db: any Database)
        async throws -> SaveResult<CouncilCase>
    {
        try await versionedSave(CouncilCase.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.councils], on: tx)
            guard let row = try await CouncilCaseModel.find(id, on: tx) else { throw RefusedSave<CouncilCase>.notFound }
            let item = try decode(CouncilCase.self, row.document)
            guard row.version == expectedVersion else { throw RefusedSave.conflict(item, version: row.version) }
            guard let meetingRow = try await MeetingModel.find(item.meetingId, on: tx) else {
                throw RefusedSave<CouncilCase>.notFound
            }
            guard try decode(Meeting.self, meetingRow.document).state == .planlagt else {
                throw RefusedSave<CouncilCase>.refused([
                    "innkallingen er publisert, så saken kan bare trekkes (nummeret er kjent)"
                ])
            }
            try await CaseLinkModel.query(on: tx).filter(\.$caseId == id).delete()
            try await row.delete(on: tx)
            try await RoadmapWrites.audit(
                entityType: "council-case", entityId: id, action: "delete", before: describe(item), after: nil,
                author: author, reason: "", on: tx)
            try await reindex(on: tx)
            return version
        }
    }

    // MARK: Rows

    static func validate(_ meeting: Meeting, on db: any Database) async throws {
        var problems = meeting.problems(members: try await members(of: meeting.council, on: db))
        if let other = try await MeetingModel.query(on: db).filter(\.$councilId == meeting.council).filter(
            \.$startsOn == meeting.key
        ).first(),
            other.id != meeting.id
        {
            problems.append("rådet har allerede et møte \(meeting.startsOn.norwegian) med samme nummer")
        }
        guard problems.isEmpty else { throw Problem.invalid(problems) }
    }

    static func councilRow(_ c: Council, version: Int64) throws -> CouncilModel {
        let row = CouncilModel()
        row.id = c.slug
        row.position = c.position
        row.document = try json(c)
        row.version = version
        return row
    }

    static func memberRow(_ m: Membership, into existing: CouncilMemberModel? = nil) -> CouncilMemberModel {
        let row = existing ?? CouncilMemberModel()
        row.id = m.id
        row.councilId = m.council
        row.name = m.name
        row.title = m.title
        row.organisation = m.organisation
        row.role = m.role.rawValue
        row.fromDay = m.from?.description
        row.untilDay = m.until?.description
        row.replaces = m.replaces
        return row
    }

    static func meetingRow(_ m: Meeting, version: Int64) -> MeetingModel {
        let row = MeetingModel()
        row.id = m.id
        row.councilId = m.council
        row.startsOn = m.key
        row.state = m.state.rawValue
        row.document = (try? json(m)) ?? "{}"
        row.version = version
        return row
    }

    static func insertCase(_ c: CouncilCase, council: String, version: Int64, on db: any Database) async throws {
        let row = CouncilCaseModel()
        row.id = c.id
        row.meetingId = c.meetingId
        row.councilId = council
        row.year = c.number.year
        row.sequence = c.number.sequence
        row.document = try json(c)
        row.version = version
        try await row.create(on: db)
        for link in c.links { try await linkRow(caseId: c.id, link).create(on: db) }
    }

    static func linkRow(caseId: String, _ link: CaseLink) -> CaseLinkModel {
        let row = CaseLinkModel()
        row.caseId = caseId
        row.kind = link.kind.rawValue
        row.target = link.target
        return row
    }

    static func reindex(on db: any Database) async throws {
        try await SearchIndex.replace(
            SearchDocument.Kind.councilModel, with: SearchDocument.all(from: try await data(on: db)), on: db)
    }

    // MARK: Audit descriptions

    static func describe(_ c: Council) -> [(String, String)] {
        [
            (
                "Navn",
                c.names.map { "\($0.name) (\($0.shortName))" + ($0.from.map { " fra \($0)" } ?? "") }.joined(
                    separator: "; ")
            ),
            ("Mandat", c.mandate), ("Ansvar", c.responsibilities.joined(separator: "\n")),
        ]
    }

    static func describe(_ m: Meeting) -> [(String, String)] {
        [
            ("Dato", m.startsOn == m.endsOn ? m.startsOn.description : "\(m.startsOn)–\(m.endsOn)"),
            ("Tid", [m.startTime, m.endTime].map { $0?.description ?? "" }.joined(separator: "–")), ("Sted", m.place),
            ("Møtenummer", m.number),
            ("Status", m.state.name), ("Merknad", m.note),
            (
                "Stedfortredere",
                m.substitutes.map { "\($0.name) (\($0.organisation)) for \($0.forMember)" }.joined(separator: "; ")
            ),
            (
                "Andre punkter",
                m.breaks.map { "dag \($0.day) \($0.time?.description ?? "") \($0.title)" }.joined(separator: "; ")
            ),
            (
                "Oppmøte",
                m.attendance.map {
                    "\($0.present.count) medlemmer møtte"
                        + ($0.others.isEmpty ? "" : "; også " + $0.others.joined(separator: ", "))
                }
                    ?? "ikke registrert"
            ),
            ("Rettelser", (m.corrections ?? []).map { "\($0.day): \($0.note)" }.joined(separator: "\n")),
        ]
    }

    static func describe(_ c: CouncilCase) -> [(String, String)] {
        [
            ("Sak", c.number.description), ("Tittel", c.title), ("Type", c.type?.name ?? ""),
            ("Innledere", c.presenters.map(\.text).joined(separator: "; ")),
            ("Tid", "dag \(c.day) \(c.time?.description ?? "")"), ("Sammendrag", c.summary),
            ("Spørsmål", c.questions.joined(separator: "\n")),
            ("Forslag til vedtak", c.proposedDecision), ("Vedtak", c.decision),
            (
                "Oppfølging",
                c.followUps.map {
                    "\($0.text) – \($0.owner) \($0.due?.description ?? "")\($0.done ? " (utført)" : "")"
                }
                .joined(separator: "\n")
            ),
            ("Koblinger", c.links.map(\.text).joined(separator: " ")), ("Trukket", c.withdrawn ? "ja" : "nei"),
            ("Rettelser", (c.corrections ?? []).map { "\($0.day): \($0.note)" }.joined(separator: "\n")),
        ]
    }
}
