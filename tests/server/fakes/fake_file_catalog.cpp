#include "fake_file_catalog.h"

#include <algorithm>
#include <tuple>

namespace hoist::test {

namespace {
bool createdBefore(const FileRecord& a, const FileRecord& b) {
    return std::tie(a.createdAt, a.fileId) < std::tie(b.createdAt, b.fileId);
}
} // namespace

CatalogResult<void> FakeFileCatalog::add(const FileRecord& record) {
    std::lock_guard lock(m_mutex);
    if (std::any_of(m_records.begin(), m_records.end(),
                    [&](const FileRecord& r) { return r.fileId == record.fileId; }))
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "file " + record.fileId + " exists already"});
    m_records.insert(std::upper_bound(m_records.begin(), m_records.end(), record, createdBefore),
                     record);
    return {};
}

template <typename Predicate>
CatalogResult<std::optional<FileRecord>> FakeFileCatalog::first(const std::string& userId,
                                                                Predicate matches) {
    std::lock_guard lock(m_mutex);
    const auto it = std::find_if(m_records.begin(), m_records.end(), [&](const FileRecord& r) {
        return r.userId == userId && matches(r);
    });
    if (it == m_records.end())
        return std::optional<FileRecord>{};
    return std::optional<FileRecord>{*it};
}

CatalogResult<std::optional<FileRecord>> FakeFileCatalog::find(const std::string& userId,
                                                               const std::string& fileId) {
    return first(userId, [&](const FileRecord& r) { return r.fileId == fileId; });
}

CatalogResult<std::optional<FileRecord>>
FakeFileCatalog::findByFingerprint(const std::string& userId, const std::string& fingerprint,
                                   std::int64_t size) {
    return first(userId, [&](const FileRecord& r) {
        return r.fingerprint == fingerprint && r.size == size;
    });
}

CatalogResult<std::optional<FileRecord>>
FakeFileCatalog::findBySession(const std::string& userId, const std::string& sessionId) {
    return first(userId, [&](const FileRecord& r) { return r.sessionId == sessionId; });
}

CatalogResult<std::vector<FileRecord>> FakeFileCatalog::list(const std::string& userId) {
    std::lock_guard lock(m_mutex);
    std::vector<FileRecord> out;
    std::copy_if(m_records.begin(), m_records.end(), std::back_inserter(out),
                 [&](const FileRecord& r) { return r.userId == userId; });
    return out;
}

CatalogResult<void> FakeFileCatalog::remove(const std::string& userId, const std::string& fileId) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_records,
                  [&](const FileRecord& r) { return r.userId == userId && r.fileId == fileId; });
    return {};
}

CatalogResult<std::int64_t> FakeFileCatalog::bytesStoredBy(const std::string& userId) {
    std::lock_guard lock(m_mutex);
    std::int64_t bytes = 0;
    for (const FileRecord& record : m_records)
        if (record.userId == userId)
            bytes += record.size;
    return bytes;
}

} // namespace hoist::test
