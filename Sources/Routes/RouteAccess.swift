import Domain

/// Who may use a route. `RouteGuard` (App) applies it before the handler runs, together with the CSRF check of every
/// form write, so no handler repeats it. Rules that need the record at hand (a reporter's own actor) stay with the
/// record: `Access.canWrite`, checked by the handler after this coarser rule let the request through.
public enum RouteAccess: Sendable, Hashable {
    /// Public: reading, and signing in.
    case anyone
    /// Any signed-in user: their own account, and record forms whose record decides the rest.
    case signedIn
    /// Editors and reporters: my work, new activities and milestones, a reporting round's parts.
    case contributors
    /// Editors (and administrators): strategy, indicators, reports, rounds, scoring.
    case editors
    /// The council secretariat, editors and administrators: councils, meetings and cases.
    case secretariat
    /// Administrators: users.
    case administrators
    /// API writes: a bearer token, never cookies (`APIAuth` checks it per operation; no CSRF as no cookie counts).
    case apiToken

    public func allows(_ p: Principal?) -> Bool {
        switch self {
        case .anyone, .apiToken: true
        case .signedIn: p != nil
        case .contributors: Access.isEditor(p) || p?.role == .rapportor
        case .editors: Access.isEditor(p)
        case .secretariat: Access.canWriteCouncils(p)
        case .administrators: Access.canManageUsers(p)
        }
    }

    /// The roles this rule lets through (a signed-in user of the role, with actors where the role needs them).
    public var roles: Set<Role> {
        Set(
            Role.allCases.filter {
                allows(
                    Principal(userId: "", email: "", name: "", role: $0, actorSlugs: $0 == .rapportor ? ["aktor"] : []))
            })
    }
}
