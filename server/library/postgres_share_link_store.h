#pragma once

#include "postgres_database.h"
#include "share_link_store.h"

#include <memory>

namespace hoist {

// Share links in PostgreSQL, so a link made by one node opens on every node.
class PostgresShareLinkStore final : public ShareLinkStore {
  public:
    // Brings the schema to this binary's version first.
    static StoreResult<std::unique_ptr<PostgresShareLinkStore>> open(PostgresDatabase& db);

    StoreResult<void> add(const ShareLinkRecord& record) override;
    StoreResult<std::optional<ShareLinkRecord>> findLive(const std::string& tokenHash,
                                                         std::int64_t now) override;
    StoreResult<std::vector<ShareLinkRecord>>
    listLive(const std::string& userId, const std::string& fileId, std::int64_t now) override;
    StoreResult<bool> removeLive(const std::string& userId, const std::string& fileId,
                                 const std::string& linkId, std::int64_t now) override;
    StoreResult<std::size_t> removeExpired(std::int64_t now) override;

  private:
    explicit PostgresShareLinkStore(PostgresDatabase& db) : m_db(db) {}
    StoreResult<std::vector<ShareLinkRecord>> select(const char* where,
                                                     const PostgresParams& params);
    PostgresDatabase& m_db;
};

} // namespace hoist
