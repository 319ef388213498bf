import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Persistence
import SQLKit
import Vapor

/// Sets up database, migrations, seed data, middleware, routes and commands.
public func configure(_ app: Application, settings: Settings) async throws {
    app.settings = settings
    app.storage[ReadModelKey.self] = ReadModel()
    app.storage[DataVersionReaderKey.self] = DataVersionReader()
    app.storage[PageCacheKey.self] = PageCache()
    app.storage[RenderFlightsKey.self] = RenderFlights()
    if let oidc = settings.oidc { app.storage[OpenIDConnectKey.self] = OpenIDConnect(settings: oidc) }
    // Outgoing calls (the identity provider) fail fast rather than hold a sign-in for the default minute.
    app.http.client.configuration.timeout = .init(connect: .seconds(3), read: .seconds(10))
    Telemetry.bootstrapOnce()

    switch settings.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url, let searchPath):
        var config = try SQLPostgresConfiguration(url: url)
        config.searchPath = searchPath
        app.databases.use(
            .postgres(
                configuration: config, maxConnectionsPerEventLoop: Telemetry.poolSizePerEventLoop,
                connectionPoolTimeout: .seconds(5), sqlLogLevel: .trace), as: .psql)
    }
    if case .postgres(_, let searchPath?) = settings.database, let schema = searchPath.first {
        // A dedicated schema (tests use one per test case) must exist before migrating into it.
        try await app.db.sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
    app.migrations.add(Migrations.all)
    try await app.autoMigrate()
    try await SearchIndex.upgradeStoredPlaces(on: app.db)
    app.storage[CookieSignerKey.self] = CookieSigner(secret: try await AppSecrets.value(named: "cookies", on: app.db))
    app.storage[ReportPDFRendererKey.self] = ReportPDFRenderer()
    if settings.publicURL == nil, [nil, "serve"].contains(app.environment.arguments.dropFirst().first) {
        app.logger.notice(
            "VEIKART_PUBLIC_URL is not set: links that leave the site (calendar feeds) use the listening address")
    }
    if settings.seedIfEmpty, try await DatasetStore.isEmpty(on: app.db) {
        let seed = try SeedData.load()
        try await DatasetStore.replace(with: seed, on: app.db)
        app.logger.info(
            """
            Loaded the shipped seed dataset: \(seed.activities.count) activities, \(seed.initiatives.count) \
            initiatives
            """
        )
        if try await ScoringStore.models(on: app.db).isEmpty {
            try await ScoringStore.saveModel(try SeedData.scoringModel(), author: .commandLine, on: app.db)
        }
        if try await ScoringStore.isEmpty(on: app.db) {
            try await ScoringStore.save(
                try SeedData.scoringRound(initiatives: Set(seed.initiatives.map(\.slug))), author: .commandLine,
                on: app.db)
        }
        if try await ReportStore.isEmpty(on: app.db) {
            for report in try SeedData.reports() {
                guard let period = ReportRules.parsePeriod(report.period) else { continue }
                try await ReportStore.insertPublished(
                    period: period, content: report.content, dataset: seed, on: app.db)
            }
        }
        if try await CouncilStore.isEmpty(on: app.db) {
            let councils = try SeedData.councils(targets: try await CouncilStore.linkTargets(dataset: seed, on: app.db))
            try await CouncilStore.replaceAll(councils, author: .commandLine, on: app.db)
        }
        if try await RoundStore.isEmpty(on: app.db) {
            let cycle = try SeedData.cycle(dataset: seed)
            try await RoundStore.seed(
                rounds: cycle.rounds, parts: cycle.parts, versions: cycle.versions, author: .commandLine, on: app.db)
        }
    }

    // A seeded installation from before M018 gets the seed's strategy texts and vocabulary, so it looks as before.
    if let title = try await DatasetStore.strategyWithoutProfile(on: app.db), let seed = try? SeedData.load(),
        seed.strategy.title == title
    {
        try await DatasetStore.completeProfile(from: seed.strategy, on: app.db)
    }

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    // Outside the error renderer, so error pages carry the same headers.
    app.middleware.use(SecurityHeadersMiddleware())
    // Outside the error renderer too, so cookies a handler set (CSRF, a cleared session) reach error pages.
    app.middleware.use(SessionGate())
    app.middleware.use(ErrorRenderingMiddleware())
    // Sessions live in the database, so a signed-in user stays signed in whichever instance answers. Only signed-in
    // users have one; the gate drops cookies that are not a live session before Vapor's middleware sees them.
    app.sessions.use { _ in SignedSessionDriver() }
    app.sessions.configuration = SessionsConfiguration(cookieName: CookieName.session) { id in
        HTTPCookies.Value(
            string: id.string, maxAge: Int(SessionStore.absoluteLimit), path: "/", isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }
    app.middleware.use(app.sessions.middleware)
    // Before the viewer: a cached page for a visitor who is not signed in needs no account lookup.
    app.middleware.use(PageCacheMiddleware())
    app.middleware.use(SiteMiddleware())
    app.middleware.use(ViewerMiddleware())
    app.routes.defaultMaxBodySize = "1mb"
    app.http.server.configuration.responseCompression = .enabled

    try routes(app)
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(IndicatorsCommand(), as: "indicators")
    app.asyncCommands.use(ReportCommand(), as: "report")
    app.asyncCommands.use(GenerateCommand(), as: "generate")
    app.asyncCommands.use(AuditCommand(), as: "audit")
}

func routes(_ app: Application) throws {
    try app.register(collection: PageController())
    try app.register(collection: APIController())
    try app.register(collection: OperationsController())
    try app.register(collection: AuthController())
    try app.register(collection: EditController())
    try app.register(collection: MyWorkController())
    try app.register(collection: AccountController())
    try app.register(collection: AdminController())
    try app.register(collection: IndicatorController())
    try app.register(collection: StatusController())
    try app.register(collection: PrioritizationController())
    try app.register(collection: CouncilController())
    try app.register(collection: RoundController())
}
