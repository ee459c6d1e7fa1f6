#include "ops_handlers.h"

#include "auth.h"
#include "http_status.h"
#include "responses.h"

#include <cstdio>

namespace hoist {

void registerOpsRoutes(HttpServer& server, Metrics& metrics, StorageHealth& health,
                       const std::string& metricsToken) {
    server.route("GET", "/healthz", [&health](const ServerRequest&, ServerResponse& response) {
        const std::string problem = health.problem();
        if (problem.empty())
            return writeJson(response, http::Ok, {{"status", "ok"}});
        writeJson(response, httpStatus(ErrorCode::StorageUnavailable),
                  {{"status", "degraded"}, {"storage", problem}});
    });
    std::map<std::string, std::string> tokens;
    if (!metricsToken.empty())
        tokens.emplace(metricsToken, "metrics");
    server.route("GET", "/metrics",
                 [&metrics, guard = TokenAuthenticator(tokens), open = metricsToken.empty()](
                     const ServerRequest& request, ServerResponse& response) {
                     if (!open && !authenticate(guard, request, response, metrics))
                         return;
                     response.status = http::Ok;
                     response.contentType = "text/plain; version=0.0.4";
                     response.body = metrics.render();
                 });
}

void installRequestLog(HttpServer& server, Metrics& metrics, Logger& logger) {
    server.setRequestLogger([&metrics, &logger](const RequestLogEntry& entry) {
        metrics.countRequest(entry.method, entry.status);
        if (!logger.enabled(LogLevel::Info))
            return;
        char line[96];
        std::snprintf(line, sizeof line, " %d in=%lld out=%lld %.1fms", entry.status,
                      static_cast<long long>(entry.bytesIn), static_cast<long long>(entry.bytesOut),
                      entry.milliseconds);
        logger.info(entry.remoteAddress + " " + entry.method + " " + entry.path + line);
    });
    server.setErrorReporter([&logger](const std::string& what) {
        logger.error("request failed with an exception: " + what);
    });
}

} // namespace hoist
