#pragma once

#include "file_catalog.h"

#include <mutex>
#include <vector>

namespace hoist::test {

// An in-memory FileCatalog that keeps the seam's promises the way SqliteFileCatalog
// does: per-user lookups, a file id is unique, list in creation order.
class FakeFileCatalog final : public FileCatalog {
  public:
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
    // The first of the user's records (in creation order) that `matches`.
    template <typename Predicate>
    CatalogResult<std::optional<FileRecord>> first(const std::string& userId, Predicate matches);

    mutable std::mutex m_mutex;
    std::vector<FileRecord> m_records; // kept in (createdAt, fileId) order
};

} // namespace hoist::test
