import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// The council model: councils, members, meetings with their timed agenda and cases, notices and minutes, calendar
/// feeds,
/// and the secretariat's forms.
struct CouncilController: RouteCollection {
    static let conflictText = "Noen andre har endret dette etter at du åpnet det. Se endringene og prøv igjen."

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.councils, use: list)
        routes.get(.calendar, use: allFeed)
        routes.get(.council(":council"), use: council)
        routes.get(.councilCalendar(":council"), use: councilFeed)
        routes.post(.councilEdit(":council"), use: saveCouncil)
        routes.post(.councilMembers(":council"), use: addMember)
        routes.post(.councilMemberEnd(":council"), use: endMember)
        routes.post(.councilMeetings(":council"), use: createMeeting)
        routes.get(.meeting(council: ":council", meeting: ":date", .page)) { req in
            try await self.meeting(req: req, mode: .page)
        }
        routes.get(.meeting(council: ":council", meeting: ":date", .notice)) { req in
            try await self.meeting(req: req, mode: .notice)
        }
        routes.get(.meeting(council: ":council", meeting: ":date", .minutes)) { req in
            try await self.meeting(req: req, mode: .minutes)
        }
        routes.get(.meeting(council: ":council", meeting: ":date", .edit), use: meetingForm)
        routes.post(.meeting(council: ":council", meeting: ":date", .edit), use: saveMeeting)
        routes.get(.meeting(council: ":council", meeting: ":date", .state), use: publishConfirmation)
        routes.post(.meeting(council: ":council", meeting: ":date", .state), use: changeState)
        routes.get(.newCase(council: ":council", meeting: ":date"), use: newCaseForm)
        routes.post(.newCase(council: ":council", meeting: ":date"), use: createCase)
        routes.get(.councilCase(council: ":council", meeting: ":date", case: ":case", .edit), use: caseForm)
        routes.post(.councilCase(council: ":council", meeting: ":date", case: ":case", .edit), use: saveCase)
        routes.get(
            .councilCase(council: ":council", meeting: ":date", case: ":case", .removal), use: removeCaseConfirmation)
        routes.post(.councilCase(council: ":council", meeting: ":date", case: ":case", .removal), use: removeCase)
    }

    // MARK: Reading

    func list(req: Request) async throws -> Response {
        let councils = try await CouncilStore.councils(on: req.db)
        let members = try await CouncilStore.members(on: req.db)
        let meetings = try await CouncilStore.meetings(on: req.db)
        let today = req.today
        let entries = councils.map { c in
            let own = meetings.filter { $0.council == c.slug }
            return CouncilListModel.Entry(
                council: c, members: Memberships.at(today, members.filter { $0.council == c.slug }).count,
                next: own.first { $0.endsOn >= today }, last: own.last { $0.endsOn < today })
        }
        return .html(CouncilListView.render(CouncilListModel(entries: entries, today: today)))
    }

    func requireCouncil(_ req: Request) async throws -> (council: Council, version: Int64) {
        let slug = req.parameters.get("council") ?? ""
        guard let found = try await CouncilStore.council(slug, on: req.db) else {
            throw Abort(.notFound, reason: "Rådet «\(slug)» finnes ikke.")
        }
        return found
    }

    func council(req: Request) async throws -> Response {
        try await councilPage(req: req)
    }

    /// The council page; after a refused form, `form` names it and `values`/`problems` refill it (422).
    func councilPage(
        req: Request, form: String? = nil, values: [String: String] = [:], problems: [String] = [],
        errors: FieldErrors = FieldErrors(),
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let (c, version) = try await requireCouncil(req)
        var date = req.today
        if let raw = req.queryDictionary["dato"], !raw.isEmpty {
            guard let d = Day.parse(raw) else { throw Abort(.badRequest, reason: "Datoen må skrives ÅÅÅÅ-MM-DD.") }
            date = d
        }
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        var model = CouncilPageModel(
            council: c, members: members, meetings: try await CouncilStore.meetings(of: c.slug, on: req.db), date: date,
            today: req.today)
        if Access.canWriteCouncils(req.principal) {
            model.edit = .init(
                csrf: req.csrfToken(), version: version, active: Memberships.at(req.today, members), values: values,
                problems: problems,
                form: form, errors: errors)
        }
        let response = Response.html(CouncilPageView.render(model))
        response.status = status
        return response
    }

    func requireMeeting(_ req: Request, council: Council) async throws -> (meeting: Meeting, version: Int64) {
        let raw = req.parameters.get("date") ?? ""
        // One address per meeting: `2026-12-03-02` or `+2026-…` are not another way to write it.
        guard let key = Meeting.parseKey(raw), Meeting.key(key.day, sequence: key.sequence) == raw,
            let found = try await CouncilStore.meeting(council.slug, key: raw, on: req.db)
        else {
            throw Abort(.notFound, reason: "\(council.name) har ikke noe møte «\(raw)».")
        }
        return found
    }

    func meeting(req: Request, mode: MeetingPageModel.Mode) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, version) = try await requireMeeting(req, council: c)
        let canEdit = Access.canWriteCouncils(req.principal)
        switch mode {
        case .notice where !mt.state.agendaIsPublic && !canEdit, .minutes where !mt.state.decisionsArePublic:
            throw Abort(
                .notFound,
                reason: mode == .notice
                    ? "Innkallingen er ikke publisert ennå." : "Referatet er ikke publisert ennå.")
        default: break
        }
        let cases = try await CouncilStore.cases(of: mt.id, on: req.db).map(\.item)
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        var titles: [CaseLink: String] = [:]
        for link in cases.flatMap(\.links) { titles[link] = targets.title(link) }
        let members = Memberships.at(mt.startsOn, try await CouncilStore.members(of: c.slug, on: req.db))
        var model = MeetingPageModel(
            council: c, meeting: mt, cases: cases, members: members, linkTitles: titles, mode: mode, today: req.today,
            canEdit: canEdit)
        if canEdit && mode == .page { model.workflow = (req.csrfToken(), version) }
        if mt.state != .referat && model.showsAgenda {
            let d = try await req.dataset()
            let open = FollowUpAgenda.open(
                for: mt, meetings: try await CouncilStore.meetings(of: c.slug, on: req.db),
                cases: try await CouncilStore.allCases(on: req.db), today: req.today, publicOnly: !canEdit)
            model.followUps = open.map { item in
                MeetingPageModel.FollowUpLine(
                    item: item,
                    links: item.origin.links.sorted().map { link in
                        (link, targets.title(link) ?? link.target, LinkStatus.text(link, dataset: d, today: req.today))
                    })
            }
            // The live status of the linked initiatives is on the page: a change to them must evict it.
            let linked = open.flatMap(\.origin.links).filter { $0.kind == .initiative }.map {
                PageTopics.initiative($0.target)
            }
            if !linked.isEmpty { req.shows((PageTopics.topics(forPath: req.url.path) ?? []).union(linked)) }
        }
        return .html(MeetingPageView.render(model))
    }

    // MARK: Calendar feeds

    func allFeed(req: Request) async throws -> Response {
        try await feed(req: req, council: nil)
    }

    func councilFeed(req: Request) async throws -> Response {
        try await feed(req: req, council: try await requireCouncil(req).council)
    }

    func feed(req: Request, council: Council?) async throws -> Response {
        let councils = try await CouncilStore.councils(on: req.db)
        let meetings = try await CouncilStore.meetings(of: council?.slug, on: req.db)
        let base = req.publicBaseURL
        var events: [ICalendar.Event] = []
        // One query for every case, not one per meeting.
        let casesByMeeting = Dictionary(grouping: try await CouncilStore.allCases(on: req.db), by: \.meetingId)
        for mt in meetings {
            guard let c = councils.first(where: { $0.slug == mt.council }) else { continue }
            let agenda =
                mt.state.agendaIsPublic
                ? (casesByMeeting[mt.id] ?? []).sorted { $0.number < $1.number }.map {
                    "\($0.number) \($0.title)" + ($0.time.map { " (\($0))" } ?? "")
                }
                : []
            let url = base + SiteURL.meeting(council: mt.council, meeting: mt.key, .page).path
            events.append(
                ICalendar.Event(
                    meeting: mt, councilName: c.name(on: mt.startsOn).shortName, agenda: agenda,
                    url: url))
        }
        let name = council.map { "Møter i \($0.name)" } ?? "Møter i rådsmodellen"
        // The feed for all councils carries the deadlines of the open reporting rounds too.
        let deadlines =
            council != nil
            ? []
            : try await RoundStore.rounds(on: req.db).filter { !$0.round.isClosed }.map { s in
                ICalendar.Deadline(
                    id: "rapportering-\(s.round.id)", day: s.round.deadline,
                    title: "Frist for rapportering \(s.round.period.norwegian)",
                    url: base + SiteURL.reportingRound(s.round.id).path)
            }
        let text = ICalendar.feed(
            name: name, events: events, deadlines: deadlines,
            stamp: try await RoadmapWrites.lastChange(on: req.db) ?? Date(timeIntervalSince1970: 0))
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "inline; filename=\"\(council?.slug ?? "radsmodellen").ics\"")
        return response
    }

    // MARK: Council and members

    func saveCouncil(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let values = try req.content.decode([String: String].self)
        var errors = FieldErrors()
        var updated = c
        updated.names = CouncilForms.names(values, errors: &errors)
        updated.mandate = (values["mandattekst"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        updated.responsibilities = CouncilForms.items(values["ansvar"] ?? "")
        guard errors.isEmpty else {
            return try await councilPage(
                req: req, form: "rad", values: values, errors: errors, status: .unprocessableEntity)
        }
        switch try await CouncilStore.saveCouncil(
            updated, expectedVersion: Int64(values["versjon"] ?? "") ?? -1,
            author: Author(req.principal!, source: .ui), on: req.db)
        {
        case .saved: return req.redirect(to: SiteURL.council(c.slug).path, redirectType: .normal)
        case .conflict:
            return try await councilPage(
                req: req, form: "rad", values: values, problems: [Self.conflictText], status: .conflict)
        case .notFound: throw Abort(.notFound, reason: "Rådet «\(c.slug)» finnes ikke.")
        case .refused(let reasons):
            return try await councilPage(
                req: req, form: "rad", values: values, problems: [reasons.joined(separator: "; ")],
                status: .unprocessableEntity)
        }
    }

    struct MemberForm: Content {
        let navn: String
        let tittel: String?
        let organisasjon: String?
        let rolle: String?
        let fra: String?
        let erstatter: String?
    }

    func addMember(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(MemberForm.self)
        let values = [
            "navn": form.navn, "tittel": form.tittel ?? "", "organisasjon": form.organisasjon ?? "",
            "rolle": form.rolle ?? "",
            "fra": form.fra ?? "", "erstatter": form.erstatter ?? "",
        ]
        var errors = FieldErrors()
        let name = form.navn.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { errors.messages["navn"] = "Skriv navnet." }
        let role = CouncilRole(rawValue: form.rolle ?? "medlem")
        if role == nil { errors.messages["rolle"] = "Velg en av rollene i listen." }
        let from = day(values, "fra", "fra-datoen", errors: &errors)
        guard errors.isEmpty, let role else {
            return try await councilPage(
                req: req, form: "medlem", values: values, errors: errors, status: .unprocessableEntity)
        }
        let member = Membership(
            id: "m-" + UUID().uuidString.lowercased().prefix(12), council: c.slug, name: name,
            title: (form.tittel ?? "").trimmingCharacters(in: .whitespaces),
            organisation: (form.organisasjon ?? "").trimmingCharacters(in: .whitespaces), role: role, from: from,
            until: nil, replaces: nil)
        let replacing = (form.erstatter ?? "").isEmpty ? nil : form.erstatter
        do {
            try await CouncilStore.addMember(
                member, replacing: replacing, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as CouncilStore.Problem {
            return try await councilPage(
                req: req, form: "medlem", values: values, problems: [problem.description], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.council(c.slug).path(fragment: "medlemmer"), redirectType: .normal)
    }

    struct EndMemberForm: Content {
        let medlem: String
        let til: String
    }

    func endMember(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(EndMemberForm.self)
        var errors = FieldErrors()
        let values = ["medlem": form.medlem, "til": form.til]
        let until = day(values, "til", "datoen", errors: &errors)
        let member = try await CouncilStore.members(of: c.slug, on: req.db).first { $0.id == form.medlem }
        if member == nil { errors.messages["medlem"] = "Velg et av medlemmene i \(c.name)." }
        if until == nil && errors["til"] == nil { errors.messages["til"] = "Skriv siste dag i rådet." }
        guard errors.isEmpty, let until else {
            return try await councilPage(
                req: req, form: "avslutt", values: values, errors: errors, status: .unprocessableEntity)
        }
        do {
            try await CouncilStore.endMember(
                form.medlem, until: until, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as CouncilStore.Problem {
            return try await councilPage(
                req: req, form: "avslutt", values: ["medlem": form.medlem, "til": form.til],
                problems: [problem.description], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.council(c.slug).path(fragment: "endringer"), redirectType: .normal)
    }

    // MARK: Meetings

    /// The reason for a change to something published, appended to the corrections; nil (and a field error) without
    /// one.
    func correction(_ form: [String: String], after existing: [Correction]?, today: Day, errors: inout FieldErrors)
        -> [Correction]?
    {
        let note = (form["rettelse"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.isEmpty {
            errors.messages["rettelse"] = "Skriv hva som er rettet og hvorfor; det vises for leserne."
            return nil
        }
        if note.count > 1000 || TextRules.hasControlCharacters(note) {
            errors.messages["rettelse"] = "Rettelsen kan ha høyst 1000 vanlige tegn."
            return nil
        }
        return (existing ?? []) + [Correction(day: today, note: note)]
    }

    /// An optional date field (`15.12.2026` or ISO): nil when empty; text that is no date is an error on the field.
    func day(_ form: [String: String], _ key: String, _ label: String, errors: inout FieldErrors) -> Day? {
        let text = (form[key] ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let d = ReportingRound.day(text) else {
            errors.messages[key] = "\(label.capitalizedFirst) må være en dato, f.eks. 15.12.2026."
            return nil
        }
        return d
    }

    /// An optional time field (`10:30`): nil when empty; anything else is an error on the field.
    func time(_ form: [String: String], _ key: String, _ label: String, errors: inout FieldErrors) -> ClockTime? {
        let text = (form[key] ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let t = ClockTime.parse(text) else {
            errors.messages[key] = "\(label.capitalizedFirst) må være et klokkeslett, f.eks. 10:30."
            return nil
        }
        return t
    }

    /// Reads the meeting form onto `base` (a new meeting or the stored one). The new-meeting form on the council page
    /// has only the first fields; the rows and attendance are read when `full`.
    func apply(
        _ form: [String: String], to base: Meeting, members: [Membership], full: Bool, today: Day,
        errors: inout FieldErrors
    ) -> Meeting {
        var mt = base
        func trimmed(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        if let start = day(form, "startdato", "startdato", errors: &errors) {
            mt.startsOn = start
        } else if trimmed("startdato").isEmpty {
            errors.messages["startdato"] = "Skriv møtets dato."
        }
        mt.endsOn = day(form, "sluttdato", "sluttdato", errors: &errors) ?? mt.startsOn
        mt.startTime = time(form, "starttid", "starttid", errors: &errors)
        mt.endTime = time(form, "sluttid", "sluttid", errors: &errors)
        mt.place = trimmed("sted")
        mt.number = trimmed("nummer")
        mt.note = trimmed("merknad")
        guard full else { return mt }
        mt.breaks = CouncilForms.breaks(form, days: mt.days, errors: &errors)
        let sitting = Memberships.at(mt.startsOn, members)
        let (attendance, substitutes) = CouncilForms.attendance(form, sitting: sitting, errors: &errors)
        if attendance != nil && today < mt.startsOn {
            errors.messages["oppmote"] = "Oppmøtet registreres på eller etter møtedagen (\(mt.startsOn.norwegian))."
        }
        mt.attendance = attendance
        mt.substitutes = substitutes
        return mt
    }

    func createMeeting(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode([String: String].self)
        var errors = FieldErrors()
        var problems: [String] = []
        let placeholder = Meeting(
            id: UUID().uuidString.lowercased(), council: c.slug, number: "", startsOn: req.today, endsOn: req.today,
            startTime: nil, endTime: nil,
            place: "", state: .planlagt, note: "", substitutes: [], breaks: [])
        let mt = apply(
            form, to: placeholder, members: try await CouncilStore.members(of: c.slug, on: req.db), full: false,
            today: req.today,
            errors: &errors)
        // A second meeting the same day is on purpose, never a double click.
        if errors.isEmpty, form["samme-dag"] != "ja",
            let other = try await CouncilStore.meetings(of: c.slug, on: req.db).first(where: {
                $0.startsOn == mt.startsOn
            })
        {
            errors.messages["samme-dag"] =
                "Rådet har allerede et møte \(other.datesText). Kryss av for å opprette et møte til samme dag."
        }
        if errors.isEmpty {
            do {
                let stored = try await CouncilStore.createMeeting(
                    mt, author: Author(req.principal!, source: .ui), on: req.db)
                return req.redirect(
                    to: SiteURL.meeting(council: stored.council, meeting: stored.key, .page).path,
                    redirectType: .normal)
            } catch let problem as CouncilStore.Problem {
                problems.append(problem.description)
            }
        }
        return try await councilPage(
            req: req, form: "mote", values: form, problems: problems, errors: errors, status: .unprocessableEntity)
    }

    func meetingValues(_ mt: Meeting, members: [Membership]) -> [String: String] {
        [
            "startdato": mt.startsOn.description, "sluttdato": mt.endsOn == mt.startsOn ? "" : mt.endsOn.description,
            "starttid": mt.startTime?.description ?? "", "sluttid": mt.endTime?.description ?? "", "sted": mt.place,
            "nummer": mt.number, "merknad": mt.note,
        ]
        .merging(CouncilForms.breakValues(mt.breaks)) { a, _ in a }
        .merging(
            CouncilForms.attendanceValues(
                mt.attendance, substitutes: mt.substitutes, sitting: Memberships.at(mt.startsOn, members))
        ) { a, _ in a }
    }

    /// What a conflict shows of the stored meeting: the plain fields, with their labels.
    func meetingSummary(_ mt: Meeting, members: [Membership]) -> [(String, String)] {
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return [
            ("Dato", mt.datesText),
            ("Tid", [mt.startTime, mt.endTime].compactMap { $0?.description }.joined(separator: "–")),
            ("Sted", mt.place), ("Møtenummer", mt.number), ("Merknad", mt.note),
            ("Andre punkter", mt.breaks.map { "\($0.time?.description ?? "") \($0.title)" }.joined(separator: "; ")),
            (
                "Møtte",
                mt.attendance.map { $0.present.compactMap { names[$0] }.joined(separator: ", ") } ?? "ikke registrert"
            ),
            (
                "Stedfortredere",
                mt.substitutes.map { "\($0.name) for \(names[$0.forMember] ?? "et medlem")" }.joined(separator: "; ")
            ),
        ]
    }

    func meetingFormModel(
        _ req: Request, council c: Council, meeting mt: Meeting, version: Int64, values: [String: String],
        members: [Membership]
    ) -> MeetingFormModel {
        var model = MeetingFormModel(
            council: c, meeting: mt, csrf: req.csrfToken(), version: version, values: values, problems: [],
            conflict: nil)
        model.sitting = Memberships.at(mt.startsOn, members)
        return model
    }

    func meetingForm(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, version) = try await requireMeeting(req, council: c)
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        return .html(
            MeetingFormView.render(
                meetingFormModel(
                    req, council: c, meeting: mt, version: version, values: meetingValues(mt, members: members),
                    members: members)))
    }

    func saveMeeting(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (stored, _) = try await requireMeeting(req, council: c)
        let form = try req.content.decode([String: String].self)
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        var errors = FieldErrors()
        var problems: [String] = []
        var mt = apply(form, to: stored, members: members, full: true, today: req.today, errors: &errors)
        // After the notice, a change readers can see is a correction, shown with its reason (attendance is recorded
        // after the meeting and is new information until the minutes are out).
        var comparable = mt
        var before = stored
        if stored.state == .innkalt {
            comparable.attendance = nil
            before.attendance = nil
            comparable.substitutes = []
            before.substitutes = []
        }
        comparable.corrections = nil
        before.corrections = nil
        if stored.state != .planlagt && comparable != before {
            if let c = correction(form, after: stored.corrections, today: req.today, errors: &errors) {
                mt.corrections = c
            }
        }
        var conflict: [(String, String)]?
        var formVersion = Int64(form["versjon"] ?? "") ?? -1
        if errors.isEmpty {
            switch try await CouncilStore.updateMeeting(
                mt, expectedVersion: formVersion, author: Author(req.principal!, source: .ui),
                on: req.db)
            {
            case .saved:
                // A move to another day may have given the meeting another number that day: its address is read back.
                let saved = try await CouncilStore.meeting(id: mt.id, on: req.db)?.meeting ?? mt
                return req.redirect(
                    to: SiteURL.meeting(council: saved.council, meeting: saved.key, .page).path,
                    redirectType: .normal)
            case .conflict(let current, let currentVersion):
                conflict = meetingSummary(current, members: members)
                formVersion = currentVersion
            case .notFound: throw Abort(.notFound, reason: "Møtet finnes ikke.")
            case .refused(let reasons): problems.append(reasons.joined(separator: "; "))
            }
        }
        var model = MeetingFormModel(
            council: c, meeting: stored, csrf: req.csrfToken(), version: formVersion, values: form, problems: problems,
            conflict: conflict)
        model.sitting = Memberships.at(stored.startsOn, members)
        model.errors = errors
        let response = Response.html(MeetingFormView.render(model))
        response.status = conflict != nil ? .conflict : .unprocessableEntity
        return response
    }

    /// "a", "a og b", "a, b og c".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " og " + items.last!
    }

    /// The step before publishing the notice or the minutes: what becomes public, what is missing, and the button.
    func publishConfirmation(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, version) = try await requireMeeting(req, council: c)
        let page = SiteURL.meeting(council: mt.council, meeting: mt.key, .page).path
        guard let next = mt.state.next else {
            return req.redirect(to: page, redirectType: .normal)
        }
        let cases = try await CouncilStore.cases(of: mt.id, on: req.db).map(\.item).filter { !$0.withdrawn }
        var paragraphs: [String] = []
        // The meeting page says why it cannot be published yet.
        if next.refusal(for: mt, today: req.today) != nil { return req.redirect(to: page, redirectType: .normal) }
        switch next {
        case .innkalt:
            paragraphs.append(
                """
                Sakslisten med \(NumberText.count(cases.count, "sak", "saker")) blir offentlig, med \
                saksfremstillinger,\u{20}
                """
                    + "spørsmål og forslag til vedtak, og kommer i rådets kalender.")
            paragraphs.append(
                """
                Innkallingen kan ikke trekkes tilbake. Etterpå kan en sak bare trekkes, ikke fjernes, og \
                endringer vises som rettelser.
                """
            )
            let noProposal = cases.filter { $0.proposedDecision.isEmpty && $0.type != nil && $0.type != .orientering }
            if !noProposal.isEmpty {
                paragraphs.append(
                    "Uten forslag til vedtak: sak " + Self.list(noProposal.map(\.number.description)) + ".")
            }
            if cases.isEmpty { paragraphs.append("Møtet har ingen saker ennå.") }
        case .referat:
            let members = Memberships.at(mt.startsOn, try await CouncilStore.members(of: c.slug, on: req.db))
            if let attendance = mt.attendance {
                let away = mt.absentMembers(members)
                paragraphs.append(
                    "Oppmøte: \(NumberText.count(attendance.present.count, "medlem", "medlemmer")) møtte, "
                        + "\(away.count) hadde forfall"
                        + (mt.substitutes.isEmpty ? "." : " (\(mt.substitutes.count) med stedfortreder)."))
            }
            paragraphs.append(
                """
                Referatet blir offentlig med oppmøtet, vedtakene og oppfølgingspunktene. Det kan ikke trekkes \
                tilbake;\u{20}
                """
                    + "endringer etterpå vises som rettelser.")
            let undecided = cases.filter { $0.decision.isEmpty }
            if !undecided.isEmpty {
                paragraphs.append(
                    "Vedtak er ikke registrert i sak " + Self.list(undecided.map(\.number.description))
                        + """
                        . Referatet vil si «Vedtak er ikke registrert» for \
                        \(undecided.count == 1 ? "den" : "disse").
                        """
                )
            }
        case .planlagt: break
        }
        let title = next == .innkalt ? "Publisere innkallingen?" : "Publisere referatet?"
        return RoundController.noStore(
            ConfirmPageView.render(
                ConfirmPageModel(
                    title: "\(title) \(c.name(on: mt.startsOn).shortName) \(mt.datesText)",
                    path: SiteURL.meeting(council: mt.council, meeting: mt.key, .state).path,
                    breadcrumbs: [
                        ("Rådsmodellen", SiteURL.councils.path), (c.name, SiteURL.council(c.slug).path),
                        ("Møtet", page),
                    ],
                    paragraphs: paragraphs, formURL: SiteURL.meeting(council: mt.council, meeting: mt.key, .state).path,
                    hidden: [("versjon", String(version)), ("tilstand", next.rawValue)],
                    confirmLabel: next == .innkalt ? "Publiser innkallingen" : "Publiser referatet", backURL: page)))
    }

    struct StateForm: Content {
        let tilstand: String
        let versjon: Int64
    }

    /// Publishing the notice, then the minutes; never backwards (a published paper stays published).
    func changeState(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (stored, _) = try await requireMeeting(req, council: c)
        let form = try req.content.decode(StateForm.self)
        guard let next = MeetingState(rawValue: form.tilstand) else {
            throw Abort(.unprocessableEntity, reason: "Ukjent tilstand «\(form.tilstand)».")
        }
        guard next == stored.state.next else {
            throw Abort(
                .unprocessableEntity, reason: "Møtet kan ikke gå fra «\(stored.state.name)» til «\(next.name)».")
        }
        if let refusal = next.refusal(for: stored, today: req.today) {
            throw Abort(.unprocessableEntity, reason: refusal)
        }
        var mt = stored
        mt.state = next
        switch try await CouncilStore.updateMeeting(
            mt, expectedVersion: form.versjon, author: Author(req.principal!, source: .ui),
            on: req.db)
        {
        case .saved: break
        case .conflict:
            throw Abort(
                .conflict, reason: "Noen andre har endret møtet i mellomtiden. Last siden på nytt og prøv igjen.")
        case .notFound: throw Abort(.notFound, reason: "Møtet finnes ikke.")
        case .refused(let reasons): throw Abort(.unprocessableEntity, reason: reasons.joined(separator: "; "))
        }
        return req.redirect(
            to: SiteURL.meeting(council: mt.council, meeting: mt.key, .page).path,
            redirectType: .normal)
    }

    // MARK: Cases

    func caseValues(_ c: CouncilCase) -> [String: String] {
        [
            "tittel": c.title, "type": c.type?.rawValue ?? "", "dag": String(c.day), "tid": c.time?.description ?? "",
            "sammendrag": c.summary,
            "sporsmal": c.questions.joined(separator: "\n"), "forslag": c.proposedDecision, "vedtak": c.decision,
            "trukket": c.withdrawn ? "ja" : "",
        ]
        .merging(CouncilForms.presenterValues(c.presenters)) { a, _ in a }
        .merging(CouncilForms.followUpValues(c.followUps)) { a, _ in a }
        .merging(CouncilForms.linkValues(c.links)) { a, _ in a }
    }

    func apply(_ form: [String: String], to base: CouncilCase, targets: LinkTargets, errors: inout FieldErrors)
        -> CouncilCase
    {
        var c = base
        func trimmed(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        c.title = trimmed("tittel")
        if c.title.isEmpty { errors.messages["tittel"] = "Skriv sakens tittel." }
        let rawType = trimmed("type")
        if rawType.isEmpty {
            c.type = nil
        } else if let t = CaseType(rawValue: rawType) {
            c.type = t
        } else {
            errors.messages["type"] = "Velg en sakstype fra listen."
        }
        if let d = Int(trimmed("dag").isEmpty ? "1" : trimmed("dag")) {
            c.day = d
        } else {
            errors.messages["dag"] = "Dagen må være et tall."
        }
        c.time = time(form, "tid", "starttid", errors: &errors)
        c.summary = trimmed("sammendrag")
        c.questions = CouncilForms.items(form["sporsmal"] ?? "")
        c.proposedDecision = trimmed("forslag")
        c.decision = trimmed("vedtak")
        c.withdrawn = form["trukket"] == "ja"
        c.presenters = CouncilForms.presenters(form, errors: &errors)
        c.followUps = CouncilForms.followUps(form, errors: &errors)
        c.links = CouncilForms.links(form, targets: targets, errors: &errors)
        return c
    }

    /// After the notice, changes to what it showed are corrections (the decision and follow-ups are new until the
    /// minutes); after the minutes, every change is. A correction needs its reason, shown to readers.
    func recordCorrection(
        _ updated: inout CouncilCase, stored: CouncilCase, state: MeetingState, form: [String: String], today: Day,
        errors: inout FieldErrors
    ) {
        var a = updated
        var b = stored
        if state == .innkalt {
            a.decision = ""
            b.decision = ""
            a.followUps = []
            b.followUps = []
        }
        // Ticking a follow-up as done is the follow-up itself, not a correction of the minutes.
        for i in a.followUps.indices { a.followUps[i].done = false }
        for i in b.followUps.indices { b.followUps[i].done = false }
        guard state != .planlagt, a.differsInContent(from: b) else { return }
        if let c = correction(form, after: stored.corrections, today: today, errors: &errors) {
            updated.corrections = c
        }
    }

    /// Everything a case can link to, grouped for the pickers.
    func pickerTargets(_ targets: LinkTargets) -> [(kind: String, options: [(value: String, text: String)])] {
        CaseLinkKind.allCases.compactMap { kind in
            let titles = targets.titles[kind] ?? [:]
            guard !titles.isEmpty else { return nil }
            let options = titles.map { (value: CaseLink(kind: kind, target: $0.key).text, text: $0.value) }
                .sorted { $0.text.localizedStandardCompare($1.text) == .orderedAscending }
            return (kind.name, options)
        }
    }

    func caseFormModel(
        _ req: Request, council c: Council, meeting mt: Meeting, number: CaseNumber?, version: Int64?,
        values: [String: String],
        errors: FieldErrors = FieldErrors(), problems: [String] = [], conflict: [(String, String)]? = nil
    ) async throws -> CaseFormModel {
        var model = CaseFormModel(
            council: c, meeting: mt, number: number, csrf: req.csrfToken(), version: version, values: values,
            problems: problems, conflict: conflict)
        model.errors = errors
        model.targets = pickerTargets(try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db))
        model.members = Memberships.at(mt.startsOn, try await CouncilStore.members(of: c.slug, on: req.db))
        return model
    }

    /// `?oppfolging=35-22.1`: a new case prefilled from an open follow-up of an earlier decision.
    func followUpValues(_ req: Request, council c: Council, meeting mt: Meeting) async throws -> [String: String] {
        guard let raw = req.queryDictionary["oppfolging"], let dot = raw.lastIndex(of: "."),
            let number = CaseNumber.parse(String(raw[..<dot])), let position = Int(raw[raw.index(after: dot)...]),
            (1...CouncilForms.maximumRows).contains(position)
        else { return ["dag": "1"] }
        let meetings = Dictionary(
            try await CouncilStore.meetings(of: c.slug, on: req.db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }
        )
        guard
            let origin = try await CouncilStore.allCases(on: req.db).first(where: {
                $0.number == number && meetings[$0.meetingId] != nil
            }),
            origin.followUps.indices.contains(position - 1)
        else { return ["dag": "1"] }
        let f = origin.followUps[position - 1]
        return [
            "dag": "1", "tittel": "Oppfølging av sak \(origin.number): \(f.text)",
            "type": CaseType.orientering.rawValue,
            "sammendrag": "Oppfølging av vedtaket i sak \(origin.number) \(origin.title)"
                + (f.owner.isEmpty ? "." : ". Ansvarlig: \(f.owner).")
                + (f.due.map { " Frist: \($0.norwegian)." } ?? ""),
        ]
        .merging(CouncilForms.linkValues(origin.links)) { a, _ in a }
    }

    func newCaseForm(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let values = try await followUpValues(req, council: c, meeting: mt)
        return .html(
            CaseFormView.render(
                try await caseFormModel(req, council: c, meeting: mt, number: nil, version: nil, values: values)))
    }

    func createCase(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let form = try req.content.decode([String: String].self)
        var errors = FieldErrors()
        var problems: [String] = []
        let blank = CouncilCase(
            id: "", meetingId: mt.id, number: CaseNumber(sequence: 1, year: mt.startsOn.year), title: "", type: nil,
            presenters: [], day: 1, time: nil,
            summary: "", questions: [], proposedDecision: "", decision: "", followUps: [], links: [], withdrawn: false)
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        var draft = apply(form, to: blank, targets: targets, errors: &errors)
        if mt.state != .planlagt {
            draft.corrections = [
                Correction(
                    day: req.today,
                    note:
                        """
                        Saken ble lagt til etter at \(mt.state == .referat ? "referatet" : "innkallingen") ble \
                        publisert.
                        """
                )
            ]
        }
        if errors.isEmpty {
            do {
                let stored = try await CouncilStore.addCase(
                    draft, toMeeting: mt.id, targets: targets, author: Author(req.principal!, source: .ui), on: req.db)
                let page = SiteURL.meeting(council: mt.council, meeting: mt.key, .page)
                return req.redirect(to: page.path(fragment: "sak-\(stored.number.slug)"), redirectType: .normal)
            } catch let problem as CouncilStore.Problem { problems.append(problem.description) }
        }
        let response = Response.html(
            CaseFormView.render(
                try await caseFormModel(
                    req, council: c, meeting: mt, number: nil, version: nil, values: form,
                    errors: errors, problems: problems)))
        response.status = .unprocessableEntity
        return response
    }

    func requireCase(_ req: Request, meeting: Meeting) async throws -> (item: CouncilCase, version: Int64) {
        let raw = req.parameters.get("case") ?? ""
        guard let number = CaseNumber.parse(raw),
            let found = try await CouncilStore.cases(of: meeting.id, on: req.db).first(where: {
                $0.item.number == number
            })
        else {
            throw Abort(.notFound, reason: "Saken «\(raw)» finnes ikke i dette møtet.")
        }
        return found
    }

    func caseForm(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (item, version) = try await requireCase(req, meeting: mt)
        return .html(
            CaseFormView.render(
                try await caseFormModel(
                    req, council: c, meeting: mt, number: item.number, version: version,
                    values: caseValues(item))))
    }

    func saveCase(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (stored, _) = try await requireCase(req, meeting: mt)
        let form = try req.content.decode([String: String].self)
        var errors = FieldErrors()
        var problems: [String] = []
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        var updated = apply(form, to: stored, targets: targets, errors: &errors)
        recordCorrection(&updated, stored: stored, state: mt.state, form: form, today: req.today, errors: &errors)
        var conflict: [(String, String)]?
        var formVersion = Int64(form["versjon"] ?? "") ?? -1
        if errors.isEmpty {
            switch try await CouncilStore.updateCase(
                updated, expectedVersion: formVersion, targets: targets,
                author: Author(req.principal!, source: .ui), on: req.db)
            {
            case .saved:
                let page = SiteURL.meeting(council: mt.council, meeting: mt.key, .page)
                return req.redirect(to: page.path(fragment: "sak-\(stored.number.slug)"), redirectType: .normal)
            case .conflict(let current, let currentVersion):
                conflict = [
                    ("Tittel", current.title), ("Sakstype", current.type?.name ?? ""),
                    ("Innledere", current.presenters.map(\.text).joined(separator: "; ")),
                    ("Starter", current.time?.description ?? ""), ("Saksfremstilling", current.summary),
                    ("Spørsmål", current.questions.joined(separator: "\n")),
                    ("Forslag til vedtak", current.proposedDecision),
                    ("Vedtak", current.decision),
                    (
                        "Oppfølging",
                        current.followUps.map { $0.text + ($0.done ? " (utført)" : "") }.joined(separator: "; ")
                    ),
                    ("Koblinger", current.links.map { targets.title($0) ?? $0.target }.joined(separator: "; ")),
                    ("Trukket", current.withdrawn ? "Ja" : "Nei"),
                ]
                formVersion = currentVersion
            case .notFound: throw Abort(.notFound, reason: "Saken finnes ikke.")
            case .refused(let reasons): problems.append(reasons.joined(separator: "; "))
            }
        }
        let response = Response.html(
            CaseFormView.render(
                try await caseFormModel(
                    req, council: c, meeting: mt, number: stored.number, version: formVersion,
                    values: form, errors: errors, problems: problems, conflict: conflict)))
        response.status = conflict != nil ? .conflict : .unprocessableEntity
        return response
    }

    /// Removing a case added by mistake: only before the notice is published (then it can only be withdrawn).
    func removeCaseConfirmation(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (item, version) = try await requireCase(req, meeting: mt)
        // After the notice a case can only be withdrawn: the case form has that, so no button that cannot work.
        guard mt.state == .planlagt else {
            let edit = SiteURL.councilCase(council: mt.council, meeting: mt.key, case: item.number.slug, .edit)
            return req.redirect(to: edit.path, redirectType: .normal)
        }
        return removalPage(req, council: c, meeting: mt, item: item, version: version, problems: [])
    }

    func removalPage(
        _ req: Request, council c: Council, meeting mt: Meeting, item: CouncilCase, version: Int64, problems: [String]
    ) -> Response {
        let path = SiteURL.councilCase(council: mt.council, meeting: mt.key, case: item.number.slug, .removal).path
        let page = SiteURL.meeting(council: mt.council, meeting: mt.key, .page)
        return RoundController.noStore(
            ConfirmPageView.render(
                ConfirmPageModel(
                    title: "Fjerne sak \(item.number) \(item.title)?", path: path,
                    breadcrumbs: [
                        ("Rådsmodellen", SiteURL.councils.path), (c.name, SiteURL.council(c.slug).path),
                        ("Møtet", page.path),
                    ],
                    paragraphs: mt.state == .planlagt
                        ? [
                            """
                            Saken fjernes fra møtet, med saksfremstilling, vedtak og koblinger. Det kan ikke \
                            angres, men fjerningen står i historikken.
                            """,
                            """
                            Bruk dette for en sak som er lagt inn ved en feil. En sak som ikke skal behandles \
                            likevel, kan i stedet merkes som trukket.
                            """,
                        ]
                        : [
                            """
                            Innkallingen er publisert, så saksnummeret er kjent. Saken kan ikke fjernes, bare \
                            merkes som trukket under «Endre sak».
                            """
                        ],
                    formURL: path, hidden: [("versjon", String(version))], confirmLabel: "Fjern saken",
                    backURL: page.path(fragment: "sak-\(item.number.slug)"),
                    problems: problems)), problems.isEmpty ? .ok : .unprocessableEntity)
    }

    func removeCase(req: Request) async throws -> Response {
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (item, version) = try await requireCase(req, meeting: mt)
        let form = try req.content.decode([String: String].self)
        switch try await CouncilStore.removeCase(
            item.id, expectedVersion: Int64(form["versjon"] ?? "") ?? -1,
            author: Author(req.principal!, source: .ui), on: req.db)
        {
        case .saved: break
        case .conflict:
            let message = "Saken er endret etter at du åpnet denne siden. Se over saken og prøv igjen."
            return removalPage(req, council: c, meeting: mt, item: item, version: version, problems: [message])
        case .notFound: throw Abort(.notFound, reason: "Saken finnes ikke.")
        case .refused(let reasons):
            return removalPage(
                req, council: c, meeting: mt, item: item, version: version, problems: [reasons.joined(separator: "; ")])
        }
        return req.redirect(
            to: SiteURL.meeting(council: mt.council, meeting: mt.key, .page).path,
            redirectType: .normal)
    }
}
