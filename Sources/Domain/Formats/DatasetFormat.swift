import Foundation

/// One problem found while reading a dataset: which file, which line, what is wrong.
public struct ImportIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public let issues: [ImportIssue]
    public init(issues: [ImportIssue]) { self.issues = issues }
    public var description: String {
        "Importen ble avvist, ingenting er endret. \(issues.count) feil:\n"
            + issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}

/// Bounds on what one import may hold, so that a mistaken or hostile file cannot make pages of hundreds of megabytes
/// (docs/data-format.md lists them).
public enum ImportLimits {
    public static func fileBytes(_ file: String) -> Int {
        switch file {
        case "measurements.csv": 200_000_000
        case "history.csv": 500_000_000  // the audit trail of a long-lived installation; read once, on restore
        default: 20_000_000
        }
    }
    /// `reports.json`, `scoring-rounds.json`, `councils.json`.
    public static let jsonBytes = 50_000_000
    public static func rows(_ file: String) -> Int { file == "measurements.csv" ? 3_000_000 : 100_000 }
    /// Any one cell; names and titles are shorter.
    public static let fieldCharacters = 10_000
    public static let nameCharacters = 500
    static let nameColumns: Set<String> = ["title", "name", "short_name", "short_title", "plural_name"]

    public static func megabytes(_ bytes: Int) -> String {
        NumberText.norwegian(Double(bytes) / 1_000_000, decimals: 1) + " MB"
    }
}

/// The dataset as a folder of CSV files (see docs/data-format.md). Reading validates everything and
/// returns either a complete dataset or every issue found; writing produces files that read back equal.
public enum DatasetFormat {
    public static let files = [
        "strategy.csv", "overarching_goals.csv", "goals.csv", "subgoals.csv", "actors.csv",
        "initiatives.csv", "activities.csv", "milestones.csv",
        "indicators.csv", "measurements.csv", "ambitions.csv", "series_breaks.csv",
        "phases.csv", "actor_types.csv",
    ]
    /// Files a folder may leave out: without them the Norwegian roadmap's phases and actor types apply.
    public static let optionalFiles: Set<String> = ["phases.csv", "actor_types.csv"]

    static let columns: [String: [String]] = [
        "strategy.csv": [
            "title", "version", "period_start", "period_end", "vision", "short_name", "description", "source",
            "outcomes_heading", "delay_goal", "roadmap_start",
        ],
        "phases.csv": ["code", "name", "order", "colour", "text_colour", "description"],
        "actor_types.csv": ["code", "name", "plural_name"],
        "overarching_goals.csv": ["id", "title", "description"],
        "goals.csv": ["id", "title", "description", "outcomes"],
        "subgoals.csv": ["id", "goal", "title", "status", "description"],
        "actors.csv": ["slug", "name", "short_name", "type", "parent", "description"],
        "initiatives.csv": [
            "slug", "title", "short_title", "kind", "priority_rank", "subgoals", "target", "description",
        ],
        "activities.csv": [
            "id", "initiative", "actor", "phase", "start", "end", "planning", "description", "baseline", "delay_kind",
            "delay_cause", "delay_note",
        ],
        "milestones.csv": [
            "id", "initiative", "actor", "kind", "date", "planning", "description", "baseline", "delay_kind",
            "delay_cause", "delay_note",
        ],
        "indicators.csv": [
            "id", "name", "description", "goals", "overarching_goal", "international", "kind", "unit", "unit_detail",
            "direction", "source", "frequency", "readiness", "dashboard_order", "no_ambition_reason",
        ],
        "measurements.csv": ["indicator", "period", "dimension", "member", "value", "note", "source"],
        "ambitions.csv": ["indicator", "period", "value", "state", "note"],
        "series_breaks.csv": ["indicator", "period", "note"],
    ]
    /// Columns that may be left out of a file's header entirely.
    static let optionalColumns: Set<String> = [
        "description", "parent", "short_name", "short_title", "priority_rank", "target", "outcomes", "actor",
        "goals", "overarching_goal", "international", "unit_detail", "source", "dashboard_order",
        "no_ambition_reason", "note", "dimension", "member",
        "baseline", "delay_kind", "delay_cause", "delay_note",
        "outcomes_heading", "delay_goal", "roadmap_start", "order", "text_colour", "plural_name",
    ]

    static let listSeparator = " | "

    // MARK: reading

    /// Reads the files given as name → contents. Every file in `files` must be present.
    public static func read(_ contents: [String: String]) throws(ImportFailure) -> Dataset {
        var reader = Reader()
        let rows = reader.tables(contents)
        let dataset = reader.build(rows)
        guard reader.issues.isEmpty, let dataset else { throw ImportFailure(issues: reader.issues) }
        return dataset
    }

