#pragma once

#include "share_link_store.h"
#include "sqlite_database.h"

#include <memory>

namespace hoist {

class SqliteShareLinkStore final : public ShareLinkStore {
  public:
    static StoreResult<std::unique_ptr<SqliteShareLinkStore>> open(SqliteDatabase& db);

    StoreResult<void> add(const ShareLinkRecord& record) override;
    StoreResult<std::optional<ShareLinkRecord>> findLive(const std::string& tokenHash,
                                                         std::int64_t now) override;
    StoreResult<std::vector<ShareLinkRecord>>
    listLive(const std::string& userId, const std::string& fileId, std::int64_t now) override;
    StoreResult<bool> removeLive(const std::string& userId, const std::string& fileId,
                                 const std::string& linkId, std::int64_t now) override;
    StoreResult<std::size_t> removeExpired(std::int64_t now) override;

  private:
    explicit SqliteShareLinkStore(SqliteDatabase& db) : m_db(db) {}
    SqliteDatabase& m_db;
};

} // namespace hoist
