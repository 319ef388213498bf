import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Prometheus
import Metrics
