import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

final class CouncilPageTests: XCTestCase {
    let meeting2022 = "/rad/strategiradet/moter/2022-09-21"
    let meeting2026 = "/rad/fagradet/moter/2026-01-21"

    func testSeededCouncilsMembersAndMeetingsAsThePapersHaveThem() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let list = try await client.get("/rad")
            XCTAssertEqual(list.status, .ok)
            for name in [
                "Nasjonalt strategiråd for digitalisering", "Nasjonalt porteføljeråd", "Nasjonalt fagråd",
                "Tidligere: Nasjonalt e-helsestyre, Nasjonalt e-helseråd",
            ] {
                XCTAssertTrue(list.body.contains(name), name)
            }
            let council = try await client.get("/rad/strategiradet")
            XCTAssertTrue(
                council.body.contains(
                    """
                    <td>Rune Simensen</td><td>Direktør for teknologi og e-helse</td><td>Helse Sør-Øst \
                    RHF</td><td>Leder</td>
                    """
                ), council.body)
            XCTAssertFalse(council.body.contains("<td>Terje Rootwelt</td>"), "replaced members are not current")
            XCTAssertTrue(
                council.body.contains(
                    "Fra 21.09.2022: Rune Simensen (Helse Sør-Øst RHF) erstatter Terje Rootwelt som leder."))
            XCTAssertTrue(council.body.contains("Camilla Dunsæd (Kristiansand kommune) går fra leder til medlem."))
            let then = try await client.get("/rad/strategiradet?dato=2022-06-01")
            XCTAssertTrue(then.body.contains("Medlemmer per 01.06.2022"))
            XCTAssertTrue(then.body.contains("<td>Terje Rootwelt</td>"))
            XCTAssertTrue(
                then.body.contains(
                    "<td>Camilla Dunsæd</td><td>Rådmann</td><td>Kristiansand kommune</td><td>Leder</td>")
            )
            let bad = try await client.get("/rad/strategiradet?dato=i-fjor")
            XCTAssertEqual(bad.status, .badRequest)

