/// Who made a change and through which door, for the audit trail.
public struct Author: Hashable, Sendable {
    public enum Source: String, Sendable { case ui, api, importer = "import", cli }
    public let userId: String?
    public let email: String?
    public let source: Source

    public init(userId: String?, email: String?, source: Source) {
        self.userId = userId
        self.email = email
        self.source = source
    }

    public init(_ p: Principal, source: Source) { self.init(userId: p.userId, email: p.email, source: source) }

    public static let commandLine = Author(userId: nil, email: nil, source: .cli)
}
