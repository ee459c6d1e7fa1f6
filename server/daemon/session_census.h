#pragma once

#include "metrics.h"
#include "session_store.h"

#include <map>
#include <mutex>

namespace hoist {

// The sessions-by-state gauge of /metrics, kept in memory: counted once at start-up,
// then adjusted by every write that passes through this store, so that a scrape never
// queries the database (docs/admin.md, "Security": scrapers once starved uploads of
// the single SQLite connection). Forwards everything to the real store.
class SessionCensus final : public SessionStore {
  public:
    SessionCensus(SessionStore& store, Metrics& metrics);
    // The start-up count.
    StoreResult<void> count();

    StoreResult<void> create(const Session& session) override;
    StoreResult<std::optional<Session>> find(const std::string& id) override;
    StoreResult<void> commitChunk(const Session& session, std::int64_t expectedOffset,
                                  const ChunkReceipt& receipt) override;
    StoreResult<void> commitTail(const Session& session, std::int64_t expectedOffset) override;
    StoreResult<WindowProgress> storeWindowChunk(const WindowChunk& chunk) override;
    StoreResult<void> advanceHash(const std::string& id, std::int64_t from, std::int64_t to,
                                  const std::string& hashState) override;
    StoreResult<void> declareSize(const std::string& id, std::int64_t size) override;
    StoreResult<void> update(const Session& session) override;
    StoreResult<void> remove(const std::string& id) override;
    StoreResult<std::vector<ChunkReceipt>> receipts(const std::string& id) override;
    StoreResult<std::vector<Session>> expiredBy(std::int64_t now, std::size_t limit,
                                                const std::optional<ExpiryCursor>& after) override;
    StoreResult<std::vector<Session>> inState(SessionState state) override;
    StoreResult<std::map<SessionState, std::int64_t>> countByState() override;
    StoreResult<OpenSessionUsage> openUsageOf(const std::string& userId) override;
    StoreResult<bool> ownsStaging(const StagingRef& staging) override;

  private:
    // The state `id` has in the store now, if it is there.
    std::optional<SessionState> stateOf(const std::string& id);
    void move(std::optional<SessionState> from, std::optional<SessionState> to);

    SessionStore& m_store;
    Metrics& m_metrics;
    std::mutex m_mutex;
    std::map<SessionState, std::int64_t> m_counts;
};

} // namespace hoist
