import Domain
import FluentKit
import Foundation
import SQLKit

/// Indicators, their measurements, ambitions and series breaks: read with the dataset, replaced with it,
/// and measurements replaced per indicator by the CSV imports.
public enum IndicatorStore {
    /// The indicators, with their measurements and with their ambitions and breaks when asked for.
    static func load(on db: any Database, measurements: Bool = true, ambitionsAndBreaks: Bool = true) async throws
        -> (indicators: [Indicator], measurements: [IndicatorMeasurement], ambitions: [Ambition], breaks: [SeriesBreak])
    {
        let indicatorRows = try await IndicatorModel.query(on: db).filter(\.$retired == false).sort(\.$position).all()
        guard ambitionsAndBreaks else { return (try indicatorRows.map { try $0.domainIndicator() }, [], [], []) }
        // A retired indicator keeps its values, ambitions and breaks for a reinstatement; the dataset leaves them out.
        let live = Set(indicatorRows.compactMap(\.id))
        let measurementRows =
            measurements
            ? try await MeasurementModel.query(on: db).sort(\.$position).all()
                .filter { live.contains($0.indicatorId) } : []
        let ambitionRows = try await AmbitionModel.query(on: db).sort(\.$position).all().filter {
            live.contains($0.indicatorId)
        }
        let breakRows = try await SeriesBreakModel.query(on: db).sort(\.$position).all().filter {
            live.contains($0.indicatorId)
        }
        return (
            try indicatorRows.map { try $0.domainIndicator() }, try measurementRows.map { try $0.domain() },
            try ambitionRows.map { try $0.domain() }, try breakRows.map { try $0.domain() }
        )
    }

    static func deleteAll(on tx: any Database) async throws {
        try await SeriesBreakModel.query(on: tx).delete()
        try await AmbitionModel.query(on: tx).delete()
        try await MeasurementModel.query(on: tx).delete()
        try await IndicatorModel.query(on: tx).delete()
    }

    static func insert(_ d: Dataset, version: Int64, on tx: any Database) async throws {
        for (i, ind) in d.indicators.enumerated() {
            let m = IndicatorModel()
            m.retired = false
            m.id = ind.id
            m.name = ind.name
            m.summary = ind.description
            m.goals = ind.goalIds.joined(separator: " ")
            m.overarchingGoal = ind.overarchingGoalId
            m.international = ind.international
            m.kind = ind.kind.rawValue
            (m.unit, m.unitDetail) = ind.unit.csv
            m.direction = ind.direction.rawValue
            m.source = ind.source
            m.frequency = ind.frequency.rawValue
            m.readiness = ind.readiness.rawValue
            m.dashboardOrder = ind.dashboardOrder
            m.noAmbitionReason = ind.noAmbitionReason
            m.position = i
            m.version = version
            try await m.create(on: tx)
        }
        try await insert(measurements: d.measurements, startingAt: 0, version: version, on: tx)
        try await chunked(
            d.ambitions.enumerated().map { (i, a) in
                let m = AmbitionModel()
                m.indicatorId = a.indicatorId
                m.period = a.period.description
                m.value = a.value
                m.state = a.state.rawValue
                m.note = a.note
                m.position = i
                return m
            }, on: tx)
        try await chunked(
            d.seriesBreaks.enumerated().map { (i, b) in
                let m = SeriesBreakModel()
                m.indicatorId = b.indicatorId
                m.period = b.period.description
                m.note = b.note
                m.position = i
                return m
            }, on: tx)
    }

    static func insert(
        measurements: [IndicatorMeasurement], startingAt position: Int, version: Int64, on tx: any Database
    ) async throws {
        try await chunked(
            measurements.enumerated().map { (i, x) in
                let m = MeasurementModel()
                m.indicatorId = x.indicatorId
                m.period = x.period.description
                m.periodDay = x.period.firstDay.ordinal
                m.dimension = x.dimension
                m.member = x.member
                m.value = x.value
                m.note = x.note
                m.source = x.source
                m.position = position + i
                m.version = version
                return m
            }, on: tx)
    }

