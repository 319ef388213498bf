import Domain
import Foundation
import Routes
import XCTest

final class CouncilTests: XCTestCase {
    func day(_ s: String) -> Day {
        guard case .day(let d) = try! Period.parse(s) else { fatalError(s) }
        return d
    }

    // MARK: Case numbers

    func testCaseNumbersReadAndWriteAsThePapersDo() {
        XCTAssertEqual(CaseNumber.parse("35/22"), CaseNumber(sequence: 35, year: 2022))
        XCTAssertEqual(CaseNumber.parse("1-26"), CaseNumber(sequence: 1, year: 2026))
        XCTAssertEqual(CaseNumber.parse("7/2027"), CaseNumber(sequence: 7, year: 2027))
        XCTAssertEqual(CaseNumber(sequence: 35, year: 2022).description, "35/22")
        XCTAssertEqual(CaseNumber(sequence: 1, year: 2026).slug, "1-26")
        for bad in ["", "35", "0/22", "x/22", "35/2", "35/22/1", "-1/22", "35/1899"] {
            XCTAssertNil(CaseNumber.parse(bad), bad)
        }
        XCTAssertLessThan(CaseNumber(sequence: 37, year: 2022), CaseNumber(sequence: 1, year: 2026))
    }

    func testNumberingContinuesPerYearAndNeverReusesANumber() {
        let used = [
            CaseNumber(sequence: 30, year: 2022), CaseNumber(sequence: 37, year: 2022),
            CaseNumber(sequence: 4, year: 2026),
        ]
        XCTAssertEqual(
            CaseNumbering.next(year: 2022, used: used), CaseNumber(sequence: 38, year: 2022),
            "after the highest, not after the count")
        XCTAssertEqual(CaseNumbering.next(year: 2026, used: used), CaseNumber(sequence: 5, year: 2026))
        XCTAssertEqual(
            CaseNumbering.next(year: 2027, used: used), CaseNumber(sequence: 1, year: 2027), "a new year starts at 1")
        XCTAssertEqual(CaseNumbering.next(year: 2022, used: []), CaseNumber(sequence: 1, year: 2022))
        // A withdrawn case is still "used": the caller passes every number the council has given, so 38 stays taken.
        let withWithdrawn = used + [CaseNumber(sequence: 38, year: 2022)]
        XCTAssertEqual(CaseNumbering.next(year: 2022, used: withWithdrawn), CaseNumber(sequence: 39, year: 2022))
    }

    // MARK: Membership at a date

    var ehelseraad: [Membership] {
        [
            Membership(
                id: "terje", council: "s", name: "Terje Rootwelt", title: "", organisation: "Helse Sør-Øst RHF",
                role: .medlem, from: nil, until: day("2022-09-21"), replaces: nil),
            Membership(
                id: "camilla-leder", council: "s", name: "Camilla Dunsæd", title: "Rådmann",
                organisation: "Kristiansand kommune", role: .leder, from: nil, until: day("2022-09-21"), replaces: nil),
            Membership(
                id: "rune", council: "s", name: "Rune Simensen", title: "", organisation: "Helse Sør-Øst RHF",
                role: .leder, from: day("2022-09-21"), until: nil, replaces: "terje"),
            Membership(
                id: "camilla", council: "s", name: "Camilla Dunsæd", title: "Rådmann",
                organisation: "Kristiansand kommune", role: .medlem, from: day("2022-09-21"), until: nil,
                replaces: "camilla-leder"),
            Membership(
                id: "johan", council: "s", name: "Johan Ronæs", title: "", organisation: "Norsk helsenett SF",
                role: .medlem, from: day("2022-09-21"), until: nil, replaces: nil),
            Membership(
                id: "mina", council: "s", name: "Mina Gerhardsen", title: "", organisation: "Nasjonalforeningen",
                role: .medlem, from: nil, until: nil, replaces: nil),
            Membership(
                id: "kjell", council: "s", name: "Kjell Wolff", title: "", organisation: "Bergen kommune",
                role: .medlem, from: nil, until: day("2024-01-01"), replaces: nil),
        ]
    }

