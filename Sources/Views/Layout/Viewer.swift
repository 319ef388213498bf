import Domain
@preconcurrency import Plot
import Routes

/// Who is looking at the page, set per request by the app (a task-local, so views need no plumbing).
public struct Viewer: Sendable {
    public let name: String
    public let roleName: String
    public let csrfToken: String
    /// Actors whose activities this viewer may edit; `nil` means all (editors).
    public let editableActors: Set<String>?
    public let canEditRoadmap: Bool
    public let canEditStructure: Bool
    public let canManageUsers: Bool

    public init(
        name: String, roleName: String, csrfToken: String, editableActors: Set<String>?, canEditRoadmap: Bool,
        canEditStructure: Bool, canManageUsers: Bool
    ) {
        self.name = name
        self.roleName = roleName
        self.csrfToken = csrfToken
        self.editableActors = editableActors
        self.canEditRoadmap = canEditRoadmap
        self.canEditStructure = canEditStructure
        self.canManageUsers = canManageUsers
    }

    @TaskLocal public static var current: Viewer?

    /// Mirrors `Access.canWriteRoadmapItem` for showing links; the server checks again on every write.
    public func canEditRoadmapItem(actorSlug: String?) -> Bool {
        guard canEditRoadmap else { return false }
        guard let editableActors else { return true }
        return actorSlug.map(editableActors.contains) ?? false
    }

    public func canEdit(_ activity: Activity) -> Bool { canEditRoadmapItem(actorSlug: activity.actorSlug) }
}

/// "Endre" and "Historikk" links for a structural record, shown to editors only.
public enum EditLinks {
    /// "Ny aktivitet" and "Ny milepæl" for an initiative, for those who keep the roadmap (reporters choose among their
    /// own actors on the form).
    public static func newRoadmapItems(initiative slug: String) -> Node<HTML.BodyContext> {
        guard Viewer.current?.canEditRoadmap == true else { return .empty }
        return .p(
            .class("edit-links"),
            .a(.href(SiteURL.newRecord(.activity).path + "?tiltak=\(slug)"), .text("Ny aktivitet")),
            .text(" · "),
            .a(.href(SiteURL.newRecord(.milestone).path + "?tiltak=\(slug)"), .text("Ny milepæl")))
    }

    public static func structure(_ kind: RecordKind, id: String) -> Node<HTML.BodyContext> {
        guard Viewer.current?.canEditStructure == true else { return .empty }
        return .p(
            .class("edit-links"), .a(.href(SiteURL.record(kind, id, .edit).path), .text("Endre \(kind.name)")),
            .text(" · "), .a(.href(SiteURL.record(kind, id, .history).path), .text("Historikk")))
    }
}
