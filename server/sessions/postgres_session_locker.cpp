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
        "RETURNING holder",
        {P::text(sessionId), P::integer(m_lease.count())});
    if (!taken)
        return tl::unexpected(taken.error());
    if (taken->rows() == 0)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + sessionId + " is locked"});
    std::string token = taken->text(0, 0);
    {
        std::lock_guard lock(m_holders->mutex);
        m_holders->tokens.insert(token);
    }
    return Guard(std::make_unique<HeldLock>(m_holders, sessionId, std::move(token)));
}

void PostgresSessionLocker::renew() {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_lease / 3, [this] { return m_stopping; })) {
        std::string tokens;
        {
            std::lock_guard held(m_holders->mutex);
            for (const std::string& token : m_holders->tokens)
                tokens += (tokens.empty() ? "{" : ",") + token;
        }
        if (tokens.empty())
            continue;
        tokens += "}";
        // A failed renewal is retried on the next tick; until the lease runs out the
        // lock holds, and after that the offset commit's compare-and-swap decides.
        (void)m_holders->db.exec("UPDATE session_leases SET expires_at = clock_timestamp() + "
                                 "$2::bigint * interval '1 ms' WHERE holder = ANY($1::text[])",
                                 {P::text(tokens), P::integer(m_lease.count())});
    }
}

} // namespace hoist
