#pragma once

#include "session_locker.h"

#include <mutex>
#include <unordered_set>

namespace hoist {

// The SessionLocker of a single hoistd: a set of held ids in memory. A holder that
// vanished is the process itself, and the set vanishes with it, so a restart starts
// with every session free.
class InProcessSessionLocker final : public SessionLocker {
  public:
    StoreResult<Guard> tryAcquire(const std::string& sessionId) override;

  private:
    class HeldLock;
    void release(const std::string& sessionId);

    std::mutex m_mutex;
    std::unordered_set<std::string> m_held;
};

} // namespace hoist
