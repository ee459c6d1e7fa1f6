#include "session_locks.h"

namespace hoist {

std::optional<SessionLocks::Guard> SessionLocks::tryAcquire(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    if (!m_held.insert(sessionId).second)
        return std::nullopt;
    return std::optional<Guard>(std::in_place, *this, sessionId);
}

void SessionLocks::release(const std::string& sessionId) {
    std::lock_guard lock(m_mutex);
    m_held.erase(sessionId);
}

} // namespace hoist
