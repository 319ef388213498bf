import Domain
import Routes

/// Linear mapping from days to x coordinates over whole years `fromYear...toYear`.
public struct TimeAxis: Hashable, Sendable {
    public let fromYear: Int
    public let toYear: Int
    public let x0: Double
    public let x1: Double

    public init(fromYear: Int, toYear: Int, x0: Double, x1: Double) {
        precondition(fromYear <= toYear && x0 < x1)
        self.fromYear = fromYear
        self.toYear = toYear
        self.x0 = x0
        self.x1 = x1
    }

    public var firstDay: Day { Period.year(fromYear).firstDay }
    /// Exclusive end: the first day after the axis.
    public var endDay: Day { Period.year(toYear + 1).firstDay }

    public func x(_ day: Day) -> Double {
        let span = Double(endDay.ordinal - firstDay.ordinal)
        return x0 + (x1 - x0) * Double(day.ordinal - firstDay.ordinal) / span
    }

    /// x of the day clamped to the axis.
    public func clampedX(_ day: Day) -> Double { min(max(x(day), x0), x1) }

    public func contains(_ day: Day) -> Bool { firstDay <= day && day < endDay }
}

/// Geometry of a roadmap drawing: every shape positioned, nothing rendered yet.
public struct GanttLayout: Hashable, Sendable {
    public struct Bar: Hashable, Sendable {
        public let activityId: String
        public let x: Double, y: Double, width: Double, height: Double
        public let phase: Phase
        public let tentative: Bool
        /// The activity starts before the axis (or its start is unknown) / ends after it (or is open-ended).
        public let continuesLeft: Bool, continuesRight: Bool
        public let actorSlug: String
        public let label: String
        /// Where the end was first planned, when it has been moved (drawn as a tick and a faint outline).
        public var baselineX: Double? = nil
        /// A significant delay recorded on the activity (drawn as a marker at the end).
        public var delay: Delay? = nil
        /// The activity on its initiative's page.
        public var link: String? = nil
    }
    public struct Mark: Hashable, Sendable {
        public let milestoneId: String
        public let x: Double, y: Double
        public let kind: MilestoneKind
        public let tentative: Bool
        public let label: String
        public var link: String? = nil
    }
    public struct Label: Hashable, Sendable {
        public enum Level: Int, Sendable { case section, initiative, actor }
        public let y: Double
        public let text: String
        public let level: Level
        /// The initiative's or the actor's page.
        public var link: String? = nil
    }
    public struct Band: Hashable, Sendable { public let y: Double, height: Double }

    public let width: Double
    public let height: Double
    public let axis: TimeAxis
    /// The dataset's value chain: bar colours, numbers and the legend.
    public let phases: PhaseCatalog
    public let top: Double
    public let plotBottom: Double
    public let bars: [Bar]
    public let marks: [Mark]
    public let labels: [Label]
    public let bands: [Band]
    public let todayX: Double?

    public static let laneHeight = 20.0
    public static let barHeight = 14.0

