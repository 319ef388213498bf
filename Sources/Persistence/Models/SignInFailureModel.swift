import Domain
import FluentKit
import Foundation
import SQLKit

/// One failed sign-in for a throttle key ("konto:…" or "adresse:…").
final class SignInFailureModel: Model, @unchecked Sendable {
    public static let schema = "sign_in_failures"
    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "at") public var at: Date
    public init() {}
}
