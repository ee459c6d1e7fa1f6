#pragma once

#include "postgres_database.h"
#include "session_store.h"

#include <memory>

namespace hoist {

// Sessions in PostgreSQL, shared by every hoistd node on the database. Each call is
// one statement (its own transaction) on a pooled connection, so a chunk costs one
// round trip; the offset commit is a compare-and-swap on uploaded_bytes that also
// records the chunk's receipt, so of two nodes committing the same chunk exactly one
// wins.
class PostgresSessionStore final : public SessionStore {
  public:
    // Brings the schema to this binary's version first.
    static StoreResult<std::unique_ptr<PostgresSessionStore>> open(PostgresDatabase& db);

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
    explicit PostgresSessionStore(PostgresDatabase& db) : m_db(db) {}
    StoreResult<std::vector<Session>> select(const std::string& where,
                                             const PostgresParams& params);
    PostgresDatabase& m_db;
};

} // namespace hoist
