#pragma once

#include "share_link_store.h"

namespace hoist {

// The columns of the share_links table in the order shareLinkFromRow reads them; the
// same for every engine.
inline constexpr const char* kShareLinkColumns =
    "link_id, token_hash, user_id, file_id, created_at, expires_at";

// Row: any result row with text(i) and integer(i) (a SQLite Statement, a
// PostgresResult::Row).
template <typename Row> ShareLinkRecord shareLinkFromRow(const Row& row) {
    ShareLinkRecord r;
    r.linkId = row.text(0);
    r.tokenHash = row.text(1);
    r.userId = row.text(2);
    r.fileId = row.text(3);
    r.createdAt = row.integer(4);
    r.expiresAt = row.integer(5);
    return r;
}

} // namespace hoist
