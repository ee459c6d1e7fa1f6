#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace hoist {

// Whether the data directory takes writes (the database, staged chunks, keys live
// there): /healthz reports a full or read-only disk as "degraded" so a monitor sees it
// before uploads fail (docs/protocol.md, "/healthz"). The probe creates, writes and
// removes one small file; its result is kept for a second so that a flood of
// unauthenticated /healthz requests cannot turn into a flood of disk writes.
class StorageHealth final {
  public:
    explicit StorageHealth(std::string dataDir) : m_dataDir(std::move(dataDir)) {}

    // Empty when healthy; otherwise what is wrong, for the operator.
    std::string problem();

  private:
    std::string probe() const;

    std::string m_dataDir;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_checkedAt;
    bool m_checked = false;
    std::string m_problem;
};

} // namespace hoist
