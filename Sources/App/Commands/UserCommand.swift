import Domain
import Foundation
import Persistence
import Vapor

/// `veikart user add --email … --role … [--actor slug[,slug]] [--name …]`. The password comes from
/// standard input (one line) when piped, otherwise a random one is generated and shown once.
/// `veikart user token --email … [--name …]` makes a personal API key for an existing user (for integrations and
/// scripts; shown once, revocable under *Min konto*).
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "add eller token") var action: String
        @Option(name: "email", help: "E-postadresse") var email: String?
        @Option(name: "role", help: "leser, rapportor, redaktor, sekretariat eller administrator") var role: String?
        @Option(name: "actor", help: "Aktør(er) en rapportør rapporterer for, kommaseparert") var actor: String?
        @Option(name: "name", help: "Navn") var name: String?
        @Flag(name: "password-stdin", help: "Les passordet fra standard input") var passwordStdin: Bool
    }

    var help: String { "Oppretter brukere." }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.action == "token" { return try await token(using: context, signature: signature) }
        guard signature.action == "add" else {
            context.console.error("Ukjent handling «\(signature.action)»; bruk «user add» eller «user token».")
            throw ExitCode(2)
        }
        guard let email = signature.email, let roleText = signature.role else {
            context.console.error("--email og --role må oppgis.")
            throw ExitCode(2)
        }
        guard let role = Role(rawValue: roleText) else {
            context.console.error(
                "Ukjent rolle «\(roleText)»; gyldige er \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            throw ExitCode(2)
        }
        var password: String
        var generated = false
        if signature.passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            password = Passwords.generate()
            generated = true
        }
        if let problem = PasswordPolicy.problem(with: password) {
            context.console.error(problem)
            throw ExitCode(2)
        }
        let actors = (signature.actor ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        do {
            let hash = try Bcrypt.hash(password, cost: 12)
            let user = try await Accounts.create(
                email: email, name: signature.name ?? "", passwordHash: hash, role: role, actors: actors,
                passwordExpiresAt: generated ? Date().addingTimeInterval(Passwords.firstPasswordLifetime) : nil,
                author: .commandLine, on: context.application.db)
            context.console.info(
                "Opprettet \(user.email) som \(role.name)"
                    + (actors.isEmpty ? "." : " for \(actors.joined(separator: ", "))."))
            if generated {
                let days = String(Int(Passwords.firstPasswordLifetime / 86_400))
                let line = "Passord (vises bare nå, gyldig i \(days) dager til brukeren velger sitt eget): \(password)"
                context.console.output(.init(stringLiteral: line))
            }
        } catch let problem as Accounts.Problem {
            context.console.error("Kunne ikke opprette brukeren: \(problem.description).")
            throw ExitCode(1)
        }
    }

    func token(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, let user = try await Accounts.user(email: email, on: context.application.db)
        else {
            context.console.error("Fant ingen bruker med --email \(signature.email ?? "(mangler)").")
            throw ExitCode(1)
        }
        let token = APIAuth.newToken()
        _ = try await APITokens.create(
            userId: user.id, name: String((signature.name ?? "Kommandolinje").prefix(80)),
            tokenHash: APIAuth.hash(token),
            prefix: String(token.prefix(10)), author: .commandLine, on: context.application.db)
        context.console.output("\(token)")
    }
}
