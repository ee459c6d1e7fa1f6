#pragma once

#include "finalizer.h"
#include "logger.h"
#include "metrics.h"
#include "session_locker.h"
#include "session_store.h"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoist {

// Drives sessions in state `finalizing` to `completed`: one attempt at once when an
// upload completes, then retries in the background with exponential backoff and
// jitter (a slow or failing application server), also across restarts, until success
// or the session's expiry.
//
// The retries run on a pool of `workers` threads that sleep on a due-time queue held
// in memory: filled from the store once at start(), then by every failed attempt. So
// nothing scans the sessions table while idle, and one hanging application server
// delays each session by at most one attempt's deadline, not by every other session's
// (docs/admin.md, "Security").
class FinalizationRunner final {
  public:
    FinalizationRunner(SessionStore& store, Finalizer& finalizer, SessionLocker& locks,
                       Metrics& metrics, Logger& logger, std::size_t workers = 8);
    ~FinalizationRunner();

    // One attempt for a session the caller holds the lock of; returns it updated
    // (completed, or still finalizing with the next attempt scheduled) and persisted.
    StoreResult<Session> attempt(Session session);

    void start();
    // Schedules every session waiting for finalization in the store. start() does it
    // once; with several nodes the sweep repeats it, so that the attempts of a node that
    // died are taken over (each attempt still claims the session's lock first).
    void adoptBacklog();
    // Waits for attempts in flight (each bounded by the finalizer's deadline).
    void stop();

    // Delay before attempt number `attempts` + 1: 1 s, 2 s, 4 s ... capped at 5 min,
    // with up to 25 % jitter so many failed deliveries do not retry in lockstep.
    static std::int64_t backoffSeconds(int attempts);

  private:
    void schedule(const std::string& sessionId, std::int64_t dueAt);
    void work();
    void retry(const std::string& sessionId);

    SessionStore& m_store;
    Finalizer& m_finalizer;
    SessionLocker& m_locks;
    Metrics& m_metrics;
    Logger& m_logger;
    std::size_t m_workerCount;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    // Unix second an attempt is due -> session id. A session may appear twice (a
    // request attempted it meanwhile): the worker re-reads it and drops stale entries.
    std::multimap<std::int64_t, std::string> m_due;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace hoist
