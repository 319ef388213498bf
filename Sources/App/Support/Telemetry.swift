import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// One Prometheus registry per process. Vapor reports `http_requests_total` and
/// `http_request_duration_seconds` through swift-metrics once the system is bootstrapped.
enum Telemetry {
    static let registry = PrometheusCollectorRegistry()
    static let poolSizePerEventLoop = 4
    private static let bootstrapped = NIOLockedValueBox(false)

    static func bootstrapOnce() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }

    static let datasetLoad = Timer(label: "veikart_db_dataset_load_seconds", preferredDisplayUnit: .seconds)
    static let readModelSync = Timer(label: "veikart_read_model_sync_seconds", preferredDisplayUnit: .seconds)
    static let readModelChanges = Counter(label: "veikart_read_model_changes_applied_total")
    static let readModelFullLoads = Counter(label: "veikart_read_model_full_loads_total")
    static let searchQuery = Timer(label: "veikart_db_search_seconds", preferredDisplayUnit: .seconds)
    static let dbErrors = Counter(label: "veikart_db_errors_total")
    static let pageCacheHits = Counter(label: "veikart_page_cache_hits_total")
    static let pageCacheMisses = Counter(label: "veikart_page_cache_misses_total")
    static let signInFailures = Counter(label: "veikart_sign_in_failures_total")
    static let signInThrottled = Counter(label: "veikart_sign_in_throttled_total")
    static let pdfRenders = Counter(label: "veikart_pdf_renders_total")
    static let pdfRendersRefused = Counter(label: "veikart_pdf_renders_refused_total")
}
