#pragma once

#include "file_catalog.h"
#include "sqlite_database.h"

#include <memory>

namespace hoist {

class SqliteFileCatalog final : public FileCatalog {
  public:
    static CatalogResult<std::unique_ptr<SqliteFileCatalog>> open(SqliteDatabase& db);

    CatalogResult<void> add(const FileRecord& record) override;
    CatalogResult<std::optional<FileRecord>> find(const std::string& userId,
                                                  const std::string& fileId) override;
    CatalogResult<std::vector<FileRecord>> list(const std::string& userId) override;
    CatalogResult<std::optional<FileRecord>> findByFingerprint(const std::string& userId,
                                                               const std::string& fingerprint,
                                                               std::int64_t size) override;
    CatalogResult<std::optional<FileRecord>> findBySession(const std::string& userId,
                                                           const std::string& sessionId) override;
    CatalogResult<void> remove(const std::string& userId, const std::string& fileId) override;
    CatalogResult<std::int64_t> bytesStoredBy(const std::string& userId) override;

  private:
    explicit SqliteFileCatalog(SqliteDatabase& db) : m_db(db) {}
    CatalogResult<std::vector<FileRecord>> select(const char* where, const std::string& a,
                                                  const std::string& b, std::int64_t c);
    SqliteDatabase& m_db;
};

} // namespace hoist
