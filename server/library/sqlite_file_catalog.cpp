#include "sqlite_file_catalog.h"

#include "file_record_row.h"
#include "schema_migrator.h"
#include "sqlite_store_error.h"

namespace hoist {

CatalogResult<std::unique_ptr<SqliteFileCatalog>> SqliteFileCatalog::open(SqliteDatabase& db) {
    // Stores opened on their own (tests, tools) find the schema as hoistd leaves it.
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
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
    return firstRecord(select("user_id = ?1 AND file_id = ?2", userId, fileId, 0));
}

CatalogResult<std::optional<FileRecord>>
SqliteFileCatalog::findBySession(const std::string& userId, const std::string& sessionId) {
    return firstRecord(select("user_id = ?1 AND session_id = ?2", userId, sessionId, 0));
}

CatalogResult<std::vector<FileRecord>> SqliteFileCatalog::list(const std::string& userId) {
    return select("user_id = ?1 ORDER BY created_at, file_id", userId, "", 0);
}

CatalogResult<std::optional<FileRecord>>
SqliteFileCatalog::findByFingerprint(const std::string& userId, const std::string& fingerprint,
                                     std::int64_t size) {
    return firstRecord(select("user_id = ?1 AND fingerprint = ?2 AND size = ?3 "
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
    const std::string sql = std::string("SELECT ") + kFileColumns + " FROM files WHERE " + where;
    Statement st(m_db, sql.c_str());
    st.bind(1, a).bind(2, b).bind(3, c);
    std::vector<FileRecord> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back(fileRecordFromRow(st));
    if (rc != SQLITE_DONE)
        return tl::unexpected(sqliteStoreError(m_db, "cannot read file records"));
    return out;
}

} // namespace hoist
