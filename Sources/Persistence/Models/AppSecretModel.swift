import FluentKit
import Foundation

final class AppSecretModel: Model, @unchecked Sendable {
    static let schema = "app_secrets"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "value") var value: String
    init() {}
}