    func testMembersAtADateHonourStartAndEndAndPutTheLeaderFirst() {
        let before = Memberships.at(day("2022-09-20"), ehelseraad).map(\.id)
        XCTAssertEqual(before, ["camilla-leder", "kjell", "mina", "terje"])
        let on = Memberships.at(day("2022-09-21"), ehelseraad).map(\.id)
        XCTAssertEqual(
            on, ["rune", "camilla", "johan", "kjell", "mina"],
            "the successor sits from the day, the predecessor no longer")
        let later = Memberships.at(day("2024-01-01"), ehelseraad).map(\.id)
        XCTAssertFalse(later.contains("kjell"), "until is exclusive")
        XCTAssertTrue(Memberships.at(day("2023-12-31"), ehelseraad).map(\.id).contains("kjell"))
    }

    func testHistoryTellsReplacementsRoleChangesJoinsAndLeaves() {
        let history = Memberships.history(ehelseraad)
        XCTAssertEqual(history.first?.membership.id, "kjell", "newest first")
        XCTAssertEqual(history.first?.kind, .left)
        let rune = history.first { $0.membership.id == "rune" }
        XCTAssertEqual(rune?.kind, .replaced(previous: ehelseraad[0]))
        XCTAssertEqual(history.first { $0.membership.id == "camilla" }?.kind, .roleChanged(from: .leder))
        XCTAssertEqual(history.first { $0.membership.id == "johan" }?.kind, .joined)
        XCTAssertNil(history.first { $0.membership.id == "terje" }, "a replaced seat is told once, as the replacement")
        XCTAssertNil(history.first { $0.membership.id == "mina" }, "a member since before the records is no change")
    }

    func testMembershipProblems() {
        XCTAssertEqual(Memberships.problems(ehelseraad), [])
        var broken = ehelseraad
        broken[0].until = nil
        XCTAssertEqual(
            Memberships.problems(broken),
            ["Rune Simensen erstatter Terje Rootwelt: Terje Rootwelt må gå ut samme dag som Rune Simensen begynner"])
        broken = ehelseraad
        broken[6].until = day("1999-01-01")
        broken[6].from = day("2000-01-01")
        XCTAssertEqual(
            Memberships.problems(broken), ["medlemskap kjell (Kjell Wolff): sluttdato må være etter startdato"])
        broken = ehelseraad
        broken[2].replaces = "ukjent"
        XCTAssertEqual(
            Memberships.problems(broken), ["medlemskap rune (Rune Simensen) erstatter «ukjent», som ikke finnes"])
    }

    func testACouncilKeepsItsNamesOverTime() {
        let c = Council(
            slug: "fagradet",
            names: [
                CouncilName(name: "NUFA", shortName: "NUFA", from: nil),
                CouncilName(name: "Nasjonalt fagråd", shortName: "Fagrådet", from: day("2026-01-01")),
            ],
            mandate: "", responsibilities: [], position: 1)
        XCTAssertEqual(c.name, "Nasjonalt fagråd")
        XCTAssertEqual(c.name(on: day("2025-10-29")).shortName, "NUFA")
        XCTAssertEqual(c.name(on: day("2026-01-21")).shortName, "Fagrådet")
        XCTAssertEqual(c.formerNames.map(\.name), ["NUFA"])
    }

    // MARK: Links and "behandlet i"

    func meeting(_ id: String, state: MeetingState, on date: String = "2022-09-21") -> Meeting {
        Meeting(
            id: id, council: "s", number: "", startsOn: day(date), endsOn: day(date), startTime: nil, endTime: nil,
            place: "Trondheim", state: state,
            note: "", substitutes: [], breaks: [])
    }

    func item(
        _ n: Int, meeting: String, links: [CaseLink], decision: String = "", withdrawn: Bool = false, year: Int = 2022
    ) -> CouncilCase {
        CouncilCase(
            id: "c\(n)-\(meeting)", meetingId: meeting, number: CaseNumber(sequence: n, year: year), title: "Sak \(n)",
            type: .anbefaling, presenters: [],
            day: 1, time: nil, summary: "", questions: [], proposedDecision: "Forslag \(n)", decision: decision,
            followUps: [], links: links, withdrawn: withdrawn)
    }

