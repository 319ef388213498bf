import XCTVapor
import XCTest

@testable import App

final class PageTests: XCTestCase {
    func testFrontPageShowsTheStrategy() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType, .html)
                let html = res.text
                XCTAssertTrue(html.hasPrefix("<!DOCTYPE html><html lang=\"nb\">"))
                XCTAssertTrue(
                    html.contains("Sammen om helhetlige, trygge og nyskapende tjenester som fremmer helse og mestring"))
                for goal in 1...5 { XCTAssertTrue(html.contains("href=\"/mal/\(goal)\""), "goal \(goal)") }
                XCTAssertTrue(html.contains("Bærekraftig helse- og omsorgssektor"))
                XCTAssertTrue(html.contains("href=\"/delmal/2.B\""))
                XCTAssertTrue(html.contains("Kandidat"), "candidate sub-goals are marked")
                XCTAssertTrue(html.contains("action=\"/sok\""))
                XCTAssertTrue(html.contains("class=\"skip-link\" href=\"#innhold\""))
                // The frame says what it always said about the seed, now from the seed's own strategy.csv.
                XCTAssertTrue(html.contains("<title>Veikart – nasjonal e-helsestrategi</title>"))
                XCTAssertTrue(html.contains("<span class=\"brand-sub\"> · nasjonal e-helsestrategi</span>"))
                XCTAssertTrue(
                    html.contains(
                        "Veikart viser nasjonal e-helsestrategi 2023–2030, veikartet og hvem som gjør hva og når. "
                            + """
                            Data fra Helsedirektoratets veikart (versjon 1.0, 21.08.2024) og møtedokumenter i \
                            rådsmodellen.
                            """
                    ))
                XCTAssertTrue(
                    html.contains(
                        "content=\"Nasjonal e-helsestrategi 2023–2030 med mål, delmål, tiltak og veikart.\""))
            }
        }
    }

    func testGoalSubgoalInitiativeAndActorPages() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/mal/2") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("Mål 2: Enklere arbeidshverdag"))
                XCTAssertTrue(res.text.contains("<svg"))
            }
            try await app.test(.GET, "/delmal/2.B") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("Pasientens legemiddelliste"))
                XCTAssertTrue(res.text.contains("href=\"/tiltak/pll\""))
            }
            try await app.test(.GET, "/delmal/2.b") { res async in
                XCTAssertEqual(res.status, .movedPermanently)
                XCTAssertEqual(res.headers.first(name: .location), "/delmal/2.B")
            }
            try await app.test(.GET, "/delmal/2.D") { res async in
                XCTAssertTrue(res.text.contains("kandidat til delmål"))
            }
            try await app.test(.GET, "/tiltak/pll") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("Prioritert nr. 1"))
                XCTAssertTrue(res.text.contains("Fullføre nasjonal innføring i løpet av 2028."))
            }
            try await app.test(.GET, "/aktorer/helse-vest") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("Helse Bergen HF"), "children are listed")
                XCTAssertTrue(res.text.contains("Regionalt helseforetak"))
            }
            try await app.test(.GET, "/aktorer") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("href=\"/aktorer/helse-sor-ost\""))
                XCTAssertTrue(res.text.contains("<h2>Regionale helseforetak</h2>"), "a heading over several is plural")
                XCTAssertFalse(res.text.contains(" 1 aktiviteter"), "one is singular")
            }
        }
    }

    /// The 2023 per-actor plan from the council papers is the year view of the initiative.
    func testWhatHappensInAYear() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/tiltak/pll?ar=2023") { res async in
                XCTAssertEqual(res.status, .ok)
                let html = res.text
                XCTAssertTrue(html.contains("Hva skjer i 2023"))
                XCTAssertTrue(html.contains("Videre innføring av e-multidose."))
                XCTAssertTrue(html.contains("Starte koordinert nasjonal innføring av PLL sammen med Norsk helsenett."))
                XCTAssertTrue(html.contains("2023 → 2028"))
                XCTAssertTrue(html.contains("<option value=\"2023\" selected>2023</option>"))
            }
            try await app.test(.GET, "/tiltak/pll?ar=3000") { res async in XCTAssertEqual(res.status, .badRequest) }
            try await app.test(.GET, "/tiltak/pll?ar=abc") { res async in XCTAssertEqual(res.status, .badRequest) }
        }
    }

    /// The seed's axis is what roadmap v1.0 drew (2021–2030, from its strategy.csv `roadmap_start`), although one
    /// activity starts in 2014; the year filter offers every year of the data.
    func testTheSeedRoadmapAxisIsAsPublished() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/veikart.svg") { res async in
                XCTAssertTrue(res.text.contains("font-weight=\"bold\" fill=\"#1a1a1a\">2021</text>"))
                XCTAssertTrue(res.text.contains("font-weight=\"bold\" fill=\"#1a1a1a\">2030</text>"))
                XCTAssertFalse(res.text.contains("font-weight=\"bold\" fill=\"#1a1a1a\">2020</text>"))
                XCTAssertFalse(res.text.contains("font-weight=\"bold\" fill=\"#1a1a1a\">2031</text>"))
            }
            try await app.test(.GET, "/veikart") { res async in
                XCTAssertTrue(res.text.contains("<option value=\"2014\">2014</option>"))
                XCTAssertTrue(res.text.contains("<option value=\"2030\">2030</option>"))
                XCTAssertFalse(res.text.contains("<option value=\"2031\">"))
            }
            try await app.test(.GET, "/veikart?ar=2031") { res async in
                XCTAssertEqual(res.status, .badRequest, "a year outside the data")
            }
        }
    }

    func testRoadmapFilterLeavesOnlyMatchingBarsAndRows() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/veikart") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertGreaterThan(count("class=\"activity-row\"", in: res.text), 100)
                XCTAssertTrue(res.text.contains("Konsept/mandat"), "phase names are in the legend and table")
            }
            try await app.test(.GET, "/veikart?aktor=helse-vest&fase=innforing") { res async in
                XCTAssertEqual(res.status, .ok)
                let html = res.text
                let rows = html.matches(
                    of: /<tr id="aktivitet-[^"]+" class="activity-row" data-phase="([^"]+)" data-actor="([^"]+)"/)
                let bars = html.matches(of: /<g class="bar" data-phase="([^"]+)" data-actor="([^"]+)"/)
                XCTAssertGreaterThan(rows.count, 2)
                XCTAssertEqual(rows.count, bars.count)
                XCTAssertTrue(
                    rows.allSatisfy { $0.1 == "innforing" && ["helse-vest", "helse-bergen"].contains(String($0.2)) })
                XCTAssertTrue(bars.allSatisfy { $0.1 == "innforing" })
                XCTAssertTrue(html.contains("<option value=\"helse-vest\" selected>"), "the form keeps the choice")
                XCTAssertTrue(
                    html.contains("<select name=\"mal\" id=\"filter-mal\"><option value>Alle</option>"),
                    "«Alle» submits an empty value")
                XCTAssertTrue(html.contains("href=\"/veikart.svg?aktor=helse-vest&amp;fase=innforing\""))
            }
            try await app.test(.GET, "/veikart?ar=2020&aktor=fhi") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("Ingen aktiviteter eller milepæler passer til utvalget."))
            }
        }
    }

    func testPrioritizedRoadmapIsInRankOrder() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/veikart/prioriterte") { res async in
                XCTAssertEqual(res.status, .ok)
                let order = [
                    "PLL", "Pasientens journaldokumenter", "Prøvesvar", "Kritisk informasjon", "Pasientens måldata",
                ]
                let positions = order.map {
                    res.text.range(of: "font-weight=\"bold\" fill=\"#243b53\">\($0)")?.lowerBound
                }
                XCTAssertTrue(positions.allSatisfy { $0 != nil }, "\(positions)")
                XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
            }
            try await app.test(.GET, "/veikart/prioriterte.svg") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "svg+xml")
            }
        }
    }

    func testSVGDownloadIsStandalone() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/veikart.svg?mal=1") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.type, "image")
                XCTAssertTrue(res.text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
                XCTAssertTrue(res.text.contains("<title id=\"veikart-title\">"))
                XCTAssertTrue(res.text.contains("class=\"today\""), "the today line is drawn")
                XCTAssertFalse(
                    res.text.contains("data-phase=\"utvikling\" data-actor=\"nhn\" data-activity=\"ps-"),
                    "goal 1 holds no prøvesvar")
            }
        }
    }

    func testSearchFindsNorwegianWordsAndHighlights() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/sok?q=legemiddel") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("href=\"/tiltak/pll\""))
                XCTAssertTrue(res.text.contains("<mark>legemiddelliste</mark>"))
            }
            for q in ["s%C3%B8r-%C3%B8st", "S%C3%B8r-%C3%98st", "S%C3%98R%20%C3%98ST"] {
                try await app.test(.GET, "/sok?q=\(q)") { res async in
                    XCTAssertEqual(res.status, .ok)
                    XCTAssertTrue(res.text.contains("href=\"/aktorer/helse-sor-ost\""), q)
                }
            }
            try await app.test(.GET, "/sok?q=finnesikkeiveikartet") { res async in
                XCTAssertTrue(res.text.contains("Ingen treff"))
            }
            try await app.test(.GET, "/sok") { res async in XCTAssertEqual(res.status, .ok) }
            try await app.test(.GET, "/sok?q=\(String(repeating: "a", count: 201))") { res async in
                XCTAssertEqual(res.status, .badRequest)
            }
            try await app.test(.GET, "/sok?q=%27%3B%20DROP%20TABLE%20activities%3B--") { res async in
                XCTAssertEqual(res.status, .ok)
            }
        }
    }

    func testUnknownIdsAndBadParametersAreClearErrors() async throws {
        try await TestApp.run { app in
            for path in [
                "/mal/9", "/mal/x", "/delmal/9.Z", "/tiltak/finnes-ikke", "/aktorer/finnes-ikke", "/ingenting",
            ] {
                try await app.test(.GET, path) { res async in
                    XCTAssertEqual(res.status, .notFound, path)
                    XCTAssertTrue(res.text.contains("lang=\"nb\""), path)
                    XCTAssertTrue(res.text.contains("finnes"), path)
                }
            }
            for path in [
                "/veikart?fase=test", "/veikart?aktor=helse-sor", "/veikart?ar=tjue", "/veikart.svg?mal=9",
                "/veikart/prioriterte?prioriterte=kanskje",
            ] {
                try await app.test(.GET, path) { res async in
                    XCTAssertEqual(res.status, .badRequest, path)
                    XCTAssertTrue(res.text.contains("Ugyldig filter"), path)
                }
            }
        }
    }

    func testSecurityHeadersAndStylesheet() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/") { res async in
                let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
                XCTAssertTrue(csp.contains("script-src 'self'"))
                XCTAssertFalse(csp.contains("unsafe-inline"))
                XCTAssertEqual(res.headers.first(name: "X-Content-Type-Options"), "nosniff")
                XCTAssertTrue(csp.contains("frame-ancestors 'none'"))
                XCTAssertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"))
                XCTAssertEqual(res.headers.first(name: "X-Frame-Options"), "DENY")
                XCTAssertEqual(res.headers.first(name: "Referrer-Policy"), "same-origin")
                XCTAssertNil(res.headers.first(name: "Strict-Transport-Security"), "no HSTS on plain http")
                XCTAssertFalse(res.text.contains("style=\""), "no inline styles, so the CSP needs no unsafe-inline")
                // The one script is a file from the site (script-src 'self'), never inline.
                XCTAssertEqual(count("<script", in: res.text), 1)
                XCTAssertTrue(res.text.contains("<script src=\"/assets/veikart.js?v="))
                XCTAssertFalse(res.text.contains("<script>"))
            }
            try await app.test(.GET, "/assets/veikart.js") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "javascript")
                XCTAssertTrue(res.text.contains("error-summary"))
            }
            try await app.test(.GET, "/assets/veikart.css") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains(".phase-innforing{background:"))
            }
        }
    }
}
