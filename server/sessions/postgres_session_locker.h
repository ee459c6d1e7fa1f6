#pragma once

#include "postgres_database.h"
#include "session_locker.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace hoist {

// The SessionLocker of several nodes: a lease row per held session in PostgreSQL
// (docs/admin.md, "Running several nodes"). tryAcquire inserts the lease, or takes
// over one whose time ran out, in one statement timed by the database's clock (node
// clocks never matter); a lease that is still running answers Conflict (423). While a
// lock is held, a renewal thread pushes its lease forward every third of its length,
// so a live request keeps its session however long its chunk takes. A holder that
// died stops renewing, and its session is free again at most `lease` later; release
// deletes only the holder's own row, so a late release of a lease that was taken over
// frees nothing. The offset commit's compare-and-swap guards the rare holder that
// lost its lease while still alive (a stalled node).
class PostgresSessionLocker final : public SessionLocker {
  public:
    static constexpr std::chrono::milliseconds kDefaultLease{6000};

    explicit PostgresSessionLocker(PostgresDatabase& db,
                                   std::chrono::milliseconds lease = kDefaultLease);
    // Stops renewing; locks still held stay valid until their lease runs out (and are
    // released when destroyed).
    ~PostgresSessionLocker() override;
    PostgresSessionLocker(const PostgresSessionLocker&) = delete;
    PostgresSessionLocker& operator=(const PostgresSessionLocker&) = delete;

    StoreResult<Guard> tryAcquire(const std::string& sessionId) override;

    // What /metrics shows of this node's leases (docs/protocol.md, "Metrics").
    struct Stats {
        std::size_t held = 0;
        std::uint64_t takenOver = 0;     // leases of another holder that had run out
        std::uint64_t renewFailures = 0; // renewals the database did not answer
        std::uint64_t lost = 0;          // held leases found taken over at renewal
    };
    Stats stats() const;

  private:
    // What the held locks share with the locker: they may outlive it.
    struct Holders {
        explicit Holders(PostgresDatabase& database) : db(database) {}
        PostgresDatabase& db;
        std::mutex mutex;
        std::set<std::string> tokens;
    };
    std::set<std::string> heldTokens() const;
    void countLost(const std::set<std::string>& renewing, const PostgresResult& renewed);
    class HeldLock;
    void renew();

    std::shared_ptr<Holders> m_holders;
    std::chrono::milliseconds m_lease;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<std::uint64_t> m_takenOver{0};
    std::atomic<std::uint64_t> m_renewFailures{0};
    std::atomic<std::uint64_t> m_lost{0};
    std::thread m_renewer;
};

} // namespace hoist
