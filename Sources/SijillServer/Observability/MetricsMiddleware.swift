import Foundation
import Hummingbird

/// Counts requests by route pattern and status, and times them.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = SijillRequestContext
    let metrics: Metrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        func record(_ status: Int) {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let route = promLabel(context.endpointPath ?? "unmatched")
            metrics.count(
                "sijill_http_requests_total",
                labels: "method=\"\(request.method.rawValue)\",route=\"\(route)\",status=\"\(status)\"")
            metrics.observe("sijill_http_request_duration_seconds", labels: "route=\"\(route)\"", seconds: seconds)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            record(error.status.code)
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