    struct Row {
        let file: String
        let line: Int
        let values: [String: String]
        subscript(_ key: String) -> String { values[key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
    }

    struct Reader {
        var issues: [ImportIssue] = []
        /// Files that were given but could not be read as tables (their problems are reported already).
        var unreadable: Set<String> = []

        mutating func issue(_ row: Row, _ message: String) {
            issues.append(ImportIssue(file: row.file, line: row.line, message: message))
        }

        mutating func tables(_ contents: [String: String], expecting expected: [String: [String]] = columns) -> [String:
            [Row]]
        {
            var result: [String: [Row]] = [:]
            let files = expected.keys.sorted {
                (DatasetFormat.files.firstIndex(of: $0) ?? 99, $0) < (DatasetFormat.files.firstIndex(of: $1) ?? 99, $1)
            }
            for name in contents.keys.sorted() where !files.contains(name) && name != HistoryFormat.file {
                issues.append(
                    ImportIssue(
                        file: name, line: nil, message: "ukjent fil; forventet en av \(files.joined(separator: ", "))"))
            }
            for file in files {
                guard let text = contents[file] else {
                    if optionalFiles.contains(file) { continue }
                    issues.append(ImportIssue(file: file, line: nil, message: "filen mangler"))
                    continue
                }
                let bytes = text.utf8.count
                guard bytes <= ImportLimits.fileBytes(file) else {
                    issues.append(
                        ImportIssue(
                            file: file, line: nil,
                            message: "filen er for stor (\(ImportLimits.megabytes(bytes)); "
                                + "høyst \(ImportLimits.megabytes(ImportLimits.fileBytes(file))))"))
                    continue
                }
                let records: [CSV.Record]
                do { records = try CSV.parseExported(text) } catch {
                    issues.append(ImportIssue(file: file, line: error.line, message: error.message))
                    continue
                }
                guard let header = records.first else {
                    issues.append(
                        ImportIssue(
                            file: file, line: nil, message: "filen er tom; første linje skal være kolonnenavnene"))
                    continue
                }
                let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                let known = expected[file]!
                var headerOK = true
                for name in names where !known.contains(name) {
                    issues.append(
                        ImportIssue(
                            file: file, line: header.line,
                            message: "ukjent kolonne «\(name)»; "
                                + "gyldige kolonner er \(known.joined(separator: ", "))"))
                    headerOK = false
                }
                for name in known where !names.contains(name) && !optionalColumns.contains(name) {
                    issues.append(ImportIssue(file: file, line: header.line, message: "kolonnen «\(name)» mangler"))
                    headerOK = false
                }
                if Set(names).count != names.count {
                    issues.append(ImportIssue(file: file, line: header.line, message: "en kolonne står to ganger"))
                    headerOK = false
                }
                guard headerOK else { continue }
                guard records.count - 1 <= ImportLimits.rows(file) else {
                    issues.append(
                        ImportIssue(
                            file: file, line: nil,
                            message: "har for mange rader (\(records.count - 1); "
                                + "høyst \(ImportLimits.rows(file)))"))
                    continue
                }
                var rows: [Row] = []
                for record in records.dropFirst() {
                    if record.fields.count != names.count {
                        issues.append(
                            ImportIssue(
                                file: file, line: record.line,
                                message: "har \(record.fields.count) felt, men overskriften har \(names.count)"))
                        continue
                    }
                    for field in record.fields
                    where field.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
                        issues.append(ImportIssue(file: file, line: record.line, message: "inneholder kontrolltegn"))
                        break
                    }
                    for (name, field) in zip(names, record.fields) {
                        let limit =
                            ImportLimits.nameColumns.contains(name)
                            ? ImportLimits.nameCharacters : ImportLimits.fieldCharacters
                        if field.count > limit {
                            issues.append(
                                ImportIssue(
                                    file: file, line: record.line,
                                    message: "«\(name)» er for lang (\(field.count) tegn; høyst \(limit))"))
                        }
                    }
                    rows.append(
                        Row(
                            file: file, line: record.line,
                            values: Dictionary(uniqueKeysWithValues: zip(names, record.fields))))
                }
                result[file] = rows
            }
            for file in files where contents[file] != nil && result[file] == nil { unreadable.insert(file) }
            return result
        }

        mutating func required(_ row: Row, _ key: String) -> String? {
            let v = row[key]
            if v.isEmpty {
                issue(row, "«\(key)» mangler verdi")
                return nil
            }
            return v
        }

        mutating func unique(_ rows: [Row], key: String, what: String) {
            var seen: [String: Int] = [:]
            for row in rows {
                let id = row[key].lowercased()
                guard !id.isEmpty else { continue }
                if let first = seen[id] {
                    issue(row, "\(what) «\(row[key])» finnes allerede på linje \(first)")
                } else {
                    seen[id] = row.line
                }
            }
        }

        mutating func slug(_ row: Row, _ key: String) -> String? {
            guard let v = required(row, key) else { return nil }
            guard Slug.isWellFormed(v) else {
                issue(row, "«\(key)» må bare inneholde a–z, 0–9 og bindestrek (fikk «\(v)»)")
                return nil
            }
            return v
        }

        mutating func enumValue<E: RawRepresentable & CaseIterable>(_ row: Row, _ key: String, _: E.Type) -> E?
        where E.RawValue == String {
            guard let v = required(row, key) else { return nil }
            guard let e = E(rawValue: v.lowercased()) else {
                issue(
                    row,
                    """
                    ukjent verdi «\(v)» i «\(key)»; gyldige verdier er \
                    \(E.allCases.map(\.rawValue).joined(separator: ", "))
                    """
                )
                return nil
            }
            return e
        }

        /// A value that must be one of the dataset's own codes (phases, actor types); nil codes: their file could not
        /// be read, so every value is taken (rather than reporting each row for the one broken file).
        mutating func code(_ row: Row, _ key: String, of codes: [String]?) -> String? {
            guard let v = required(row, key) else { return nil }
            guard let codes else { return v.lowercased() }
            guard codes.contains(v.lowercased()) else {
                issue(row, "ukjent verdi «\(v)» i «\(key)»; gyldige verdier er \(codes.joined(separator: ", "))")
                return nil
            }
            return v.lowercased()
        }

        /// phases.csv, or the default phases without it. Colours are `#rrggbb`; the phase number drawn on a bar must
        /// reach WCAG's 3:1 for graphics against its colour (the phase is also always given in words).
        mutating func phaseCatalog(_ rows: [Row]?) -> PhaseCatalog {
            guard let rows else { return .defaults }
            unique(rows, key: "code", what: "fase")
            if rows.isEmpty {
                issues.append(
                    ImportIssue(
                        file: "phases.csv", line: nil,
                        message: "har ingen faser; utelat filen for å bruke standardfasene"))
            }
            var orders: [Int: Int] = [:]
            let phases = rows.compactMap { (row) -> (Int, PhaseDefinition)? in
                let code = slug(row, "code")
                let name = required(row, "name")
                let colour = required(row, "colour")
                var order = row.line
                if !row["order"].isEmpty {
                    guard let o = Int(row["order"]) else {
                        issue(row, "«order» må være et heltall")
                        return nil
                    }
                    if let line = orders[o] {
                        issue(row, "rekkefølgen \(o) er allerede gitt på linje \(line)")
                        return nil
                    }
                    orders[o] = row.line
                    order = o
                }
                guard let code, let name, let colour else { return nil }
                // A phase with a bad colour is reported once and still defined, so activities using it are not
                // reported as well (the import is refused either way).
                let fill = colour.lowercased()
                let dark = "#1a1a1a"
                let light = "#ffffff"
                var text = row["text_colour"].lowercased()
                if text.isEmpty {
                    text = (Contrast.ratio(fill, dark) ?? 0) >= (Contrast.ratio(fill, light) ?? 0) ? dark : light
                }
                if Contrast.luminance(fill) == nil {
                    issue(row, "«colour» må være en farge på formen #rrggbb (fikk «\(colour)»)")
                } else if Contrast.luminance(text) == nil {
                    issue(row, "«text_colour» må være en farge på formen #rrggbb (fikk «\(row["text_colour"])»)")
                } else if let ratio = Contrast.ratio(fill, text), ratio < 3 {
                    issue(
                        row,
                        """
                        fasenummeret (\(text)) har for lav kontrast mot fargen \(fill): \
                        \(NumberText.norwegian(ratio, decimals: 2)):1,\u{20}
                        """
                            + "minst 3:1 kreves (WCAG 1.4.11); velg en mørkere eller lysere farge")
                }
                return (
                    order,
                    PhaseDefinition(
                        code: Phase(rawValue: code.lowercased()), name: name, colour: fill,
                        textColour: text, description: row["description"])
                )
            }
            return PhaseCatalog(phases.sorted { $0.0 < $1.0 }.map(\.1))
        }

        /// actor_types.csv, or the default actor types without it.
        mutating func actorTypeCatalog(_ rows: [Row]?) -> ActorTypeCatalog {
            guard let rows else { return .defaults }
            unique(rows, key: "code", what: "aktørtype")
            if rows.isEmpty {
                issues.append(
                    ImportIssue(
                        file: "actor_types.csv", line: nil,
                        message: "har ingen aktørtyper; utelat filen for å bruke standardtypene"))
            }
            return ActorTypeCatalog(
                rows.compactMap { row in
                    guard let code = slug(row, "code"), let name = required(row, "name") else { return nil }
                    return ActorTypeDefinition(
                        code: ActorType(rawValue: code.lowercased()), name: name,
                        pluralName: row["plural_name"].isEmpty ? name : row["plural_name"])
                })
        }

        mutating func planning(_ row: Row) -> PlanningState? {
            let values = PlanningState.allCases.map(\.rawValue).joined(separator: ", ")
            if row["planning"].isEmpty {
                issue(row, "«planning» mangler verdi (\(values))")
                return nil
            }
            guard let state = PlanningState(rawValue: row["planning"].lowercased()) else {
                issue(row, "ukjent verdi «\(row["planning"])» i «planning»; bruk \(values)")
                return nil
            }
            return state
        }

        mutating func period(_ row: Row, _ key: String) -> Period?? {
            let v = row[key]
            if v.isEmpty { return .some(nil) }
            do { return .some(try Period.parse(v)) } catch {
                issue(row, "«\(key)»: \(error)")
                return nil
            }
        }

        mutating func build(_ tables: [String: [Row]]) -> Dataset? {
            let strategyRows = tables["strategy.csv"] ?? []
            var strategy: Strategy?
            if strategyRows.count != 1 && tables["strategy.csv"] != nil {
                issues.append(
                    ImportIssue(
                        file: "strategy.csv", line: nil,
                        message: "skal ha nøyaktig én rad under overskriften (har \(strategyRows.count))"))
            }
            if let row = strategyRows.first {
                let start = Int(row["period_start"])
                let end = Int(row["period_end"])
                if start.map({ !(1990...2100).contains($0) }) ?? true {
                    issue(row, "«period_start» må være et årstall (1990–2100)")
                }
                if end.map({ !(1990...2100).contains($0) }) ?? true {
                    issue(row, "«period_end» må være et årstall (1990–2100)")
                }
                if let s = start, let e = end, e < s { issue(row, "«period_end» er før «period_start»") }
                var roadmapStart: Int?
                if !row["roadmap_start"].isEmpty {
                    roadmapStart = Int(row["roadmap_start"])
                    if roadmapStart.map({ !(1990...2100).contains($0) }) ?? true {
                        issue(row, "«roadmap_start» må være et årstall (1990–2100)")
                    }
                }
                if let title = required(row, "title"), let vision = required(row, "vision"), let s = start, let e = end
                {
                    strategy = Strategy(
                        title: title, version: row["version"], periodStart: s, periodEnd: e, vision: vision,
                        shortName: row["short_name"], summary: row["description"], source: row["source"],
                        outcomesHeading: row["outcomes_heading"],
                        delayGoal: row["delay_goal"].isEmpty ? nil : row["delay_goal"],
                        roadmapStart: roadmapStart)
                }
            }
            let phases = phaseCatalog(tables["phases.csv"])
            let actorTypes = actorTypeCatalog(tables["actor_types.csv"])
            strategy?.phases = phases
            strategy?.actorTypes = actorTypes

            let ogRows = tables["overarching_goals.csv"] ?? []
            unique(ogRows, key: "id", what: "id")
            let overarching: [OverarchingGoal] = ogRows.compactMap { (row) -> OverarchingGoal? in
                guard let id = slug(row, "id"), let title = required(row, "title") else { return nil }
                return OverarchingGoal(id: id, title: title, description: row["description"])
            }

            let goalRows = tables["goals.csv"] ?? []
            unique(goalRows, key: "id", what: "mål-id")
            let goals: [Goal] = goalRows.compactMap { (row) -> Goal? in
                guard let id = required(row, "id"), let title = required(row, "title") else { return nil }
                guard let n = Int(id), n > 0 else {
                    issue(row, "mål-id må være et positivt heltall (fikk «\(id)»)")
                    return nil
                }
                let outcomes = row["outcomes"].components(separatedBy: "|").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                return Goal(id: String(n), title: title, description: row["description"], outcomes: outcomes)
            }
            let goalIds = Set(goals.map(\.id))
            if let row = strategyRows.first, let g = strategy?.delayGoal, !goalIds.contains(g) {
                issue(row, "«delay_goal»: ukjent mål «\(g)»")
            }

            let subRows = tables["subgoals.csv"] ?? []
            unique(subRows, key: "id", what: "delmål-id")
            let subgoals: [Subgoal] = subRows.compactMap { (row) -> Subgoal? in
                guard let id = required(row, "id"), let goal = required(row, "goal"),
                    let title = required(row, "title"),
                    let status = enumValue(row, "status", SubgoalStatus.self)
                else { return nil }
                let parts = id.split(separator: ".")
                guard parts.count == 2, let letter = parts[1].first, parts[1].count == 1, letter.isUppercase,
                    letter.isASCII
                else {
                    issue(row, "delmål-id må ha formen <mål>.<stor bokstav>, f.eks. 2.B (fikk «\(id)»)")
                    return nil
                }
                guard goalIds.contains(goal) else {
                    issue(row, "ukjent mål «\(goal)»")
                    return nil
                }
                guard String(parts[0]) == goal else {
                    issue(row, "delmål «\(id)» hører ikke til mål \(goal)")
                    return nil
                }
                return Subgoal(id: id, goalId: goal, title: title, status: status, description: row["description"])
            }
            let subgoalIds = Set(subgoals.map(\.id))

            let actorRows = tables["actors.csv"] ?? []
            unique(actorRows, key: "slug", what: "aktør")
            let actorSlugs = Set(actorRows.map { $0["slug"] })
            let actors: [Actor] = actorRows.compactMap { (row) -> Actor? in
                guard let slug = slug(row, "slug"), let name = required(row, "name"),
                    let type = code(
                        row, "type",
                        of: unreadable.contains("actor_types.csv") ? nil : actorTypes.all.map(\.code.rawValue)
                    )
                    .map(ActorType.init)
                else { return nil }
                let parent = row["parent"].isEmpty ? nil : row["parent"]
                if let p = parent {
                    guard actorSlugs.contains(p) else {
                        issue(row, "ukjent overordnet aktør «\(p)»")
                        return nil
                    }
                    guard p != slug else {
                        issue(row, "en aktør kan ikke være sin egen overordnede")
                        return nil
                    }
                }
                return Actor(
                    slug: slug, name: name, shortName: row["short_name"].isEmpty ? name : row["short_name"], type: type,
                    parentSlug: parent, description: row["description"])
            }
            checkParentCycles(actors, rows: actorRows)

            let initRows = tables["initiatives.csv"] ?? []
            unique(initRows, key: "slug", what: "tiltak")
            var ranks: [Int: Int] = [:]
            let initiatives: [Initiative] = initRows.compactMap { (row) -> Initiative? in
                guard let slug = slug(row, "slug"), let title = required(row, "title"),
                    let kind = enumValue(row, "kind", InitiativeKind.self)
                else { return nil }
                var rank: Int?
                if !row["priority_rank"].isEmpty {
                    guard let r = Int(row["priority_rank"]), r > 0 else {
                        issue(row, "«priority_rank» må være et positivt heltall")
                        return nil
                    }
                    if let line = ranks[r] {
                        issue(row, "prioritet \(r) er allerede gitt på linje \(line)")
                        return nil
                    }
                    ranks[r] = row.line
                    rank = r
                }
                let ids = row["subgoals"].split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init)
                guard !ids.isEmpty else {
                    issue(row, "«subgoals» mangler; et tiltak må høre til minst ett delmål")
                    return nil
                }
                let unknown = ids.filter { !subgoalIds.contains($0) }
                guard unknown.isEmpty else {
                    issue(row, "ukjent delmål \(unknown.map { "«\($0)»" }.joined(separator: ", "))")
                    return nil
                }
                return Initiative(
                    slug: slug, title: title, shortTitle: row["short_title"].isEmpty ? title : row["short_title"],
                    kind: kind,
                    priorityRank: rank, subgoalIds: ids, target: row["target"], description: row["description"])
            }
            let initiativeSlugs = Set(initRows.map { $0["slug"] })

            let actRows = tables["activities.csv"] ?? []
            unique(actRows, key: "id", what: "aktivitet")
            let activities: [Activity] = actRows.compactMap { (row) -> Activity? in
                // Check every field, so one report lists all of a row's problems.
                let id = slug(row, "id")
                let ini = required(row, "initiative")
                let actor = required(row, "actor")
                let phase = code(
                    row, "phase", of: unreadable.contains("phases.csv") ? nil : phases.all.map(\.code.rawValue)
                )
                .map(Phase.init)
                let tentative = planning(row)
                let start = period(row, "start")
                let end = period(row, "end")
                if let ini, !initiativeSlugs.contains(ini) { issue(row, "ukjent tiltak «\(ini)»") }
                if let actor, !actorSlugs.contains(actor) { issue(row, "ukjent aktør «\(actor)»") }
                guard let id, let ini, let actor, let phase, let tentative, case .some(let s) = start,
                    case .some(let e) = end,
                    initiativeSlugs.contains(ini), actorSlugs.contains(actor)
                else { return nil }
                guard case .some(let baseline) = period(row, "baseline"), case .some(let delay) = delayRecord(row)
                else { return nil }
                do {
                    let span = try Span(start: s, end: e)
                    return Activity(
                        id: id, initiativeSlug: ini, actorSlug: actor, phase: phase, span: span,
                        tentative: tentative.tentative,
                        description: row["description"], baseline: baseline, delay: delay, done: tentative.done)
                } catch {
                    issue(row, String(describing: error))
                    return nil
                }
            }

            let msRows = tables["milestones.csv"] ?? []
            unique(msRows, key: "id", what: "milepæl")
            let milestones: [Milestone] = msRows.compactMap { (row) -> Milestone? in
                let id = slug(row, "id")
                let ini = required(row, "initiative")
                let kind = enumValue(row, "kind", MilestoneKind.self)
                let tentative = planning(row)
                let date = period(row, "date")
                let actor = row["actor"].isEmpty ? nil : row["actor"]
                if let ini, !initiativeSlugs.contains(ini) { issue(row, "ukjent tiltak «\(ini)»") }
                if let a = actor, !actorSlugs.contains(a) { issue(row, "ukjent aktør «\(a)»") }
                if case .some(nil) = date { issue(row, "«date» mangler verdi") }
                let baseline = period(row, "baseline")
                let delay = delayRecord(row)
                guard let id, let ini, let kind, let tentative, case .some(let d?) = date,
                    initiativeSlugs.contains(ini),
                    actor.map(actorSlugs.contains) ?? true, case .some(let b) = baseline, case .some(let dl) = delay
                else { return nil }
                return Milestone(
                    id: id, initiativeSlug: ini, actorSlug: actor, kind: kind, date: d, tentative: tentative.tentative,
                    description: row["description"], baseline: b, delay: dl, done: tentative.done)
            }

            let indicatorSet = buildIndicators(tables, goalIds: goalIds, overarchingIds: Set(overarching.map(\.id)))

            guard let strategy else { return nil }
            return Dataset(
                strategy: strategy, overarchingGoals: overarching, goals: goals, subgoals: subgoals, actors: actors,
                initiatives: initiatives, activities: activities, milestones: milestones,
                indicators: indicatorSet.indicators, measurements: indicatorSet.measurements,
                ambitions: indicatorSet.ambitions, seriesBreaks: indicatorSet.breaks)
        }

