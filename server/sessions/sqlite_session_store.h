#pragma once

#include "session_store.h"
#include "sqlite_database.h"

namespace hoist {

class SqliteSessionStore final : public SessionStore {
  public:
    // Creates the tables on first use.
    static StoreResult<std::unique_ptr<SqliteSessionStore>> open(SqliteDatabase& db);

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
    explicit SqliteSessionStore(SqliteDatabase& db) : m_db(db) {}
    StoreResult<std::vector<Session>> select(const char* where, std::int64_t argument,
                                             const std::string& textArgument,
                                             std::int64_t thirdArgument = 0);
    // The compare-and-swap of commitChunk and commitTail; a receipt only for the former.
    StoreResult<void> commitOffset(const Session& session, std::int64_t expectedOffset,
                                   const ChunkReceipt* receipt);
    SqliteDatabase& m_db;
};

} // namespace hoist
