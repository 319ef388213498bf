import Domain

/// Who is looking at the page, set per request by the app (a task-local, so views need no plumbing).
public struct Viewer: Sendable {
    public let name: String
    public let roleName: String
    public let csrfToken: String
    /// Actors whose activities this viewer may edit; `nil` means all (editors).
    public let editableActors: Set<String>?
    public let canEditRoadmap: Bool

    public init(name: String, roleName: String, csrfToken: String, editableActors: Set<String>?, canEditRoadmap: Bool) {
        self.name = name; self.roleName = roleName; self.csrfToken = csrfToken; self.editableActors = editableActors; self.canEditRoadmap = canEditRoadmap
    }

    @TaskLocal public static var current: Viewer?

    public func canEdit(_ activity: Activity) -> Bool {
        canEditRoadmap && (editableActors?.contains(activity.actorSlug) ?? true)
    }
}
