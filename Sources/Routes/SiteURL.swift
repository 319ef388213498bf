import Domain
import Foundation

/// Every location of the site, typed: links and redirects are built from it (`path`), routes are registered from it
/// (the same case with `:name` placeholders as values, `pattern`), and it says who may read and who may write there
/// (`readAccess`, `writeAccess`), which `RouteGuard` applies in one place. Nothing else writes a path.
///
/// Values are put into the path as they are: ids and slugs are URL-safe by the import rules.
public enum SiteURL: Hashable, Sendable {
    // Strategy, roadmap and indicators
    case home
    case search
    case goal(String)
    case subgoal(String)
    case initiative(String)
    case milestoneTrend(initiative: String)
    case actors
    case actor(String)
    case roadmap
    case roadmapSVG
    case prioritisedRoadmap
    case prioritisedRoadmapSVG
    case roadmapChanges
    case roadmapVersions
    case newRoadmapVersion
    case dashboard
    case indicators
    case indicatorMethod
    case indicatorsImport
    case indicator(String)
    case indicatorImport(String)
    case indicatorValues(String)
    case indicatorValueRemoval(String)

    // Keeping records current
    case newRecordMenu
    case newRecord(RecordKind)
    case record(RecordKind, String, RecordPage)
    case retiredRecords
    case drafts
    case historyCSV
    case myWork

    // Status reports and reporting rounds
    case reports
    case report(String)
    case reportRevision(String, revision: String)
    case reportDraft(String)
    case reportPublication(String)
    case reportState(String)
    case reportCorrection(String)
    case reportSection(String, section: String)
    case reportingRounds
    case newReportingRound
    case reportingRound(String)
    case reportingRoundChange(String, RoundChange)
    case roundPart(String, actor: String)
    case roundPartDelivery(String, actor: String)
    case roundPartReopening(String, actor: String)

    // Prioritisation
    case scoring
    case scoringModels
    case newScoringRound
    case scoringRound(String)
    case scoringCandidates(String)
    case scoringAnswers(String)
    case scoringPublication(String)

    // Councils
    case councils
    case calendar
    case council(String)
    case councilCalendar(String)
    case councilEdit(String)
    case councilMembers(String)
    case councilMemberEnd(String)
    case councilMeetings(String)
    case meeting(council: String, meeting: String, MeetingPage)
    case newCase(council: String, meeting: String)
    case councilCase(council: String, meeting: String, case: String, CasePage)

    // Accounts and operations
    case signIn
    case signInOIDC
    case signInOIDCReturn
    case signOut
    case account
    case accountPassword
    case accountTokens
    case accountTokenRevocation(String)
    case accountSignOutEverywhere
    case users
    case user(String)
    case userSessionsEnd(String)
    case healthz
    case metrics
    case stylesheet
    case script
    case openAPI
    /// An `/api/v1` operation; the contract in `openapi.json` describes them.
    case api(String)

    public enum RecordPage: String, Sendable, CaseIterable {
        case edit = "rediger", history = "historikk", restore = "gjenopprett", retire = "avvikle", reinstate =
            "gjeninnfor"
        case move = "flytt"
    }

    public enum RoundChange: String, Sendable, CaseIterable {
        case close = "avslutt", change = "endre", delete = "slett"
    }

    public enum MeetingPage: String, Sendable, CaseIterable {
        case page = "", notice = "innkalling", minutes = "referat", edit = "rediger", state = "tilstand"
    }

    public enum CasePage: String, Sendable, CaseIterable {
        case edit = "rediger", removal = "slett"
    }

