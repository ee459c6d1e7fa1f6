#pragma once

#include "finalizer.h"

#include <mutex>
#include <vector>

namespace hoist::test {

// A Finalizer that answers what the test decides (Completed with fileId
// "file-<session id>" by default, or Retry) and remembers every session it was given.
class FakeFinalizer final : public Finalizer {
  public:
    void setOutcome(FinalizeOutcome::Status status) {
        std::lock_guard lock(m_mutex);
        m_status = status;
    }

    FinalizeOutcome finalize(const Session& session) override {
        std::lock_guard lock(m_mutex);
        m_finalized.push_back(session);
        if (m_status == FinalizeOutcome::Status::Retry)
            return {FinalizeOutcome::Status::Retry, {}, "the fake was told to retry"};
        return {FinalizeOutcome::Status::Completed, "file-" + session.id, {}};
    }

    std::vector<Session> finalized() const {
        std::lock_guard lock(m_mutex);
        return m_finalized;
    }

  private:
    mutable std::mutex m_mutex;
    FinalizeOutcome::Status m_status = FinalizeOutcome::Status::Completed;
    std::vector<Session> m_finalized;
};

} // namespace hoist::test
