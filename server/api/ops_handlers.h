#pragma once

#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "session_store.h"

#include <string>

namespace hoist {

// /healthz (no token) and /metrics (Prometheus text; behind metricsToken when set).
void registerOpsRoutes(HttpServer& server, SessionStore& store, Metrics& metrics,
                       const std::string& metricsToken);

// One log line per request, and the request counters of /metrics.
void installRequestLog(HttpServer& server, Metrics& metrics, Logger& logger);

} // namespace hoist
