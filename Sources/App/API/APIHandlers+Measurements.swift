import APIContract
import Domain
import Foundation
import Persistence
import Vapor

/// An indicator's values through the API: the fields of measurements.csv, read from the JSON object as the CSV import
/// reads its cells (a number or the same text, `27,5` or `5/7`), with errors named by those fields.
enum MeasurementJSON {
    struct Write {
        let measurement: IndicatorMeasurement
        let version: Int64?
        let reason: String
    }

    /// Where `APIHandlers.bodyChecks` leaves the value it read for the handler.
    struct Key: StorageKey { typealias Value = Write }

    static func read(_ object: [String: Any], indicator: Indicator) -> Result<Write, FieldErrors> {
        let names = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.map { ($0.csvName, $0.name) })
        var errors: [String: String] = [:]
        var input: [String: String] = [:]
        for (key, raw) in object where key != "version" && key != "reason" {
            guard let field = names[key] else {
                errors[String(key.prefix(64))] =
                    """
                    Ukjent felt; gyldige felt er \
                    \((names.keys.sorted() + ["reason", "version"]).joined(separator: ", ")).
                    """
                continue
            }
            switch raw {
            case let s as String: input[field] = s
            // true/false are not numbers, whatever the JSON decoder bridges them to.
            case let n as NSNumber where !isBool(raw):
                // Written out in full, so the same checks as for text apply (an exponent would read as "not a number").
                input[field] =
                    n.doubleValue.isFinite && abs(n.doubleValue) < NumberText.maximum
                    ? NumberText.plain(n.doubleValue)
                    : String(format: "%.0f", n.doubleValue)
            default: errors[key] = "Må være tekst\(key == "value" ? " eller et tall" : "")."
            }
        }
        let version: Int64?
        let givenVersion = object["version"]
        switch givenVersion {
        case nil, is NSNull: version = nil
        case let n as NSNumber where givenVersion.map(isBool) == false && n.doubleValue == n.doubleValue.rounded():
            version = n.int64Value
        default:
            version = nil
            errors["version"] = "Må være et heltall."
        }
        var reason = ""
        switch object["reason"] {
        case nil, is NSNull: break
        case let s as String: reason = s.trimmingCharacters(in: .whitespacesAndNewlines)
        default: errors["reason"] = "Må være tekst."
        }
        if errors["reason"] == nil, let problem = ReasonPolicy.problem(reason) { errors["reason"] = problem }
        let result = MeasurementInput.read(input, indicator: indicator)
        if case .failure(let e) = result {
            let csvName = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.map { ($0.name, $0.csvName) })
            for (field, message) in e.messages { errors[csvName[field] ?? field] = message }
        }
        guard errors.isEmpty, case .success(let m) = result else { return .failure(FieldErrors(errors)) }
        return .success(Write(measurement: m, version: version, reason: reason))
    }

    /// JSON's true and false arrive as numbers too; they are not numbers here.
    static func isBool(_ value: Any) -> Bool { String(describing: type(of: value)).lowercased().contains("bool") }
}

extension APIHandlers {
    /// `POST /api/v1/indicators/{id}/measurements`: adds one value (no `version`) or changes the one with the same
    /// period and breakdown (its `version`).
    func saveMeasurement(_ input: Operations.SaveMeasurement.Input) async throws -> Operations.SaveMeasurement.Output {
        let req = try req
        let (principal, _) = try await Self.indicatorEditor(req, indicator: input.path.id)
        // Read and checked before decoding (`bodyChecks`), which answered 422 for anything it could not read.
        guard let write = req.storage[MeasurementJSON.Key.self] else {
            throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"period\": …, \"value\": …}.")
        }
        let m = write.measurement
        switch try await IndicatorStore.saveMeasurement(
            m, expectedVersion: write.version, author: Author(principal, source: .api), reason: write.reason,
            on: req.db)
        {
        case .saved(let newVersion):
            let body = Components.Schemas.VersionedMeasurement(m, version: newVersion)
            return write.version == nil ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
        case .conflict(let current, let currentVersion):
            return .conflict(
                .init(
                    body: .json(
                        .init(
                            status: 409,
                            message: write.version == nil
                                ? """
                                Det finnes allerede en verdi for denne perioden og inndelingen; send versjonen for å \
                                endre den.
                                """
                                : "Noen andre har endret verdien. Ingenting er endret.",
                            current: .init(current, version: currentVersion)))))
        case .notFound, .refused:
            throw Abort(
                .notFound, reason: "Verdien finnes ikke lenger; send uten versjon for å legge den til på nytt.")
        }
    }

    /// `DELETE /api/v1/indicators/{id}/measurements?period=…&dimension=…&member=…` with the value's version.
    func removeMeasurement(_ input: Operations.RemoveMeasurement.Input) async throws
        -> Operations.RemoveMeasurement.Output
    {
        let req = try req
        let (principal, ind) = try await Self.indicatorEditor(req, indicator: input.path.id)
        let q = input.query
        guard let period = try? Period.parse(q.period) else {
            throw Abort(
                .badRequest, reason: "Oppgi perioden: ?period=2025 (og dimension og member for en inndelt verdi).")
        }
        guard let version = q.version.map(Int64.init) ?? Self.ifMatch(input.headers.ifMatch) else {
            throw Abort(.preconditionRequired, reason: "Oppgi versjonen du sist leste: ?version=… eller If-Match.")
        }
        let key = MeasurementKey(period: period, dimension: q.dimension ?? "", member: q.member ?? "")
        switch try await IndicatorStore.removeMeasurement(
            key, of: ind.id, expectedVersion: version, author: Author(principal, source: .api), reason: "", on: req.db)
        {
        case .saved:
            return .noContent(.init())
        case .conflict(let current, let currentVersion):
            return .conflict(
                .init(
                    body: .json(
                        .init(
                            status: 409, message: "Noen andre har endret verdien. Ingenting er fjernet.",
                            current: .init(current, version: currentVersion)))))
        case .notFound, .refused:
            throw Abort(.notFound, reason: "Fant ingen verdi for \(key.text).")
        }
    }
}