            let page = try await client.get(meeting2022)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(
                page.body.contains("Møte i Nasjonalt e-helseråd 21.09.2022"), "the name the council had then")
            XCTAssertTrue(
                page.body.contains(
                    """
                    <td>13:45</td><td>35/22</td><td><a href=\"#sak-35-22\">Tiltak for 2023 for å nå mål i veikart \
                    for nasjonale e-helseløsninger</a></td><td>Jon Helge Andersen, Direktoratet for \
                    e-helse</td><td>Anbefaling</td>
                    """
                ))
            XCTAssertTrue(page.body.contains("<td>11:45</td><td></td><td>Lunsj</td>"), "breaks sit in the timed agenda")
            XCTAssertTrue(
                page.body.contains(
                    "Trond Stenvik (Overhalla kommune) stiller for Kjersti Forbord Jensås (Røros kommune)"))
            XCTAssertTrue(page.body.contains("Nasjonalt e-helseråd anbefaler fremlagte forslag til tiltak for 2023"))
            XCTAssertTrue(
                page.body.contains(
                    "<a href=\"/prioritering/ehelseradet-2022-09-21\">Nasjonalt e-helseråd 21.09.2022</a>"),
                "links with titles")
            XCTAssertTrue(
                page.body.contains(
                    "<h3>Vedtak</h3><p>Vedtak ikke registrert: referatet fra møtet er ikke publisert i Veikart.</p>"),
                "a past meeting without minutes says the decision is missing")
            let notice = try await client.get(meeting2026 + "/innkalling")
            XCTAssertTrue(
                notice.body.contains(
                    """
                    Innkalling til møte i Nasjonalt fagråd for digitalisering i helse- og omsorgssektoren \
                    21.01.2026–22.01.2026
                    """
                ))
            XCTAssertTrue(
                notice.body.contains(
                    "Marthe Kristine Striger Dingen (Helse Midt-Norge RHF) stiller for Stine Slørdal"))
            XCTAssertTrue(notice.body.contains("<th>Dag</th>"), "a two-day meeting shows the day")
            let minutes = try await client.get(meeting2026 + "/referat")
            XCTAssertEqual(minutes.status, .notFound, "no minutes before they are published")
            let missing = try await client.get("/rad/fagradet/moter/2026-01-20")
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testLinkedPagesShowWhereTheyWereHandled() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            for (path, text) in [
                ("/tiltak/pll", "Sak 35/22 Tiltak for 2023"),
                ("/prioritering/ehelseradet-2022-09-21", "Sak 35/22 Tiltak for 2023"),
                (
                    "/indikatorer/epj-effektivt",
                    "Sak 6/26 Nasjonal e-helsestrategi – strategiske indikatorer og ambisjonsnivå 2030"
                ),
                ("/mal/5", "Sak 36/22"), ("/tiltak/helseteknologiordningen", "Sak 3/26"),
            ] {
                let page = try await client.get(path)
                XCTAssertEqual(page.status, .ok, path)
                XCTAssertTrue(page.body.contains("Behandlet i rådsmodellen"), path)
                XCTAssertTrue(page.body.contains(text), "\(path): \(text)")
                XCTAssertTrue(page.body.contains("Forslag til vedtak: "), path)
            }
            let newest = try await client.get("/tiltak/helseteknologiordningen")
            let order = ["Sak 3/26", "Sak 34/22"].map { newest.body.range(of: $0)?.lowerBound }
            XCTAssertTrue(order[0]! < order[1]!, "newest first")
            let unlinked = try await client.get("/tiltak/netthinne")
            XCTAssertFalse(unlinked.body.contains("Behandlet i rådsmodellen"))
        }
    }

    func testSecretariatNumbersCasesPublishesAndRecordsDecisions() async throws {
        try await TestApp.run { app in
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let council = try await sec.get("/rad/strategiradet")
            XCTAssertTrue(council.body.contains("For sekretariatet"))
            let csrf = Client.csrf(in: council.body)
            let created = try await sec.post(
                "/rad/strategiradet/moter",
                [
                    "_csrf": csrf, "startdato": "2022-10-20", "starttid": "09:00", "sluttid": "15:30",
                    "sted": "Gardermoen", "nummer": "6/22",
                ])
            XCTAssertEqual(created.status, .seeOther, created.body)
            let path = "/rad/strategiradet/moter/2022-10-20"
            let anonymous = try await anonymousGet(app, path)
            XCTAssertTrue(anonymous.body.contains("Sakslisten er ikke publisert ennå."))

            let newForm = try await sec.get(path + "/saker/ny")
            XCTAssertTrue(
                newForm.body.contains("<option value=\"initiative:pll\">"), "links are picked from what exists")
            XCTAssertTrue(newForm.body.contains("<datalist id=\"medlemmer\">"), "members are suggested as presenters")
            let first = try await sec.post(
                path + "/saker/ny",
                [
                    "_csrf": csrf, "tittel": "Oppfølging av tiltak for 2023", "type": "drofting",
                    "innleder.1.navn": "Jon Helge Andersen", "innleder.1.tittel": "fagdirektør",
                    "innleder.1.organisasjon": "Direktoratet for e-helse", "tid": "09:15",
                    "forslag": "Rådet drøfter saken.", "kobling.1.mal": "initiative:pll",
                    "kobling.3.mal": "scoring-round:ehelseradet-2022-09-21",
                ])
            XCTAssertEqual(first.status, .seeOther, first.body)
            XCTAssertEqual(
                first.headers.first(name: .location), path + "#sak-38-22", "the council continues from 37/22")
            let second = try await sec.post(path + "/saker/ny", ["_csrf": csrf, "tittel": "Eventuelt", "tid": "15:00"])
            XCTAssertEqual(second.headers.first(name: .location), path + "#sak-39-22")
            let refused = try await sec.post(
                path + "/saker/ny",
                [
                    "_csrf": csrf, "tittel": "Feil kobling", "kobling.1.mal": "indicator:finnes-ikke",
                    "innleder.2.tittel": "uten navn",
                ])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(
                refused.body.contains(
                    "<a href=\"#felt-kobling.1.mal\">Kobling 1: velg noe som finnes i strategien.</a>"), refused.body)
            XCTAssertTrue(
                refused.body.contains(
                    "<a href=\"#felt-innleder.2.navn\">Innleder 2: skriv navnet, eller tøm raden.</a>"))
            XCTAssertTrue(refused.body.contains("Feil kobling"), "the form keeps what was typed")
            let third = try await sec.post(path + "/saker/ny", ["_csrf": csrf, "tittel": "Tredje"])
            XCTAssertEqual(third.headers.first(name: .location), path + "#sak-40-22", "a refused case used no number")
            let otherCouncil = try await sec.post(
                "/rad/fagradet/moter", ["_csrf": csrf, "startdato": "2026-03-10", "sted": "Oslo"])
            XCTAssertEqual(otherCouncil.status, .seeOther)
            let fagradet = try await sec.post(
                "/rad/fagradet/moter/2026-03-10/saker/ny", ["_csrf": csrf, "tittel": "Ny sak"])
            XCTAssertEqual(
                fagradet.headers.first(name: .location), "/rad/fagradet/moter/2026-03-10#sak-7-26",
                "numbers are per council and year")

            // Withdrawing keeps the number: the next case does not reuse 40/22.
            let withdrawForm = try await sec.get(path + "/saker/40-22/rediger")
            let version = Client.value(of: "versjon", in: withdrawForm.body)
            let withdrawn = try await sec.post(
                path + "/saker/40-22/rediger", ["_csrf": csrf, "versjon": version, "tittel": "Tredje", "trukket": "ja"])
            XCTAssertEqual(withdrawn.status, .seeOther, withdrawn.body)
            let fourth = try await sec.post(path + "/saker/ny", ["_csrf": csrf, "tittel": "Fjerde"])
            XCTAssertEqual(fourth.headers.first(name: .location), path + "#sak-41-22")

            // A case added by mistake is removed while the notice is unpublished; its number is free again.
            let mistake = try await sec.post(path + "/saker/ny", ["_csrf": csrf, "tittel": "Feil møte"])
            XCTAssertEqual(mistake.headers.first(name: .location), path + "#sak-42-22")
            let removal = try await sec.get(path + "/saker/42-22/slett")
            XCTAssertTrue(removal.body.contains("Fjerne sak 42/22 Feil møte?"))
            let removed = try await sec.post(
                path + "/saker/42-22/slett", ["_csrf": csrf, "versjon": Client.value(of: "versjon", in: removal.body)])
            XCTAssertEqual(removed.status, .seeOther, removed.body)
            let remaining = try await CouncilStore.allCases(on: app.db).filter { $0.title == "Feil møte" }
            XCTAssertEqual(remaining.count, 0)

            // A second meeting the same day gets its own address.
            let doubleClick = try await sec.post(
                "/rad/strategiradet/moter", ["_csrf": csrf, "startdato": "20.10.2022", "starttid": "16:00"])
            XCTAssertEqual(
                doubleClick.status, .unprocessableEntity,
                "a second meeting the same day is confirmed, never a double click")
            XCTAssertTrue(doubleClick.body.contains("Rådet har allerede et møte 20.10.2022."))
            let sameDay = try await sec.post(
                "/rad/strategiradet/moter",
                [
                    "_csrf": csrf, "startdato": "20.10.2022", "starttid": "16:00",
                    "samme-dag": "ja",
                ])
            XCTAssertEqual(sameDay.headers.first(name: .location), path + "-2")
            let sameDayPage = try await sec.get(path + "-2")
            XCTAssertEqual(sameDayPage.status, .ok)
            XCTAssertTrue(sameDayPage.body.contains("20.10.2022 kl. 16:00"), "told apart from the day's first meeting")
            let nonCanonical = try await sec.get(path + "-02")
            XCTAssertEqual(nonCanonical.status, .notFound, "one address per meeting")
            let hostile = try await sec.get(path + "/saker/ny?oppfolging=38-22.-9223372036854775808")
            XCTAssertEqual(hostile.status, .ok, "a made-up follow-up position is ignored, never a crash")

            // Publish the notice after the confirmation page: readers now see the agenda; then record the decision and
            // publish the minutes.
            var meetingPage = try await sec.get(path)
            XCTAssertTrue(
                meetingPage.body.contains("href=\"\(path)/tilstand\">Publiser innkallingen …</a>"),
                "publishing starts with a confirmation page")
            let confirmation = try await sec.get(path + "/tilstand")
            XCTAssertTrue(
                confirmation.body.contains("Sakslisten med 3 saker blir offentlig"), "the withdrawn case is not counted"
            )
            let publish = try await sec.post(
                path + "/tilstand",
                ["_csrf": csrf, "versjon": Client.value(of: "versjon", in: confirmation.body), "tilstand": "innkalt"])
            XCTAssertEqual(publish.status, .seeOther, publish.body)
            let shown = try await anonymousGet(app, path)
            XCTAssertTrue(shown.body.contains("Oppfølging av tiltak for 2023"))
            XCTAssertTrue(shown.body.contains("Saken er trukket."))
            let form = try await sec.get(path + "/saker/38-22/rediger")
            let caseVersion = Client.value(of: "versjon", in: form.body)
            let caseFields = [
                "_csrf": csrf, "versjon": caseVersion, "tittel": "Oppfølging av tiltak for 2023", "type": "drofting",
                "tid": "09:15",
                "innleder.1.navn": "Jon Helge Andersen", "innleder.1.tittel": "fagdirektør",
                "innleder.1.organisasjon": "Direktoratet for e-helse", "forslag": "Rådet drøfter saken.",
                "kobling.1.mal": "initiative:pll", "kobling.2.mal": "scoring-round:ehelseradet-2022-09-21",
            ]
            let decided = try await sec.post(
                path + "/saker/38-22/rediger",
                caseFields.merging([
                    "vedtak": "Rådet ber direktoratet følge opp tiltakene.",
                    "oppfolging.1.tekst": "Rapportere status",
                    "oppfolging.1.ansvarlig": "Direktoratet for e-helse", "oppfolging.1.frist": "2022-12-02",
                ]) { _, new in new })
            XCTAssertEqual(decided.status, .seeOther, "the decision is not a correction of the notice: \(decided.body)")
            let beforeMinutes = try await anonymousGet(app, "/tiltak/pll")
            XCTAssertTrue(
                beforeMinutes.body.contains("Forslag til vedtak: </span>Rådet drøfter saken."),
                "the decision is not public before the minutes")
            meetingPage = try await sec.get(path)
            XCTAssertTrue(meetingPage.body.contains("Registrer hvem som møtte før referatet publiseres"))
            let notYet = try await sec.post(
                path + "/tilstand",
                [
                    "_csrf": csrf,
                    "versjon": Client.value(of: "versjon", in: try await sec.get(path + "/rediger").body),
                    "tilstand": "referat",
                ])
            XCTAssertEqual(notYet.status, .unprocessableEntity, "no minutes without attendance")
            // Attendance: every member sitting that day is marked; one sent a substitute.
            let meetingForm = try await sec.get(path + "/rediger")
            let memberIds = Set(
                meetingForm.body.matches(of: try Regex("name=\"oppmote\\.([^\"]+)\"")).compactMap {
                    $0.output[1].substring.map(String.init)
                })
            XCTAssertGreaterThan(memberIds.count, 2)
            var attendance = [
                "_csrf": csrf, "versjon": Client.value(of: "versjon", in: meetingForm.body), "startdato": "2022-10-20",
                "starttid": "09:00",
                "sluttid": "15:30", "sted": "Gardermoen", "nummer": "6/22", "andre": "Sekretariatet",
            ]
            let away = memberIds.sorted()[0]
            for id in memberIds { attendance["oppmote.\(id)"] = id == away ? "forfall" : "motte" }
            attendance["stedfortreder.\(away).navn"] = "Vara Varasen"
            attendance["stedfortreder.\(away).organisasjon"] = "Vara kommune"
            let incomplete = try await sec.post(
                path + "/rediger", attendance.merging(["oppmote.\(memberIds.sorted()[1])": ""]) { _, new in new })
            XCTAssertEqual(
                incomplete.status, .unprocessableEntity, "once attendance is recorded, every member is marked")
            let recorded = try await sec.post(
                path + "/rediger", attendance.merging(["rettelse": "Oppmøte"]) { a, _ in a })
            XCTAssertEqual(recorded.status, .seeOther, recorded.body)
            meetingPage = try await sec.get(path)
            let minutesConfirmation = try await sec.get(path + "/tilstand")
            XCTAssertTrue(minutesConfirmation.body.contains("Publisere referatet?"))
            XCTAssertTrue(
                minutesConfirmation.body.contains("Vedtak er ikke registrert i sak 39/22 og 41/22."),
                minutesConfirmation.body)
            let minutes = try await sec.post(
                path + "/tilstand",
                [
                    "_csrf": csrf, "versjon": Client.value(of: "versjon", in: minutesConfirmation.body),
                    "tilstand": "referat",
                ])
            XCTAssertEqual(minutes.status, .seeOther)
            let published = try await anonymousGet(app, path + "/referat")
            XCTAssertEqual(published.status, .ok)
            XCTAssertTrue(published.body.contains("Til stede (\(memberIds.count - 1))"), "attendance as recorded")
            XCTAssertTrue(published.body.contains("stedfortreder: Vara Varasen, Vara kommune"))
            XCTAssertTrue(published.body.contains("Jon Helge Andersen, fagdirektør, Direktoratet for e-helse"))
            // A correction after the minutes needs its reason, and readers see it.
            let correctionForm = try await sec.get(path + "/saker/38-22/rediger")
            var correction = caseFields.merging([
                "versjon": Client.value(of: "versjon", in: correctionForm.body),
                "vedtak": "Rådet ber direktoratet følge opp tiltakene innen fristen.",
                "oppfolging.1.tekst": "Rapportere status",
                "oppfolging.1.ansvarlig": "Direktoratet for e-helse", "oppfolging.1.frist": "2022-12-02",
            ]) { _, new in new }
            let unexplained = try await sec.post(path + "/saker/38-22/rediger", correction)
            XCTAssertEqual(unexplained.status, .unprocessableEntity)
            XCTAssertTrue(unexplained.body.contains("Skriv hva som er rettet og hvorfor"))
            correction["rettelse"] = "Vedtaksteksten manglet fristen."
            let corrected = try await sec.post(path + "/saker/38-22/rediger", correction)
            XCTAssertEqual(corrected.status, .seeOther, corrected.body)
            let correctedMinutes = try await anonymousGet(app, path + "/referat")
            XCTAssertTrue(
                correctedMinutes.body.contains("Rettet 22.11.2026: </strong>Vedtaksteksten manglet fristen."),
                correctedMinutes.body)
            // The open follow-up is on the council's next meeting, with where its initiative stands.
            let next = try await sec.post("/rad/strategiradet/moter", ["_csrf": csrf, "startdato": "2027-01-14"])
            XCTAssertEqual(next.status, .seeOther)
            let nextPage = try await anonymousGet(app, "/rad/strategiradet/moter/2027-01-14")
            XCTAssertFalse(nextPage.body.contains("Oppfølgingssaker"), "the draft agenda is not public")
            let draft = try await sec.get("/rad/strategiradet/moter/2027-01-14")
            XCTAssertTrue(draft.body.contains("<h2 id=\"oppfolgingssaker\">Oppfølgingssaker</h2>"), draft.body)
            XCTAssertTrue(draft.body.contains("<strong>Rapportere status</strong>"))
            XCTAssertTrue(draft.body.contains("saker/ny?oppfolging=38-22.1"))
            let prefilled = try await sec.get("/rad/strategiradet/moter/2027-01-14/saker/ny?oppfolging=38-22.1")
            XCTAssertTrue(prefilled.body.contains("Oppfølging av sak 38/22: Rapportere status"))
            XCTAssertTrue(published.body.contains("Rådet ber direktoratet følge opp tiltakene."))
            XCTAssertTrue(
                published.body.contains(
                    "<td>Rapportere status</td><td>Direktoratet for e-helse</td><td>02.12.2022</td><td>Forfalt</td>"))
            let pll = try await anonymousGet(app, "/tiltak/pll")
            XCTAssertTrue(
                pll.body.contains("Vedtak: </span>Rådet ber direktoratet følge opp tiltakene innen fristen."))
            let backwards = try await sec.post(
                path + "/tilstand", ["_csrf": csrf, "versjon": "0", "tilstand": "innkalt"])
            XCTAssertEqual(backwards.status, .unprocessableEntity)

            // Minutes record what happened: a meeting that has not started cannot have them published.
            let future = Period.year(app.settings.today().year + 1).firstDay.adding(days: 40)
            let later = try await sec.post(
                "/rad/fagradet/moter", ["_csrf": csrf, "startdato": future.description, "sted": "Oslo"])
            XCTAssertEqual(later.status, .seeOther)
            let laterPath = "/rad/fagradet/moter/\(future.description)"
            var laterPage = try await sec.get(laterPath)
            let notice = try await sec.post(
                laterPath + "/tilstand",
                [
                    "_csrf": csrf,
                    "versjon": Client.value(of: "versjon", in: try await sec.get(laterPath + "/tilstand").body),
                    "tilstand": "innkalt",
                ])
            XCTAssertEqual(notice.status, .seeOther)
            laterPage = try await sec.get(laterPath)
            XCTAssertFalse(laterPage.body.contains("Publiser referatet"), "no button that cannot work")
            XCTAssertTrue(laterPage.body.contains("Referatet kan publiseres tidligst på møtedagen"))
            // Posted anyway (an old tab, a script): the server refuses it too.
            let editForm = try await sec.get(laterPath + "/rediger")
            let early = try await sec.post(
                laterPath + "/tilstand",
                [
                    "_csrf": csrf, "versjon": Client.value(of: "versjon", in: editForm.body),
                    "tilstand": "referat",
                ])
            XCTAssertEqual(early.status, .unprocessableEntity)
            XCTAssertTrue(
                early.body.contains("Referatet kan publiseres tidligst på møtedagen, \(future.norwegian)."),
                early.body)
            let stillNotice = try await anonymousGet(app, laterPath + "/referat")
            XCTAssertNotEqual(stillNotice.status, .ok, "no minutes were published")
        }
    }

    func testTwoSecretariesNeverGetTheSameNumberAndNeverOverwriteEachOther() async throws {
        try await TestApp.run { app in
            guard let (meeting, _) = try await CouncilStore.meeting(id: "fagradet-2026-01-21", on: app.db) else {
                return XCTFail("seed meeting")
            }
            let d = try await DatasetStore.load(on: app.db)!
            let targets = try await CouncilStore.linkTargets(dataset: d, on: app.db)
            let draft = CouncilCase(
                id: "", meetingId: meeting.id, number: CaseNumber(sequence: 1, year: 2026), title: "Parallell",
                type: .orientering, presenters: [],
                day: 1, time: nil, summary: "", questions: [], proposedDecision: "", decision: "", followUps: [],
                links: [], withdrawn: false)
            let numbers = try await withThrowingTaskGroup(of: CaseNumber.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await CouncilStore.addCase(
                            draft, toMeeting: meeting.id, targets: targets, author: .commandLine, on: app.db
                        ).number
                    }
                }
                return try await group.reduce(into: [CaseNumber]()) { $0.append($1) }
            }
            XCTAssertEqual(numbers.map(\.sequence).sorted(), [7, 8, 9, 10, 11, 12])

            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            var other = try await signedIn(app, "sek2@example.no", .sekretariat)
            let path = meeting2026 + "/saker/6-26/rediger"
            let mine = try await sec.get(path)
            let theirs = try await other.get(path)
            let csrfMine = Client.csrf(in: mine.body)
            let csrfTheirs = Client.csrf(in: theirs.body)
            let version = Client.value(of: "versjon", in: mine.body)
            let saved = try await other.post(
                path,
                [
                    "_csrf": csrfTheirs, "versjon": version, "tittel": "Strategiske indikatorer (kollegaens tittel)",
                    "type": "drofting", "dag": "1",
                    "rettelse": "Ny tittel.",
                ])
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let conflict = try await sec.post(
                path,
                [
                    "_csrf": csrfMine, "versjon": version, "tittel": "Min tittel", "type": "drofting", "dag": "1",
                    "rettelse": "Min tittel.",
                ])
            XCTAssertEqual(conflict.status, .conflict)
            XCTAssertTrue(
                conflict.body.contains("Strategiske indikatorer (kollegaens tittel)"), "the colleague's text is shown")
            XCTAssertTrue(conflict.body.contains("value=\"Min tittel\""), "and mine is kept in the form")
            let stored = try await CouncilStore.cases(of: meeting.id, on: app.db).first {
                $0.item.number.sequence == 6
            }!.item
            XCTAssertEqual(stored.title, "Strategiske indikatorer (kollegaens tittel)")
            XCTAssertEqual(stored.links.count, 0, "the colleague emptied the links; nothing of mine was written")
        }
    }

    func testOnlyTheSecretariatAndEditorsWrite() async throws {
        try await TestApp.run { app in
            var anonymous = Client(app: app)
            let form = try await anonymous.get(meeting2022 + "/saker/ny")
            XCTAssertEqual(form.status, .seeOther, "a visitor is sent to sign in")
            // Administrators can do what the secretariat can (Access.canWriteCouncils).
            var admin = try await signedIn(app, "administrator@example.no", .administrator)
            let adminPage = try await admin.get("/rad/strategiradet")
            XCTAssertTrue(adminPage.body.contains("For sekretariatet"))
            let adminForm = try await admin.get(meeting2022 + "/saker/35-22/rediger")
            XCTAssertEqual(adminForm.status, .ok)
            for role in [Role.leser, .rapportor] {
                var user = try await signedIn(
                    app, "\(role.rawValue)@example.no", role, actors: role == .rapportor ? ["helse-vest"] : [])
                let page = try await user.get("/rad/strategiradet")
                XCTAssertFalse(page.body.contains("For sekretariatet"), role.rawValue)
                let csrf = Client.csrf(in: page.body)
                for (path, form) in [
                    ("/rad/strategiradet/moter", ["startdato": "2022-11-01"]),
                    (meeting2022 + "/saker/ny", ["tittel": "X"]),
                    ("/rad/strategiradet/medlemmer", ["navn": "X"]),
                    (meeting2022 + "/saker/35-22/rediger", ["tittel": "X", "versjon": "1"]),
                    (meeting2022 + "/tilstand", ["tilstand": "referat", "versjon": "1"]),
                ] {
                    let res = try await user.post(path, form.merging(["_csrf": csrf]) { a, _ in a })
                    XCTAssertEqual(res.status, .forbidden, "\(role.rawValue) \(path)")
                }
            }
            let cases = try await CouncilStore.allCases(on: app.db)
            XCTAssertEqual(cases.count, 14, "nothing was written")
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/rad/strategiradet")
            XCTAssertTrue(
                page.body.contains("For sekretariatet"), "strategy editors prepare cases with the secretariat")
        }
    }

    func testMembersAreReplacedAndCouncilsRenamedWithoutLosingHistory() async throws {
        try await TestApp.run { app in
            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let page = try await sec.get("/rad/fagradet")
            let csrf = Client.csrf(in: page.body)
            let replaced = try await sec.post(
                "/rad/fagradet/medlemmer",
                [
                    "_csrf": csrf, "navn": "Ny Person", "tittel": "Seniorrådgiver", "organisasjon": "KS",
                    "rolle": "medlem", "fra": "2026-06-01", "erstatter": "fr-kjetil-loyning",
                ])
            XCTAssertEqual(replaced.status, .seeOther, replaced.body)
            let after = try await sec.get("/rad/fagradet")
            XCTAssertTrue(after.body.contains("Fra 01.06.2026: Ny Person (KS) erstatter Kjetil Løyning."))
            let before = try await sec.get("/rad/fagradet?dato=2026-05-31")
            XCTAssertTrue(before.body.contains("<td>Kjetil Løyning</td>"))
            XCTAssertFalse(before.body.contains("<td>Ny Person</td>"))
            let noDate = try await sec.post(
                "/rad/fagradet/medlemmer", ["_csrf": csrf, "navn": "Uten dato", "erstatter": "fr-jon-gupta"])
            XCTAssertEqual(noDate.status, .unprocessableEntity)
            XCTAssertTrue(noDate.body.contains("oppgi datoen Uten dato tar over"))
            let ended = try await sec.post(
                "/rad/fagradet/medlemmer/avslutt", ["_csrf": csrf, "medlem": "fr-jim-j-yang", "til": "2026-09-01"])
            XCTAssertEqual(ended.status, .seeOther)

            let version = Client.value(of: "versjon", in: after.body)
            let renamed = try await sec.post(
                "/rad/fagradet/rediger",
                [
                    "_csrf": csrf, "versjon": version,
                    "navn.1.navn": "NUFA", "navn.1.kortnavn": "NUFA",
                    "navn.2.navn": "Nasjonalt fagråd for digitalisering i helse- og omsorgssektoren",
                    "navn.2.kortnavn": "Fagrådet", "navn.2.fra": "2026-01-01",
                    "navn.3.navn": "Nasjonalt fagråd for helse og teknologi", "navn.3.kortnavn": "Teknologirådet",
                    "navn.3.fra": "1.1.2027",
                    "mandattekst": "Nytt mandat.", "ansvar": "Gi råd.",
                ])
            XCTAssertEqual(renamed.status, .seeOther, renamed.body)
            var reader = Client(app: app)
            let council = try await reader.get("/rad/fagradet")
            XCTAssertTrue(council.body.contains("<h1>Nasjonalt fagråd for helse og teknologi</h1>"))
            let old = try await reader.get(meeting2026)
            XCTAssertTrue(
                old.body.contains(
                    "Møte i Nasjonalt fagråd for digitalisering i helse- og omsorgssektoren 21.01.2026"),
                "old meetings keep the name of their day")
            let stale = try await sec.post(
                "/rad/fagradet/rediger",
                ["_csrf": csrf, "versjon": version, "navn.1.navn": "X", "mandattekst": "", "ansvar": ""])
            XCTAssertEqual(stale.status, .conflict)
        }
    }

    func testCalendarFeedsParseBack() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let all = try await client.get("/rad/moter.ics")
            XCTAssertEqual(all.status, .ok)
            XCTAssertEqual(all.headers.contentType?.description, "text/calendar; charset=utf-8")
            let events = try CouncilTestsICS.parse(all.body)
            XCTAssertEqual(events.count, 9)
            for e in events {
                for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"] { XCTAssertNotNil(e[name], name) }
            }
            XCTAssertEqual(Set(events.compactMap { $0["UID"] }).count, 9, "unique UIDs")
            let fagradet = try CouncilTestsICS.parse(try await client.get("/rad/fagradet/moter.ics").body)
            XCTAssertEqual(fagradet.count, 2)
            let jan = try XCTUnwrap(fagradet.first { $0["UID"] == "fagradet-2026-01-21@veikart" })
            XCTAssertEqual(jan["DTSTART"], "20260121")
            XCTAssertEqual(jan["LOCATION"], "Clarion Hotel Oslo")
            XCTAssertTrue(
                jan["DESCRIPTION"]!.contains(
                    "6/26 Nasjonal e-helsestrategi – strategiske indikatorer og ambisjonsnivå 2030 (14:40)"))

            var sec = try await signedIn(app, "sek@example.no", .sekretariat)
            let csrf = Client.csrf(in: try await sec.get("/rad/portefoljeradet").body)
            _ = try await sec.post(
                "/rad/portefoljeradet/moter",
                [
                    "_csrf": csrf, "startdato": "2026-12-03", "starttid": "10:00", "sluttid": "15:00",
                    "sted": "Oslo, Helsedirektoratet",
                ])
            let feed = try CouncilTestsICS.parse(try await client.get("/rad/portefoljeradet/moter.ics").body)
            let new = try XCTUnwrap(feed.last)
            XCTAssertEqual(new["DTSTART"], "20261203T100000")
            XCTAssertEqual(new["DTSTART;TZID"], "Europe/Oslo")
            XCTAssertEqual(new["LOCATION"], "Oslo, Helsedirektoratet")
            XCTAssertEqual(new["SUMMARY"], "Porteføljerådet: møte")
        }
    }

    func testSearchFindsCouncilsMeetingsAndCases() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let council = try await client.get("/sok?q=fagr%C3%A5det")
            XCTAssertTrue(council.body.contains("href=\"/rad/fagradet\""), council.body)
            let item = try await client.get("/sok?q=metadata+kodeverk")
            XCTAssertTrue(item.body.contains("href=\"/rad/fagradet/moter/2026-01-21#sak-5-26\""))
            let meeting = try await client.get("/sok?q=Trondheim")
            XCTAssertTrue(meeting.body.contains("href=\"/rad/strategiradet/moter/2022-09-21\""))
            let former = try await client.get("/sok?q=NUIT")
            XCTAssertTrue(former.body.contains("href=\"/rad/portefoljeradet\""), "former names are searchable")
        }
    }

    func testAPIGivesCouncilsMeetingsAndAgendas() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let list =
                try JSONSerialization.jsonObject(with: Data(try await client.get("/api/v1/councils").body.utf8))
                as! [String: Any]
            let councils = list["councils"] as! [[String: Any]]
            XCTAssertEqual(councils.map { $0["slug"] as! String }, ["strategiradet", "portefoljeradet", "fagradet"])
            let meetings =
                try JSONSerialization.jsonObject(
                    with: Data(try await client.get("/api/v1/councils/strategiradet/meetings").body.utf8))
                as! [String: Any]
            XCTAssertEqual(
                (meetings["meetings"] as! [[String: Any]]).map { $0["startsOn"] as! String },
                ["2022-06-08", "2022-09-21", "2022-12-02", "2025-12-11"])
            let meeting =
                try JSONSerialization.jsonObject(
                    with: Data(try await client.get("/api/v1/meetings/ehr-2022-09-21").body.utf8)) as! [String: Any]
            let agenda = meeting["agenda"] as! [[String: Any]]
            XCTAssertEqual(
                agenda.filter { $0["kind"] as? String == "case" }.map { $0["number"] as! String },
                (30...37).map { "\($0)/22" })
            let item = agenda.first { $0["number"] as? String == "35/22" }!
            XCTAssertTrue(item["decision"] is NSNull, "no decision before the minutes")
            XCTAssertTrue(
                (item["links"] as! [[String: Any]]).contains {
                    $0["target"] as? String == "ehelseradet-2022-09-21"
                        && $0["title"] as? String == "Nasjonalt e-helseråd 21.09.2022"
                })
            let planned =
                try JSONSerialization.jsonObject(
                    with: Data(try await client.get("/api/v1/meetings/ehr-2022-12-02").body.utf8)) as! [String: Any]
            XCTAssertEqual((planned["agenda"] as! [Any]).count, 0)
            let missing = try await client.get("/api/v1/meetings/finnes-ikke")
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testCouncilsTravelWithExportAndABrokenFileChangesNothing() async throws {
        try await TestApp.run { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "veikart-councils-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await DatasetImport.exportFolder(folder, on: app.db)
            let before = try await CouncilStore.data(on: app.db)
            let file = folder.appendingPathComponent("councils.json")
            let exported = try CouncilFiles.read(try Data(contentsOf: file))
            XCTAssertEqual(exported, before)
            _ = try await DatasetImport.importFolder(folder, on: app.db)
            let roundTripped = try await CouncilStore.data(on: app.db)
            XCTAssertEqual(roundTripped, before, "export → import is lossless")

            var broken = before
            broken.cases[0].links.append(CaseLink(kind: .initiative, target: "finnes-ikke"))
            broken.cases[1].number = broken.cases[2].number
            try CouncilFiles.write(broken).write(to: file)
            var goals = try String(contentsOf: folder.appendingPathComponent("goals.csv"), encoding: .utf8)
            goals = goals.replacingOccurrences(of: "Aktiv medvirkning i egen og næres helse", with: "Endret tittel")
            try goals.write(to: folder.appendingPathComponent("goals.csv"), atomically: true, encoding: .utf8)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail("a broken councils.json must refuse the import")
            } catch let failure as ImportFailure {
                let text = failure.description
                XCTAssertTrue(
                    text.contains(
                        "councils.json: sak 30/22: koblingen «initiative:finnes-ikke» peker på noe som ikke finnes"),
                    text)
                XCTAssertTrue(text.contains("finnes to ganger i strategiradet"), text)
            }
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(d.goals[0].title, "Aktiv medvirkning i egen og næres helse", "nothing changed")
            let after = try await CouncilStore.data(on: app.db)
            XCTAssertEqual(after, before)
            try Data("{\"councils\": [], \"members\": [], \"meetings\": [{\"id\": 1}], \"cases\": []}".utf8).write(
                to: file)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail()
            } catch let failure as ImportFailure {
                XCTAssertTrue(
                    failure.description.contains(
                        "councils.json: ugyldig innhold for rådsmodellen: meetings[0].id har feil type"),
                    failure.description)
            }
        }
    }
}

