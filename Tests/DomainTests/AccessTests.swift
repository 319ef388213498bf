import XCTest

@testable import Domain

final class AccessTests: XCTestCase {
    var seed: Dataset!
    override func setUpWithError() throws { seed = try DatasetFormat.read(try SeedFolder.read()) }

    func principal(_ role: Role, _ actors: Set<String> = []) -> Principal {
        Principal(userId: "u", email: "a@b.no", name: "A", role: role, actorSlugs: actors)
    }

    func testReporterWritesOwnActorAndItsTrustsOnly() {
        let vest = principal(.rapportor, ["helse-vest"])
        XCTAssertTrue(Access.canWriteRoadmapItem(vest, actorSlug: "helse-vest", in: seed))
        XCTAssertTrue(
            Access.canWriteRoadmapItem(vest, actorSlug: "helse-bergen", in: seed), "an RHF reports for its trusts")
        XCTAssertFalse(Access.canWriteRoadmapItem(vest, actorSlug: "helse-nord", in: seed))
        XCTAssertFalse(
            Access.canWriteRoadmapItem(vest, actorSlug: nil, in: seed), "initiative-wide milestones are the editors'")
        let bergen = principal(.rapportor, ["helse-bergen"])
        XCTAssertFalse(
            Access.canWriteRoadmapItem(bergen, actorSlug: "helse-vest", in: seed), "a trust does not report for its RHF"
        )
    }

    func testRolesAndAnonymous() {
        XCTAssertFalse(Access.canWriteRoadmapItem(nil, actorSlug: "helse-vest", in: seed))
        XCTAssertTrue(Access.canWriteRoadmapItem(principal(.redaktor), actorSlug: "helse-nord", in: seed))
        for role in [Role.leser, .sekretariat] {
            XCTAssertFalse(
                Access.canWriteRoadmapItem(principal(role, ["helse-vest"]), actorSlug: "helse-vest", in: seed),
                role.rawValue)
        }
        // An administrator can do whatever an editor or the secretariat can.
        let admin = principal(.administrator)
        XCTAssertTrue(Access.canWriteRoadmapItem(admin, actorSlug: "helse-nord", in: seed))
        XCTAssertTrue(
            Access.canWriteStructure(admin) && Access.canWriteCouncils(admin) && Access.canRunRounds(admin)
                && Access.canImport(admin))
        XCTAssertFalse(Access.canWriteCouncils(principal(.rapportor, ["helse-vest"])))
        XCTAssertTrue(Access.canWriteCouncils(principal(.sekretariat)))
        XCTAssertFalse(Access.canWriteStructure(principal(.sekretariat)))
        XCTAssertTrue(Access.canWriteStructure(principal(.redaktor)))
        XCTAssertFalse(Access.canWriteStructure(principal(.rapportor, ["helse-vest"])))
        XCTAssertTrue(Access.canManageUsers(principal(.administrator)))
        XCTAssertFalse(Access.canManageUsers(principal(.redaktor)))
    }

    func testPasswordPolicy() {
        XCTAssertNotNil(PasswordPolicy.problem(with: "kort"))
        XCTAssertNotNil(PasswordPolicy.problem(with: "aaaaaaaaaaaaaaaa"))
        XCTAssertNotNil(PasswordPolicy.problem(with: String(repeating: "ab12", count: 60)))
        XCTAssertNil(PasswordPolicy.problem(with: "riktig-hest-batteri"))
        XCTAssertGreaterThan(PasswordPolicy.commonPasswords.count, 19_000, "the shipped list is loaded")
        for common in [
            "passordpassord", "Passord123456", "Sommer2024!!!!", "qwertyuiop123", "1234567890123", "abcabcabcabc",
            "password12345", "velkommen2026!", "iloveyou12345",
        ] {
            XCTAssertNotNil(PasswordPolicy.problem(with: common), common)
        }
        XCTAssertTrue(PasswordPolicy.problem(with: "passordpassord")?.contains("for vanlig") == true)
        // bcrypt's 72 bytes: 72 ASCII characters pass, 37 'æ' (74 bytes) do not.
        XCTAssertNil(PasswordPolicy.problem(with: "riktig-hest-batteri-" + String(repeating: "x", count: 52)))
        XCTAssertNotNil(PasswordPolicy.problem(with: "riktig-hest-batteri-" + String(repeating: "x", count: 53)))
        XCTAssertNotNil(PasswordPolicy.problem(with: "riktig-hest-" + String(repeating: "æ", count: 31)))
        XCTAssertNil(PasswordPolicy.problem(with: "blåbær-syltetøy-på-vaffel"))
    }
}

final class ActivityEditTests: XCTestCase {
    let base = Activity(
        id: "a", initiativeSlug: "pll", actorSlug: "helse-vest", phase: .utvikling,
        span: try! Span(start: .year(2023), end: .month(2024, 3)), tentative: false, description: "Utprøving")
    var seed: Dataset!
    override func setUpWithError() throws { seed = try DatasetFormat.read(try SeedFolder.read()) }

    func testRoundTripOfAnUnchangedForm() {
        XCTAssertEqual(try base.applying(base.formValues(), in: seed).get(), base)
    }

