#include "finalization.h"

#include "time_format.h"

#include <openssl/rand.h>

#include <algorithm>

namespace hoist {

FinalizationRunner::FinalizationRunner(SessionStore& store, Finalizer& finalizer,
                                       SessionLocker& locks, Metrics& metrics, Logger& logger)
    : m_store(store), m_finalizer(finalizer), m_locks(locks), m_metrics(metrics),
      m_logger(logger) {}

FinalizationRunner::~FinalizationRunner() { stop(); }

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
    if (auto ok = m_store.update(session); !ok)
        return tl::unexpected(ok.error());
    return session;
}

void FinalizationRunner::start() {
    m_thread = std::thread([this] { run(); });
}

void FinalizationRunner::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void FinalizationRunner::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        retryDue();
        lock.lock();
        m_wake.wait_for(lock, std::chrono::seconds(1), [this] { return m_stopping; });
    }
}

void FinalizationRunner::retryDue() {
    auto pending = m_store.inState(SessionState::Finalizing);
    if (!pending) {
        m_logger.error("finalization: " + pending.error().message);
        return;
    }
    const std::int64_t now = nowSeconds();
    for (const Session& candidate : *pending) {
        if (candidate.nextFinalizeAt > now || candidate.expiresAt <= now)
            continue;
        auto guard = m_locks.tryAcquire(candidate.id);
        if (!guard)
            continue;
        // Re-read under the lock: a request may have finished it meanwhile.
        auto fresh = m_store.find(candidate.id);
        if (!fresh || !*fresh || (*fresh)->state != SessionState::Finalizing)
            continue;
        if (auto done = attempt(**fresh); !done)
            m_logger.error("finalization of " + candidate.id + ": " + done.error().message);
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
    }
}

} // namespace hoist
