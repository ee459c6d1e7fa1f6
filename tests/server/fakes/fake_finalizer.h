#pragma once

#include "finalizer.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace hoist::test {

// A Finalizer that answers what the test decides (Completed with fileId
// "file-<session id>" by default, or Retry) and remembers every session it was given
// and every file it made.
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
        const std::string fileId = "file-" + session.id;
        m_files[session.userId].insert(fileId);
        return {FinalizeOutcome::Status::Completed, fileId, {}};
    }

    std::vector<Session> finalized() const {
        std::lock_guard lock(m_mutex);
        return m_finalized;
    }

    // The ids of the files it made for userId.
    std::set<std::string> files(const std::string& userId) const {
        std::lock_guard lock(m_mutex);
        const auto it = m_files.find(userId);
        return it == m_files.end() ? std::set<std::string>() : it->second;
    }

  private:
    mutable std::mutex m_mutex;
    FinalizeOutcome::Status m_status = FinalizeOutcome::Status::Completed;
    std::vector<Session> m_finalized;
    std::map<std::string, std::set<std::string>> m_files;
};

} // namespace hoist::test
