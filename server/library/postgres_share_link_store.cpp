#include "postgres_share_link_store.h"

#include "schema_migrator.h"
#include "share_link_row.h"

namespace hoist {

namespace {
using P = PostgresParam;
}

StoreResult<std::unique_ptr<PostgresShareLinkStore>>
PostgresShareLinkStore::open(PostgresDatabase& db) {
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
    return std::unique_ptr<PostgresShareLinkStore>(new PostgresShareLinkStore(db));
}

StoreResult<void> PostgresShareLinkStore::add(const ShareLinkRecord& r) {
    auto added = m_db.exec("INSERT INTO share_links (link_id, token_hash, user_id, file_id, "
                           "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                           {P::text(r.linkId), P::text(r.tokenHash), P::text(r.userId),
                            P::text(r.fileId), P::integer(r.createdAt), P::integer(r.expiresAt)});
    if (!added)
        return tl::unexpected(added.error());
    return {};
}

StoreResult<std::optional<ShareLinkRecord>>
PostgresShareLinkStore::findLive(const std::string& tokenHash, std::int64_t now) {
    auto rows =
        select("token_hash = $1 AND expires_at > $2", {P::text(tokenHash), P::integer(now)});
    if (!rows)
        return tl::unexpected(rows.error());
    if (rows->empty())
        return std::optional<ShareLinkRecord>{};
    return std::optional<ShareLinkRecord>{std::move(rows->front())};
}

StoreResult<std::vector<ShareLinkRecord>>
PostgresShareLinkStore::listLive(const std::string& userId, const std::string& fileId,
                                 std::int64_t now) {
    return select("user_id = $1 AND file_id = $2 AND expires_at > $3 ORDER BY created_at, link_id",
                  {P::text(userId), P::text(fileId), P::integer(now)});
}

StoreResult<bool> PostgresShareLinkStore::removeLive(const std::string& userId,
                                                     const std::string& fileId,
                                                     const std::string& linkId, std::int64_t now) {
    auto removed = m_db.exec("DELETE FROM share_links WHERE link_id = $1 AND user_id = $2 AND "
                             "file_id = $3 AND expires_at > $4 RETURNING link_id",
                             {P::text(linkId), P::text(userId), P::text(fileId), P::integer(now)});
    if (!removed)
        return tl::unexpected(removed.error());
    return removed->rows() > 0;
}

StoreResult<std::size_t> PostgresShareLinkStore::removeExpired(std::int64_t now) {
    auto removed = m_db.exec("DELETE FROM share_links WHERE expires_at <= $1 RETURNING link_id",
                             {P::integer(now)});
    if (!removed)
        return tl::unexpected(removed.error());
    return static_cast<std::size_t>(removed->rows());
}

StoreResult<std::vector<ShareLinkRecord>>
PostgresShareLinkStore::select(const char* where, const PostgresParams& params) {
    const std::string sql =
        std::string("SELECT ") + kShareLinkColumns + " FROM share_links WHERE " + where;
    auto rows = m_db.exec(sql.c_str(), params);
    if (!rows)
        return tl::unexpected(rows.error());
    std::vector<ShareLinkRecord> out;
    for (int i = 0; i < rows->rows(); ++i)
        out.push_back(shareLinkFromRow(rows->row(i)));
    return out;
}

} // namespace hoist
