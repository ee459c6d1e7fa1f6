#pragma once

#include "file_catalog.h"
#include "postgres_database.h"

#include <memory>

namespace hoist {

// The library's records in PostgreSQL: what one node filed, every node serves at once.
class PostgresFileCatalog final : public FileCatalog {
  public:
    // Brings the schema to this binary's version first.
    static CatalogResult<std::unique_ptr<PostgresFileCatalog>> open(PostgresDatabase& db);

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
    explicit PostgresFileCatalog(PostgresDatabase& db) : m_db(db) {}
    CatalogResult<std::vector<FileRecord>> select(const char* where, const PostgresParams& params);
    PostgresDatabase& m_db;
};

} // namespace hoist
