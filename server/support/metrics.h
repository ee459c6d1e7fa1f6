#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace hoist {

// Counters for /metrics (Prometheus text format), all in memory: a scrape never touches
// the database (docs/admin.md, "Security"). The sessions-by-state gauge is a snapshot
// the daemon refreshes in the background.
class Metrics final {
  public:
    void countRequest(const std::string& method, int status);
    void addBytesReceived(std::int64_t bytes) { m_bytesReceived += bytes; }
    void countChunk() { ++m_chunksCommitted; }
    // Staged bytes read back to hash them (docs/protocol.md, "Parallel chunks").
    void addHashReadback(std::int64_t bytes) { m_hashReadback += bytes; }
    void countFinalization(const std::string& outcome);
    void countError(const std::string& code);
    // Share links (docs/protocol.md, "Metrics"): created, revoked, served, page.
    void countShareLink(const std::string& event);

    void setSessionsByState(std::map<std::string, std::int64_t> sessionsByState);
    // Families another part of the daemon keeps (the database pool, the session leases):
    // each source writes its own, from memory, after ours. Added before serving.
    void addSource(std::function<void(std::ostream&)> source);

    std::string render() const;

  private:
    void renderOwn(std::ostream& out) const;

    std::atomic<std::int64_t> m_bytesReceived{0};
    std::atomic<std::int64_t> m_chunksCommitted{0};
    std::atomic<std::int64_t> m_hashReadback{0};
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::int64_t> m_requests;
    std::map<std::string, std::int64_t> m_finalizations;
    std::map<std::string, std::int64_t> m_errors;
    std::map<std::string, std::int64_t> m_sessionsByState;
    std::map<std::string, std::int64_t> m_shareLinks;
    std::vector<std::function<void(std::ostream&)>> m_sources;
};

} // namespace hoist
