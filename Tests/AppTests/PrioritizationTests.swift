import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

final class PrioritizationTests: XCTestCase {
    let path = "/prioritering/ehelseradet-2022-09-21"

    func testTheSeedRoundRanksFindsTheSheetsMistakesAndShowsRobustness() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get(path)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("<td>6 (delt)</td>"), "the exact tie is shown as a tie")
            XCTAssertTrue(page.body.contains("<strong>22,75</strong>"), "PLL first")
            XCTAssertTrue(page.body.contains("ufullstendig – ingen svar i nytte"), "no silent zero, no #DIV/0!")
            XCTAssertTrue(
                page.body.contains("<td>25,75</td><td>16,08</td>"),
                "Felles hjelpenummer's total is checked, not overwritten")
            XCTAssertTrue(page.body.contains("Rangering når én gruppe utelates"))
            XCTAssertTrue(page.body.contains("<svg"), "the breakdown chart")
            let reweighted = try await client.get(path + "?vekt.maaloppnaelse=1&vekt.kostnader=0&vekt.nytte=1")
            XCTAssertTrue(reweighted.body.contains("Rangering med valgte vekter"))
            XCTAssertTrue(reweighted.body.contains("<strong>16,5</strong>"), "PLL without costs: 9 + 7.5")
            let bad = try await client.get(path + "?vekt.nytte=mye")
            XCTAssertEqual(bad.status, .badRequest)
            let compared = try await client.get(path + "?sammenlign=pll&sammenlign=ki-andre")
            XCTAssertTrue(compared.body.contains("Side om side"))
            XCTAssertTrue(
                compared.body.contains("Sjekke med Siri Pernille? Lovkrav om meldeplikt?"),
                "notes travel with the answers")
            let csv = try await client.get(path + ".csv")
            XCTAssertTrue(csv.body.hasPrefix("kriterium,pll,dd-spesialist"))
            let json = try await client.get(path + ".json")
            XCTAssertTrue(json.body.contains("\"ehelseradet-2022\""))
            let list = try await client.get("/prioritering")
            XCTAssertTrue(list.body.contains("Nasjonalt e-helseråd 21.09.2022"))
            XCTAssertFalse(list.body.contains("Importer en runde"), "only editors import")
        }
    }

    func testEditorImportsARoundAndBadSheetsAreRefusedWhole() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let list = try await editor.get("/prioritering")
            let csrf = Client.csrf(in: list.body)
            let bad = "kriterium,a,b,merknad\nnavn,A,B,\nmaaloppnaelse.realisering,8,Lovkrav?,\n"
            let refused = try await editor.upload(
                "/prioritering",
                fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "Ny runde", "dato": "2026-02-01", "tekst": bad],
                file: nil)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.contains("innlimt tekst:3: «Lovkrav?» for b er ikke et tall"), refused.body)
            let none = try await ScoringStore.round("ny-runde", on: app.db)
            XCTAssertNil(none)
            let good =
                """
                kriterium,a,b,merknad\nnavn,Tiltak A,Tiltak B,\ntiltak,pll,,\nmaaloppnaelse.realisering,8,6,a: \
                god\nkostnader.teknisk,5,5,\nnytte.infrastruktur,3,9,\n
                """
            let ok = try await editor.upload(
                "/prioritering", fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "Ny runde", "dato": "2026-02-01"],
                file: ("fil", "runde.csv", good))
            XCTAssertEqual(ok.status, .seeOther, ok.body)
            let round = try await editor.get("/prioritering/ny-runde")
            XCTAssertTrue(round.body.contains("Tiltak A"))
            XCTAssertTrue(round.body.contains("Utkast: "), "an imported sheet is a draft until published")
            let hidden = try await anonymousGet(app, "/prioritering/ny-runde")
            XCTAssertEqual(hidden.status, .notFound)
            let hiddenList = try await anonymousGet(app, "/prioritering")
            XCTAssertFalse(hiddenList.body.contains("Ny runde"))
            let hiddenAPI = try await anonymousGet(app, "/api/v1/scoring/rounds/ny-runde")
            XCTAssertEqual(hiddenAPI.status, .notFound)
            let again = try await editor.upload(
                "/prioritering", fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "X"], file: ("fil", "r.csv", good))
            XCTAssertTrue(again.body.contains("Det finnes allerede en runde med id «ny-runde»."))
        }
    }

    /// Two editors enter answers in the grid at once: different candidates never conflict; the same candidate does,
    /// and nothing is overwritten unseen.
    func testAnswersAreEnteredInTheGridInParallelPerCandidate() async throws {
        try await TestApp.run { app in
            var first = try await signedIn(app, "a@example.no", .redaktor)
            var second = try await signedIn(app, "b@example.no", .redaktor)
            let formA = try await first.get(path + "/svar")
            let formB = try await second.get(path + "/svar")
            XCTAssertEqual(formA.status, .ok)
            XCTAssertTrue(
                formA.body.contains("name=\"svar.dd-andre.nytte.infrastruktur\""), "one grid, candidates × questions")
            func fields(_ html: String, _ changes: [String: String]) -> [String: String] {
                var v = ["_csrf": Client.csrf(in: html)]
                for match in html.matches(of: /name="(stempel\.[^"]+)" value="([^"]*)"/) {
                    v[String(match.1)] = String(match.2)
                }
                for match in html.matches(of: /name="(opprinnelig\.[^"]+)" value="([^"]*)"/) {
                    v[String(match.1)] = String(match.2).replacingOccurrences(of: "&quot;", with: "\"")
                        .replacingOccurrences(of: "&amp;", with: "&")
                }
                for match in html.matches(of: /name="(svar\.[^"]+)" id="[^"]*" value="([^"]*)"/) {
                    v[String(match.1)] = String(match.2)
                }
                v.merge(changes) { _, n in n }
                return v
            }
            let invalid = try await first.post(
                path + "/svar", fields(formA.body, ["svar.dd-andre.nytte.infrastruktur": "12"]))
            XCTAssertEqual(invalid.status, .unprocessableEntity)
            XCTAssertTrue(invalid.body.contains("skriv et tall fra 0 til 10, «vet ikke», eller la feltet stå tomt"))
            XCTAssertTrue(invalid.body.contains("value=\"12\""), "input kept")
            let saved = try await first.post(
                path + "/svar", fields(formA.body, ["svar.dd-andre.nytte.infrastruktur": "7,5"]))
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let parallel = try await second.post(
                path + "/svar", fields(formB.body, ["svar.pll.nytte.infrastruktur": "vet ikke"]))
            XCTAssertEqual(parallel.status, .seeOther, "another candidate saved at the same time: no conflict")
            let found = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(found?.round.answer("dd-andre", "nytte.infrastruktur")?.value, 7.5)
            XCTAssertEqual(found?.round.answer("pll", "nytte.infrastruktur")?.isUnknown, true)
            // The same candidate, another cell: merged with the colleague's save, nothing lost.
            let otherCell = try await second.post(
                path + "/svar", fields(formB.body, ["svar.dd-andre.kostnader.teknisk": "2"]))
            XCTAssertEqual(otherCell.status, .seeOther, "a different cell of the same candidate merges")
            let merged = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(
                merged?.round.answer("dd-andre", "nytte.infrastruktur")?.value, 7.5, "the colleague's cell kept")
            XCTAssertEqual(merged?.round.answer("dd-andre", "kostnader.teknisk")?.value, 2)
            // The same cell changed two ways: a conflict, shown, nothing written.
            let stale = try await second.post(
                path + "/svar", fields(formB.body, ["svar.dd-andre.nytte.infrastruktur": "1"]))
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.contains("Ingenting er lagret"))
            XCTAssertTrue(stale.body.contains("Lagret nå: "), "what the colleague stored is shown")
            let kept = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(kept?.round.answer("dd-andre", "nytte.infrastruktur")?.value, 7.5, "nothing overwritten")
            XCTAssertTrue(
                stale.body.contains(
                    "name=\"svar.dd-andre.kostnader.teknisk\" id=\"felt-svar.dd-andre.kostnader.teknisk\" value=\"2\""),
                "cells the user did not change show what is stored now, not the stale value")
            let again = try await second.post(
                path + "/svar", fields(stale.body, ["svar.dd-andre.nytte.infrastruktur": "1"]))
            XCTAssertEqual(again.status, .seeOther, "saving again after seeing it is a conscious overwrite")
            let afterAgain = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(
                afterAgain?.round.answer("dd-andre", "kostnader.teknisk")?.value, 2,
                "only the cell the user changed is overwritten")
            XCTAssertEqual(afterAgain?.round.answer("dd-andre", "nytte.infrastruktur")?.value, 1)

            let single = try await first.get(path + "/svar?kandidat=dd-andre")
            XCTAssertTrue(single.body.contains("Kommentar til «"), "one candidate with comments")
            let page = try await first.get(path)
            XCTAssertFalse(
                page.body.contains("ufullstendig – ingen svar i nytte"), "one benefit answer completes the candidate")
            XCTAssertTrue(page.body.contains("Ubesvarte spørsmål"))
            XCTAssertTrue(page.body.contains("(vet ikke)"))

            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let refused = try await reporter.get(path + "/svar")
            XCTAssertEqual(refused.status, .forbidden)
        }
    }

    func testARoundIsCreatedInTheFormAsADraftAndPublishedAfterConfirmation() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let form = try await editor.get("/prioritering/ny")
            XCTAssertEqual(form.status, .ok)
            let csrf = Client.csrf(in: form.body)
            let empty = try await editor.post("/prioritering/ny", ["_csrf": csrf, "tittel": "", "dato": "snart"])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue(empty.body.contains("<a href=\"#felt-tittel\">Skriv en tittel for runden.</a>"))
            XCTAssertTrue(empty.body.contains("<a href=\"#felt-tiltak\">Velg minst ett tiltak.</a>"))
            XCTAssertTrue(empty.body.contains("value=\"snart\""), "input kept")
            let created = try await editor.post(
                "/prioritering/ny",
                [
                    "_csrf": csrf, "tittel": "Porteføljerådet mars 2027", "dato": "12.03.2027",
                    "modell": "ehelseradet-2022", "tiltak": "pll",
                ])
            XCTAssertEqual(created.status, .seeOther, created.body)
            let id = "portefoljeradet-mars-2027"
            XCTAssertEqual(created.headers.first(name: .location), "/prioritering/\(id)/svar")
            let stored = try await ScoringStore.round(id, on: app.db)
            XCTAssertEqual(stored?.round.isDraft, true)
            XCTAssertEqual(stored?.round.candidates.map(\.name), ["Pasientens legemiddelliste"])
            let variant = try await editor.post(
                "/prioritering/\(id)/kandidater",
                [
                    "_csrf": csrf, "tiltak": "sfm", "variant-tiltak": "pll",
                    "variant-navn": "Regional løsning",
                ])
            XCTAssertEqual(variant.status, .seeOther, variant.body)
            let withVariant = try await ScoringStore.round(id, on: app.db)
            XCTAssertEqual(withVariant?.round.candidates.map(\.id), ["pll", "sfm", "pll-regional-losning"])
            let noName = try await editor.post(
                "/prioritering/\(id)/kandidater", ["_csrf": csrf, "variant-tiltak": "pll"])
            XCTAssertEqual(noName.status, .unprocessableEntity)
            XCTAssertTrue(noName.body.contains("Skriv et navn på varianten"))

            let draftPage = try await editor.get("/prioritering/\(id)")
            XCTAssertFalse(
                draftPage.body.contains("Kontroll av tallene i arket"), "no sheet to check for a round entered here")
            let hidden = try await anonymousGet(app, "/prioritering/\(id)")
            XCTAssertEqual(hidden.status, .notFound, "a draft is the editors'")
            let confirm = try await editor.get("/prioritering/\(id)/publiser")
            XCTAssertTrue(confirm.body.contains("Publisere «Porteføljerådet mars 2027»?"))
            let version = try XCTUnwrap(confirm.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1
            let published = try await editor.post(
                "/prioritering/\(id)/publiser", ["_csrf": csrf, "versjon": String(version)])
            XCTAssertEqual(published.status, .seeOther)
            let publicPage = try await anonymousGet(app, "/prioritering/\(id)")
            XCTAssertEqual(publicPage.status, .ok)
            XCTAssertFalse(publicPage.body.contains("Utkast: "))
        }
    }

    func testModelsAreVersionedAndARoundKeepsTheVersionItUsed() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/prioritering/modeller")
            XCTAssertTrue(page.body.contains("versjon 1"))
            XCTAssertTrue(page.body.contains("10 = lite kompleks, 0 = ekstremt komplekst"))
            let bad = try await editor.post(
                "/prioritering/modeller",
                [
                    "_csrf": Client.csrf(in: page.body),
                    "modell":
                        #"{"id":"m","version":1,"name":"M","weights":{"x":1},"groups":[{"id":"g","title":"G","#
                        + #""children":[{"id":"g","title":"Q"}]}]}"#,
                ])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.contains("kriteriet «g» står flere ganger"))
            XCTAssertTrue(bad.body.contains("vekten for «x» hører ikke til en toppnivågruppe"))
            var next = try SeedData.scoringModel()
            next.weights = ["nytte": 2]
            let json = String(decoding: try JSONEncoder().encode(next), as: UTF8.self)
            let saved = try await editor.post(
                "/prioritering/modeller", ["_csrf": Client.csrf(in: page.body), "modell": json])
            XCTAssertEqual(saved.status, .seeOther)
            let latest = try await ScoringStore.latestModel("ehelseradet-2022", on: app.db)
            XCTAssertEqual(latest?.version, 2)
            let seedRound = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(seedRound?.round.model.version, 1, "the 2022 round keeps the version it used")
            let roundPage = try await editor.get(path)
            XCTAssertTrue(roundPage.body.contains("<strong>22,75</strong>"), "and its scores")
        }
    }

}
