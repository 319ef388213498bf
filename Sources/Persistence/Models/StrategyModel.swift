import Domain
import FluentKit
import Foundation
import SQLKit

final class StrategyModel: Model, @unchecked Sendable {
    public static let schema = "strategy"
    @ID(custom: "id", generatedBy: .user) public var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "version") var version: String
    @Field(key: "period_start") var periodStart: Int
    @Field(key: "period_end") var periodEnd: Int
    @Field(key: "vision") var vision: String
    // M018: the strategy's own texts and vocabulary (empty or null: the defaults in `Strategy`).
    @OptionalField(key: "short_name") var shortName: String?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "source") var source: String?
    @OptionalField(key: "outcomes_heading") var outcomesHeading: String?
    @OptionalField(key: "delay_goal") var delayGoal: String?
    @OptionalField(key: "roadmap_start") var roadmapStart: Int?
    /// JSON arrays of `PhaseDefinition` and `ActorTypeDefinition`: small lists read and replaced only as a whole.
    @OptionalField(key: "phases") var phases: String?
    @OptionalField(key: "actor_types") var actorTypes: String?
    public init() {}

    func domain() throws -> Strategy {
        func decode<T: Decodable>(_ json: String?, _: T.Type) throws -> T? {
            guard let json, let data = json.data(using: .utf8) else { return nil }
            do { return try JSONDecoder().decode(T.self, from: data) } catch {
                throw DatasetStore.Corrupt(
                    description: "ugyldig verdi i databasen: strategiens faser eller aktørtyper")
            }
        }
        return Strategy(
            title: title, version: version, periodStart: periodStart, periodEnd: periodEnd, vision: vision,
            shortName: shortName ?? "", summary: summary ?? "", source: source ?? "",
            outcomesHeading: outcomesHeading ?? "", delayGoal: delayGoal, roadmapStart: roadmapStart,
            phases: try decode(phases, [PhaseDefinition].self).map(PhaseCatalog.init) ?? .defaults,
            actorTypes: try decode(actorTypes, [ActorTypeDefinition].self).map(ActorTypeCatalog.init) ?? .defaults)
    }

    func set(_ s: Strategy) {
        func encode<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
        }
        title = s.title
        version = s.version
        periodStart = s.periodStart
        periodEnd = s.periodEnd
        vision = s.vision
        shortName = s.shortName
        summary = s.summary
        source = s.source
        outcomesHeading = s.outcomesHeading
        delayGoal = s.delayGoal
        roadmapStart = s.roadmapStart
        phases = encode(s.phases.all)
        actorTypes = encode(s.actorTypes.all)
    }
}
