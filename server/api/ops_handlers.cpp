#include "ops_handlers.h"

#include "auth.h"
#include "http_status.h"
#include "responses.h"

#include <cstdio>

namespace hoist {

void registerOpsRoutes(HttpServer& server, Metrics& metrics, StorageHealth& health,
                       const std::string& metricsToken, DatabaseProbe database,
                       DrainProbe draining) {
    server.route("GET", "/healthz",
                 [&health, database](const ServerRequest&, ServerResponse& response) {
                     const std::string storage = health.problem();
                     const std::string db = database ? database() : std::string();
                     if (storage.empty() && db.empty())
                         return writeJson(response, http::Ok, {{"status", "ok"}});
                     nlohmann::json body{{"status", "degraded"}};
                     if (!storage.empty())
                         body["storage"] = storage;
                     if (!db.empty())
                         body["database"] = db;
                     writeJson(response, httpStatus(ErrorCode::StorageUnavailable), body);
                 });
    // A load balancer sends requests only to nodes that can serve them: the data
    // directory takes writes and the shared database answers (docs/protocol.md, "/readyz").
    // A stopping node says so at once, so that the balancer sends its requests elsewhere
    // while the chunks in flight drain (docs/admin.md, "Rolling restarts and upgrades").
    server.route(
        "GET", "/readyz",
        [&health, database, draining](const ServerRequest&, ServerResponse& response) {
            if (draining && draining())
                return writeJson(response, httpStatus(ErrorCode::StorageUnavailable),
                                 {{"status", "draining"}});
            const bool ready = health.problem().empty() && (!database || database().empty());
            writeJson(response, ready ? http::Ok : httpStatus(ErrorCode::StorageUnavailable),
                      {{"status", ready ? "ready" : "not ready"}});
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
