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
        XCTAssertTrue(Access.canWriteRoadmapItem(vest, actorSlug: "helse-bergen", in: seed), "an RHF reports for its trusts")
        XCTAssertFalse(Access.canWriteRoadmapItem(vest, actorSlug: "helse-nord", in: seed))
        XCTAssertFalse(Access.canWriteRoadmapItem(vest, actorSlug: nil, in: seed), "initiative-wide milestones are the editors'")
        let bergen = principal(.rapportor, ["helse-bergen"])
        XCTAssertFalse(Access.canWriteRoadmapItem(bergen, actorSlug: "helse-vest", in: seed), "a trust does not report for its RHF")
    }

    func testRolesAndAnonymous() {
        XCTAssertFalse(Access.canWriteRoadmapItem(nil, actorSlug: "helse-vest", in: seed))
        XCTAssertTrue(Access.canWriteRoadmapItem(principal(.redaktor), actorSlug: "helse-nord", in: seed))
        for role in [Role.leser, .sekretariat, .administrator] {
            XCTAssertFalse(Access.canWriteRoadmapItem(principal(role, ["helse-vest"]), actorSlug: "helse-vest", in: seed), role.rawValue)
        }
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
    }
}
