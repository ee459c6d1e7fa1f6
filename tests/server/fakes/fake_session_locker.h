#pragma once

#include "session_locker.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace hoist::test {

// A SessionLocker with expiring leases on a manual clock, the way a database locker
// for several nodes frees the lock of a holder that vanished: after the lease, a new
// request takes the session; the old holder's release then changes nothing.
class FakeSessionLocker final : public SessionLocker {
  public:
    static constexpr std::int64_t kLeaseSeconds = 60;

    StoreResult<Guard> tryAcquire(const std::string& sessionId) override {
        std::lock_guard lock(m_state->mutex);
        auto& lease = m_state->leases[sessionId];
        if (lease.held && lease.until > m_state->now)
            return tl::unexpected(
                StoreError{StoreError::Kind::Conflict, "session " + sessionId + " is leased"});
        lease = Lease{true, m_state->now + kLeaseSeconds, ++m_state->generation};
        return Guard(std::make_unique<Held>(m_state, sessionId, lease.generation));
    }

    void advance(std::int64_t seconds) {
        std::lock_guard lock(m_state->mutex);
        m_state->now += seconds;
    }

  private:
    struct Lease {
        bool held = false;
        std::int64_t until = 0;
        std::uint64_t generation = 0;
    };
    struct State {
        std::mutex mutex;
        std::int64_t now = 0;
        std::uint64_t generation = 0;
        std::map<std::string, Lease> leases;
    };
    class Held final : public Lock {
      public:
        Held(std::shared_ptr<State> state, std::string id, std::uint64_t generation)
            : m_state(std::move(state)), m_id(std::move(id)), m_generation(generation) {}
        ~Held() override {
            std::lock_guard lock(m_state->mutex);
            auto& lease = m_state->leases[m_id];
            if (lease.generation == m_generation)
                lease.held = false;
        }

      private:
        std::shared_ptr<State> m_state;
        std::string m_id;
        std::uint64_t m_generation;
    };

    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace hoist::test
