#include "sqlite_share_link_store.h"

#include "schema_migrator.h"
#include "share_link_row.h"
#include "sqlite_store_error.h"

namespace hoist {

namespace {
const std::string kSelect = std::string("SELECT ") + kShareLinkColumns + " FROM share_links WHERE ";
} // namespace

StoreResult<std::unique_ptr<SqliteShareLinkStore>> SqliteShareLinkStore::open(SqliteDatabase& db) {
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
    return std::unique_ptr<SqliteShareLinkStore>(new SqliteShareLinkStore(db));
}

StoreResult<void> SqliteShareLinkStore::add(const ShareLinkRecord& r) {
    auto lock = m_db.lock();
    Statement st(m_db, "INSERT INTO share_links (link_id, token_hash, user_id, file_id, "
                       "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, r.linkId).bind(2, r.tokenHash).bind(3, r.userId).bind(4, r.fileId);
    st.bind(5, r.createdAt).bind(6, r.expiresAt);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot add share link"));
    return {};
}

StoreResult<std::optional<ShareLinkRecord>>
SqliteShareLinkStore::findLive(const std::string& tokenHash, std::int64_t now) {
    auto lock = m_db.lock();
    const std::string sql = kSelect + "token_hash = ?1 AND expires_at > ?2";
    Statement st(m_db, sql.c_str());
    st.bind(1, tokenHash).bind(2, now);
    const int rc = st.step();
    if (rc == SQLITE_ROW)
        return std::optional<ShareLinkRecord>{shareLinkFromRow(st)};
    if (rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot read share link"));
    return std::optional<ShareLinkRecord>{};
}

StoreResult<std::vector<ShareLinkRecord>> SqliteShareLinkStore::listLive(const std::string& userId,
                                                                         const std::string& fileId,
                                                                         std::int64_t now) {
    auto lock = m_db.lock();
    const std::string sql = kSelect + "user_id = ?1 AND file_id = ?2 AND expires_at > ?3 "
                                      "ORDER BY created_at, link_id";
    Statement st(m_db, sql.c_str());
    st.bind(1, userId).bind(2, fileId).bind(3, now);
    std::vector<ShareLinkRecord> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(shareLinkFromRow(st));
    if (rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot list share links"));
    return out;
}

StoreResult<bool> SqliteShareLinkStore::removeLive(const std::string& userId,
                                                   const std::string& fileId,
                                                   const std::string& linkId, std::int64_t now) {
    auto lock = m_db.lock();
    Statement st(m_db, "DELETE FROM share_links WHERE link_id = ?1 AND user_id = ?2 AND "
                       "file_id = ?3 AND expires_at > ?4");
    st.bind(1, linkId).bind(2, userId).bind(3, fileId).bind(4, now);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot revoke share link"));
    return sqlite3_changes(m_db.handle()) > 0;
}

StoreResult<std::size_t> SqliteShareLinkStore::removeExpired(std::int64_t now) {
    auto lock = m_db.lock();
    Statement st(m_db, "DELETE FROM share_links WHERE expires_at <= ?1");
    st.bind(1, now);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot sweep share links"));
    return static_cast<std::size_t>(sqlite3_changes(m_db.handle()));
}

} // namespace hoist
