@testable import App
import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

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
            XCTAssertTrue(page.body.contains("<td>25,75</td><td>16,08</td>"), "Felles hjelpenummer's total is checked, not overwritten")
            XCTAssertTrue(page.body.contains("Rangering når én gruppe utelates"))
            XCTAssertTrue(page.body.contains("<svg"), "the breakdown chart")
            let reweighted = try await client.get(path + "?vekt.maaloppnaelse=1&vekt.kostnader=0&vekt.nytte=1")
            XCTAssertTrue(reweighted.body.contains("Rangering med valgte vekter"))
            XCTAssertTrue(reweighted.body.contains("<strong>16,5</strong>"), "PLL without costs: 9 + 7.5")
            let bad = try await client.get(path + "?vekt.nytte=mye")
            XCTAssertEqual(bad.status, .badRequest)
            let compared = try await client.get(path + "?sammenlign=pll&sammenlign=ki-andre")
            XCTAssertTrue(compared.body.contains("Side om side"))
            XCTAssertTrue(compared.body.contains("Sjekke med Siri Pernille? Lovkrav om meldeplikt?"), "notes travel with the answers")
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
            let refused = try await editor.upload("/prioritering", fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "Ny runde", "dato": "2026-02-01", "tekst": bad], file: nil)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.contains("innlimt tekst:3: «Lovkrav?» for b er ikke et tall"), refused.body)
            let none = try await ScoringStore.round("ny-runde", on: app.db)
            XCTAssertNil(none)
            let good = "kriterium,a,b,merknad\nnavn,Tiltak A,Tiltak B,\ntiltak,pll,,\nmaaloppnaelse.realisering,8,6,a: god\nkostnader.teknisk,5,5,\nnytte.infrastruktur,3,9,\n"
            let ok = try await editor.upload("/prioritering", fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "Ny runde", "dato": "2026-02-01"],
                                              file: ("fil", "runde.csv", good))
            XCTAssertEqual(ok.status, .seeOther, ok.body)
            let round = try await editor.get("/prioritering/ny-runde")
            XCTAssertTrue(round.body.contains("Tiltak A"))
            let again = try await editor.upload("/prioritering", fields: ["_csrf": csrf, "id": "ny-runde", "tittel": "X"], file: ("fil", "r.csv", good))
            XCTAssertTrue(again.body.contains("Det finnes allerede en runde med id «ny-runde»."))
        }
    }

    func testAnswersAreEditedWithVersionsAndValidation() async throws {
        try await TestApp.run { app in
            var first = try await signedIn(app, "a@example.no", .redaktor)
            var second = try await signedIn(app, "b@example.no", .redaktor)
            let formA = try await first.get(path + "/svar/dd-andre")
            let formB = try await second.get(path + "/svar/dd-andre")
            XCTAssertEqual(formA.status, .ok)
            func fields(_ html: String, _ extra: [String: String]) -> [String: String] {
                var v = ["_csrf": Client.csrf(in: html), "versjon": html.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? "",
                         "svar.maaloppnaelse.realisering": "4", "svar.maaloppnaelse.prioriteringer": "4", "svar.kostnader.teknisk": "4"]
                v.merge(extra) { _, n in n }
                return v
            }
            let invalid = try await first.post(path + "/svar/dd-andre", fields(formA.body, ["svar.nytte.infrastruktur": "12"]))
            XCTAssertEqual(invalid.status, .unprocessableEntity)
            XCTAssertTrue(invalid.body.contains("skriv et tall fra 0 til 10"))
            let saved = try await first.post(path + "/svar/dd-andre", fields(formA.body, ["svar.nytte.infrastruktur": "5", "kommentar.nytte.infrastruktur": "Anslag"]))
            XCTAssertEqual(saved.status, .seeOther)
            let stale = try await second.post(path + "/svar/dd-andre", fields(formB.body, ["svar.nytte.infrastruktur": "1"]))
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.contains("Ingenting er overskrevet"))
            let page = try await first.get(path)
            XCTAssertFalse(page.body.contains("ufullstendig – ingen svar i nytte"), "one benefit answer completes the candidate")
            let found = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(found?.round.answer("dd-andre", "nytte.infrastruktur")?.value, 5)

            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let refused = try await reporter.get(path + "/svar/pll")
            XCTAssertEqual(refused.status, .forbidden)
        }
    }

    func testModelsAreVersionedAndARoundKeepsTheVersionItUsed() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/prioritering/modeller")
            XCTAssertTrue(page.body.contains("versjon 1"))
            XCTAssertTrue(page.body.contains("10 = lite kompleks, 0 = ekstremt komplekst"))
            let bad = try await editor.post("/prioritering/modeller", ["_csrf": Client.csrf(in: page.body),
                "modell": #"{"id":"m","version":1,"name":"M","weights":{"x":1},"groups":[{"id":"g","title":"G","children":[{"id":"g","title":"Q"}]}]}"#])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.contains("kriteriet «g» står flere ganger"))
            XCTAssertTrue(bad.body.contains("vekten for «x» hører ikke til en toppnivågruppe"))
            var next = try SeedData.scoringModel()
            next.weights = ["nytte": 2]
            let json = String(decoding: try JSONEncoder().encode(next), as: UTF8.self)
            let saved = try await editor.post("/prioritering/modeller", ["_csrf": Client.csrf(in: page.body), "modell": json])
            XCTAssertEqual(saved.status, .seeOther)
            let latest = try await ScoringStore.latestModel("ehelseradet-2022", on: app.db)
            XCTAssertEqual(latest?.version, 2)
            let seedRound = try await ScoringStore.round("ehelseradet-2022-09-21", on: app.db)
            XCTAssertEqual(seedRound?.round.model.version, 1, "the 2022 round keeps the version it used")
            let roundPage = try await editor.get(path)
            XCTAssertTrue(roundPage.body.contains("<strong>22,75</strong>"), "and its scores")
        }
    }

    func testAnEditorAddsAVariantAndAnswersIt() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get(path)
            let version = try XCTUnwrap(page.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1
            let added = try await editor.post(path + "/kandidater", ["_csrf": Client.csrf(in: page.body), "versjon": String(version), "id": "ki-apotek",
                                                                     "navn": "Kritisk info i apotek", "tiltak": "kritisk-informasjon", "variant": "Apotek"])
            XCTAssertEqual(added.status, .seeOther, added.body)
            XCTAssertEqual(added.headers.first(name: .location), path + "/svar/ki-apotek")
            let after = try await editor.get(path)
            XCTAssertTrue(after.body.contains("Kritisk info i apotek"))
            XCTAssertTrue(after.body.contains("ufullstendig"), "no answers yet: listed apart, not scored as zero")
            let stale = try await editor.post(path + "/kandidater", ["_csrf": Client.csrf(in: page.body), "versjon": String(version), "id": "x", "navn": "X"])
            XCTAssertEqual(stale.status, .conflict)
        }
    }
}