    func testHandledInListsPublicCasesWithDecisionOrProposalNewestFirst() {
        let council = Council(
            slug: "s", names: [CouncilName(name: "Nasjonalt e-helseråd", shortName: "E-helserådet", from: nil)],
            mandate: "", responsibilities: [], position: 1)
        let pll = CaseLink(kind: .initiative, target: "pll")
        let meetings = [
            meeting("a", state: .innkalt), meeting("b", state: .referat, on: "2023-02-01"),
            meeting("c", state: .planlagt, on: "2023-06-01"),
        ]
        let cases = [
            item(35, meeting: "a", links: [pll, CaseLink(kind: .scoringRound, target: "r")]),
            item(3, meeting: "b", links: [pll], decision: "Vedtatt", year: 2023),
            item(4, meeting: "b", links: [pll], decision: "Trukket", withdrawn: true, year: 2023),
            item(9, meeting: "c", links: [pll], year: 2023),
            item(36, meeting: "a", links: [CaseLink(kind: .initiative, target: "annet")]),
        ]
        let refs = CaseReference.handling(pll, councils: [council], meetings: meetings, cases: cases)
        XCTAssertEqual(
            refs.map(\.number.description), ["3/23", "35/22"],
            "no unpublished meeting, no withdrawn case, no other target")
        XCTAssertEqual(refs[0].decisionText, "Vedtatt")
        XCTAssertTrue(refs[0].decided)
        XCTAssertEqual(refs[1].decisionText, "Forslag 35", "until the minutes are out, the proposal")
        XCTAssertFalse(refs[1].decided)
        XCTAssertEqual(SiteURL.reference(refs[1]), "/rad/s/moter/2022-09-21#sak-35-22")
    }

    func testLinksPointAtSomethingReal() {
        XCTAssertEqual(CaseLink.parse(" initiative:pll "), CaseLink(kind: .initiative, target: "pll"))
        XCTAssertEqual(
            CaseLink.parse("scoring-round:ehelseradet-2022-09-21").map { SiteURL($0).path },
            "/prioritering/ehelseradet-2022-09-21")
        XCTAssertNil(CaseLink.parse("tiltak:pll"))
        XCTAssertNil(CaseLink.parse("initiative:"))
        var targets = LinkTargets(
            dataset: .init(
                strategy: Strategy(title: "", version: "", periodStart: 2023, periodEnd: 2030, vision: ""),
                overarchingGoals: [], goals: [],
                subgoals: [], actors: [], initiatives: [], activities: [], milestones: []),
            reportPeriods: [.quarter(2024, 1)], scoringRounds: [])
        XCTAssertEqual(targets.title(CaseLink(kind: .report, target: "2024-Q1")), "Statusrapport 1. kv. 2024")
        targets.titles[.initiative] = ["pll": "Pasientens legemiddelliste"]
        let c = item(
            1, meeting: "a",
            links: [
                CaseLink(kind: .initiative, target: "pll"), CaseLink(kind: .report, target: "2024-Q1"),
                CaseLink(kind: .indicator, target: "finnes-ikke"),
            ])
        XCTAssertEqual(
            c.problems(meetingDays: 1, targets: targets),
            ["koblingen «indicator:finnes-ikke» peker på noe som ikke finnes"])
        var twice = c
        twice.links = [CaseLink(kind: .initiative, target: "pll"), CaseLink(kind: .initiative, target: "pll")]
        XCTAssertEqual(twice.problems(meetingDays: 1, targets: targets), ["samme kobling står flere ganger"])
        var late = c
        late.links = []
        late.day = 3
        XCTAssertEqual(late.problems(meetingDays: 2, targets: nil), ["dag må være mellom 1 og 2"])
    }

    func testAgendaMergesCasesAndBreaksByDayAndTime() {
        var a = item(1, meeting: "m", links: [])
        a.time = ClockTime.parse("10:00")
        var b = item(2, meeting: "m", links: [])
        b.time = ClockTime.parse("12:30")
        var c = item(3, meeting: "m", links: [])
        c.day = 2
        c.time = ClockTime.parse("09:00")
        let breaks = [
            AgendaBreak(title: "Lunsj", day: 1, time: ClockTime.parse("11:30")),
            AgendaBreak(title: "Middag", day: 1, time: ClockTime.parse("18.30")),
        ]
        let order = AgendaLine.agenda(cases: [c, b, a], breaks: breaks).map { line -> String in
            switch line {
            case .item(let x): x.number.description
            case .pause(let p): p.title
            }
        }
        XCTAssertEqual(order, ["1/22", "Lunsj", "2/22", "Middag", "3/22"])
    }

    // MARK: Forms

