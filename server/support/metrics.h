#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace hoist {

// Counters for /metrics (Prometheus text format). Gauges that live in the store
// (sessions by state) are passed in when rendering.
class Metrics final {
  public:
    void countRequest(const std::string& method, int status);
    void addBytesReceived(std::int64_t bytes) { m_bytesReceived += bytes; }
    void countChunk() { ++m_chunksCommitted; }
    void countFinalization(const std::string& outcome);
    void countError(const std::string& code);

    std::string render(const std::map<std::string, std::int64_t>& sessionsByState) const;

  private:
    std::atomic<std::int64_t> m_bytesReceived{0};
    std::atomic<std::int64_t> m_chunksCommitted{0};
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::int64_t> m_requests;
    std::map<std::string, std::int64_t> m_finalizations;
    std::map<std::string, std::int64_t> m_errors;
};

} // namespace hoist
