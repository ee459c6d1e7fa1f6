#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace hoist {

// At most one request works on a session at a time; a second one is answered 423
// at once instead of queueing behind a possibly stalled upload.
class SessionLocks final {
  public:
    class Guard final {
      public:
        Guard(SessionLocks& owner, std::string id) : m_owner(&owner), m_id(std::move(id)) {}
        Guard(Guard&& other) noexcept : m_owner(other.m_owner), m_id(std::move(other.m_id)) {
            other.m_owner = nullptr;
        }
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;
        Guard& operator=(Guard&&) = delete;
        ~Guard() {
            if (m_owner)
                m_owner->release(m_id);
        }

      private:
        SessionLocks* m_owner;
        std::string m_id;
    };

    std::optional<Guard> tryAcquire(const std::string& sessionId);

  private:
    void release(const std::string& sessionId);
    std::mutex m_mutex;
    std::unordered_set<std::string> m_held;
};

} // namespace hoist