    func testFormRowsAreReadWithFieldErrors() throws {
        var errors = FieldErrors()
        let presenters = CouncilForms.presenters(
            [
                "innleder.1.navn": "Siw Helene Myhrer", "innleder.1.tittel": "direktør",
                "innleder.1.organisasjon": "Helsedirektoratet", "innleder.2.navn": " ",
                "innleder.3.navn": "Rune Simensen", "innleder.4.organisasjon": "NHN",
            ], errors: &errors)
        XCTAssertEqual(
            presenters,
            [
                Presenter(name: "Siw Helene Myhrer", title: "direktør", organisation: "Helsedirektoratet"),
                Presenter(name: "Rune Simensen", organisation: ""),
            ])
        XCTAssertEqual(
            errors.messages, ["innleder.4.navn": "Innleder 4: skriv navnet, eller tøm raden."],
            "an empty row is skipped")
        XCTAssertEqual(
            CouncilForms.presenters(CouncilForms.presenterValues(presenters), errors: &errors), presenters, "round trip"
        )

        errors = FieldErrors()
        let followUps = CouncilForms.followUps(
            [
                "oppfolging.1.tekst": "Sende innspill", "oppfolging.1.ansvarlig": "Direktoratet",
                "oppfolging.1.frist": "15.10.2022", "oppfolging.2.tekst": "Ferdig",
                "oppfolging.2.utfort": "ja", "oppfolging.3.tekst": "Sende",
                "oppfolging.3.frist": "snart",
            ], errors: &errors)
        XCTAssertEqual(
            followUps.prefix(2),
            [
                FollowUp(text: "Sende innspill", owner: "Direktoratet", due: day("2022-10-15"), done: false),
                FollowUp(text: "Ferdig", owner: "", due: nil, done: true),
            ])
        XCTAssertEqual(
            errors.messages,
            ["oppfolging.3.frist": "Oppfølging 3: «snart» er ikke en dato (skriv f.eks. 15.10.2027)."])

        errors = FieldErrors()
        let links = CouncilForms.links(
            [
                "kobling.1.mal": "initiative:pll", "kobling.2.mal": "", "kobling.3.mal": "goal:5",
                "kobling.4.mal": "initiative:pll",
            ], targets: nil, errors: &errors)
        XCTAssertEqual(links.map(\.text), ["initiative:pll", "goal:5"])
        XCTAssertEqual(Array(errors.messages.keys), ["kobling.4.mal"], "the same link twice")

        errors = FieldErrors()
        let breaks = CouncilForms.breaks(
            [
                "punkt.1.tid": "11:30", "punkt.1.tittel": "Lunsj", "punkt.2.dag": "2", "punkt.2.tittel": "Oppsummering",
                "punkt.3.tid": "25:00", "punkt.3.tittel": "Middag",
            ], days: 2, errors: &errors)
        XCTAssertEqual(
            breaks.prefix(2),
            [
                AgendaBreak(title: "Lunsj", day: 1, time: ClockTime.parse("11:30")),
                AgendaBreak(title: "Oppsummering", day: 2, time: nil),
            ])
        XCTAssertEqual(Array(errors.messages.keys), ["punkt.3.tid"])

        XCTAssertEqual(
            CouncilForms.items("Hva velger vi: A | B?\r\n\n  Neste spørsmål  "),
            ["Hva velger vi: A | B?", "Neste spørsmål"],
            "plain lines are not split into fields")
        errors = FieldErrors()
        let names = CouncilForms.names(
            [
                "navn.1.navn": "NUFA", "navn.2.navn": "Nasjonalt fagråd", "navn.2.kortnavn": "Fagrådet",
                "navn.2.fra": "1.1.2026",
            ], errors: &errors)
        XCTAssertTrue(errors.isEmpty)
        XCTAssertEqual(
            names,
            [
                CouncilName(name: "NUFA", shortName: "NUFA", from: nil),
                CouncilName(name: "Nasjonalt fagråd", shortName: "Fagrådet", from: day("2026-01-01")),
            ])
        _ = CouncilForms.names(["navn.1.navn": "A", "navn.2.navn": "B"], errors: &errors)
        XCTAssertEqual(Array(errors.messages.keys), ["navn.2.fra"], "a later name needs its date")
    }

