#pragma once

#include "store_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// A share link of a library file (docs/protocol.md, "Share links"). The token itself is
// never stored, only its SHA-256: a copy of the database opens no file.
struct ShareLinkRecord {
    std::string linkId;
    std::string tokenHash; // lowercase hex SHA-256 of the URL's token
    std::string userId;
    std::string fileId;
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0; // unix seconds; live while now < expiresAt
};

// The share links' records. A link is live until its expiry; lookups by user and file
// never see another user's links, and none answers an expired one, so an expired link
// is gone whether or not removeExpired() ran. Safe to call from any thread.
// Implementations keep their SQL portable (SQLite now, PostgreSQL next).
class ShareLinkStore {
  public:
    virtual ~ShareLinkStore() = default;
    // A link id or token hash that exists already is a Conflict.
    virtual StoreResult<void> add(const ShareLinkRecord& record) = 0;
    // The live link of a token hash, whoever owns it: the token is the capability.
    virtual StoreResult<std::optional<ShareLinkRecord>> findLive(const std::string& tokenHash,
                                                                 std::int64_t now) = 0;
    // The user's live links of one file, oldest first (ties: by link id).
    virtual StoreResult<std::vector<ShareLinkRecord>>
    listLive(const std::string& userId, const std::string& fileId, std::int64_t now) = 0;
    // Revokes a live link of the user's file; false when there is no such live link.
    virtual StoreResult<bool> removeLive(const std::string& userId, const std::string& fileId,
                                         const std::string& linkId, std::int64_t now) = 0;
    // Deletes the records of links expired at `now`; answers how many.
    virtual StoreResult<std::size_t> removeExpired(std::int64_t now) = 0;
};

} // namespace hoist
