#include "finalization.h"

#include "time_format.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>

namespace hoist {

FinalizationRunner::FinalizationRunner(SessionStore& store, Finalizer& finalizer,
                                       SessionLocker& locks, Metrics& metrics, Logger& logger,
                                       std::size_t workers)
    : m_store(store), m_finalizer(finalizer), m_locks(locks), m_metrics(metrics), m_logger(logger),
      m_workerCount(std::max<std::size_t>(workers, 1)) {}

FinalizationRunner::~FinalizationRunner() {
    stop();
}

std::int64_t FinalizationRunner::backoffSeconds(int attempts) {
    const int exponent = std::clamp(attempts - 1, 0, 20);
    const std::int64_t base = std::min<std::int64_t>(std::int64_t{1} << exponent, 300);
    unsigned char random = 0;
    RAND_bytes(&random, 1);
    return base + (base * random) / (4 * 255);
}

StoreResult<Session> FinalizationRunner::attempt(Session session) {
    const FinalizeOutcome outcome = m_finalizer.finalize(session);
    if (outcome.status == FinalizeOutcome::Status::Completed) {
        session.state = SessionState::Completed;
        session.fileId = outcome.fileId;
        m_metrics.countFinalization("completed");
        m_logger.info("session " + session.id + " finalized as file " + session.fileId);
    } else {
        ++session.finalizeAttempts;
        session.nextFinalizeAt = nowSeconds() + backoffSeconds(session.finalizeAttempts);
        m_metrics.countFinalization("retry");
        m_logger.warn("session " + session.id + ": finalization attempt " +
                      std::to_string(session.finalizeAttempts) + " failed (" + outcome.message +
                      "); next in " + std::to_string(session.nextFinalizeAt - nowSeconds()) + " s");
    }
    const auto recorded = m_store.update(session);
    // Unrecorded, the stored session is still finalizing and due: retry it like a failure
    // (finalizers are idempotent, see finalizer.h).
    if (!recorded || session.state == SessionState::Finalizing)
        schedule(session.id, session.nextFinalizeAt);
    if (!recorded)
        return tl::unexpected(recorded.error());
    return session;
}

void FinalizationRunner::schedule(const std::string& sessionId, std::int64_t dueAt) {
    {
        std::lock_guard lock(m_mutex);
        m_due.emplace(dueAt, sessionId);
    }
    m_wake.notify_one();
}

void FinalizationRunner::adoptBacklog() {
    // A read of the whole backlog through the index on state: afterwards every failed
    // attempt schedules its own retry.
    if (auto pending = m_store.inState(SessionState::Finalizing); !pending)
        m_logger.error("finalization: " + pending.error().message);
    else
        for (const Session& session : *pending)
            schedule(session.id, session.nextFinalizeAt);
}

void FinalizationRunner::start() {
    adoptBacklog();
    for (std::size_t i = 0; i < m_workerCount; ++i)
        m_workers.emplace_back([this] { work(); });
}

void FinalizationRunner::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker.join();
    m_workers.clear();
}

void FinalizationRunner::work() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_due.empty()) {
            m_wake.wait(lock);
            continue;
        }
        const auto next = m_due.begin();
        const auto dueAt = std::chrono::system_clock::time_point(std::chrono::seconds(next->first));
        if (dueAt > std::chrono::system_clock::now()) {
            m_wake.wait_until(lock, dueAt);
            continue;
        }
        const std::string sessionId = next->second;
        m_due.erase(next);
        lock.unlock();
        retry(sessionId);
        lock.lock();
    }
}

void FinalizationRunner::retry(const std::string& sessionId) {
    auto guard = m_locks.tryAcquire(sessionId);
    if (!guard) {
        // A request holds it (a client polling complete): come back when it is done.
        schedule(sessionId, nowSeconds() + 1);
        return;
    }
    // Re-read under the lock: a request may have finished it, or attempted it and
    // scheduled a later retry (this entry is then stale).
    auto fresh = m_store.find(sessionId);
    if (!fresh) {
        m_logger.error("finalization of " + sessionId + ": " + fresh.error().message);
        schedule(sessionId, nowSeconds() + backoffSeconds(1));
        return;
    }
    const std::int64_t now = nowSeconds();
    if (!*fresh || (*fresh)->state != SessionState::Finalizing || (*fresh)->nextFinalizeAt > now ||
        (*fresh)->expiresAt <= now)
        return;
    if (auto done = attempt(**fresh); !done)
        m_logger.error("finalization of " + sessionId + ": " + done.error().message);
}

} // namespace hoist