    /// Multi-row inserts, in chunks that stay under every driver's bound-parameter limit.
    static func chunked<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + 500, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }

    /// Applies an import to the given indicators (an Open SDG or bulk CSV file), audited, in one transaction: merging
    /// (values in the file added or changed, the rest kept) or replacing (values not in the file removed). Unchanged
    /// values keep their version. With `expectedStamp` (what the preview was computed against) a concurrent change of
    /// these indicators' values refuses the import: `.conflict` with the diffs as they would be now.
    public static func importMeasurements(
        of indicatorIds: Set<String>, with measurements: [IndicatorMeasurement], mode: MeasurementDiff.Mode,
        expectedStamp: String? = nil, author: Author, reason: String,
        on db: any Database
    ) async throws -> MeasurementImportResult {
        do {
            return try await db.transaction { tx in
                let ids = indicatorIds.sorted()
                let version = try await RoadmapWrites.nextVersion(touching: ids.map(DataPart.measurements), on: tx)
                let current = try await IndicatorStore.measurements(of: ids, on: tx)
                let diffs = MeasurementDiff.compare(
                    current: current, incoming: measurements, indicatorIds: ids, mode: mode)
                if let expectedStamp, try await stamp(of: indicatorIds, on: tx) != expectedStamp {
                    throw RefusedImport(
                        result: .conflict(diffs: diffs, stamp: try await stamp(of: indicatorIds, on: tx)))
                }
                for diff in diffs {
                    for m in diff.removed { try await rows(matching: m, on: tx).delete() }
                    for m in diff.changed {
                        try await rows(matching: m, on: tx).set(\.$value, to: m.value).set(\.$note, to: m.note).set(
                            \.$source, to: m.source
                        )
                        .set(\.$version, to: version).update()
                    }
                }
                let added = diffs.flatMap(\.added)
                try await insert(
                    measurements: added,
                    startingAt: (try await MeasurementModel.query(on: tx).max(\.$position) ?? -1) + 1,
                    version: version, on: tx)
                for diff in diffs {
                    let after = measurements.filter { $0.indicatorId == diff.indicatorId }
                    try await RoadmapWrites.audit(
                        entityType: RecordKind.indicator.auditType, entityId: diff.indicatorId, action: "import",
                        before: [("Målinger", String(current.filter { $0.indicatorId == diff.indicatorId }.count))],
                        after: [
                            ("Måte", mode == .merge ? "Slått sammen" : "Erstattet"),
                            ("Lagt til", String(diff.added.count)), ("Endret", String(diff.changed.count)),
                            ("Fjernet", String(diff.removed.count)),
                            ("Perioder", after.map(\.period.description).uniqued().joined(separator: " ")),
                        ],
                        author: author, reason: reason, on: tx)
                }
                return .saved(diffs: diffs, version: version)
            }
        } catch let refused as RefusedImport {
            return refused.result
        }
    }

    /// Replaces the measurements of the given indicators, without a preview (the command line).
    public static func replaceMeasurements(
        of indicatorIds: Set<String>, with measurements: [IndicatorMeasurement], author: Author, reason: String,
        on db: any Database
    ) async throws {
        _ = try await importMeasurements(
            of: indicatorIds, with: measurements, mode: .replace, author: author, reason: reason, on: db)
    }

    /// A fingerprint of the stored values of some indicators (count and newest version of each): what a preview was
    /// computed against.
    public static func stamp(of indicatorIds: Set<String>, on db: any Database) async throws -> String {
        let sql = db.sql
        let rows = try await sql.select().column("indicator_id").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .column(SQLFunction("MAX", args: SQLIdentifier("version")), as: "v").from(MeasurementModel.schema)
        .where(SQLIdentifier("indicator_id"), .in, SQLBind.group(indicatorIds.sorted())).groupBy("indicator_id")
        .all(decoding: StampRow.self)
        let text = rows.sorted { $0.indicator_id < $1.indicator_id }.map { "\($0.indicator_id):\($0.n):\($0.v ?? 0)" }
            .joined(separator: ";")
        return String(Digests.sha256Hex(text).prefix(24))
    }

    static func rows(matching m: IndicatorMeasurement, on db: any Database) -> QueryBuilder<MeasurementModel> {
        MeasurementModel.query(on: db).filter(\.$indicatorId == m.indicatorId).filter(\.$period == m.period.description)
            .filter(\.$dimension == m.dimension).filter(\.$member == m.member)
    }

    /// The stored value with the same period and breakdown, the breakdown compared without regard to case.
    static func row(like m: IndicatorMeasurement, on db: any Database) async throws -> MeasurementModel? {
        try await MeasurementModel.query(on: db).filter(\.$indicatorId == m.indicatorId).filter(
            \.$period == m.period.description
        ).all()
            .first {
                $0.dimension.lowercased() == m.dimension.lowercased() && $0.member.lowercased() == m.member.lowercased()
            }
    }

    /// One indicator's values with their versions, in stored order.
    public static func versionedMeasurements(of indicatorId: String, on db: any Database) async throws -> [(
        measurement: IndicatorMeasurement, version: Int64
    )] {
        try await MeasurementModel.query(on: db).filter(\.$indicatorId == indicatorId).sort(\.$position).all().map {
            (try $0.domain(), $0.version ?? 0)
        }
    }

    /// Adds one value, or changes the stored value with the same period and breakdown at `expectedVersion` (nil: the
    /// value must not exist yet). Versioned and audited like every edit.
    public static func saveMeasurement(
        _ m: IndicatorMeasurement, expectedVersion: Int64?, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<IndicatorMeasurement> {
        return try await versionedSave(IndicatorMeasurement.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.measurements(m.indicatorId)], on: tx)
            let existing = try await row(like: m, on: tx)
            if let existing {
                guard expectedVersion == existing.version ?? 0 else {
                    throw RefusedSave(
                        result: SaveResult<IndicatorMeasurement>.conflict(
                            current: try existing.domain(), version: existing.version ?? 0))
                }
                let before = try existing.domain()
                // The stored spelling of the breakdown stays.
                existing.value = m.value
                existing.note = m.note
                existing.source = m.source
                existing.version = version
                try await existing.save(on: tx)
                try await auditValue(m, before: before, author: author, reason: reason, on: tx)
            } else {
                if expectedVersion != nil { throw RefusedSave(result: SaveResult<IndicatorMeasurement>.notFound) }
                try await insert(
                    measurements: [m],
                    startingAt: (try await MeasurementModel.query(on: tx).max(\.$position) ?? -1) + 1,
                    version: version, on: tx)
                try await auditValue(m, before: nil, author: author, reason: reason, on: tx)
            }
            return version
        }
    }

    /// Removes one value at `expectedVersion`.
    public static func removeMeasurement(
        _ key: MeasurementKey, of indicatorId: String, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<IndicatorMeasurement> {
        return try await versionedSave(IndicatorMeasurement.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.measurements(indicatorId)], on: tx)
            let probe = IndicatorMeasurement(
                indicatorId: indicatorId, period: key.period, value: 0, dimension: key.dimension, member: key.member
            )
            guard let existing = try await row(like: probe, on: tx) else {
                throw RefusedSave(result: SaveResult<IndicatorMeasurement>.notFound)
            }
            let before = try existing.domain()
            guard existing.version ?? 0 == expectedVersion else {
                throw RefusedSave(
                    result: SaveResult<IndicatorMeasurement>.conflict(
                        current: before, version: existing.version ?? 0))
            }
            try await existing.delete(on: tx)
            try await auditValue(nil, before: before, author: author, reason: reason, on: tx)
            return version
        }
    }

    static func auditValue(
        _ after: IndicatorMeasurement?, before: IndicatorMeasurement?, author: Author, reason: String,
        on db: any Database
    ) async throws {
        func fields(_ m: IndicatorMeasurement) -> [(String, String)] {
            [("Måling", m.key.text), ("Verdi", NumberText.plain(m.value)), ("Merknad", m.note), ("Kilde", m.source)]
        }
        let id = (after ?? before)!.indicatorId
        try await RoadmapWrites.audit(
            entityType: RecordKind.indicator.auditType, entityId: id,
            action: after == nil ? "measurement-remove" : before == nil ? "measurement-add" : "measurement-change",
            before: before.map(fields), after: after.map(fields), author: author, reason: reason, on: db)
    }
}

/// What an import did, or why it did nothing.
public enum MeasurementImportResult: Sendable, Equatable {
    case saved(diffs: [MeasurementDiff], version: Int64)
    /// The values changed after the preview: nothing written; the diffs as they would be now, and the new stamp.
    case conflict(diffs: [MeasurementDiff], stamp: String)
}

struct RefusedImport: Error { let result: MeasurementImportResult }

private struct StampRow: Decodable {
    let indicator_id: String
    let n: Int
    let v: Int64?
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
