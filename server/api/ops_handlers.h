#pragma once

#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "storage_health.h"

#include <functional>
#include <string>

namespace hoist {

// Empty when the shared database answers, otherwise why not (docs/admin.md, "Running
// several nodes"); none without a shared database.
using DatabaseProbe = std::function<std::string()>;
// True from SIGTERM on, while the node drains its in-flight requests before it exits.
using DrainProbe = std::function<bool()>;

// /healthz (no token; 503 "degraded" when the data directory takes no writes or the
// database does not answer), /readyz (the same verdict, and 503 "draining" once the
// node stops, for load balancers) and /metrics (Prometheus text from memory; behind
// metricsToken when set).
void registerOpsRoutes(HttpServer& server, Metrics& metrics, StorageHealth& health,
                       const std::string& metricsToken, DatabaseProbe database = {},
                       DrainProbe draining = {});

// One log line per request, and the request counters of /metrics.
void installRequestLog(HttpServer& server, Metrics& metrics, Logger& logger);

} // namespace hoist
