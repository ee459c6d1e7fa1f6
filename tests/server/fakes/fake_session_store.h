#pragma once

#include "session_store.h"

#include <map>
#include <mutex>

namespace hoist::test {

// An in-memory SessionStore with the SQLite store's semantics: commitChunk moves the
// offset, update() never does, and a removed session takes its receipts along.
class FakeSessionStore final : public SessionStore {
  public:
    StoreResult<void> create(const Session& session) override;
    StoreResult<std::optional<Session>> find(const std::string& id) override;
    StoreResult<void> commitChunk(const Session& session, const ChunkReceipt& receipt) override;
    StoreResult<void> update(const Session& session) override;
    StoreResult<void> remove(const std::string& id) override;
    StoreResult<std::vector<ChunkReceipt>> receipts(const std::string& id) override;
    StoreResult<std::vector<Session>> expiredBy(std::int64_t now) override;
    StoreResult<std::vector<Session>> inState(SessionState state) override;
    StoreResult<std::map<SessionState, std::int64_t>> countByState() override;

  private:
    template <typename Keep> std::vector<Session> select(Keep keep) const;

    mutable std::mutex m_mutex;
    std::map<std::string, Session> m_sessions;
    std::map<std::string, std::map<std::int64_t, std::string>> m_receipts;
};

} // namespace hoist::test
