import Domain
import FluentKit
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

extension Client {
    /// A multipart/form-data POST, as a browser sends a file upload.
    /// The preview's confirmation: the same text back with the stamp the preview showed and the chosen mode.
    mutating func confirmImport(_ path: String, preview: String, csv: String, mode: String, reason: String = "")
        async throws
        -> (status: HTTPStatus, body: String, headers: HTTPHeaders)
    {
        let stamp = preview.firstMatch(of: /name="stempel" value="([0-9a-f]+)"/).map { String($0.1) } ?? ""
        XCTAssertFalse(stamp.isEmpty, "a preview came first")
        return try await upload(
            path,
            fields: [
                "_csrf": Client.csrf(in: preview), "tekst": csv, "bekreft": "ja", "modus": mode, "stempel": stamp,
                "begrunnelse": reason,
            ], file: nil)
    }

    mutating func upload(
        _ path: String, fields: [String: String], file: (name: String, filename: String, contents: String)?
    ) async throws
        -> (status: HTTPStatus, body: String, headers: HTTPHeaders)
    {
        let boundary = "----veikart-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body +=
                """
                --\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; \
                filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n\(file.contents)\r\n
                """
        }
        body += "--\(boundary)--\r\n"
        var result: (HTTPStatus, String, HTTPHeaders) = (.ok, "", [:])
        let cookie = self.cookie
        try await app.test(
            .POST, path,
            beforeRequest: { req in
                if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                req.body = ByteBuffer(string: body)
            }, afterResponse: { res async in result = (res.status, res.body.string, res.headers) })
        remember(result.2)
        return result
    }
}

