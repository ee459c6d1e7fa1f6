#pragma once

#include "share_link_store.h"

#include <mutex>
#include <vector>

namespace hoist::test {

// An in-memory ShareLinkStore that keeps the seam's promises the way SqliteShareLinkStore
// does: unique link ids and token hashes, per-user lookups, nothing expired answered.
class FakeShareLinkStore final : public ShareLinkStore {
  public:
    StoreResult<void> add(const ShareLinkRecord& record) override;
    StoreResult<std::optional<ShareLinkRecord>> findLive(const std::string& tokenHash,
                                                         std::int64_t now) override;
    StoreResult<std::vector<ShareLinkRecord>>
    listLive(const std::string& userId, const std::string& fileId, std::int64_t now) override;
    StoreResult<bool> removeLive(const std::string& userId, const std::string& fileId,
                                 const std::string& linkId, std::int64_t now) override;
    StoreResult<std::size_t> removeExpired(std::int64_t now) override;

  private:
    std::mutex m_mutex;
    std::vector<ShareLinkRecord> m_links; // kept in (createdAt, linkId) order
};

} // namespace hoist::test
