#include "postgres_file_catalog.h"

#include "file_record_row.h"
#include "schema_migrator.h"

namespace hoist {

namespace {
using P = PostgresParam;
}

CatalogResult<std::unique_ptr<PostgresFileCatalog>>
PostgresFileCatalog::open(PostgresDatabase& db) {
    if (auto migrated = SchemaMigrator::migrate(db); !migrated)
        return tl::unexpected(StoreError{StoreError::Kind::Fatal, migrated.error().message});
    return std::unique_ptr<PostgresFileCatalog>(new PostgresFileCatalog(db));
}

CatalogResult<void> PostgresFileCatalog::add(const FileRecord& r) {
    auto added =
        m_db.exec("INSERT INTO files (file_id, user_id, file_name, size, fingerprint, mime_type, "
                  "detected_mime_type, created_at, storage_key, session_id) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  {P::text(r.fileId), P::text(r.userId), P::text(r.fileName), P::integer(r.size),
                   P::text(r.fingerprint), P::text(r.mimeType), P::text(r.detectedMimeType),
                   P::integer(r.createdAt), P::text(r.storageKey), P::text(r.sessionId)});
    if (!added)
        return tl::unexpected(added.error());
    return {};
}

CatalogResult<std::optional<FileRecord>> PostgresFileCatalog::find(const std::string& userId,
                                                                   const std::string& fileId) {
    return firstRecord(select("user_id = $1 AND file_id = $2", {P::text(userId), P::text(fileId)}));
}

CatalogResult<std::vector<FileRecord>> PostgresFileCatalog::list(const std::string& userId) {
    return select("user_id = $1 ORDER BY created_at, file_id", {P::text(userId)});
}

CatalogResult<std::optional<FileRecord>>
PostgresFileCatalog::findByFingerprint(const std::string& userId, const std::string& fingerprint,
                                       std::int64_t size) {
    return firstRecord(select("user_id = $1 AND fingerprint = $2 AND size = $3 "
                              "ORDER BY created_at LIMIT 1",
                              {P::text(userId), P::text(fingerprint), P::integer(size)}));
}

CatalogResult<std::optional<FileRecord>>
PostgresFileCatalog::findBySession(const std::string& userId, const std::string& sessionId) {
    return firstRecord(
        select("user_id = $1 AND session_id = $2", {P::text(userId), P::text(sessionId)}));
}

CatalogResult<void> PostgresFileCatalog::remove(const std::string& userId,
                                                const std::string& fileId) {
    auto removed = m_db.exec("DELETE FROM files WHERE user_id = $1 AND file_id = $2",
                             {P::text(userId), P::text(fileId)});
    if (!removed)
        return tl::unexpected(removed.error());
    return {};
}

CatalogResult<std::int64_t> PostgresFileCatalog::bytesStoredBy(const std::string& userId) {
    auto sum =
        m_db.exec("SELECT COALESCE(sum(size), 0) FROM files WHERE user_id = $1", {P::text(userId)});
    if (!sum)
        return tl::unexpected(sum.error());
    return sum->integer(0, 0);
}

CatalogResult<std::vector<FileRecord>> PostgresFileCatalog::select(const char* where,
                                                                   const PostgresParams& params) {
    const std::string sql = std::string("SELECT ") + kFileColumns + " FROM files WHERE " + where;
    auto rows = m_db.exec(sql.c_str(), params);
    if (!rows)
        return tl::unexpected(rows.error());
    std::vector<FileRecord> out;
    for (int i = 0; i < rows->rows(); ++i)
        out.push_back(fileRecordFromRow(rows->row(i)));
    return out;
}

} // namespace hoist
