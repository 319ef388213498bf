import APIContract
import Domain
import Foundation
import Persistence
import Routes
import Vapor

/// Activities and every other kind of record through the API: read with a version, change, create, retire,
/// reinstate. The same checks as the forms (`applying`, `creating`, `Access`); the version guards every write.
extension APIHandlers {
    func getActivity(_ input: Operations.GetActivity.Input) async throws -> Operations.GetActivity.Output {
        let req = try req
        let id = input.path.id
        guard let stored = try await RoadmapWrites.record(Domain.Activity.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        let d = try await req.dataset()
        let body = Components.Schemas.ActivityRecord(
            activity: .init(stored.record, dataset: d), version: Int(stored.version))
        return .ok(.init(headers: .init(eTag: Self.eTag(stored.version)), body: .json(body)))
    }

    /// Partial update with optimistic concurrency: `version` must be the one the client last read. Fields this
    /// operation never changes were refused before decoding (`bodyChecks`).
    func patchActivity(_ input: Operations.PatchActivity.Input) async throws -> Operations.PatchActivity.Output {
        let req = try req
        let (principal, stored, d) = try await Self.writableActivity(req, id: input.path.id)
        let patch =
            switch input.body {
            case .json(let patch): patch
            }
        // The same validation as the form: the stored values with the patch laid over them.
        var values = stored.record.formValues()
        if let v = patch.phase { values["phase"] = v }
        if let v = patch.start { values["start"] = v }
        if let v = patch.end { values["end"] = v }
        // A done activity stays done unless the client asks for tentative.
        if let v = patch.tentative {
            values["planning"] = v ? "tentativ" : (stored.record.done ? "ferdig" : "planlagt")
        }
        if let v = patch.description { values["description"] = v }
        var errors = FieldErrors()
        let reason = Self.reason(patch.reason, into: &errors)
        let result = stored.record.applying(values, in: d)
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        guard errors.isEmpty, case .success(let edited) = result else {
            // The form's field is `planning`; the API's is `tentative`.
            let fields = Dictionary(
                uniqueKeysWithValues: errors.messages.map { ($0.key == "planning" ? "tentative" : $0.key, $0.value) })
            return .unprocessableContent(
                .init(body: .json(Self.invalid("Endringen ble ikke lagret; se feltene.", fields))))
        }
        switch try await RoadmapWrites.update(
            Domain.Activity.self, edited, expectedVersion: Int64(patch.version),
            author: Author(principal, source: .api), reason: reason, on: req.db)
        {
        case .saved(let version):
            let body = Components.Schemas.ActivityRecord(activity: .init(edited, dataset: d), version: Int(version))
            return .ok(.init(headers: .init(eTag: Self.eTag(version)), body: .json(body)))
        case .conflict(let current, let version):
            let conflict = Components.Schemas.Conflict(
                status: 409, message: "Noen andre har lagret en nyere versjon. Ingenting er endret.",
                current: .init(activity: .init(current, dataset: d), version: Int(version)))
            return .conflict(.init(body: .json(.Conflict(conflict))))
        case .notFound:
            throw Abort(.notFound, reason: "Aktiviteten finnes ikke lenger.")
        case .refused(let reasons):
            return .conflict(
                .init(
                    body: .json(
                        .RecordRefused(.init(status: 409, message: "Endringen ble ikke lagret.", reasons: reasons)))))
        }
    }

    /// The kind a records path names; any other is a 404, as for any other unknown address.
    static func recordKind(_ apiName: String) throws -> RecordKind {
        guard let kind = RecordKind.allCases.first(where: { $0.apiName == apiName }) else {
            let kinds = RecordKind.allCases.map(\.apiName).joined(separator: ", ")
            throw Abort(.notFound, reason: "Ukjent posttype «\(apiName)»; bruk \(kinds).")
        }
        return kind
    }

    static func record(_ kind: RecordKind, _ id: String, version: Int64, values: [String: String])
        -> Components.Schemas.Record
    {
        .init(kind: .init(kind), id: id, version: Int(version), values: .init(additionalProperties: values))
    }

    /// 410 for a retired record (it can be reinstated), 404 for one that never existed.
    static func missing(_ kind: RecordKind, _ id: String, _ req: Request) async throws -> Abort {
        if try await RecordLifecycle.retiredIds(kind, on: req.db).contains(id) {
            return Abort(
                .gone,
                reason: "\(kind.definiteName.capitalizedFirst) «\(id)» er avviklet. "
                    + """
                    \(kind.pronoun.capitalizedFirst) kan gjeninnføres med POST \
                    /api/v1/records/\(kind.apiName)/\(id)/reinstate.
                    """
            )
        }
        return Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
    }

    func getRecord(_ input: Operations.GetRecord.Input) async throws -> Operations.GetRecord.Output {
        let kind = try Self.recordKind(input.path.kind.rawValue)
        return try await record(kind.recordType, id: input.path.id)
    }

    private func record<R: CreatableRecord>(_ type: R.Type, id: String) async throws -> Operations.GetRecord.Output {
        let req = try req
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw try await Self.missing(R.kind, id, req)
        }
        let body = Self.record(R.kind, id, version: stored.version, values: stored.record.formValues())
        return .ok(.init(headers: .init(eTag: Self.eTag(stored.version)), body: .json(body)))
    }

