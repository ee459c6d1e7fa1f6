#include "postgres_session_locker.h"

namespace hoist {

namespace {
using P = PostgresParam;
}

class PostgresSessionLocker::HeldLock final : public SessionLocker::Lock {
  public:
    HeldLock(std::shared_ptr<Holders> holders, std::string sessionId, std::string token)
        : m_holders(std::move(holders)), m_sessionId(std::move(sessionId)),
          m_token(std::move(token)) {}
    HeldLock(const HeldLock&) = delete;
    HeldLock& operator=(const HeldLock&) = delete;
    ~HeldLock() override {
        {
            std::lock_guard lock(m_holders->mutex);
            m_holders->tokens.erase(m_token);
        }
        // Best effort: a lease that cannot be deleted now runs out by itself.
        (void)m_holders->db.exec("DELETE FROM session_leases WHERE session_id = $1 AND holder = $2",
                                 {P::text(m_sessionId), P::text(m_token)});
    }

  private:
    std::shared_ptr<Holders> m_holders;
    std::string m_sessionId;
    std::string m_token;
};

PostgresSessionLocker::PostgresSessionLocker(PostgresDatabase& db, std::chrono::milliseconds lease)
    : m_holders(std::make_shared<Holders>(db)), m_lease(lease), m_renewer([this] { renew(); }) {}

PostgresSessionLocker::~PostgresSessionLocker() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_renewer.join();
}

StoreResult<SessionLocker::Guard> PostgresSessionLocker::tryAcquire(const std::string& sessionId) {
    auto taken = m_holders->db.exec(
        "INSERT INTO session_leases AS l (session_id, holder, expires_at) "
        "VALUES ($1, gen_random_uuid()::text, clock_timestamp() + $2::bigint * interval '1 ms') "
        "ON CONFLICT (session_id) DO UPDATE SET holder = EXCLUDED.holder, "
        "expires_at = EXCLUDED.expires_at WHERE l.expires_at < clock_timestamp() "
        "RETURNING holder, xmax <> 0",
        {P::text(sessionId), P::integer(m_lease.count())});
    if (!taken)
        return tl::unexpected(taken.error());
    if (taken->rows() == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + sessionId + " is locked"});
    // xmax is set on a row this statement updated, not on one it inserted: the lease
    // of another holder had run out and is ours now.
    if (taken->text(0, 1) == "t")
        ++m_takenOver;
    std::string token = taken->text(0, 0);
    {
        std::lock_guard lock(m_holders->mutex);
        m_holders->tokens.insert(token);
    }
    return Guard(std::make_unique<HeldLock>(m_holders, sessionId, std::move(token)));
}

std::set<std::string> PostgresSessionLocker::heldTokens() const {
    std::lock_guard held(m_holders->mutex);
    return m_holders->tokens;
}

// The leases a renewal did not find were taken over by another node after this one
// stalled past them: counted once, and no longer renewed (the holder's release then
// deletes nothing). A lock released meanwhile is no longer held, so it is not counted.
void PostgresSessionLocker::countLost(const std::set<std::string>& renewing,
                                      const PostgresResult& renewed) {
    std::set<std::string> found;
    for (int row = 0; row < renewed.rows(); ++row)
        found.insert(renewed.text(row, 0));
    std::lock_guard held(m_holders->mutex);
    for (const std::string& token : renewing)
        if (!found.contains(token) && m_holders->tokens.erase(token) > 0)
            ++m_lost;
}

PostgresSessionLocker::Stats PostgresSessionLocker::stats() const {
    std::size_t held = 0;
    {
        std::lock_guard lock(m_holders->mutex);
        held = m_holders->tokens.size();
    }
    return Stats{held, m_takenOver, m_renewFailures, m_lost};
}

void PostgresSessionLocker::renew() {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_lease / 3, [this] { return m_stopping; })) {
        const std::set<std::string> renewing = heldTokens();
        if (renewing.empty())
            continue;
        std::string tokens;
        for (const std::string& token : renewing)
            tokens += (tokens.empty() ? "{" : ",") + token;
        tokens += "}";
        // A failed renewal is retried on the next tick; until the lease runs out the
        // lock holds, and after that the offset commit's compare-and-swap decides.
        auto renewed = m_holders->db.exec(
            "UPDATE session_leases SET expires_at = clock_timestamp() + "
            "$2::bigint * interval '1 ms' WHERE holder = ANY($1::text[]) RETURNING holder",
            {P::text(tokens), P::integer(m_lease.count())});
        if (renewed)
            countLost(renewing, *renewed);
        else
            ++m_renewFailures;
    }
}

} // namespace hoist
