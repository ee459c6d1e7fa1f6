#pragma once

#include "store_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// A finalized file of the built-in library.
struct FileRecord {
    std::string fileId;
    std::string userId;
    std::string fileName;
    std::int64_t size = 0;
    std::string fingerprint;
    std::string mimeType;
    std::string detectedMimeType;
    std::int64_t createdAt = 0;
    std::string storageKey;
    std::string sessionId;
};

template <typename T> using CatalogResult = StoreResult<T>;

// The library's records. Lookups are per user: another user's file does not exist.
class FileCatalog {
  public:
    virtual ~FileCatalog() = default;
    virtual CatalogResult<void> add(const FileRecord& record) = 0;
    virtual CatalogResult<std::optional<FileRecord>> find(const std::string& userId,
                                                          const std::string& fileId) = 0;
    virtual CatalogResult<std::vector<FileRecord>> list(const std::string& userId) = 0;
    virtual CatalogResult<std::optional<FileRecord>>
    findByFingerprint(const std::string& userId, const std::string& fingerprint,
                      std::int64_t size) = 0;
    virtual CatalogResult<std::optional<FileRecord>>
    findBySession(const std::string& userId, const std::string& sessionId) = 0;
    virtual CatalogResult<void> remove(const std::string& userId, const std::string& fileId) = 0;
    // The bytes of a user's files, for the quota at init (docs/protocol.md, "Limits");
    // from an index, not a scan.
    virtual CatalogResult<std::int64_t> bytesStoredBy(const std::string& userId) = 0;
};

} // namespace hoist