    /// The form's path for every kind of record: fields left out keep their value.
    func patchRecord(_ input: Operations.PatchRecord.Input) async throws -> Operations.PatchRecord.Output {
        let patch =
            switch input.body {
            case .json(let patch): patch
            }
        let kind = try Self.recordKind(input.path.kind.rawValue)
        return try await patchRecord(kind.recordType, id: input.path.id, patch)
    }

    private func patchRecord<R: CreatableRecord>(
        _ type: R.Type, id: String, _ patch: Components.Schemas.RecordPatch
    ) async throws -> Operations.PatchRecord.Output {
        let req = try req
        let (principal, stored, d) = try await Self.writableRecord(R.self, id: id, req, purpose: .change)
        let kind = R.kind
        let given = patch.values.additionalProperties
        let known = Set(R.formFields(in: d).map(\.name))
        var errors = FieldErrors()
        for key in given.keys where !known.contains(key) {
            errors.messages[key] = "Ukjent felt; gyldige felt er \(known.sorted().joined(separator: ", "))."
        }
        let reason = Self.reason(patch.reason, into: &errors)
        let result = stored.record.applying(stored.record.formValues().merging(given) { _, new in new }, in: d)
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        guard errors.isEmpty, case .success(let edited) = result else {
            return .unprocessableContent(
                .init(body: .json(Self.invalid("Endringen ble ikke lagret; se feltene.", errors))))
        }
        switch try await RoadmapWrites.update(
            R.self, edited, expectedVersion: Int64(patch.version), author: Author(principal, source: .api),
            reason: reason, on: req.db)
        {
        case .saved(let version):
            return .ok(.init(body: .json(Self.record(kind, id, version: version, values: edited.formValues()))))
        case .conflict(let current, let version):
            return .conflict(.init(body: .json(.RecordConflict(Self.staleVersion(kind, id, current, version)))))
        case .notFound:
            throw Abort(.notFound, reason: "Posten finnes ikke lenger.")
        case .refused(let reasons):
            return .conflict(
                .init(
                    body: .json(
                        .RecordRefused(.init(status: 409, message: "Endringen ble ikke lagret.", reasons: reasons)))))
        }
    }

