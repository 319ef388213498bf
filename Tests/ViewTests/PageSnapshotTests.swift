import Domain
import SnapshotTesting
import Views
import XCTest

/// The public pages of another strategy (the Nordmark fixture) as snapshots: any change to what a page renders shows
/// up as a reviewed diff in `__Snapshots__`. Run with `SNAPSHOT_TESTING_RECORD=all` to accept a change on purpose.
final class PageSnapshotTests: XCTestCase {
    let d = Fixture.dataset
    let today = Fixture.today

    func testFrontPage() {
        assertSnapshot(of: FrontPageView.render(FrontPageModel(dataset: d)), as: .markup)
    }

    func testGoalPage() throws {
        let goal = try XCTUnwrap(d.goals.first)
        assertSnapshot(of: GoalPageView.render(GoalPageModel(dataset: d, goal: goal, today: today)), as: .markup)
    }

    func testSubgoalPage() throws {
        let subgoal = try XCTUnwrap(d.subgoals.first)
        assertSnapshot(
            of: SubgoalPageView.render(SubgoalPageModel(dataset: d, subgoal: subgoal, today: today)), as: .markup)
    }

    func testInitiativePage() throws {
        let initiative = try XCTUnwrap(d.initiatives.first)
        let model = InitiativePageModel(dataset: d, initiative: initiative, year: nil, today: today)
        assertSnapshot(of: InitiativePageView.render(model), as: .markup)
    }

    func testActorPages() throws {
        assertSnapshot(of: ActorListView.render(ActorListModel(dataset: d)), as: .markup, named: "list")
        let actor = try XCTUnwrap(d.actors.first)
        assertSnapshot(
            of: ActorPageView.render(ActorPageModel(dataset: d, actor: actor, today: today)), as: .markup,
            named: "actor")
    }

    func testRoadmapPage() {
        let model = RoadmapPageModel(dataset: d, filter: RoadmapFilter(), today: today)
        assertSnapshot(of: RoadmapPageView.render(model), as: .markup)
    }

    func testIndicatorPages() throws {
        assertSnapshot(
            of: IndicatorListView.render(IndicatorListModel(dataset: d, today: today)), as: .markup,
            named: "list")
        assertSnapshot(
            of: DashboardView.render(DashboardModel(dataset: d, today: today)), as: .markup, named: "dashboard")
        for indicator in d.indicators {
            let model = IndicatorPageModel(dataset: d, indicator: indicator, today: today, canImport: false)
            assertSnapshot(of: IndicatorPageView.render(model), as: .markup, named: indicator.id)
        }
    }
}