        mutating func buildIndicators(_ tables: [String: [Row]], goalIds: Set<String>, overarchingIds: Set<String>)
            -> (
                indicators: [Indicator], measurements: [IndicatorMeasurement], ambitions: [Ambition],
                breaks: [SeriesBreak]
            )
        {
            let rows = tables["indicators.csv"] ?? []
            unique(rows, key: "id", what: "indikator")
            var orders: [Int: Int] = [:]
            let indicators: [Indicator] = rows.compactMap { (row) -> Indicator? in
                let id = indicatorId(row, "id")
                let name = required(row, "name")
                let kind = enumValue(row, "kind", IndicatorKind.self)
                let direction = enumValue(row, "direction", Direction.self)
                let frequency = enumValue(row, "frequency", Frequency.self)
                let readiness = enumValue(row, "readiness", Readiness.self)
                let unit = IndicatorUnit.parse(unit: row["unit"], detail: row["unit_detail"])
                if unit == nil {
                    issue(
                        row,
                        """
                        ugyldig enhet «\(row["unit"])»/«\(row["unit_detail"])»; bruk prosent, antall, brok (med \
                        nevner i unit_detail), valuta (med valutakode) eller annen (med enhetsnavn i unit_detail)
                        """
                    )
                }
                let goals = row["goals"].split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init)
                let unknownGoals = goals.filter { !goalIds.contains($0) }
                if !unknownGoals.isEmpty {
                    issue(row, "ukjent mål \(unknownGoals.map { "«\($0)»" }.joined(separator: ", "))")
                }
                let overarching = row["overarching_goal"].isEmpty ? nil : row["overarching_goal"]
                if let o = overarching, !overarchingIds.contains(o) { issue(row, "ukjent overordnet mål «\(o)»") }
                let international: Bool
                switch row["international"].lowercased() {
                case "", "nei": international = false
                case "ja": international = true
                default:
                    issue(row, "«international» må være ja eller nei (fikk «\(row["international"])»)")
                    international = false
                }
                if goals.isEmpty && overarching == nil && !international {
                    issue(
                        row,
                        "indikatoren må høre til minst ett mål, et overordnet mål eller være en "
                            + "internasjonal måling")
                }
                var order: Int?
                if !row["dashboard_order"].isEmpty {
                    if let o = Int(row["dashboard_order"]), o > 0 {
                        if let line = orders[o] {
                            issue(row, "plass \(o) på dashbordet er allerede gitt på linje \(line)")
                        } else {
                            orders[o] = row.line
                            order = o
                        }
                    } else {
                        issue(row, "«dashboard_order» må være et positivt heltall")
                    }
                }
                guard let id, let name, let kind, let direction, let frequency, let readiness, let unit,
                    unknownGoals.isEmpty,
                    overarching.map(overarchingIds.contains) ?? true
                else { return nil }
                return Indicator(
                    id: id, name: name, description: row["description"], goalIds: goals, overarchingGoalId: overarching,
                    international: international, kind: kind, unit: unit, direction: direction, source: row["source"],
                    frequency: frequency, readiness: readiness, dashboardOrder: order,
                    noAmbitionReason: row["no_ambition_reason"])
            }
            let byId = Dictionary(indicators.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let knownIds = Set(rows.map { $0["id"] })
            func owner(_ row: Row) -> Indicator?? {
                guard let id = required(row, "indicator") else { return nil }
                guard knownIds.contains(id) else {
                    issue(row, "ukjent indikator «\(id)»")
                    return nil
                }
                return .some(byId[id])
            }

            let measurements = measurementRows(tables["measurements.csv"] ?? [], known: knownIds, byId: byId)

            var seenAmbitions: [String: Int] = [:]
            let ambitions: [Ambition] = (tables["ambitions.csv"] ?? []).compactMap { (row) -> Ambition? in
                let indicator = owner(row)
                let period = period(row, "period")
                let state = enumValue(row, "state", AmbitionState.self)
                if case .some(let p?) = period, p.precision > .quarter {
                    issue(row, "en ambisjon gjelder et år eller et kvartal (fikk «\(p.description)»)")
                }
                if case .some(nil) = period { issue(row, "«period» mangler verdi") }
                let value = measuredValue(row, "value", unit: (indicator ?? nil)?.unit)
                guard case .some(let ind?) = indicator, case .some(let p?) = period, p.precision <= .quarter, let value,
                    let state
                else { return nil }
                if !ind.noAmbitionReason.isEmpty {
                    issue(
                        row,
                        """
                        \(ind.id) er markert «ingen ambisjon foreslått» (no_ambition_reason), men har en ambisjon \
                        her; fjern den ene
                        """
                    )
                    return nil
                }
                let key = ind.id + "\u{1F}" + p.description
                if let line = seenAmbitions[key] {
                    issue(row, "\(ind.id) har allerede en ambisjon for \(p.description) på linje \(line)")
                    return nil
                }
                seenAmbitions[key] = row.line
                return Ambition(indicatorId: ind.id, period: p, value: value, state: state, note: row["note"])
            }

            let breaks: [SeriesBreak] = (tables["series_breaks.csv"] ?? []).compactMap { (row) -> SeriesBreak? in
                let indicator = owner(row)
                let period = period(row, "period")
                if case .some(nil) = period { issue(row, "«period» mangler verdi") }
                let note = required(row, "note")
                guard case .some(let ind?) = indicator, case .some(let p?) = period, let note else { return nil }
                return SeriesBreak(indicatorId: ind.id, period: p, note: note)
            }
            return (indicators, measurements, ambitions, breaks)
        }