    func testAttendanceIsRecordedForEveryMemberOrNotAtAll() {
        let members = Memberships.at(day("2022-09-21"), ehelseraad)
        XCTAssertGreaterThan(members.count, 2)
        var errors = FieldErrors()
        let none = CouncilForms.attendance([:], sitting: members, errors: &errors)
        XCTAssertNil(none.attendance, "nothing marked: not recorded")
        XCTAssertTrue(errors.isEmpty)
        var form: [String: String] = [:]
        for m in members { form["oppmote.\(m.id)"] = "motte" }
        form["oppmote.\(members[0].id)"] = "forfall"
        form["stedfortreder.\(members[0].id).navn"] = "Trond Stenvik"
        form["stedfortreder.\(members[0].id).organisasjon"] = "Overhalla kommune"
        let recorded = CouncilForms.attendance(form, sitting: members, errors: &errors)
        XCTAssertTrue(errors.isEmpty, "\(errors)")
        XCTAssertEqual(recorded.attendance?.present.count, members.count - 1)
        XCTAssertEqual(
            recorded.substitutes,
            [MeetingSubstitute(name: "Trond Stenvik", organisation: "Overhalla kommune", forMember: members[0].id)])
        let values = CouncilForms.attendanceValues(
            recorded.attendance, substitutes: recorded.substitutes, sitting: members)
        XCTAssertEqual(
            CouncilForms.attendance(values, sitting: members, errors: &errors).attendance, recorded.attendance,
            "round trip")
        form["oppmote.\(members[1].id)"] = ""
        _ = CouncilForms.attendance(form, sitting: members, errors: &errors)
        XCTAssertEqual(
            Array(errors.messages.keys), ["oppmote.\(members[1].id)"], "once recorded, every member is marked")
    }

    func testSeveralMeetingsADayAndOpenFollowUps() {
        XCTAssertEqual(Meeting.parseKey("2026-12-03")?.sequence, 1)
        XCTAssertEqual(Meeting.parseKey("2026-12-03-2")?.sequence, 2)
        XCTAssertEqual(Meeting.parseKey("2026-12-03-2")?.day, day("2026-12-03"))
        XCTAssertNil(Meeting.parseKey("2026-12-03-1"))
        XCTAssertNil(Meeting.parseKey("2026-12-03-x"))
        XCTAssertNil(Meeting.parseKey("2026-12-3"))
        XCTAssertEqual(Meeting.freeSequence(on: day("2026-12-03"), taken: ["2026-12-03", "2026-12-03-2"]), 3)
        func meeting(_ id: String, _ d: String, _ state: MeetingState, sequence: Int? = nil) -> Meeting {
            Meeting(
                id: id, council: "r", number: "", startsOn: day(d), endsOn: day(d), startTime: nil, endTime: nil,
                place: "", state: state,
                note: "", substitutes: [], breaks: [], sequence: sequence)
        }
        let first = meeting("a", "2026-11-12", .referat)
        let second = meeting("b", "2026-12-10", .planlagt)
        let sameDay = meeting("c", "2026-12-10", .planlagt, sequence: 2)
        XCTAssertEqual(SiteURL.meeting(second).path, "/rad/r/moter/2026-12-10")
        XCTAssertEqual(SiteURL.meeting(sameDay).path, "/rad/r/moter/2026-12-10-2")
        var decided = item(1, meeting: "a", links: [])
        decided.followUps = [
            FollowUp(text: "Lage plan", owner: "Direktoratet", due: day("2026-12-01"), done: false),
            FollowUp(text: "Sendt", owner: "NHN", due: nil, done: true),
        ]
        let meetings = [first, second, sameDay]
        let open = FollowUpAgenda.open(
            for: second, meetings: meetings, cases: [decided], today: day("2026-12-03"), publicOnly: true)
        XCTAssertEqual(open.map(\.followUp.text), ["Lage plan"], "done follow-ups are left out")
        XCTAssertEqual(open.first?.position, 1)
        XCTAssertEqual(
            FollowUpAgenda.open(
                for: sameDay, meetings: meetings, cases: [decided], today: day("2026-12-03"), publicOnly: true),
            [], "only the council's next meeting")
        var unpublished = first
        unpublished.state = .innkalt
        XCTAssertEqual(
            FollowUpAgenda.open(
                for: second, meetings: [unpublished, second], cases: [decided], today: day("2026-12-03"),
                publicOnly: true), [], "readers see follow-ups of published minutes only")
        XCTAssertEqual(
            FollowUpAgenda.open(
                for: second, meetings: [unpublished, second], cases: [decided], today: day("2026-12-03"),
                publicOnly: false
            ).count, 1, "the secretariat sees them")
    }

    // MARK: iCalendar