    /// The path, e.g. `/tiltak/pll`.
    public var path: String {
        switch self {
        case .home: "/"
        case .search: "/sok"
        case .goal(let id): "/mal/\(id)"
        case .subgoal(let id): "/delmal/\(id)"
        case .initiative(let slug): "/tiltak/\(slug)"
        case .milestoneTrend(let slug): "/tiltak/\(slug)/milepaeltrend"
        case .actors: "/aktorer"
        case .actor(let slug): "/aktorer/\(slug)"
        case .roadmap: "/veikart"
        case .roadmapSVG: "/veikart.svg"
        case .prioritisedRoadmap: "/veikart/prioriterte"
        case .prioritisedRoadmapSVG: "/veikart/prioriterte.svg"
        case .roadmapChanges: "/veikart/endringer"
        case .roadmapVersions: "/veikart/versjoner"
        case .newRoadmapVersion: "/veikart/versjoner/ny"
        case .dashboard: "/dashbord"
        case .indicators: "/indikatorer"
        case .indicatorMethod: "/indikatorer/metode"
        case .indicatorsImport: "/indikatorer/importer"
        case .indicator(let id): "/indikatorer/\(id)"
        case .indicatorImport(let id): "/indikatorer/\(id)/importer"
        case .indicatorValues(let id): "/indikatorer/\(id)/verdier"
        case .indicatorValueRemoval(let id): "/indikatorer/\(id)/verdier/fjern"
        case .newRecordMenu: "/ny"
        case .newRecord(let kind): "/\(kind.rawValue)/ny"
        case .record(let kind, let id, let page): "/\(kind.rawValue)/\(id)/\(page.rawValue)"
        case .retiredRecords: "/avviklet"
        case .drafts: "/utkast"
        case .historyCSV: "/historikk.csv"
        case .myWork: "/mitt-arbeid"
        case .reports: "/status"
        case .report(let period): "/status/\(period)"
        case .reportRevision(let period, let revision): "/status/\(period)/revisjon/\(revision)"
        case .reportDraft(let period): "/status/\(period)/utkast"
        case .reportPublication(let period): "/status/\(period)/publiser"
        case .reportState(let period): "/status/\(period)/tilstand"
        case .reportCorrection(let period): "/status/\(period)/rett-opp"
        case .reportSection(let period, let section): "/status/\(period)/rediger/\(section)"
        case .reportingRounds: "/rapportering"
        case .newReportingRound: "/rapportering/ny"
        case .reportingRound(let id): "/rapportering/\(id)"
        case .reportingRoundChange(let id, let change): "/rapportering/\(id)/\(change.rawValue)"
        case .roundPart(let id, let actor): "/rapportering/\(id)/\(actor)"
        case .roundPartDelivery(let id, let actor): "/rapportering/\(id)/\(actor)/lever"
        case .roundPartReopening(let id, let actor): "/rapportering/\(id)/\(actor)/gjenapne"
        case .scoring: "/prioritering"
        case .scoringModels: "/prioritering/modeller"
        case .newScoringRound: "/prioritering/ny"
        case .scoringRound(let id): "/prioritering/\(id)"
        case .scoringCandidates(let id): "/prioritering/\(id)/kandidater"
        case .scoringAnswers(let id): "/prioritering/\(id)/svar"
        case .scoringPublication(let id): "/prioritering/\(id)/publiser"
        case .councils: "/rad"
        case .calendar: "/rad/moter.ics"
        case .council(let slug): "/rad/\(slug)"
        case .councilCalendar(let slug): "/rad/\(slug)/moter.ics"
        case .councilEdit(let slug): "/rad/\(slug)/rediger"
        case .councilMembers(let slug): "/rad/\(slug)/medlemmer"
        case .councilMemberEnd(let slug): "/rad/\(slug)/medlemmer/avslutt"
        case .councilMeetings(let slug): "/rad/\(slug)/moter"
        case .meeting(let council, let meeting, let page):
            "/rad/\(council)/moter/\(meeting)" + (page == .page ? "" : "/\(page.rawValue)")
        case .newCase(let council, let meeting): "/rad/\(council)/moter/\(meeting)/saker/ny"
        case .councilCase(let council, let meeting, let item, let page):
            "/rad/\(council)/moter/\(meeting)/saker/\(item)/\(page.rawValue)"
        case .signIn: "/logg-inn"
        case .signInOIDC: "/logg-inn/oidc"
        case .signInOIDCReturn: "/logg-inn/oidc/tilbake"
        case .signOut: "/logg-ut"
        case .account: "/konto"
        case .accountPassword: "/konto/passord"
        case .accountTokens: "/konto/nokler"
        case .accountTokenRevocation(let id): "/konto/nokler/\(id)/trekk-tilbake"
        case .accountSignOutEverywhere: "/konto/logg-ut-overalt"
        case .users: "/admin/brukere"
        case .user(let id): "/admin/brukere/\(id)"
        case .userSessionsEnd(let id): "/admin/brukere/\(id)/avslutt-innlogginger"
        case .healthz: "/healthz"
        case .metrics: "/metrics"
        case .stylesheet: "/assets/veikart.css"
        case .script: "/assets/veikart.js"
        case .openAPI: "/api/openapi.json"
        case .api(let rest): "/api/v1/\(rest)"
        }
    }

