#pragma once

#include "store_error.h"

#include <memory>
#include <string>

namespace hoist {

// Who may write a session now: at most one request at a time; a second one is
// refused at once (423, docs/protocol.md) instead of queueing behind a possibly
// stalled upload.
//
// Contract for every implementation:
// - tryAcquire either hands out the session's lock or fails at once with
//   Kind::Conflict (held by someone else) or Kind::Unavailable (the locker cannot
//   tell now); it never waits for a holder.
// - The lock is held until the returned Lock is destroyed.
// - A holder that vanished (its process died, its node lost the network) must not
//   keep the session locked for ever. How it is freed is the implementation's
//   choice: in-process, the lock dies with the process; a database locker may use
//   leases that expire, or let a new request end the earlier one. So a holder may
//   lose its lock without being told: correctness never rests on the lock alone —
//   the offset commit is a compare-and-swap in the SessionStore, and the loser of
//   that swap gets a conflict, never a corrupt session.
class SessionLocker {
  public:
    class Lock {
      public:
        virtual ~Lock() = default;
    };
    using Guard = std::unique_ptr<Lock>;

    virtual ~SessionLocker() = default;
    virtual StoreResult<Guard> tryAcquire(const std::string& sessionId) = 0;
};

} // namespace hoist