        /// Measurement rows (indicator, period, dimension, member, value, note, source): shared by the dataset and the
        /// CSV imports.
        mutating func measurementRows(_ rows: [Row], known: Set<String>, byId: [String: Indicator])
            -> [IndicatorMeasurement]
        {
            var seen: [String: Int] = [:]
            return rows.compactMap { (row) -> IndicatorMeasurement? in
                var indicator: Indicator?? = nil
                if let id = required(row, "indicator") {
                    if known.contains(id) {
                        indicator = .some(byId[id])
                    } else {
                        issue(row, "ukjent indikator «\(id)»")
                    }
                }
                let period = period(row, "period")
                if case .some(nil) = period { issue(row, "«period» mangler verdi") }
                let dimension = row["dimension"]
                let member = row["member"]
                if dimension.isEmpty != member.isEmpty {
                    issue(row, "«dimension» og «member» må fylles ut sammen (eller stå tomme for hovedserien)")
                }
                let value = measuredValue(row, "value", unit: (indicator ?? nil)?.unit)
                guard case .some(let ind?) = indicator, case .some(let p?) = period, let value,
                    dimension.isEmpty == member.isEmpty
                else { return nil }
                let key = [ind.id, p.description, dimension.lowercased(), member.lowercased()].joined(
                    separator: "\u{1F}")
                if let line = seen[key] {
                    issue(
                        row,
                        """
                        \(ind.id) har allerede en måling for \
                        \(p.description)\(dimension.isEmpty ? "" : " (\(dimension): \(member))") på linje \(line)
                        """
                    )
                    return nil
                }
                seen[key] = row.line
                return IndicatorMeasurement(
                    indicatorId: ind.id, period: p, value: value, dimension: dimension, member: member,
                    note: row["note"], source: row["source"])
            }
        }