    public init(
        roadmap: Roadmap, fromYear: Int, toYear: Int, today: Day, width: Double = 1200, labelWidth: Double = 300
    ) {
        let axis = TimeAxis(fromYear: fromYear, toYear: toYear, x0: labelWidth, x1: width - 16)
        self.axis = axis
        self.phases = roadmap.phases
        self.width = width
        let top = 44.0
        self.top = top
        var y = top
        var bars: [Bar] = []
        var marks: [Mark] = []
        var labels: [Label] = []
        var bands: [Band] = []
        for section in roadmap.sections {
            y += 6
            labels.append(Label(y: y + 16, text: section.title, level: .section))
            y += 26
            for group in section.initiatives {
                labels.append(
                    Label(
                        y: y + 15, text: group.initiative.shortTitle, level: .initiative,
                        link: SiteURL.initiative(group.initiative.slug).path))
                y += 22
                for row in group.rows {
                    let rowTop = y
                    // Clip to the axis, then pack overlapping bars into lanes.
                    var laneEnds: [Double] = []
                    for activity in row.activities {
                        // Without a start date the bar covers only its end period and is marked as begun earlier,
                        // so it never claims a start the sources do not give.
                        let startDay = activity.span.start?.firstDay ?? activity.span.end?.firstDay
                        let endDay = activity.span.end.map { $0.lastDay.adding(days: 1) }
                        if let s = startDay, s >= axis.endDay { continue }
                        if let e = endDay, e <= axis.firstDay { continue }
                        let x = startDay.map(axis.clampedX) ?? axis.x0
                        let xEnd = endDay.map(axis.clampedX) ?? axis.x1
                        let lane = laneEnds.firstIndex { $0 <= x + 0.01 } ?? laneEnds.count
                        if lane == laneEnds.count { laneEnds.append(xEnd) } else { laneEnds[lane] = xEnd }
                        // A first-planned end outside the axis has no place to be drawn (a tick at the edge would
                        // look like a real date); the title still tells it.
                        let baselineX = activity.baseline.map { $0.lastDay.adding(days: 1) }
                            .flatMap { day in day >= axis.firstDay && day <= axis.endDay ? axis.x(day) : nil }
                        let moved =
                            activity.baseline.map { b in
                                "; opprinnelig planlagt slutt \(b.norwegian)"
                                    + (activity.delay.map { ", \($0.kind.name.lowercased()): \($0.cause.name)" } ?? "")
                            } ?? (activity.delay.map { "; \($0.kind.name.lowercased()): \($0.cause.name)" } ?? "")
                        var bar = Bar(
                            activityId: activity.id, x: x, y: rowTop + 3 + Double(lane) * Self.laneHeight,
                            width: max(xEnd - x, 2), height: Self.barHeight, phase: activity.phase,
                            tentative: activity.tentative,
                            continuesLeft: activity.span.start == nil || startDay.map { $0 < axis.firstDay } ?? true,
                            continuesRight: endDay.map { $0 > axis.endDay } ?? true,
                            actorSlug: activity.actorSlug,
                            label:
                                """
                                \(row.actor?.name ?? group.initiative.shortTitle): \
                                \(roadmap.phases.name(activity.phase)), \(activity.span.norwegian)
                                """
                                    + (activity.tentative ? " (tentativ)" : "") + moved
                                    + (activity.description.isEmpty ? "" : ". \(activity.description)"))
                        bar.baselineX = baselineX
                        bar.delay = activity.delay
                        bar.link = SiteURL.initiative(group.initiative.slug).path(fragment: "aktivitet-\(activity.id)")
                        bars.append(bar)
                    }
                    let lanes = max(laneEnds.count, 1)
                    for milestone in row.milestones where axis.contains(milestone.date.firstDay) {
                        // A milestone of month or coarser precision sits at the end of its period.
                        let day = milestone.date.precision == .day ? milestone.date.firstDay : milestone.date.lastDay
                        marks.append(
                            Mark(
                                milestoneId: milestone.id, x: axis.clampedX(day), y: rowTop + 3 + Self.barHeight / 2,
                                kind: milestone.kind, tentative: milestone.tentative,
                                label: "\(milestone.kind.name): \(milestone.date.norwegian)"
                                    + (milestone.tentative ? " (tentativ)" : "")
                                    + (milestone.description.isEmpty ? "" : ". \(milestone.description)"),
                                link: SiteURL.initiative(group.initiative.slug).path))
                    }
                    let rowHeight = Double(lanes) * Self.laneHeight + 6
                    labels.append(
                        Label(
                            y: rowTop + 3 + Self.barHeight - 2, text: row.actor?.name ?? "Hele tiltaket", level: .actor,
                            link: row.actor.map { SiteURL.actor($0.slug).path }))
                    bands.append(Band(y: rowTop, height: rowHeight))
                    y += rowHeight
                }
            }
        }
        self.plotBottom = max(y, top + 30)
        // Phase rows past the first, and a row for moved and delayed work when there is any.
        let phaseRows = GanttLayout.phaseLegend(roadmap.phases, width: width).map(\.row).max() ?? 0
        let movedRow = bars.contains { $0.baselineX != nil || $0.delay != nil } ? 24.0 : 0
        self.height = plotBottom + GanttLayout.legendHeight + GanttLayout.legendRowHeight * Double(phaseRows) + movedRow
        self.bars = bars
        self.marks = marks
        self.labels = labels
        self.bands = bands
        self.todayX = axis.contains(today) ? axis.x(today) : nil
    }

    public static let legendHeight = 96.0
    public static let legendRowHeight = 20.0

    /// Where each phase's key goes in the legend: left to right, wrapping to a new row when the next would not fit.
    public static func phaseLegend(_ phases: PhaseCatalog, width: Double) -> [(x: Double, row: Int)] {
        var x = 0.0
        var row = 0
        return phases.all.map { phase in
            let itemWidth = 28 + Double(phase.name.count) * 6.4 + 18
            if x > 0, x + itemWidth - 18 > width - 24 {
                x = 0
                row += 1
            }
            defer { x += itemWidth }
            return (x, row)
        }
    }
}
