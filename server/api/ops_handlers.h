#pragma once

#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "storage_health.h"

#include <string>

namespace hoist {

// /healthz (no token; 503 "degraded" when the data directory takes no writes) and
// /metrics (Prometheus text from memory; behind metricsToken when set).
void registerOpsRoutes(HttpServer& server, Metrics& metrics, StorageHealth& health,
                       const std::string& metricsToken);

// One log line per request, and the request counters of /metrics.
void installRequestLog(HttpServer& server, Metrics& metrics, Logger& logger);

} // namespace hoist
