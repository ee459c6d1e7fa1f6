#pragma once

#include "metrics.h"
#include "postgres_database.h"
#include "postgres_session_locker.h"

namespace hoist {

// The families that make each node of a cluster observable on its own /metrics
// (docs/protocol.md, "Metrics"): its database pool and the session leases it holds.
// Read from memory at each scrape; both must outlive metrics.
void addClusterMetrics(Metrics& metrics, const PostgresDatabase& database,
                       const PostgresSessionLocker& leases);

} // namespace hoist
