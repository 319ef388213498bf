import FluentKit
import SQLKit

/// All migrations in order. Numbered; never edit one that has shipped, add a new one.
public enum Migrations {
    public static let all: [any Migration] = [
        M001CreateStrategyAndRoadmap(), M002CreateSearchIndex(), M003CreateDataVersion(),
        M004CreateAccountsAuditAndVersions(), M005CreateAPITokens(), M006VersionAllEditableTables(),
        M007AuditRestorableValues(), M008CreateDrafts(), M009CreateIdentitiesAndSignInFailures(),
        M010CreateIndicators(), M011BaselinesAndDelays(), M012CreateReports(), M013CreateScoringRounds(),
        M014CreateCouncils(), M015SessionsSecretsAndReportPDFs(), M016AuditChainDraftVersionsPasswordExpiry(),
        M017ChangeFeedAndReadIndexes(), M018StrategyProfile(), M019RetiredRecords(), M020MeasurementVersions(),
        M021ReportingRoundsAndRoadmapVersions(),
    ]
}
