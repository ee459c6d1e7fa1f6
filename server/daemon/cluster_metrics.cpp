#include "cluster_metrics.h"

namespace hoist {

void addClusterMetrics(Metrics& metrics, const PostgresDatabase& database,
                       const PostgresSessionLocker& leases) {
    metrics.addSource([&database](std::ostream& out) {
        const PostgresDatabase::Stats pool = database.stats();
        out << "# HELP hoistd_db_pool_connections Database connections of this node, by state.\n"
            << "# TYPE hoistd_db_pool_connections gauge\n"
            << "hoistd_db_pool_connections{state=\"idle\"} " << pool.idle << "\n"
            << "hoistd_db_pool_connections{state=\"busy\"} " << pool.busy << "\n"
            << "# HELP hoistd_db_pool_max_connections The pool's bound (--database-pool).\n"
            << "# TYPE hoistd_db_pool_max_connections gauge\n"
            << "hoistd_db_pool_max_connections " << pool.limit << "\n"
            << "# HELP hoistd_db_up Whether the last database connection made or used was "
               "sound.\n"
            << "# TYPE hoistd_db_up gauge\n"
            << "hoistd_db_up " << (pool.up ? 1 : 0) << "\n"
            << "# HELP hoistd_db_pool_timeouts_total Requests that found every connection "
               "busy (503).\n"
            << "# TYPE hoistd_db_pool_timeouts_total counter\n"
            << "hoistd_db_pool_timeouts_total " << pool.acquireTimeouts << "\n";
    });
    metrics.addSource([&leases](std::ostream& out) {
        const PostgresSessionLocker::Stats held = leases.stats();
        out << "# HELP hoistd_session_leases_held Session leases this node holds now.\n"
            << "# TYPE hoistd_session_leases_held gauge\n"
            << "hoistd_session_leases_held " << held.held << "\n"
            << "# HELP hoistd_session_lease_takeovers_total Leases of another holder that had "
               "run out, taken over.\n"
            << "# TYPE hoistd_session_lease_takeovers_total counter\n"
            << "hoistd_session_lease_takeovers_total " << held.takenOver << "\n"
            << "# HELP hoistd_session_lease_renew_failures_total Lease renewals the database "
               "did not answer.\n"
            << "# TYPE hoistd_session_lease_renew_failures_total counter\n"
            << "hoistd_session_lease_renew_failures_total " << held.renewFailures << "\n"
            << "# HELP hoistd_session_leases_lost_total Held leases found taken over by "
               "another node.\n"
            << "# TYPE hoistd_session_leases_lost_total counter\n"
            << "hoistd_session_leases_lost_total " << held.lost << "\n";
    });
}

} // namespace hoist