final class IndicatorPageTests: XCTestCase {
    func testListGroupsEveryIndicatorWithFiguresAndStatus() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get("/indikatorer")
            XCTAssertEqual(page.status, .ok)
            for heading in [
                "Overordnet mål: Kvalitet og sammenheng i tjenestene", "Mål 2: Enklere arbeidshverdag",
                "Plassering på internasjonale målinger",
            ] {
                XCTAssertTrue(page.body.contains(heading), heading)
            }
            XCTAssertTrue(page.body.contains("28 % (2023)"), "latest value with its period")
            XCTAssertTrue(page.body.contains("+2 prosentpoeng siden 2022"))
            XCTAssertTrue(page.body.contains("100 % i 4. kv. 2027 (foreslått)"), "the next ambition")
            XCTAssertTrue(page.body.contains("68 % i 2030 (foreslått)"))
            XCTAssertTrue(page.body.contains("Ikke foreslått"), "no ambition proposed is a state of its own")
            XCTAssertTrue(page.body.contains("status-for-lite-data"))
        }
    }

    /// "Which indicators are red?": the latest published assessment beside the computed status, filterable and
    /// sortable.
    func testThePublishedAssessmentReachesTheIndicator() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get("/indikatorer/helsenorge-utbredelse")
            XCTAssertTrue(page.body.contains("<span class=\"light light-gul\">"), "the 2024-Q1 report's yellow")
            XCTAssertTrue(page.body.contains("href=\"/status/2024-Q1\""), "with the report it is from")
            XCTAssertTrue(page.body.contains("Digihelsestasjon er grønn"), "and its comment")
            let yellow = try await client.get("/indikatorer?vurdert=gul")
            XCTAssertEqual(yellow.status, .ok)
            XCTAssertTrue(yellow.body.contains("href=\"/indikatorer/helsenorge-utbredelse\""))
            XCTAssertFalse(yellow.body.contains("href=\"/indikatorer/epj-effektivt\""), "not assessed: filtered out")
            XCTAssertTrue(yellow.body.contains("<option value=\"gul\" selected>"), "the form keeps the choice")
            let red = try await client.get("/indikatorer?vurdert=rod")
            XCTAssertTrue(red.body.contains("Ingen indikatorer passer til utvalget."))
            let sorted = try await client.get("/indikatorer?sorter=vurdert")
            let first = try XCTUnwrap(sorted.body.range(of: "href=\"/indikatorer/helsenorge-utbredelse\""))
            let goalOne = try XCTUnwrap(sorted.body.range(of: "id=\"mal-1\""))
            XCTAssertLessThan(goalOne.lowerBound, first.lowerBound)
            let bad = try await client.get("/indikatorer?vurdert=lilla")
            XCTAssertEqual(bad.status, .badRequest)
            let api = try await client.get("/api/v1/indicators/helsenorge-utbredelse")
            XCTAssertTrue(api.body.contains("\"assessed\":{"), api.body)
            XCTAssertTrue(api.body.contains("\"status\":\"gul\"") && api.body.contains("\"period\":\"2024-Q1\""))
            let dashboard = try await client.get("/dashbord")
            XCTAssertTrue(dashboard.body.contains("Vurdert status"))
        }
    }

    func testIndicatorPageHasChartExplanationBreakdownsAndTable() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get("/indikatorer/epj-effektivt")
            XCTAssertEqual(page.status, .ok)
            let body = page.body
            XCTAssertTrue(body.contains("<svg"), "the chart is inline SVG")
            XCTAssertTrue(
                body.contains(
                    """
                    <title id=\"indikator-graf-title\">EPJ-systemet bidrar til effektivt pasientarbeid: utvikling \
                    over tid</title>
                    """
                ))
            XCTAssertTrue(body.contains("Brudd 1"), "the series break is marked")
            XCTAssertTrue(body.contains("68 % (2030)"), "the ambition is a marker")
            XCTAssertTrue(body.contains("Bare én sammenlignbar måling"), "the computation is explained")
            XCTAssertTrue(body.contains("Etter region"), "breakdowns are drawn")
            XCTAssertTrue(body.contains("region: Helse Vest"), "the data table lists breakdown values")
            XCTAssertTrue(
                body.contains("Helsedirektoratets årlige helsepersonellundersøkelse"),
                "the definition names its source"
            )
            XCTAssertTrue(body.contains("Vurdert status"), "the slot for the hand-assessed status")

            let csv = try await client.get("/indikatorer/epj-effektivt.csv")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.headers.contentType?.subType, "csv")
            XCTAssertTrue(csv.body.hasPrefix("periode,arbeidssted,region,enhet,verdi,merknad,kilde\n"), csv.body)
            XCTAssertTrue(csv.body.contains("2025,,Helse Vest,prosent,63,"))

            let velferd = try await client.get("/indikatorer/velferdsteknologi-mottakere")
            XCTAssertTrue(velferd.body.contains("148\u{00A0}651"), "Norwegian number formatting")
            XCTAssertTrue(velferd.body.contains("Trend (illustrasjon)"))

            let missing = try await client.get("/indikatorer/finnes-ikke")
            XCTAssertEqual(missing.status, .notFound)
            let method = try await client.get("/indikatorer/metode")
            XCTAssertEqual(method.status, .ok)
        }
    }

    func testDashboardShowsTheCuratedIndicatorsWithReadiness() async throws {
        try await TestApp.run { app in
            var client = Client(app: app)
            let page = try await client.get("/dashbord")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Klar"))
            XCTAssertTrue(page.body.contains("Under arbeid"))
            XCTAssertTrue(page.body.contains("Norges plassering i EU Digital Decade"))
            XCTAssertTrue(page.body.contains("class=\"sparkline\""))
            XCTAssertFalse(
                page.body.contains("Søknader om personidentifiserbare data"),
                "indicators not chosen for the dashboard stay off it")
            let found = try await client.get("/sok?q=velferdsteknologi")
            XCTAssertTrue(found.body.contains("/indikatorer/velferdsteknologi-mottakere"), "search finds indicators")
        }
    }

    func testEditorImportsOpenSDGFileAndTheStatusFollows() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let form = try await client.get("/indikatorer/epj-effektivt/importer")
            XCTAssertEqual(form.status, .ok)
            let csv = "periode,region,verdi,merknad\n2025,,50,Omtrent halvparten\n2026,,55,\n2026,Helse Vest,64,\n"
            let preview = try await client.upload(
                "/indikatorer/epj-effektivt/importer",
                fields: ["_csrf": Client.csrf(in: form.body), "begrunnelse": "Helsepersonellundersøkelsen 2026"],
                file: ("fil", "epj.csv", csv))
            XCTAssertEqual(preview.status, .ok, preview.body)
            XCTAssertTrue(preview.body.contains("2025 – region: Helse Vest (fjernes ved erstatt)"))
            let res = try await client.confirmImport(
                "/indikatorer/epj-effektivt/importer", preview: preview.body, csv: csv, mode: "erstatt",
                reason: "Helsepersonellundersøkelsen 2026")
            XCTAssertEqual(res.status, .seeOther, res.body)
            let page = try await client.get("/indikatorer/epj-effektivt")
            XCTAssertTrue(page.body.contains("55 % (2026)"), "the cache follows the write")
            XCTAssertTrue(page.body.contains("status-i-rute"), "two comparable points against the path to 68 % in 2030")
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(
                d.measurements.filter { $0.indicatorId == "epj-effektivt" }.count, 3,
                "the file replaced the indicator's measurements")
            XCTAssertEqual(
                d.measurements.filter { $0.indicatorId == "velferdsteknologi-mottakere" }.count, 3,
                "other indicators untouched")
            let history = try await client.get("/indikator/epj-effektivt/historikk")
            XCTAssertTrue(
                history.body.contains("Helsepersonellundersøkelsen 2026"), "the import is audited with its reason")
            XCTAssertTrue(history.body.contains("red@example.no"))
        }
    }

    func testABadFileIsRefusedWithLineNumbersAndChangesNothing() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let before = try await DatasetStore.load(on: app.db)!
            let version = try await DatasetStore.version(on: app.db)
            let form = try await client.get("/indikatorer/epj-effektivt/importer")
            let bad = "periode,verdi\n2026,55\n2026-Q7,1\n2027,mye\n2026,56\n2028,140\n"
            let res = try await client.upload(
                "/indikatorer/epj-effektivt/importer", fields: ["_csrf": Client.csrf(in: form.body), "tekst": bad],
                file: nil)
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.body.contains("innlimt tekst:3: «periode»"), res.body)
            XCTAssertTrue(
                res.body.contains("innlimt tekst:4: «verdi» er ikke et tall (fikk «mye»)"),
                "the file's own column names")
            XCTAssertTrue(
                res.body.contains("innlimt tekst:5: epj-effektivt har allerede en måling for 2026 på linje 2"))
            XCTAssertTrue(res.body.contains("innlimt tekst:6: «verdi» 140 er utenfor 0–100"))
            XCTAssertTrue(res.body.contains("2026-Q7,1"), "what the user pasted is kept")
            let after = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(after, before)
            let versionAfter = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(versionAfter, version)

            // The bulk format: an unknown indicator is refused the same way.
            let bulkForm = try await client.get("/indikatorer/importer")
            let bulk = try await client.upload(
                "/indikatorer/importer", fields: ["_csrf": Client.csrf(in: bulkForm.body)],
                file: ("fil", "maalinger.csv", "indicator,period,value\nepj-effektivt,2026,55\nukjent,2026,1\n"))
            XCTAssertEqual(bulk.status, .unprocessableEntity)
            XCTAssertTrue(bulk.body.contains("maalinger.csv:3: ukjent indikator «ukjent»"), bulk.body)
            let afterBulk = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(afterBulk, before)
        }
    }

    func testBulkImportReplacesOnlyTheIndicatorsInTheFile() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let form = try await client.get("/indikatorer/importer")
            let csv =
                "indicator,period,dimension,member,value,note,source\nhelsedata-soknader,2024,,,351,,FHI\n"
                + "radsmodell-effekt,2025-Q1,,,81,,Evaluering\n"
            let preview = try await client.upload(
                "/indikatorer/importer", fields: ["_csrf": Client.csrf(in: form.body)], file: ("fil", "m.csv", csv))
            XCTAssertEqual(preview.status, .ok, preview.body)
            let res = try await client.confirmImport(
                "/indikatorer/importer", preview: preview.body, csv: csv, mode: "erstatt")
            XCTAssertEqual(res.status, .seeOther, res.body)
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(d.series(of: d.indicator("helsedata-soknader")!).headline.map(\.value), [351])
            XCTAssertEqual(d.series(of: d.indicator("tilgang-pasientinformasjon")!).headline.map(\.value), [26, 28])
        }
    }

    func testOnlyEditorsMayImport() async throws {
        try await TestApp.run { app in
            var anonymous = Client(app: app)
            let anon = try await anonymous.get("/indikatorer/epj-effektivt/importer")
            XCTAssertEqual(anon.status, .seeOther)
            XCTAssertEqual(
                anon.headers.first(name: .location), "/logg-inn?neste=%2Findikatorer%2Fepj%2Deffektivt%2Fimporter")
            let anonPost = try await anonymous.upload(
                "/indikatorer/epj-effektivt/importer", fields: ["tekst": "periode,verdi\n2026,99\n"], file: nil)
            XCTAssertEqual(anonPost.status, .seeOther, "no one signed in: sent to sign in before the file is read")
            XCTAssertEqual(
                anonPost.headers.first(name: .location), "/logg-inn?neste=%2F", "no page to go back to: the front page")
            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let refused = try await reporter.get("/indikatorer/epj-effektivt/importer")
            XCTAssertEqual(refused.status, .forbidden)
            let page = try await reporter.get("/indikatorer/epj-effektivt")
            XCTAssertFalse(page.body.contains("Importer målinger"), "the UI hides what the user may not do")
            let token = Client.csrf(in: try await reporter.get("/konto").body)
            let post = try await reporter.upload(
                "/indikatorer/epj-effektivt/importer", fields: ["_csrf": token, "tekst": "periode,verdi\n2026,99\n"],
                file: nil)
            XCTAssertEqual(post.status, .forbidden)
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertFalse(d.measurements.contains { $0.value == 99 })
        }
    }

    func testEditorChangesDefinitionAndAmbitionsThroughTheForm() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let page = try await editor.get("/indikatorer/epj-effektivt")
            XCTAssertTrue(page.body.contains("href=\"/indikator/epj-effektivt/rediger\">Endre indikator</a>"))
            let form = try await editor.get("/indikator/epj-effektivt/rediger")
            XCTAssertTrue(
                form.body.contains("2030; 68; foreslatt; Litt over de gruppene som i dag er mest positive"),
                "ambitions are editable as lines")
            let saved = try await editor.submit(
                "/indikator/epj-effektivt/rediger",
                [
                    "ambitions":
                        "2027; 58; vedtatt\n2030; 68; foreslatt; Litt over de gruppene som i dag er mest positive",
                    "reason": "Fagrådet 21.01.2026",
                ])
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let after = try await editor.get("/indikatorer/epj-effektivt")
            XCTAssertTrue(after.body.contains("58 % i 2027 (vedtatt)"), "the next ambition follows the edit")
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(d.ambitions.filter { $0.indicatorId == "epj-effektivt" }.map(\.value), [58, 68])
            XCTAssertEqual(
                d.ambitions.filter { $0.indicatorId == "helsenorge-ddfl" }.count, 1, "other indicators keep theirs")
            let history = try await editor.get("/indikator/epj-effektivt/historikk")
            XCTAssertTrue(history.body.contains("Fagrådet 21.01.2026"))
            XCTAssertTrue(history.body.contains("2027; 58; vedtatt"))

            let bad = try await editor.submit(
                "/indikator/epj-effektivt/rediger", ["ambitions": "2030; mye\n2030-06-01; 5", "dashboardOrder": "17"])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.contains("Linje 1: «mye» er ikke et tall."), bad.body)
            XCTAssertTrue(bad.body.contains("Linje 2: start med et år eller kvartal"))
            XCTAssertTrue(
                bad.body.contains("Plass 17 er allerede brukt av «Opplevd tilgang til pasientinformasjon»."))
            let both = try await editor.submit(
                "/indikator/helsenorge-digihelsestasjon/rediger", ["ambitions": "2030; 90"])
            XCTAssertEqual(both.status, .unprocessableEntity)
            XCTAssertTrue(both.body.contains("enten ambisjoner eller «ingen ambisjon foreslått»"))
        }
    }

    func testIndicatorsAreWritableThroughTheRecordAPIByEditorsOnly() async throws {
        try await TestApp.run { app in
            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let refused = try await reporter.get("/indikator/epj-effektivt/rediger")
            XCTAssertEqual(refused.status, .forbidden)
            var result: (HTTPStatus, String) = (.ok, "")
            try await app.test(
                .GET, "/api/v1/records/indicators/epj-effektivt",
                afterResponse: { res async in result = (res.status, res.body.string) })
            XCTAssertEqual(result.0, .ok)
            XCTAssertTrue(
                result.1.contains("\"kind\":\"indikator\"") || result.1.contains("\"kind\":\"indicators\""), result.1)
            XCTAssertTrue(result.1.contains("\"ambitions\":\"2030; 68; foreslatt;"), result.1)
        }
    }

    func testAFileThatIsNotUTF8IsRefusedNotGarbled() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red@example.no", .redaktor)
            let form = try await client.get("/indikatorer/epj-effektivt/importer")
            let boundary = "----veikart-latin1"
            var body = Data(
                """
                --\(boundary)\r\nContent-Disposition: form-data; \
                name=\"_csrf\"\r\n\r\n\(Client.csrf(in: form.body))\r\n
                """
                .utf8)
            body += Data(
                """
                --\(boundary)\r\nContent-Disposition: form-data; name=\"fil\"; \
                filename=\"latin1.csv\"\r\nContent-Type: text/csv\r\n\r\n
                """
                .utf8)
            body +=
                Data("periode,verdi,merknad\n2026,55,".utf8) + Data([0xF8, 0x6B, 0x74])
                + Data("\n\r\n--\(boundary)--\r\n".utf8)
            let cookie = client.cookie
            var status: HTTPStatus = .ok
            var text = ""
            try await app.test(
                .POST, "/indikatorer/epj-effektivt/importer",
                beforeRequest: { req in
                    if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
                    req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                    req.body = ByteBuffer(data: body)
                },
                afterResponse: { res async in
                    status = res.status
                    text = res.body.string
                })
            XCTAssertEqual(status, .unprocessableEntity)
            XCTAssertTrue(text.contains("latin1.csv: filen er ikke gyldig UTF-8"), text)
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertFalse(d.measurements.contains { $0.indicatorId == "epj-effektivt" && $0.period == .year(2026) })
        }
    }
}