        /// `delay_kind`, `delay_cause`, `delay_note`: all empty (no delay) or kind and cause given. `.none` means an
        /// issue was reported.
        mutating func delayRecord(_ row: Row) -> Delay?? {
            let kind = row["delay_kind"]
            let cause = row["delay_cause"]
            let note = row["delay_note"]
            if kind.isEmpty && cause.isEmpty && note.isEmpty { return .some(nil) }
            guard let k = enumValue(row, "delay_kind", DelayKind.self),
                let c = enumValue(row, "delay_cause", DelayCause.self)
            else { return nil }
            return .some(Delay(kind: k, cause: c, note: note))
        }

        mutating func indicatorId(_ row: Row, _ key: String) -> String? {
            guard let v = required(row, key) else { return nil }
            guard
                v.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
                }),
                !v.hasPrefix("."), !v.hasSuffix(".")
            else {
                issue(row, "«\(key)» må bare inneholde a–z, 0–9, punktum og bindestrek (fikk «\(v)»)")
                return nil
            }
            return v
        }

        /// A number in the indicator's unit: "27.5", "27,5", "148 651", or "5/7" for a fraction of 7.
        mutating func measuredValue(_ row: Row, _ key: String, unit: IndicatorUnit?) -> Double? {
            guard let raw = required(row, key) else { return nil }
            var text = raw
            if case .fraction(let d)? = unit, let slash = raw.firstIndex(of: "/") {
                guard Int(raw[raw.index(after: slash)...].trimmingCharacters(in: .whitespaces)) == d else {
                    issue(row, "«\(key)»: brøken «\(raw)» må ha nevner \(d)")
                    return nil
                }
                text = String(raw[..<slash])
            }
            guard let value = NumberText.parse(text) else {
                issue(row, "«\(key)» er ikke et tall (fikk «\(raw)»)")
                return nil
            }
            if abs(value) >= NumberText.maximum {
                issue(row, "«\(key)» \(raw) er for stort; høyst 999 999 999 999")
                return nil
            }
            if let unit, let ceiling = unit.ceiling, value < 0 || value > ceiling {
                issue(
                    row,
                    "«\(key)» \(raw) er utenfor 0–\(NumberText.plain(ceiling)) "
                        + "for enheten \(unit.name.lowercased())")
                return nil
            }
            return value
        }

        mutating func checkParentCycles(_ actors: [Actor], rows: [Row]) {
            let parent = Dictionary(actors.map { ($0.slug, $0.parentSlug) }, uniquingKeysWith: { a, _ in a })
            for (actor, row) in zip(actors, rows) {
                var seen: Set<String> = [actor.slug]
                var current = actor.parentSlug
                while let p = current {
                    if seen.contains(p) {
                        issue(row, "aktørhierarkiet går i ring via «\(p)»")
                        break
                    }
                    seen.insert(p)
                    current = parent[p] ?? nil
                }
            }
        }
    }

    // MARK: measurement imports

    /// A bulk file of measurements for many indicators, in the columns of `measurements.csv`.
    public static func readMeasurements(csv text: String, file: String, indicators: [Indicator]) throws(ImportFailure)
        -> [IndicatorMeasurement]
    {
        var reader = Reader()
        let rows = reader.tables([file: text], expecting: [file: columns["measurements.csv"]!])[file] ?? []
        let result = reader.measurementRows(
            rows, known: Set(indicators.map(\.id)),
            byId: Dictionary(indicators.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
        if rows.isEmpty && reader.issues.isEmpty {
            reader.issues.append(ImportIssue(file: file, line: nil, message: "filen har ingen målinger"))
        }
        guard reader.issues.isEmpty else { throw ImportFailure(issues: reader.issues) }
        return result
    }

    static let openSDGNames: [String: [String]] = [
        "period": ["periode", "period", "year", "år"], "value": ["verdi", "value"], "unit": ["enhet", "units", "unit"],
        "note": ["merknad", "note", "notes"], "source": ["kilde", "source"],
    ]

    /// One indicator's data in the Open SDG style: a period column, a value column, optional unit, note and source
    /// columns, and any other column is a breakdown (the column name is the dimension, the cell the member).
    public static func readOpenSDG(csv text: String, file: String, indicator: Indicator) throws(ImportFailure)
        -> [IndicatorMeasurement]
    {
        var reader = Reader()
        func fail(_ line: Int?, _ message: String) -> ImportFailure {
            ImportFailure(issues: [ImportIssue(file: file, line: line, message: message)])
        }
        let records: [CSV.Record]
        do { records = try CSV.parseExported(text) } catch { throw fail(error.line, error.message) }
        guard let header = records.first else {
            throw fail(nil, "filen er tom; første linje skal være kolonnenavnene")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ role: String) -> Int? { names.firstIndex { openSDGNames[role]!.contains($0.lowercased()) } }
        guard let periodCol = column("period") else {
            throw fail(header.line, "kolonnen for periode mangler (periode, period eller year)")
        }
        guard let valueCol = column("value") else {
            throw fail(header.line, "kolonnen for verdi mangler (verdi eller value)")
        }
        let unitCol = column("unit")
        let noteCol = column("note")
        let sourceCol = column("source")
        let roles = Set([periodCol, valueCol, unitCol, noteCol, sourceCol].compactMap { $0 })
        let breakdownCols = names.indices.filter { !roles.contains($0) }
        if Set(names.map { $0.lowercased() }).count != names.count {
            throw fail(header.line, "en kolonne står to ganger")
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                reader.issues.append(
                    ImportIssue(
                        file: file, line: record.line,
                        message: "har \(record.fields.count) felt, men overskriften har \(names.count)"))
                continue
            }
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let u = unitCol, !f[u].isEmpty, f[u].lowercased() != indicator.unit.csv.0, f[u] != indicator.unit.csv.1 {
                reader.issues.append(
                    ImportIssue(
                        file: file, line: record.line,
                        message:
                            "enheten «\(f[u])» passer ikke med indikatorens enhet "
                            + "(\(indicator.unit.name.lowercased()))"
                    ))
                continue
            }
            let filled = breakdownCols.filter { !f[$0].isEmpty }
            if filled.count > 1 {
                reader.issues.append(
                    ImportIssue(
                        file: file, line: record.line,
                        message:
                            """
                            én inndeling per rad: \(filled.map { names[$0] }.joined(separator: " og ")) er begge \
                            fylt ut
                            """
                    ))
                continue
            }
            let dimension = filled.first.map { names[$0] } ?? ""
            let member = filled.first.map { f[$0] } ?? ""
            rows.append(
                Row(
                    file: file, line: record.line,
                    values: [
                        "indicator": indicator.id, "period": f[periodCol], "value": f[valueCol], "dimension": dimension,
                        "member": member,
                        "note": noteCol.map { f[$0] } ?? "", "source": sourceCol.map { f[$0] } ?? "",
                    ]))
        }
        if records.count == 1 {
            reader.issues.append(ImportIssue(file: file, line: nil, message: "filen har ingen målinger"))
        }
        let result = reader.measurementRows(rows, known: [indicator.id], byId: [indicator.id: indicator])
        // The messages name the columns as the file does («periode», «verdi»), not the canonical keys.
        let shown = ["period": names[periodCol], "value": names[valueCol]]
        let issues = reader.issues.map { issue in
            ImportIssue(
                file: issue.file, line: issue.line,
                message: shown.reduce(issue.message) { text, pair in
                    text.replacingOccurrences(of: "«\(pair.key)»", with: "«\(pair.value)»")
                })
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        return result
    }

    /// One indicator's measurements in the Open SDG style (periode, inndeling per dimensjon, verdi, merknad, kilde).
    public static func writeOpenSDG(_ measurements: [IndicatorMeasurement], indicator: Indicator) -> String {
        var dimensions: [String] = []
        for m in measurements where !m.isHeadline && !dimensions.contains(m.dimension) {
            dimensions.append(m.dimension)
        }
        let header = ["periode"] + dimensions + ["enhet", "verdi", "merknad", "kilde"]
        return CSV.write(
            header: header.map(CSV.neutralizeFormula),
            rows: measurements.map { m in
                // A download for spreadsheets: text cells cannot start a formula.
                let text = CSV.neutralizeFormula
                return [m.period.description] + dimensions.map { $0 == m.dimension ? text(m.member) : "" } + [
                    indicator.unit.csv.0, NumberText.plain(m.value), text(m.note), text(m.source),
                ]
            })
    }

    // MARK: writing

    /// Every file spreadsheet-safe (`CSV.writeForSpreadsheets`); `read` takes the neutralising `'` off again.
    public static func write(_ d: Dataset) -> [String: String] {
        func plan(_ tentative: Bool, _ done: Bool) -> String {
            PlanningState.of(tentative: tentative, done: done).rawValue
        }
        func header(_ file: String) -> [String] { columns[file]! }
        return [
            "strategy.csv": CSV.writeForSpreadsheets(
                header: header("strategy.csv"),
                rows: [
                    [
                        d.strategy.title, d.strategy.version, String(d.strategy.periodStart),
                        String(d.strategy.periodEnd), d.strategy.vision,
                        d.strategy.shortName, d.strategy.summary, d.strategy.source, d.strategy.outcomesHeading,
                        d.strategy.delayGoal ?? "",
                        d.strategy.roadmapStart.map(String.init) ?? "",
                    ]
                ]),
            "phases.csv": CSV.writeForSpreadsheets(
                header: header("phases.csv"),
                rows: d.strategy.phases.all.enumerated().map {
                    [$1.code.rawValue, $1.name, String($0 + 1), $1.colour, $1.textColour, $1.description]
                }),
            "actor_types.csv": CSV.writeForSpreadsheets(
                header: header("actor_types.csv"),
                rows: d.strategy.actorTypes.all.map {
                    [$0.code.rawValue, $0.name, $0.pluralName]
                }),
            "overarching_goals.csv": CSV.writeForSpreadsheets(
                header: header("overarching_goals.csv"),
                rows: d.overarchingGoals.map { [$0.id, $0.title, $0.description] }),
            "goals.csv": CSV.writeForSpreadsheets(
                header: header("goals.csv"),
                rows: d.goals.map { [$0.id, $0.title, $0.description, $0.outcomes.joined(separator: listSeparator)] }),
            "subgoals.csv": CSV.writeForSpreadsheets(
                header: header("subgoals.csv"),
                rows: d.subgoals.map { [$0.id, $0.goalId, $0.title, $0.status.rawValue, $0.description] }),
            "actors.csv": CSV.writeForSpreadsheets(
                header: header("actors.csv"),
                rows: d.actors.map {
                    [$0.slug, $0.name, $0.shortName, $0.type.rawValue, $0.parentSlug ?? "", $0.description]
                }),
            "initiatives.csv": CSV.writeForSpreadsheets(
                header: header("initiatives.csv"),
                rows: d.initiatives.map {
                    [
                        $0.slug, $0.title, $0.shortTitle, $0.kind.rawValue, $0.priorityRank.map(String.init) ?? "",
                        $0.subgoalIds.joined(separator: " "), $0.target, $0.description,
                    ]
                }),
            "activities.csv": CSV.writeForSpreadsheets(
                header: header("activities.csv"),
                rows: d.activities.map {
                    [
                        $0.id, $0.initiativeSlug, $0.actorSlug, $0.phase.rawValue, $0.span.start?.description ?? "",
                        $0.span.end?.description ?? "", plan($0.tentative, $0.done), $0.description,
                        $0.baseline?.description ?? "", $0.delay?.kind.rawValue ?? "", $0.delay?.cause.rawValue ?? "",
                        $0.delay?.note ?? "",
                    ]
                }),
            "milestones.csv": CSV.writeForSpreadsheets(
                header: header("milestones.csv"),
                rows: d.milestones.map {
                    [
                        $0.id, $0.initiativeSlug, $0.actorSlug ?? "", $0.kind.rawValue, $0.date.description,
                        plan($0.tentative, $0.done), $0.description,
                        $0.baseline?.description ?? "", $0.delay?.kind.rawValue ?? "", $0.delay?.cause.rawValue ?? "",
                        $0.delay?.note ?? "",
                    ]
                }),
            "indicators.csv": CSV.writeForSpreadsheets(
                header: header("indicators.csv"),
                rows: d.indicators.map {
                    [
                        $0.id, $0.name, $0.description, $0.goalIds.joined(separator: " "), $0.overarchingGoalId ?? "",
                        $0.international ? "ja" : "nei",
                        $0.kind.rawValue, $0.unit.csv.0, $0.unit.csv.1, $0.direction.rawValue, $0.source,
                        $0.frequency.rawValue, $0.readiness.rawValue,
                        $0.dashboardOrder.map(String.init) ?? "", $0.noAmbitionReason,
                    ]
                }),
            "measurements.csv": CSV.writeForSpreadsheets(
                header: header("measurements.csv"),
                rows: d.measurements.map {
                    [
                        $0.indicatorId, $0.period.description, $0.dimension, $0.member, NumberText.plain($0.value),
                        $0.note, $0.source,
                    ]
                }),
            "ambitions.csv": CSV.writeForSpreadsheets(
                header: header("ambitions.csv"),
                rows: d.ambitions.map {
                    [$0.indicatorId, $0.period.description, NumberText.plain($0.value), $0.state.rawValue, $0.note]
                }),
            "series_breaks.csv": CSV.writeForSpreadsheets(
                header: header("series_breaks.csv"),
                rows: d.seriesBreaks.map { [$0.indicatorId, $0.period.description, $0.note] }),
        ]
    }
}
