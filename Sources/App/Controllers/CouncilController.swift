import Domain
import Foundation
import Persistence
import Vapor
import Views

/// The council model: councils, members, meetings with their timed agenda and cases, notices and minutes, calendar feeds,
/// and the secretariat's forms.
struct CouncilController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rad = routes.grouped("rad")
        rad.get(use: list)
        rad.get("moter.ics", use: allFeed)
        rad.get(":council", use: council)
        rad.get(":council", "moter.ics", use: councilFeed)
        rad.post(":council", "rediger", use: saveCouncil)
        rad.post(":council", "medlemmer", use: addMember)
        rad.post(":council", "medlemmer", "avslutt", use: endMember)
        rad.post(":council", "moter", use: createMeeting)
        rad.get(":council", "moter", ":date") { req in try await self.meeting(req: req, mode: .page) }
        rad.get(":council", "moter", ":date", "innkalling") { req in try await self.meeting(req: req, mode: .notice) }
        rad.get(":council", "moter", ":date", "referat") { req in try await self.meeting(req: req, mode: .minutes) }
        rad.get(":council", "moter", ":date", "rediger", use: meetingForm)
        rad.post(":council", "moter", ":date", "rediger", use: saveMeeting)
        rad.post(":council", "moter", ":date", "tilstand", use: changeState)
        rad.get(":council", "moter", ":date", "saker", "ny", use: newCaseForm)
        rad.post(":council", "moter", ":date", "saker", "ny", use: createCase)
        rad.get(":council", "moter", ":date", "saker", ":case", "rediger", use: caseForm)
        rad.post(":council", "moter", ":date", "saker", ":case", "rediger", use: saveCase)
    }

    // MARK: Reading

    func list(req: Request) async throws -> Response {
        let councils = try await CouncilStore.councils(on: req.db)
        let members = try await CouncilStore.members(on: req.db)
        let meetings = try await CouncilStore.meetings(on: req.db)
        let today = req.today
        let entries = councils.map { c in
            let own = meetings.filter { $0.council == c.slug }
            return CouncilListModel.Entry(council: c, members: Memberships.at(today, members.filter { $0.council == c.slug }).count,
                                          next: own.first { $0.endsOn >= today }, last: own.last { $0.endsOn < today })
        }
        return .html(CouncilListView.render(CouncilListModel(entries: entries, today: today)))
    }

    func requireCouncil(_ req: Request) async throws -> (council: Council, version: Int64) {
        let slug = req.parameters.get("council") ?? ""
        guard let found = try await CouncilStore.council(slug, on: req.db) else { throw Abort(.notFound, reason: "Rådet «\(slug)» finnes ikke.") }
        return found
    }

    func council(req: Request) async throws -> Response {
        try await councilPage(req: req)
    }

    /// The council page; after a refused form, `form` names it and `values`/`problems` refill it (422).
    func councilPage(req: Request, form: String? = nil, values: [String: String] = [:], problems: [String] = [], status: HTTPStatus = .ok) async throws -> Response {
        let (c, version) = try await requireCouncil(req)
        var date = req.today
        if let raw = req.queryDictionary["dato"], !raw.isEmpty {
            guard let d = Day.parse(raw) else { throw Abort(.badRequest, reason: "Datoen må skrives ÅÅÅÅ-MM-DD.") }
            date = d
        }
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        var model = CouncilPageModel(council: c, members: members, meetings: try await CouncilStore.meetings(of: c.slug, on: req.db), date: date, today: req.today)
        if Access.canWriteCouncils(req.principal) {
            model.edit = .init(csrf: req.csrfToken(), version: version, active: Memberships.at(req.today, members), values: values, problems: problems, form: form)
        }
        let response = Response.html(CouncilPageView.render(model))
        response.status = status
        return response
    }

    func requireMeeting(_ req: Request, council: Council) async throws -> (meeting: Meeting, version: Int64) {
        let raw = req.parameters.get("date") ?? ""
        guard let day = Day.parse(raw), let found = try await CouncilStore.meeting(council.slug, on: day, on: req.db) else {
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
            throw Abort(.notFound, reason: mode == .notice ? "Innkallingen er ikke publisert ennå." : "Referatet er ikke publisert ennå.")
        default: break
        }
        let cases = try await CouncilStore.cases(of: mt.id, on: req.db).map(\.item)
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        var titles: [CaseLink: String] = [:]
        for link in cases.flatMap(\.links) { titles[link] = targets.title(link) }
        let members = Memberships.at(mt.startsOn, try await CouncilStore.members(of: c.slug, on: req.db))
        var model = MeetingPageModel(council: c, meeting: mt, cases: cases, members: members, linkTitles: titles, mode: mode, today: req.today, canEdit: canEdit)
        if canEdit && mode == .page { model.workflow = (req.csrfToken(), version) }
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
            let agenda = mt.state.agendaIsPublic
                ? (casesByMeeting[mt.id] ?? []).sorted { $0.number < $1.number }.map { "\($0.number) \($0.title)" + ($0.time.map { " (\($0))" } ?? "") }
                : []
            events.append(ICalendar.Event(meeting: mt, councilName: c.name(on: mt.startsOn).shortName, agenda: agenda, url: base + mt.url))
        }
        let name = council.map { "Møter i \($0.name)" } ?? "Møter i rådsmodellen"
        // The feed for all councils carries the deadlines of the open reporting rounds too.
        let deadlines = council != nil ? [] : try await RoundStore.rounds(on: req.db).filter { !$0.round.isClosed }.map { s in
            ICalendar.Deadline(id: "rapportering-\(s.round.id)", day: s.round.deadline,
                               title: "Frist for rapportering \(s.round.period.norwegian)", url: base + "/rapportering/\(s.round.id)")
        }
        let text = ICalendar.feed(name: name, events: events, deadlines: deadlines, stamp: try await RoadmapWrites.lastChange(on: req.db) ?? Date(timeIntervalSince1970: 0))
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(council?.slug ?? "radsmodellen").ics\"")
        return response
    }

    // MARK: Council and members

    struct CouncilForm: Content { let navneliste: String; let mandattekst: String; let ansvar: String; let versjon: Int64 }

    func saveCouncil(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet endrer rådene.")
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(CouncilForm.self)
        let values = ["navneliste": form.navneliste, "mandattekst": form.mandattekst, "ansvar": form.ansvar]
        var updated = c
        do {
            updated.names = try CouncilForms.names(form.navneliste)
        } catch {
            return try await councilPage(req: req, form: "rad", values: values, problems: [error.description], status: .unprocessableEntity)
        }
        updated.mandate = form.mandattekst.trimmingCharacters(in: .whitespacesAndNewlines)
        updated.responsibilities = CouncilForms.items(form.ansvar)
        do {
            try await CouncilStore.saveCouncil(updated, expectedVersion: form.versjon, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as CouncilStore.Problem {
            return try await councilPage(req: req, form: "rad", values: values, problems: [problem.description], status: problem == .conflict ? .conflict : .unprocessableEntity)
        }
        return req.redirect(to: "/rad/\(c.slug)", redirectType: .normal)
    }

    struct MemberForm: Content { let navn: String; let tittel: String?; let organisasjon: String?; let rolle: String?; let fra: String?; let erstatter: String? }

    func addMember(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet endrer medlemmer.")
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(MemberForm.self)
        let values = ["navn": form.navn, "tittel": form.tittel ?? "", "organisasjon": form.organisasjon ?? "", "rolle": form.rolle ?? "",
                      "fra": form.fra ?? "", "erstatter": form.erstatter ?? ""]
        var problems: [String] = []
        let name = form.navn.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { problems.append("navn må fylles ut") }
        let role = CouncilRole(rawValue: form.rolle ?? "medlem")
        if role == nil { problems.append("ukjent rolle") }
        let from = optionalDay(form.fra, field: "fra-dato", problems: &problems)
        guard problems.isEmpty, let role else {
            return try await councilPage(req: req, form: "medlem", values: values, problems: problems, status: .unprocessableEntity)
        }
        let member = Membership(id: "m-" + UUID().uuidString.lowercased().prefix(12), council: c.slug, name: name, title: (form.tittel ?? "").trimmingCharacters(in: .whitespaces),
                                organisation: (form.organisasjon ?? "").trimmingCharacters(in: .whitespaces), role: role, from: from, until: nil, replaces: nil)
        let replacing = (form.erstatter ?? "").isEmpty ? nil : form.erstatter
        do {
            try await CouncilStore.addMember(member, replacing: replacing, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as CouncilStore.Problem {
            return try await councilPage(req: req, form: "medlem", values: values, problems: [problem.description], status: .unprocessableEntity)
        }
        return req.redirect(to: "/rad/\(c.slug)#medlemmer", redirectType: .normal)
    }

    struct EndMemberForm: Content { let medlem: String; let til: String }

    func endMember(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet endrer medlemmer.")
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(EndMemberForm.self)
        var problems: [String] = []
        let until = optionalDay(form.til, field: "dato", problems: &problems)
        let member = try await CouncilStore.members(of: c.slug, on: req.db).first { $0.id == form.medlem }
        if member == nil { problems.append("medlemmet finnes ikke i \(c.name)") }
        if until == nil && problems.isEmpty { problems.append("dato må fylles ut") }
        guard problems.isEmpty, let until else {
            return try await councilPage(req: req, form: "avslutt", values: ["medlem": form.medlem, "til": form.til], problems: problems, status: .unprocessableEntity)
        }
        do {
            try await CouncilStore.endMember(form.medlem, until: until, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as CouncilStore.Problem {
            return try await councilPage(req: req, form: "avslutt", values: ["medlem": form.medlem, "til": form.til], problems: [problem.description], status: .unprocessableEntity)
        }
        return req.redirect(to: "/rad/\(c.slug)#endringer", redirectType: .normal)
    }

    // MARK: Meetings

    struct MeetingForm: Content {
        let startdato: String; let sluttdato: String?; let starttid: String?; let sluttid: String?; let sted: String?; let nummer: String?
        let merknad: String?; let stedfortredere: String?; let punkter: String?; let versjon: Int64?
        var values: [String: String] {
            ["startdato": startdato, "sluttdato": sluttdato ?? "", "starttid": starttid ?? "", "sluttid": sluttid ?? "", "sted": sted ?? "",
             "nummer": nummer ?? "", "merknad": merknad ?? "", "stedfortredere": stedfortredere ?? "", "punkter": punkter ?? ""]
        }
    }

    func optionalDay(_ raw: String?, field: String, problems: inout [String]) -> Day? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let d = Day.parse(text) else { problems.append("\(field) må være en dato ÅÅÅÅ-MM-DD"); return nil }
        return d
    }

    func optionalTime(_ raw: String?, field: String, problems: inout [String]) -> ClockTime? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let t = ClockTime.parse(text) else { problems.append("\(field) må være et klokkeslett TT:MM"); return nil }
        return t
    }

    /// Reads the meeting form onto `base` (a new meeting or the stored one); problems are collected, never thrown.
    func apply(_ form: MeetingForm, to base: Meeting, members: [Membership], problems: inout [String]) -> Meeting {
        var mt = base
        if let start = optionalDay(form.startdato, field: "startdato", problems: &problems) { mt.startsOn = start } else if form.startdato.isEmpty { problems.append("startdato må fylles ut") }
        mt.endsOn = optionalDay(form.sluttdato, field: "sluttdato", problems: &problems) ?? mt.startsOn
        mt.startTime = optionalTime(form.starttid, field: "starttid", problems: &problems)
        mt.endTime = optionalTime(form.sluttid, field: "sluttid", problems: &problems)
        mt.place = (form.sted ?? "").trimmingCharacters(in: .whitespaces)
        mt.number = (form.nummer ?? "").trimmingCharacters(in: .whitespaces)
        mt.note = (form.merknad ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            if let text = form.stedfortredere { mt.substitutes = try CouncilForms.substitutes(text, members: Memberships.at(mt.startsOn, members)) }
            if let text = form.punkter { mt.breaks = try CouncilForms.breaks(text) }
        } catch { problems.append(error.description) }
        return mt
    }

    func createMeeting(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet oppretter møter.")
        let (c, _) = try await requireCouncil(req)
        let form = try req.content.decode(MeetingForm.self)
        var problems: [String] = []
        let placeholder = Meeting(id: UUID().uuidString.lowercased(), council: c.slug, number: "", startsOn: req.today, endsOn: req.today, startTime: nil, endTime: nil,
                                  place: "", state: .planlagt, note: "", substitutes: [], breaks: [])
        let mt = apply(form, to: placeholder, members: try await CouncilStore.members(of: c.slug, on: req.db), problems: &problems)
        if problems.isEmpty {
            do { try await CouncilStore.createMeeting(mt, author: Author(req.principal!, source: .ui), on: req.db) } catch let problem as CouncilStore.Problem {
                problems.append(problem.description)
            }
        }
        guard problems.isEmpty else { return try await councilPage(req: req, form: "mote", values: form.values, problems: problems, status: .unprocessableEntity) }
        return req.redirect(to: mt.url, redirectType: .normal)
    }

    func meetingValues(_ mt: Meeting, members: [Membership]) -> [String: String] {
        ["startdato": mt.startsOn.description, "sluttdato": mt.endsOn == mt.startsOn ? "" : mt.endsOn.description,
         "starttid": mt.startTime?.description ?? "", "sluttid": mt.endTime?.description ?? "", "sted": mt.place, "nummer": mt.number, "merknad": mt.note,
         "stedfortredere": CouncilForms.substitutesText(mt.substitutes, members: members), "punkter": CouncilForms.breaksText(mt.breaks)]
    }

    func meetingForm(req: Request) async throws -> Response {
        try req.requireSecretariat("Bare sekretariatet endrer møter.")
        let (c, _) = try await requireCouncil(req)
        let (mt, version) = try await requireMeeting(req, council: c)
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        return .html(MeetingFormView.render(MeetingFormModel(council: c, meeting: mt, csrf: req.csrfToken(), version: version,
                                                             values: meetingValues(mt, members: members), problems: [], conflict: nil)))
    }

    func saveMeeting(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet endrer møter.")
        let (c, _) = try await requireCouncil(req)
        let (stored, version) = try await requireMeeting(req, council: c)
        let form = try req.content.decode(MeetingForm.self)
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        var problems: [String] = []
        let mt = apply(form, to: stored, members: members, problems: &problems)
        var conflict: [(String, String)]?
        var formVersion = form.versjon ?? -1
        if problems.isEmpty {
            do {
                try await CouncilStore.updateMeeting(mt, expectedVersion: formVersion, author: Author(req.principal!, source: .ui), on: req.db)
                return req.redirect(to: mt.url, redirectType: .normal)
            } catch CouncilStore.Problem.conflict {
                conflict = meetingValues(stored, members: members).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                formVersion = version
            } catch let problem as CouncilStore.Problem { problems.append(problem.description) }
        }
        let response = Response.html(MeetingFormView.render(MeetingFormModel(council: c, meeting: stored, csrf: req.csrfToken(), version: formVersion,
                                                                             values: form.values, problems: problems, conflict: conflict)))
        response.status = conflict != nil ? .conflict : .unprocessableEntity
        return response
    }

    struct StateForm: Content { let tilstand: String; let versjon: Int64 }

    /// Publishing the notice, then the minutes; never backwards (a published paper stays published).
    func changeState(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet publiserer innkallinger og referater.")
        let (c, _) = try await requireCouncil(req)
        let (stored, _) = try await requireMeeting(req, council: c)
        let form = try req.content.decode(StateForm.self)
        guard let next = MeetingState(rawValue: form.tilstand) else { throw Abort(.unprocessableEntity, reason: "Ukjent tilstand «\(form.tilstand)».") }
        guard next == stored.state.next else { throw Abort(.unprocessableEntity, reason: "Møtet kan ikke gå fra «\(stored.state.name)» til «\(next.name)».") }
        if let refusal = next.refusal(for: stored, today: req.today) { throw Abort(.unprocessableEntity, reason: refusal) }
        var mt = stored
        mt.state = next
        do {
            try await CouncilStore.updateMeeting(mt, expectedVersion: form.versjon, author: Author(req.principal!, source: .ui), on: req.db)
        } catch CouncilStore.Problem.conflict {
            throw Abort(.conflict, reason: "Noen andre har endret møtet i mellomtiden. Last siden på nytt og prøv igjen.")
        }
        return req.redirect(to: mt.url, redirectType: .normal)
    }

    // MARK: Cases

    struct CaseForm: Content {
        let tittel: String; let type: String?; let innledere: String?; let dag: String?; let tid: String?; let sammendrag: String?; let sporsmal: String?
        let forslag: String?; let vedtak: String?; let oppfolging: String?; let koblinger: String?; let trukket: String?; let versjon: Int64?
        var values: [String: String] {
            ["tittel": tittel, "type": type ?? "", "innledere": innledere ?? "", "dag": dag ?? "1", "tid": tid ?? "", "sammendrag": sammendrag ?? "",
             "sporsmal": sporsmal ?? "", "forslag": forslag ?? "", "vedtak": vedtak ?? "", "oppfolging": oppfolging ?? "", "koblinger": koblinger ?? "",
             "trukket": trukket == "ja" ? "ja" : ""]
        }
    }

    func caseValues(_ c: CouncilCase) -> [String: String] {
        ["tittel": c.title, "type": c.type?.rawValue ?? "", "innledere": CouncilForms.presentersText(c.presenters), "dag": String(c.day),
         "tid": c.time?.description ?? "", "sammendrag": c.summary, "sporsmal": c.questions.joined(separator: "\n"), "forslag": c.proposedDecision,
         "vedtak": c.decision, "oppfolging": CouncilForms.followUpsText(c.followUps), "koblinger": CouncilForms.linksText(c.links),
         "trukket": c.withdrawn ? "ja" : ""]
    }

    func apply(_ form: CaseForm, to base: CouncilCase, problems: inout [String]) -> CouncilCase {
        var c = base
        func trimmed(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        c.title = trimmed(form.tittel)
        if let raw = form.type, !raw.isEmpty {
            if let t = CaseType(rawValue: raw) { c.type = t } else { problems.append("ukjent sakstype «\(raw)»") }
        } else { c.type = nil }
        if let d = Int(trimmed(form.dag).isEmpty ? "1" : trimmed(form.dag)) { c.day = d } else { problems.append("dag må være et tall") }
        c.time = optionalTime(form.tid, field: "start", problems: &problems)
        c.summary = trimmed(form.sammendrag)
        c.questions = CouncilForms.items(form.sporsmal ?? "")
        c.proposedDecision = trimmed(form.forslag)
        c.decision = trimmed(form.vedtak)
        c.withdrawn = form.trukket == "ja"
        do { c.presenters = try CouncilForms.presenters(form.innledere ?? "") } catch { problems.append(error.description) }
        do { c.followUps = try CouncilForms.followUps(form.oppfolging ?? "") } catch { problems.append(error.description) }
        do { c.links = try CouncilForms.links(form.koblinger ?? "") } catch { problems.append(error.description) }
        return c
    }

    func newCaseForm(req: Request) async throws -> Response {
        try req.requireSecretariat("Bare sekretariatet lager saker.")
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        return .html(CaseFormView.render(CaseFormModel(council: c, meeting: mt, number: nil, csrf: req.csrfToken(), version: nil, values: ["dag": "1"],
                                                       problems: [], conflict: nil)))
    }

    func createCase(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet lager saker.")
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let form = try req.content.decode(CaseForm.self)
        var problems: [String] = []
        let blank = CouncilCase(id: "", meetingId: mt.id, number: CaseNumber(sequence: 1, year: mt.startsOn.year), title: "", type: nil, presenters: [], day: 1, time: nil,
                                summary: "", questions: [], proposedDecision: "", decision: "", followUps: [], links: [], withdrawn: false)
        let draft = apply(form, to: blank, problems: &problems)
        if problems.isEmpty {
            do {
                let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
                let stored = try await CouncilStore.addCase(draft, toMeeting: mt.id, targets: targets, author: Author(req.principal!, source: .ui), on: req.db)
                return req.redirect(to: "\(mt.url)#sak-\(stored.number.slug)", redirectType: .normal)
            } catch let problem as CouncilStore.Problem { problems.append(problem.description) }
        }
        let response = Response.html(CaseFormView.render(CaseFormModel(council: c, meeting: mt, number: nil, csrf: req.csrfToken(), version: nil, values: form.values,
                                                                       problems: problems, conflict: nil)))
        response.status = .unprocessableEntity
        return response
    }

    func requireCase(_ req: Request, meeting: Meeting) async throws -> (item: CouncilCase, version: Int64) {
        let raw = req.parameters.get("case") ?? ""
        guard let number = CaseNumber.parse(raw), let found = try await CouncilStore.cases(of: meeting.id, on: req.db).first(where: { $0.item.number == number }) else {
            throw Abort(.notFound, reason: "Saken «\(raw)» finnes ikke i dette møtet.")
        }
        return found
    }

    func caseForm(req: Request) async throws -> Response {
        try req.requireSecretariat("Bare sekretariatet endrer saker.")
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (item, version) = try await requireCase(req, meeting: mt)
        return .html(CaseFormView.render(CaseFormModel(council: c, meeting: mt, number: item.number, csrf: req.csrfToken(), version: version,
                                                       values: caseValues(item), problems: [], conflict: nil)))
    }

    func saveCase(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireSecretariat("Bare sekretariatet endrer saker.")
        let (c, _) = try await requireCouncil(req)
        let (mt, _) = try await requireMeeting(req, council: c)
        let (stored, version) = try await requireCase(req, meeting: mt)
        let form = try req.content.decode(CaseForm.self)
        var problems: [String] = []
        let updated = apply(form, to: stored, problems: &problems)
        var conflict: [(String, String)]?
        var formVersion = form.versjon ?? -1
        if problems.isEmpty {
            do {
                let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
                try await CouncilStore.updateCase(updated, expectedVersion: formVersion, targets: targets, author: Author(req.principal!, source: .ui), on: req.db)
                return req.redirect(to: "\(mt.url)#sak-\(stored.number.slug)", redirectType: .normal)
            } catch CouncilStore.Problem.conflict {
                let labels = ["tittel": "Tittel", "forslag": "Forslag til vedtak", "vedtak": "Vedtak", "sammendrag": "Saksfremstilling", "oppfolging": "Oppfølging",
                              "koblinger": "Koblinger", "innledere": "Innledere", "sporsmal": "Spørsmål", "tid": "Start", "type": "Sakstype"]
                let current = caseValues(stored)
                conflict = labels.keys.sorted().map { (labels[$0]!, current[$0] ?? "") }
                formVersion = version
            } catch let problem as CouncilStore.Problem { problems.append(problem.description) }
        }
        let response = Response.html(CaseFormView.render(CaseFormModel(council: c, meeting: mt, number: stored.number, csrf: req.csrfToken(), version: formVersion,
                                                                       values: form.values, problems: problems, conflict: conflict)))
        response.status = conflict != nil ? .conflict : .unprocessableEntity
        return response
    }
}