/// A page as a visitor who is not signed in sees it.
func anonymousGet(_ app: Application, _ path: String) async throws -> (
    status: HTTPStatus, body: String, headers: HTTPHeaders
) {
    var client = Client(app: app)
    return try await client.get(path)
}

/// Reads an iCalendar text back into one dictionary per VEVENT (`NAME` → value, `NAME;PARAM` → parameter value),
/// checking
/// line endings, folding and nesting on the way. Independent of the writer.
enum CouncilTestsICS {
    static func parse(_ text: String) throws -> [[String: String]] {
        XCTAssertTrue(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        XCTAssertTrue(text.hasSuffix("END:VCALENDAR\r\n"))
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        for line in text.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 75, line) }
        var events: [[String: String]] = []
        var current: [String: String]?
        var stack: [String] = []
        for line in text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n") where !line.isEmpty
        {
            let colon = try XCTUnwrap(line.firstIndex(of: ":"), line)
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            let parts = head.split(separator: ";")
            let name = String(parts[0])
            switch name {
            case "BEGIN":
                stack.append(value)
                if value == "VEVENT" { current = [:] }
            case "END":
                XCTAssertEqual(stack.popLast(), value)
                if value == "VEVENT", let c = current {
                    events.append(c)
                    current = nil
                }
            default:
                current?[name] = value.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(
                    of: "\\,", with: ","
                )
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\\\", with: "\\")
                for p in parts.dropFirst() {
                    let kv = p.split(separator: "=", maxSplits: 1)
                    if kv.count == 2 { current?["\(name);\(kv[0])"] = String(kv[1]) }
                }
            }
        }
        XCTAssertTrue(stack.isEmpty, "unbalanced BEGIN/END")
        return events
    }
}
