#pragma once

#include "finalizer.h"
#include "logger.h"
#include "metrics.h"
#include "session_locker.h"
#include "session_store.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace hoist {

// Drives sessions in state `finalizing` to `completed`: one attempt at once when an
// upload completes, then retries in the background with exponential backoff and
// jitter (a slow or failing application server), also across restarts, until success
// or the session's expiry.
class FinalizationRunner final {
  public:
    FinalizationRunner(SessionStore& store, Finalizer& finalizer, SessionLocker& locks,
                       Metrics& metrics, Logger& logger);
    ~FinalizationRunner();

    // One attempt for a session the caller holds the lock of; returns it updated
    // (completed, or still finalizing with the next attempt scheduled) and persisted.
    StoreResult<Session> attempt(Session session);

    void start();
    void stop();

    // Delay before attempt number `attempts` + 1: 1 s, 2 s, 4 s ... capped at 5 min,
    // with up to 25 % jitter so many failed deliveries do not retry in lockstep.
    static std::int64_t backoffSeconds(int attempts);

  private:
    void run();
    void retryDue();

    SessionStore& m_store;
    Finalizer& m_finalizer;
    SessionLocker& m_locks;
    Metrics& m_metrics;
    Logger& m_logger;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace hoist