    /// `POST /api/v1/records/{kind}`: the form's fields and checks, plus the id (given or derived) and the parents.
    func createRecord(_ input: Operations.CreateRecord.Input) async throws -> Operations.CreateRecord.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let kind = try Self.recordKind(input.path.kind.rawValue)
        return try await createRecord(kind.recordType, body)
    }

    private func createRecord<R: CreatableRecord>(_ type: R.Type, _ body: Components.Schemas.RecordCreate)
        async throws -> Operations.CreateRecord.Output
    {
        let req = try req
        let kind = R.kind
        let principal = try await Self.creator(req, of: kind)
        let d = try await req.dataset()
        let given = body.values.additionalProperties
        let fields = R.creationFields(in: d, actors: nil).map(\.name).filter { $0 != "id" }
        var errors = FieldErrors()
        for key in given.keys where !fields.contains(key) {
            errors.messages[key] = "Ukjent felt; gyldige felt er \(fields.sorted().joined(separator: ", "))."
        }
        let reason = Self.reason(body.reason, into: &errors)
        var values = R.defaults(in: d).merging(given) { _, given in given }
        values["id"] = body.id ?? ""
        let result = R.creating(values, in: d, reserved: try await RecordLifecycle.retiredIds(kind, on: req.db))
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        if case .success(let record) = result, !Access.canWrite(record, principal, in: d) {
            throw Abort(.forbidden, reason: "Du kan bare legge til for aktører du rapporterer for.")
        }
        guard errors.isEmpty, case .success(let record) = result else {
            return .unprocessableContent(
                .init(body: .json(Self.invalid("Posten ble ikke opprettet; se feltene.", errors))))
        }
        let refused: [String]
        switch try await RecordLifecycle.create(
            R.self, record, author: Author(principal, source: .api), reason: reason, on: req.db)
        {
        case .saved(let version):
            return .created(
                .init(
                    headers: .init(
                        location: SiteURL.api("records/\(kind.apiName)/\(record.recordId)").path,
                        eTag: Self.eTag(version)),
                    body: .json(Self.record(kind, record.recordId, version: version, values: record.formValues()))))
        case .refused(let reasons): refused = reasons
        case .conflict, .notFound: refused = ["Noen andre endret det samme samtidig. Prøv igjen."]
        }
        return .conflict(
            .init(body: .json(.init(status: 409, message: "Posten ble ikke opprettet.", reasons: refused))))
    }

    /// The version a retire or reinstate is based on: the body's `version`, or `If-Match`.
    static func lifecycleVersion(_ body: Components.Schemas.RecordLifecycle?, ifMatch: String?) throws
        -> (version: Int64, reason: String)
    {
        if let body {
            return (Int64(body.version), (body.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let version = Self.ifMatch(ifMatch) else {
            throw Abort(
                .preconditionRequired,
                reason: "Oppgi versjonen du sist leste: {\"version\": …} i kroppen eller If-Match.")
        }
        return (version, "")
    }

    /// `DELETE /api/v1/records/{kind}/{id}`: a soft retirement, refused while anything depends on the record.
    func retireRecord(_ input: Operations.RetireRecord.Input) async throws -> Operations.RetireRecord.Output {
        let kind = try Self.recordKind(input.path.kind.rawValue)
        let body: Components.Schemas.RecordLifecycle? =
            switch input.body {
            case .json(let body): body
            case nil: nil
            }
        return try await retireRecord(kind.recordType, id: input.path.id, body, ifMatch: input.headers.ifMatch)
    }

    private func retireRecord<R: CreatableRecord>(
        _ type: R.Type, id: String, _ body: Components.Schemas.RecordLifecycle?, ifMatch: String?
    ) async throws -> Operations.RetireRecord.Output {
        let req = try req
        let (principal, _, _) = try await Self.writableRecord(R.self, id: id, req, purpose: .retire)
        let kind = R.kind
        let (expected, reason) = try Self.lifecycleVersion(body, ifMatch: ifMatch)
        if let problem = ReasonPolicy.problem(reason) {
            return .unprocessableContent(
                .init(body: .json(Self.invalid("Posten ble ikke avviklet.", ["reason": problem]))))
        }
        switch try await RecordLifecycle.retire(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .api), reason: reason,
            on: req.db)
        {
        case .saved(let version):
            return .ok(
                .init(body: .json(.init(kind: kind.apiName, id: id, version: Int(version), retired: true))))
        case .refused(let reasons):
            return .conflict(
                .init(
                    body: .json(
                        .RecordRefused(
                            .init(
                                status: 409, message: "Posten kan ikke avvikles mens andre poster viser til den.",
                                reasons: reasons)))))
        case .conflict(let current, let version):
            return .conflict(.init(body: .json(.RecordConflict(Self.staleVersion(kind, id, current, version)))))
        case .notFound:
            throw try await Self.missing(kind, id, req)
        }
    }

    static func staleVersion<R: CreatableRecord>(_ kind: RecordKind, _ id: String, _ current: R, _ version: Int64)
        -> Components.Schemas.RecordConflict
    {
        .init(
            status: 409, message: "Noen andre har lagret en nyere versjon. Ingenting er endret.",
            current: record(kind, id, version: version, values: current.formValues()))
    }

    /// `POST /api/v1/records/{kind}/{id}/reinstate`: a retired record back, if what it hangs off still exists.
    func reinstateRecord(_ input: Operations.ReinstateRecord.Input) async throws -> Operations.ReinstateRecord.Output {
        let kind = try Self.recordKind(input.path.kind.rawValue)
        let body: Components.Schemas.RecordLifecycle? =
            switch input.body {
            case .json(let body): body
            case nil: nil
            }
        return try await reinstateRecord(kind.recordType, id: input.path.id, body, ifMatch: input.headers.ifMatch)
    }

    private func reinstateRecord<R: CreatableRecord>(
        _ type: R.Type, id: String, _ body: Components.Schemas.RecordLifecycle?, ifMatch: String?
    ) async throws -> Operations.ReinstateRecord.Output {
        let req = try req
        let (principal, _) = try await Self.reinstatableRecord(R.self, id: id, req)
        let kind = R.kind
        let (expected, reason) = try Self.lifecycleVersion(body, ifMatch: ifMatch)
        if let problem = ReasonPolicy.problem(reason) {
            return .unprocessableContent(
                .init(body: .json(Self.invalid("Posten ble ikke gjeninnført.", ["reason": problem]))))
        }
        switch try await RecordLifecycle.reinstate(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .api), reason: reason,
            on: req.db)
        {
        case .saved(let version):
            guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
                throw Abort(.notFound)
            }
            return .ok(.init(body: .json(Self.record(kind, id, version: version, values: stored.record.formValues()))))
        case .refused(let reasons):
            return .conflict(
                .init(
                    body: .json(
                        .RecordRefused(
                            .init(status: 409, message: "Posten kan ikke gjeninnføres ennå.", reasons: reasons)))))
        case .conflict(let current, let version):
            return .conflict(.init(body: .json(.RecordConflict(Self.staleVersion(kind, id, current, version)))))
        case .notFound:
            throw Abort(.notFound, reason: "Fant ingen avviklet \(kind.name) med id «\(id)».")
        }
    }
}