    func testEveryFieldProblemIsReportedInNorwegian() {
        let input = [
            "phase": "x", "start": "2024-13", "end": "", "planning": "kanskje",
            "description": String(repeating: "a", count: 2001),
        ]
        guard case .failure(let errors) = base.applying(input, in: seed) else { return XCTFail("should fail") }
        XCTAssertEqual(Set(errors.messages.keys), ["phase", "start", "planning", "description"])
        XCTAssertTrue(errors["start"]!.contains("«2024-13» er ikke en gyldig periode"))
    }

    func testEndBeforeStartAndNoDates() {
        var input = base.formValues()
        input["start"] = "2025"
        input["end"] = "2024"
        guard case .failure(let e1) = base.applying(input, in: seed) else { return XCTFail() }
        XCTAssertEqual(e1["end"], "Slutt kan ikke være før start.")
        input["start"] = ""
        input["end"] = ""
        guard case .failure(let e2) = base.applying(input, in: seed) else { return XCTFail() }
        XCTAssertEqual(e2["start"], "Oppgi start, slutt eller begge.")
    }

    func testChangedFields() {
        var after = base
        after.span = try! Span(start: .year(2023), end: .quarter(2024, 4))
        after.tentative = true
        let changed = AuditFields.changed(AuditFields.of(base), AuditFields.of(after))
        XCTAssertEqual(changed.map(\.field), ["Slutt", "Status"])
        XCTAssertEqual(changed[0].before, "2024-03")
        XCTAssertEqual(changed[0].after, "2024-Q4")
    }
}

final class SafeRedirectAndProxyTests: XCTestCase {
    func testOnlySameSitePathsAreRedirectTargets() {
        for good in ["/", "/veikart", "/veikart?fase=innforing&ar=2026", "/tiltak/pll#tidslinje", "/sok?q=%C3%A6"] {
            XCTAssertEqual(SafeRedirect.path(good), good)
        }
        for bad in [
            "", "veikart", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
            "/\r/evil.example",
            "https://evil.example", "javascript:alert(1)", "/%2F/evil.example", "/%5Cevil.example", "/%09/evil.example",
            " /veikart", "/\u{0}", "/\u{7F}", "/\u{2028}x", "/\u{200B}/evil", String(repeating: "/a", count: 200),
        ] {
            XCTAssertEqual(SafeRedirect.path(bad), "/", bad.debugDescription)
        }
    }

    func testForwardedForIsBelievedOnlyFromTrustedProxies() throws {
        let proxies = try TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, ::1")
        XCTAssertEqual(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.7"]), "198.51.100.7")
        XCTAssertEqual(
            proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7, 10.1.2.3"]), "198.51.100.7",
            "the nearest untrusted hop, not what the client wrote first")
        XCTAssertEqual(
            proxies.clientAddress(peer: "203.0.113.9", forwardedFor: ["198.51.100.7"]), "203.0.113.9",
            "a client that is no proxy cannot name another address")
        XCTAssertEqual(proxies.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: ["2001:db8::1"]), "2001:db8::1")
        XCTAssertEqual(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["nonsense"]), "127.0.0.1")
        XCTAssertEqual(proxies.clientAddress(peer: nil, forwardedFor: []), "ukjent")
        XCTAssertThrowsError(try TrustedProxies.parse("10.0.0.0/33"))
        XCTAssertThrowsError(try TrustedProxies.parse("proxy.example"))
        XCTAssertTrue(try TrustedProxies.parse("").isEmpty)
        // The throttle counts an IPv6 client by its /64.
        XCTAssertEqual(TrustedProxies.throttleKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64")
        XCTAssertEqual(TrustedProxies.throttleKey("2001:0db8:0001:0002:bbbb:cccc:dddd:9"), "2001:db8:1:2::/64")
        XCTAssertEqual(TrustedProxies.throttleKey("::1"), "0:0:0:0::/64")
        XCTAssertEqual(TrustedProxies.throttleKey("203.0.113.7"), "203.0.113.7")
        XCTAssertEqual(TrustedProxies.throttleKey("ukjent"), "ukjent")
    }

    func testDecodingProblemsNameTheFieldInNorwegian() {
        struct Shape: Decodable {
            let id: String
            let items: [Int]
        }
        func problem(_ json: String) -> String {
            do {
                _ = try JSONDecoder().decode(Shape.self, from: Data(json.utf8))
                return ""
            } catch { return DecodingProblem.describe(error) }
        }
        XCTAssertEqual(problem("{"), "Innholdet er ikke gyldig JSON.")
        XCTAssertEqual(
            problem("{\"id\": 5, \"items\": []}"), "Innholdet kunne ikke leses: feltet «id» har feil type.")
        XCTAssertEqual(
            problem("{\"id\": \"a\", \"items\": [1, \"x\"]}"),
            "Innholdet kunne ikke leses: feltet «items[1]» har feil type.")
        XCTAssertEqual(problem("{\"id\": \"a\"}"), "Innholdet kunne ikke leses: feltet «items» mangler.")
    }
}
