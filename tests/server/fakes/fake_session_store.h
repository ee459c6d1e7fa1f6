#pragma once

#include "session_store.h"

#include <functional>
#include <map>
#include <mutex>

namespace hoist::test {

// An in-memory SessionStore with the SQLite store's semantics: commitChunk moves the
// offset (a compare-and-swap), update() never does, and a removed session takes its
// receipts along.
class FakeSessionStore final : public SessionStore {
  public:
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

    // The next create(), commitChunk() or commitTail() fails with `error` (a busy database, ...).
    void failNext(StoreError error);
    // Runs after each storeWindowChunk() that stored its chunk, outside the store's lock:
    // what another request does at that moment (between a chunk stored and what its
    // request does next).
    std::function<void()> afterWindowChunk;

  private:
    std::optional<StoreError> takeFailure(); // caller holds m_mutex
    StoreResult<WindowProgress> storeWindowChunkLocked(const WindowChunk& chunk);
    StoreResult<void> commitOffset(const Session& session, std::int64_t expectedOffset,
                                   const ChunkReceipt* receipt);
    template <typename Keep> std::vector<Session> select(Keep keep) const;

    mutable std::mutex m_mutex;
    std::map<std::string, Session> m_sessions;
    std::map<std::string, std::map<std::int64_t, std::string>> m_receipts;
    std::optional<StoreError> m_failure;
};

} // namespace hoist::test
