#include "in_process_session_locker.h"

namespace hoist {

class InProcessSessionLocker::HeldLock final : public SessionLocker::Lock {
  public:
    HeldLock(InProcessSessionLocker& owner, std::string id) : m_owner(owner), m_id(std::move(id)) {}
    HeldLock(const HeldLock&) = delete;
    HeldLock& operator=(const HeldLock&) = delete;
    ~HeldLock() override { m_owner.release(m_id); }

  private:
    InProcessSessionLocker& m_owner;
    std::string m_id;
};

StoreResult<SessionLocker::Guard> InProcessSessionLocker::tryAcquire(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    if (!m_held.insert(sessionId).second)
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "session " + sessionId + " is locked"});
    return Guard(std::make_unique<HeldLock>(*this, sessionId));
}

void InProcessSessionLocker::release(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    m_held.erase(sessionId);
}

} // namespace hoist
