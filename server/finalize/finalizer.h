#pragma once

#include "session.h"

#include <string>

namespace hoist {

struct FinalizeOutcome {
    enum class Status {
        Completed, // the upload is a file now: fileId names it
        Retry,     // not this time (callback failed, store busy); try again later
    };
    Status status = Status::Retry;
    std::string fileId;
    std::string message; // why a retry is needed, for the log
};

// Turns a verified, assembled upload into a file: the built-in library, or a signed
// callback to an application server. Called by FinalizationRunner with the session's
// lock held and the session persisted in state `finalizing`, its object under
// session.staging.key. Must be idempotent: after a crash the same session may be
// finalized again.
class Finalizer {
  public:
    virtual ~Finalizer() = default;
    virtual FinalizeOutcome finalize(const Session& session) = 0;
};

} // namespace hoist