    /// The path with a query, parameters in the given order, values percent-encoded; nil values are left out.
    public func path(query: [(String, String?)]) -> String {
        let items = query.compactMap { name, value in value.map { "\(name)=\(Self.encode($0))" } }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// The path with a fragment (`#sak-35-22`).
    public func path(fragment: String) -> String { path + "#" + fragment }

    /// RFC 3986 unreserved characters stay (ASCII letters and digits, `-._~`); everything else is percent-encoded.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A path segment or query value percent-encoded as this site writes them.
    public static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// The pattern this location is registered under: its path with `:name` placeholders as values, split into
    /// components (`["rad", ":council", "rediger"]`).
    public var components: [String] { path.split(separator: "/").map(String.init) }

    /// Who may open the location (GET). A form's page is as closed as the form.
    public var readAccess: RouteAccess {
        switch self {
        case .newRoadmapVersion, .indicatorsImport, .indicatorImport, .indicatorValues, .indicatorValueRemoval,
            .reportDraft, .reportPublication, .reportSection, .newReportingRound, .reportingRoundChange,
            .roundPartReopening, .newScoringRound, .scoringAnswers, .scoringPublication:
            .editors
        case .myWork, .roundPart, .roundPartDelivery, .record(_, _, .move): .contributors
        case .councilEdit, .councilMembers, .councilMemberEnd, .councilMeetings, .newCase, .councilCase: .secretariat
        case .meeting(_, _, let page): page == .edit || page == .state ? .secretariat : .anyone
        case .newRecord(let kind): kind == .activity || kind == .milestone ? .contributors : .editors
        case .historyCSV: .editors
        case .newRecordMenu, .record, .retiredRecords, .drafts, .reportingRounds, .reportingRound, .account,
            .accountPassword, .accountTokens,
            .accountTokenRevocation, .accountSignOutEverywhere:
            .signedIn
        case .users, .user, .userSessionsEnd: .administrators
        default: .anyone
        }
    }

    /// Who may write there (POST, and the API's PUT, PATCH and DELETE).
    public var writeAccess: RouteAccess {
        switch self {
        case .signIn, .signOut: .anyone
        case .api: .apiToken
        case .reports, .reportState, .reportCorrection, .scoring, .scoringModels, .scoringCandidates: .editors
        case .meeting: .secretariat
        default: readAccess == .anyone ? .editors : readAccess
        }
    }

    /// What a user the rule turns away is told.
    public var refusal: String {
        switch self {
        case .newRoadmapVersion: "Bare redaktører kan publisere veikartversjoner."
        case .indicatorsImport, .indicatorImport: "Bare redaktører kan importere målinger."
        case .indicatorValues, .indicatorValueRemoval: "Bare redaktører kan endre verdiene til en indikator."
        case .reports, .reportDraft, .reportPublication, .reportState, .reportCorrection, .reportSection:
            "Bare redaktører skriver statusrapporter."
        case .newReportingRound: "Bare redaktører kan åpne rapporteringsrunder."
        case .reportingRoundChange(_, .close): "Bare redaktører kan avslutte rapporteringsrunder."
        case .reportingRoundChange(_, .change): "Bare redaktører kan endre rapporteringsrunder."
        case .reportingRoundChange(_, .delete): "Bare redaktører kan slette rapporteringsrunder."
        case .roundPart, .roundPartDelivery: "Bare rapportører og redaktører kan rapportere."
        case .roundPartReopening: "Bare en redaktør kan åpne en levert del igjen."
        case .scoringModels: "Bare redaktører endrer poengmodeller."
        case .scoring: "Bare redaktører importerer prioriteringsrunder."
        case .newScoringRound: "Bare redaktører lager prioriteringsrunder."
        case .scoringCandidates: "Bare redaktører endrer runder."
        case .scoringAnswers: "Bare redaktører endrer svar."
        case .scoringPublication: "Bare redaktører publiserer runder."
        case .myWork, .record(_, _, .move):
            "Mitt arbeid er for redaktører og rapportører, som holder veikartet oppdatert."
        case .councilEdit: "Bare sekretariatet endrer rådene."
        case .councilMembers, .councilMemberEnd: "Bare sekretariatet endrer medlemmer."
        case .councilMeetings: "Bare sekretariatet oppretter møter."
        case .meeting(_, _, .state): "Bare sekretariatet publiserer innkallinger og referater."
        case .meeting: "Bare sekretariatet endrer møter."
        case .newCase: "Bare sekretariatet lager saker."
        case .councilCase(_, _, _, .edit): "Bare sekretariatet endrer saker."
        case .councilCase(_, _, _, .removal): "Bare sekretariatet fjerner saker."
        case .newRecordMenu: "Rollen din kan ikke legge til poster."
        case .newRecord(let kind): "Bare redaktører kan legge til \(kind.name)."
        case .historyCSV: "Bare redaktører og administratorer kan laste ned hele historikken."
        case .users, .user, .userSessionsEnd: "Bare administratorer kan administrere brukere."
        default: "Du har ikke tilgang til dette."
        }
    }
}

extension SiteURL {
    /// The page a council case links to.
    public init(_ link: CaseLink) {
        switch link.kind {
        case .goal: self = .goal(link.target)
        case .subgoal: self = .subgoal(link.target)
        case .initiative: self = .initiative(link.target)
        case .indicator: self = .indicator(link.target)
        case .report: self = .report(link.target)
        case .scoringRound: self = .scoringRound(link.target)
        }
    }

