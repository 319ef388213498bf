import Fluent
import Foundation
import Persistence
import Vapor

/// `veikart audit verify`: walks the whole audit trail's hash chain and says whether any entry was changed, removed
/// or inserted after it was written. Prints the head (sequence number and hash) to record elsewhere: a trail
/// rewritten from scratch with a new, valid chain is recognised by a head that does not match the recorded one.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify") var action: String
    }
    var help: String { "Kontrollerer revisjonssporets hashkjede (veikart audit verify)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            context.console.error("Ukjent handling «\(signature.action)»; bruk «veikart audit verify».")
            throw ExitCode(2)
        }
        let report = try await AuditChain.verify(on: context.application.db)
        let head = "siste løpenummer \(report.headSeq), hash \(report.headHash)"
        if let broken = report.firstBroken {
            let problem = report.problem ?? "ukjent feil"
            context.console.error("Revisjonssporet er brutt ved oppføring \(broken): \(problem). (\(head))")
            throw ExitCode(1)
        }
        context.console.info("Revisjonssporet er helt: \(report.entries) oppføringer, \(head).")
    }
}
