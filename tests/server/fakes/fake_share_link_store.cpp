#include "fake_share_link_store.h"

#include <algorithm>
#include <tuple>

namespace hoist::test {

namespace {
bool createdBefore(const ShareLinkRecord& a, const ShareLinkRecord& b) {
    return std::tie(a.createdAt, a.linkId) < std::tie(b.createdAt, b.linkId);
}
} // namespace

StoreResult<void> FakeShareLinkStore::add(const ShareLinkRecord& record) {
    std::lock_guard lock(m_mutex);
    if (std::any_of(m_links.begin(), m_links.end(), [&](const ShareLinkRecord& r) {
            return r.linkId == record.linkId || r.tokenHash == record.tokenHash;
        }))
        return tl::unexpected(
            StoreError{StoreError::Kind::Conflict, "share link " + record.linkId + " exists"});
    m_links.insert(std::upper_bound(m_links.begin(), m_links.end(), record, createdBefore), record);
    return {};
}

StoreResult<std::optional<ShareLinkRecord>>
FakeShareLinkStore::findLive(const std::string& tokenHash, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    const auto it = std::find_if(m_links.begin(), m_links.end(), [&](const ShareLinkRecord& r) {
        return r.tokenHash == tokenHash && r.expiresAt > now;
    });
    if (it == m_links.end())
        return std::optional<ShareLinkRecord>{};
    return std::optional<ShareLinkRecord>{*it};
}

StoreResult<std::vector<ShareLinkRecord>> FakeShareLinkStore::listLive(const std::string& userId,
                                                                       const std::string& fileId,
                                                                       std::int64_t now) {
    std::lock_guard lock(m_mutex);
    std::vector<ShareLinkRecord> out;
    std::copy_if(m_links.begin(), m_links.end(), std::back_inserter(out),
                 [&](const ShareLinkRecord& r) {
                     return r.userId == userId && r.fileId == fileId && r.expiresAt > now;
                 });
    return out;
}

StoreResult<bool> FakeShareLinkStore::removeLive(const std::string& userId,
                                                 const std::string& fileId,
                                                 const std::string& linkId, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    return std::erase_if(m_links, [&](const ShareLinkRecord& r) {
               return r.linkId == linkId && r.userId == userId && r.fileId == fileId &&
                      r.expiresAt > now;
           }) > 0;
}

StoreResult<std::size_t> FakeShareLinkStore::removeExpired(std::int64_t now) {
    std::lock_guard lock(m_mutex);
    return std::erase_if(m_links, [&](const ShareLinkRecord& r) { return r.expiresAt <= now; });
}

} // namespace hoist::test