    /// A meeting's page (or its notice, minutes, form …).
    public static func meeting(_ meeting: Meeting, _ page: MeetingPage = .page) -> SiteURL {
        .meeting(council: meeting.council, meeting: meeting.key, page)
    }

    /// One of the pages of a case in a meeting.
    public static func councilCase(_ meeting: Meeting, _ caseSlug: String, _ page: CasePage) -> SiteURL {
        .councilCase(council: meeting.council, meeting: meeting.key, case: caseSlug, page)
    }

    /// Where a "behandlet i" reference leads: the case on its meeting's page.
    public static func reference(_ r: CaseReference) -> String {
        SiteURL.meeting(council: r.council, meeting: r.meetingKey, .page).path(fragment: "sak-\(r.number.slug)")
    }
}

extension SiteURL {
    /// The link of a search hit, from its kind and route values (`SearchDocument.place`).
    public static func searchHit(_ kind: SearchDocument.Kind, place: [String]) -> String {
        let first = place.first ?? ""
        switch kind {
        case .goal: return SiteURL.goal(first).path
        case .subgoal: return SiteURL.subgoal(first).path
        case .initiative: return SiteURL.initiative(first).path
        case .activity: return SiteURL.initiative(first).path(fragment: "aktivitet-\(place.dropFirst().first ?? "")")
        case .actor: return SiteURL.actor(first).path
        case .indicator: return SiteURL.indicator(first).path
        case .council: return SiteURL.council(first).path
        case .meeting, .councilCase:
            let meeting = SiteURL.meeting(council: first, meeting: place.dropFirst().first ?? "", .page)
            return place.count > 2 ? meeting.path(fragment: "sak-\(place[2])") : meeting.path
        }
    }
}
