import XCTest

@testable import Domain

final class CSVTests: XCTestCase {
    func testQuotedFieldsCommentsAndLineNumbers() throws {
        let text = "\u{FEFF}a,b\n# a comment, ignored\n1,\"x, \"\"y\"\"\"\n2,\"multi\nline\"\n3,\n"
        let records = try CSV.parse(text)
        XCTAssertEqual(records.map(\.line), [1, 3, 4, 6])
        XCTAssertEqual(records[1].fields, ["1", "x, \"y\""])
        XCTAssertEqual(records[2].fields, ["2", "multi\nline"])
        XCTAssertEqual(records[3].fields, ["3", ""])
    }

    func testSyntaxErrorsSayWhere() {
        XCTAssertThrowsError(try CSV.parse("a,b\n1,\"open\n")) { XCTAssertEqual(($0 as? CSV.SyntaxError)?.line, 2) }
        XCTAssertThrowsError(try CSV.parse("a,b\n1,x\"y\n")) { XCTAssertEqual(($0 as? CSV.SyntaxError)?.line, 2) }
    }

    func testFormulaNeutralisation() {
        XCTAssertEqual(CSV.neutralizeFormula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")")
        XCTAssertEqual(CSV.neutralizeFormula("+47 22"), "'+47 22")
        XCTAssertEqual(CSV.neutralizeFormula("-1"), "'-1")
        XCTAssertEqual(CSV.neutralizeFormula("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(CSV.neutralizeFormula("Helse Vest"), "Helse Vest")
        XCTAssertEqual(CSV.neutralizeFormula(""), "")
    }

    func testWriteEscapesAndReadsBack() throws {
        let rows = [["plain", "with, comma", "with \"quote\"", "#hash", "line\nbreak"]]
        let text = CSV.write(header: ["a", "b", "c", "d", "e"], rows: rows)
        XCTAssertEqual(try CSV.parse(text).dropFirst().map(\.fields), rows)
    }
}

final class DatasetFormatTests: XCTestCase {
    /// A small valid dataset as files.
    static func files() -> [String: String] {
        [
            "strategy.csv": "title,version,period_start,period_end,vision\nStrategi,1,2023,2030,Visjon\n",
            "overarching_goals.csv": "id,title,description\nbaerekraft,Bærekraft,\n",
            "goals.csv": "id,title,description,outcomes\n1,Mål en,Beskrivelse,A | B\n2,Mål to,,\n",
            "subgoals.csv": "id,goal,title,status,description\n1.A,1,Delmål A,adopted,\n2.A,2,Delmål 2A,candidate,\n",
            "actors.csv":
                """
            slug,name,short_name,type,parent,description\nhelse-vest,Helse Vest RHF,Helse \
            Vest,rhf,,\nhelse-bergen,Helse Bergen HF,,hf,helse-vest,\nhelse-nord,Helse Nord RHF,,rhf,,\n
            """,
            "initiatives.csv":
                """
            slug,title,short_title,kind,priority_rank,subgoals,target,description\npll,Pasientens \
            legemiddelliste,PLL,national,1,1.A 2.A,Mål,Beskrivelse\nannet,Annet tiltak,,actor,,2.A,,\n
            """,
            "activities.csv":
                "id,initiative,actor,phase,start,end,planning,description\n"
                + "a1,pll,helse-vest,utvikling,2023,2024-03,planlagt,Utprøving\n"
                + "a2,pll,helse-bergen,innforing,2024,,tentativ,Innføring\n"
                + "a3,annet,helse-nord,konsept,,2023,planlagt,\n",
            "milestones.csv":
                "id,initiative,actor,kind,date,planning,description\nm1,pll,,ferdigstilt,2028,tentativ,Ferdig\n",
            "indicators.csv":
                "id,name,goals,overarching_goal,kind,unit,unit_detail,direction,frequency,readiness,dashboard_order,"
                + "no_ambition_reason\n"
                + "1.1,Andel,1,,effekt,prosent,,hoyere-er-bedre,arlig,klar,1,\n"
                + "brok,Regioner,2,,gjennomforing,brok,7,hoyere-er-bedre,kvartalsvis,under-arbeid,,\n"
                    + """
                    ingen,Uten ambisjon,,baerekraft,innsatsfaktor,antall,,lavere-er-bedre,uregelmessig,kandidat,,Ikke \
                    foreslått\n
                    """,
            "measurements.csv":
                "indicator,period,dimension,member,value,note\n1.1,2022,,,26,\n1.1,2023,,,\"27,5\",signifikant\n"
                + "1.1,2023,region,Helse Vest,31,\nbrok,2024-Q1,,,5/7,\ningen,2025-11-01,,,148 651,\n",
            "ambitions.csv": "indicator,period,value,state\n1.1,2030,68,foreslatt\nbrok,2027-Q4,7,vedtatt\n",
            "series_breaks.csv": "indicator,period,note\n1.1,2022,Ny skala\n",
        ]
    }

    func testReadsAValidDataset() throws {
        let d = try DatasetFormat.read(Self.files())
        XCTAssertEqual(d.goals.map(\.id), ["1", "2"])
        XCTAssertEqual(d.goals[0].outcomes, ["A", "B"])
        XCTAssertEqual(d.subgoals[1].status, .candidate)
        XCTAssertEqual(d.actors[1].parentSlug, "helse-vest")
        XCTAssertEqual(d.actors[1].shortName, "Helse Bergen HF", "a missing short name falls back to the name")
        XCTAssertEqual(d.initiatives[0].subgoalIds, ["1.A", "2.A"])
        XCTAssertEqual(d.activities[0].span.end, .month(2024, 3))
        XCTAssertTrue(d.activities[1].tentative)
        XCTAssertNil(d.activities[2].span.start)
        XCTAssertNil(d.milestones[0].actorSlug)
    }

    func testEveryKindOfErrorIsReportedWithFileAndLine() {
        var f = Self.files()
        f["activities.csv"] = """
            id,initiative,actor,phase,start,end,planning,description
            a1,pll,helse-sor,utvikling,2023,2024,planlagt,unknown actor
            a2,pll,helse-vest,testing,2023,2024,planlagt,unknown phase
            a3,pll,helse-vest,utvikling,2023-13,2024,planlagt,bad period
            a4,pll,helse-vest,utvikling,2025,2024,planlagt,end before start
            a4,pll,helse-vest,utvikling,2023,2024,planlagt,duplicate id
            a6,ukjent,helse-vest,utvikling,2023,2024,planlagt,unknown initiative
            a7,pll,helse-vest,utvikling,2023,2024,kanskje,bad planning
            a8,pll,helse-vest,utvikling,,,planlagt,no dates
            a9,pll,helse-sor,utvikling,2024-13,2025,planlagt,two problems in one row

            """
        f["initiatives.csv"] =
            """
            slug,title,short_title,kind,priority_rank,subgoals,target,description\npll,PLL,,national,1,1.A \
            9.Z,,\nannet,Annet,,actor,,2.A,,\n
            """
        XCTAssertThrowsError(try DatasetFormat.read(f)) { error in
            let issues = (error as! ImportFailure).issues
            let text = issues.map(\.description).joined(separator: "\n")
            XCTAssertTrue(text.contains("activities.csv:2: ukjent aktør «helse-sor»"), text)
            XCTAssertTrue(text.contains("activities.csv:3: ukjent verdi «testing» i «phase»"), text)
            XCTAssertTrue(text.contains("activities.csv:4: «start»: ugyldig periode «2023-13»"), text)
            XCTAssertTrue(text.contains("activities.csv:5: slutt (2024) er før start (2025)"), text)
            XCTAssertTrue(text.contains("activities.csv:6: aktivitet «a4» finnes allerede på linje 5"), text)
            XCTAssertTrue(text.contains("activities.csv:7: ukjent tiltak «ukjent»"), text)
            XCTAssertTrue(text.contains("activities.csv:8: ukjent verdi «kanskje» i «planning»"), text)
            XCTAssertTrue(text.contains("activities.csv:9: både start og slutt mangler"), text)
            XCTAssertTrue(text.contains("initiatives.csv:2: ukjent delmål «9.Z»"), text)
            XCTAssertTrue(text.contains("activities.csv:10: «start»: ugyldig periode «2024-13»"), text)
            XCTAssertTrue(text.contains("activities.csv:10: ukjent aktør «helse-sor»"), text)
        }
    }

    func testStructuralErrors() {
        var f = Self.files()
        f.removeValue(forKey: "milestones.csv")
        f["extra.csv"] = "a\n"
        f["actors.csv"] = "slug,name,type,colour\nx,X,rhf,red\n"
        f["goals.csv"] = "id,title,description\n1,Mål,\"a, b\"\n1,Igjen,\n2,To,,extra\n"
        f["subgoals.csv"] = "id,goal,title,status,description\n1.a,1,x,adopted,\n2.B,1,x,adopted,\n"
        XCTAssertThrowsError(try DatasetFormat.read(f)) { error in
            let text = (error as! ImportFailure).description
            XCTAssertTrue(text.contains("Importen ble avvist, ingenting er endret"))
            XCTAssertTrue(text.contains("milestones.csv: filen mangler"), text)
            XCTAssertTrue(text.contains("extra.csv: ukjent fil"), text)
            XCTAssertTrue(text.contains("actors.csv:1: ukjent kolonne «colour»"), text)
            XCTAssertTrue(text.contains("goals.csv:3: mål-id «1» finnes allerede på linje 2"), text)
            XCTAssertTrue(text.contains("goals.csv:4: har 4 felt, men overskriften har 3"), text)
            XCTAssertTrue(text.contains("subgoals.csv:2: delmål-id må ha formen"), text)
            XCTAssertTrue(text.contains("subgoals.csv:3: delmål «2.B» hører ikke til mål 1"), text)
        }
    }

    func testActorCyclesAndDuplicateRanksAreRejected() {
        var f = Self.files()
        f["actors.csv"] =
            "slug,name,type,parent\na,A,rhf,b\nb,B,hf,a\nhelse-vest,HV,rhf,\nhelse-bergen,HB,hf,\nhelse-nord,HN,rhf,\n"
        f["initiatives.csv"] =
            "slug,title,kind,priority_rank,subgoals\npll,PLL,national,1,1.A\nannet,Annet,actor,1,2.A\n"
        XCTAssertThrowsError(try DatasetFormat.read(f)) { error in
            let text = (error as! ImportFailure).description
            XCTAssertTrue(text.contains("actors.csv:2: aktørhierarkiet går i ring"), text)
            XCTAssertTrue(text.contains("initiatives.csv:3: prioritet 1 er allerede gitt på linje 2"), text)
        }
    }

    func testWriteThenReadIsLossless() throws {
        let d = try DatasetFormat.read(Self.files())
        XCTAssertEqual(try DatasetFormat.read(DatasetFormat.write(d)), d)
    }

    func testShippedSeedDatasetIsValidAndRoundTrips() throws {
        let seed = try SeedFolder.read()
        let d = try DatasetFormat.read(seed)
        XCTAssertEqual(d.goals.count, 5)
        XCTAssertEqual(d.overarchingGoals.count, 3)
        XCTAssertEqual(
            d.subgoals.filter { $0.status == .adopted }.map(\.id),
            [
                "1.A", "1.B", "1.C", "1.D", "1.E", "2.A", "2.B", "2.C", "3.A", "3.B", "3.C", "4.A", "4.B", "4.C", "5.A",
                "5.B", "5.C",
            ])
        XCTAssertEqual(
            d.prioritized.map(\.slug),
            [
                "pll", "pasientens-journaldokumenter", "pasientens-provesvar", "kritisk-informasjon",
                "pasientens-maledata",
            ])
        XCTAssertGreaterThan(d.activities.count, 100)
        XCTAssertEqual(try DatasetFormat.read(DatasetFormat.write(d)), d)
    }
}

/// The seed folder in the source tree.
enum SeedFolder {
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/App/Seed/dataset")
    }

    static func read() throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".csv") {
            result[name] = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        }
        return result
    }
}
