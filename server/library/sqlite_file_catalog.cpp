#include "sqlite_file_catalog.h"

#include "sqlite_store_error.h"

namespace hoist {

namespace {
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS files (
  file_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  detected_mime_type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  session_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_user ON files(user_id, created_at);
CREATE INDEX IF NOT EXISTS files_by_fingerprint ON files(user_id, fingerprint, size);
CREATE INDEX IF NOT EXISTS files_size_by_user ON files(user_id, size);
)";

CatalogResult<std::optional<FileRecord>> first(CatalogResult<std::vector<FileRecord>> rows) {
    if (!rows)
        return tl::unexpected(rows.error());
    if (rows->empty())
        return std::optional<FileRecord>{};
    return std::optional<FileRecord>{std::move(rows->front())};
}

constexpr const char* kColumns = "file_id, user_id, file_name, size, fingerprint, mime_type, "
                                 "detected_mime_type, created_at, storage_key, session_id";
} // namespace

CatalogResult<std::unique_ptr<SqliteFileCatalog>> SqliteFileCatalog::open(SqliteDatabase& db) {
    auto lock = db.lock();
    if (auto ok = db.exec(kSchema); !ok)
        return tl::unexpected(
            StoreError{StoreError::Kind::Fatal, "cannot create the files table: " + ok.error()});
    return std::unique_ptr<SqliteFileCatalog>(new SqliteFileCatalog(db));
}

CatalogResult<void> SqliteFileCatalog::add(const FileRecord& r) {
    auto lock = m_db.lock();
    Statement st(m_db, "INSERT INTO files (file_id, user_id, file_name, size, fingerprint, "
                       "mime_type, detected_mime_type, created_at, storage_key, session_id) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, r.fileId).bind(2, r.userId).bind(3, r.fileName).bind(4, r.size);
    st.bind(5, r.fingerprint).bind(6, r.mimeType).bind(7, r.detectedMimeType);
    st.bind(8, r.createdAt).bind(9, r.storageKey).bind(10, r.sessionId);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot add file record"));
    return {};
}

CatalogResult<std::optional<FileRecord>> SqliteFileCatalog::find(const std::string& userId,
                                                                 const std::string& fileId) {
    return first(select("user_id = ?1 AND file_id = ?2", userId, fileId, 0));
}

CatalogResult<std::optional<FileRecord>>
SqliteFileCatalog::findBySession(const std::string& userId, const std::string& sessionId) {
    return first(select("user_id = ?1 AND session_id = ?2", userId, sessionId, 0));
}

CatalogResult<std::vector<FileRecord>> SqliteFileCatalog::list(const std::string& userId) {
    return select("user_id = ?1 ORDER BY created_at, file_id", userId, "", 0);
}

CatalogResult<std::optional<FileRecord>>
SqliteFileCatalog::findByFingerprint(const std::string& userId, const std::string& fingerprint,
                                     std::int64_t size) {
    return first(select("user_id = ?1 AND fingerprint = ?2 AND size = ?3 "
                        "ORDER BY created_at LIMIT 1",
                        userId, fingerprint, size));
}

CatalogResult<void> SqliteFileCatalog::remove(const std::string& userId,
                                              const std::string& fileId) {
    auto lock = m_db.lock();
    Statement st(m_db, "DELETE FROM files WHERE user_id = ?1 AND file_id = ?2");
    st.bind(1, userId).bind(2, fileId);
    if (st.step() != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot remove file record"));
    return {};
}

CatalogResult<std::int64_t> SqliteFileCatalog::bytesStoredBy(const std::string& userId) {
    auto lock = m_db.lock();
    // Covered by files_size_by_user: one index range, no table rows read.
    Statement st(m_db, "SELECT COALESCE(SUM(size), 0) FROM files WHERE user_id = ?1");
    st.bind(1, userId);
    if (st.step() != SQLITE_ROW)
        return tl::unexpected(sqliteStoreError(m_db, "cannot sum stored bytes"));
    return st.integer(0);
}

CatalogResult<std::vector<FileRecord>> SqliteFileCatalog::select(const char* where,
                                                                 const std::string& a,
                                                                 const std::string& b,
                                                                 std::int64_t c) {
    auto lock = m_db.lock();
    const std::string sql = std::string("SELECT ") + kColumns + " FROM files WHERE " + where;
    Statement st(m_db, sql.c_str());
    st.bind(1, a).bind(2, b).bind(3, c);
    std::vector<FileRecord> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        FileRecord r;
        r.fileId = st.text(0);
        r.userId = st.text(1);
        r.fileName = st.text(2);
        r.size = st.integer(3);
        r.fingerprint = st.text(4);
        r.mimeType = st.text(5);
        r.detectedMimeType = st.text(6);
        r.createdAt = st.integer(7);
        r.storageKey = st.text(8);
        r.sessionId = st.text(9);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot read file records"));
    return out;
}

} // namespace hoist