    /// A reader independent of the writer: unfolds, then splits name, parameters and value, unescaping TEXT.
    static func parseICS(_ text: String) throws -> [[(name: String, params: String, value: String)]] {
        XCTAssertTrue(text.hasSuffix("\r\n"))
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        for line in text.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 75, line) }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter {
            !$0.isEmpty
        }
        var events: [[(String, String, String)]] = []
        var current: [(String, String, String)]?
        var depth: [String] = []
        for line in unfolded {
            guard let colon = line.firstIndex(of: ":") else {
                XCTFail("no colon: \(line)")
                continue
            }
            let head = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            let name = head.split(separator: ";").first.map(String.init) ?? head
            let params = head.contains(";") ? String(head[head.index(after: head.firstIndex(of: ";")!)...]) : ""
            if name == "BEGIN" {
                depth.append(value)
                if value == "VEVENT" { current = [] }
                continue
            }
            if name == "END" {
                XCTAssertEqual(depth.popLast(), value, "BEGIN/END nesting")
                if value == "VEVENT" {
                    events.append(current!)
                    current = nil
                }
                continue
            }
            let unescaped = value.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\,", with: ",")
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\\\", with: "\\")
            current?.append((name, params, unescaped))
        }
        XCTAssertTrue(depth.isEmpty)
        return events
    }

    func testCalendarFeedParsesBackWithTimesPlacesAndAgenda() throws {
        var timed = meeting("m1", state: .innkalt)
        timed.startTime = ClockTime.parse("10:30")
        timed.endTime = ClockTime.parse("15:00")
        timed.place = "Clarion Hotel Oslo; sal 2, Oslo"
        var days = meeting("m2", state: .planlagt, on: "2026-01-21")
        days.endsOn = day("2026-01-22")
        days.startTime = ClockTime.parse("10:00")
        let longTitle = String(
            repeating: "Nasjonal e-helsestrategi – strategiske indikatorer og ambisjonsnivå 2030 ", count: 3)
        let text = ICalendar.feed(
            name: "Møter i rådsmodellen",
            events: [
                ICalendar.Event(
                    meeting: timed, councilName: "E-helserådet", agenda: ["35/22 Tiltak for 2023 (13:45)", longTitle],
                    url: "https://veikart.example.no/rad/s/moter/2022-09-21"),
                ICalendar.Event(
                    meeting: days, councilName: "Fagrådet", agenda: [],
                    url: "https://veikart.example.no/rad/f/moter/2026-01-21"),
            ], stamp: Date(timeIntervalSince1970: 1_790_000_000))
        let events = try Self.parseICS(text)
        XCTAssertEqual(events.count, 2)
        func value(_ e: [(name: String, params: String, value: String)], _ name: String) -> (
            params: String, value: String
        )? {
            e.first { $0.name == name }.map { ($0.params, $0.value) }
        }
        XCTAssertEqual(value(events[0], "UID")?.value, "m1@veikart")
        XCTAssertEqual(value(events[0], "DTSTAMP")?.value, "20260921T141320Z")
        XCTAssertEqual(value(events[0], "DTSTART")?.params, "TZID=Europe/Oslo")
        XCTAssertEqual(value(events[0], "DTSTART")?.value, "20220921T103000")
        XCTAssertEqual(value(events[0], "DTEND")?.value, "20220921T150000")
        XCTAssertEqual(
            value(events[0], "LOCATION")?.value, "Clarion Hotel Oslo; sal 2, Oslo",
            "semicolons and commas survive escaping")
        XCTAssertEqual(value(events[0], "SUMMARY")?.value, "E-helserådet: møte")
        XCTAssertTrue(
            value(events[0], "DESCRIPTION")!.value.contains("Saksliste:\n35/22 Tiltak for 2023 (13:45)\n" + longTitle),
            "long lines fold and unfold intact")
        XCTAssertEqual(value(events[1], "DTSTART")?.params, "VALUE=DATE")
        XCTAssertEqual(value(events[1], "DTEND")?.value, "20260123", "whole days: DTEND is the day after")
        XCTAssertTrue(value(events[1], "DESCRIPTION")!.value.hasPrefix("Starter kl. 10:00."))
        XCTAssertTrue(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo"))
    }

    func testFoldingNeverSplitsACharacter() {
        let line = "SUMMARY:" + String(repeating: "ø", count: 100)
        let folded = ICalendar.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(part.utf8.count, 75)
            XCTAssertNotNil(String(data: Data(part.utf8), encoding: .utf8))
        }
        XCTAssertEqual(folded.replacingOccurrences(of: "\r\n ", with: ""), line)
        XCTAssertEqual(ICalendar.escape("a\u{7}b\r\nc"), "ab\\nc", "control characters are dropped, newlines escaped")
    }
}
