#pragma once

#include "file_catalog.h"

namespace hoist {

// The columns of the files table in the order fileRecordFromRow reads them; the same
// for every engine.
inline constexpr const char* kFileColumns = "file_id, user_id, file_name, size, fingerprint, "
                                            "mime_type, detected_mime_type, created_at, "
                                            "storage_key, session_id";

// Row: any result row with text(i) and integer(i) (a SQLite Statement, a
// PostgresResult::Row).
template <typename Row> FileRecord fileRecordFromRow(const Row& row) {
    FileRecord r;
    r.fileId = row.text(0);
    r.userId = row.text(1);
    r.fileName = row.text(2);
    r.size = row.integer(3);
    r.fingerprint = row.text(4);
    r.mimeType = row.text(5);
    r.detectedMimeType = row.text(6);
    r.createdAt = row.integer(7);
    r.storageKey = row.text(8);
    r.sessionId = row.text(9);
    return r;
}

// The first record of a lookup that names at most one.
inline CatalogResult<std::optional<FileRecord>>
firstRecord(CatalogResult<std::vector<FileRecord>> rows) {
    if (!rows)
        return tl::unexpected(rows.error());
    if (rows->empty())
        return std::optional<FileRecord>{};
    return std::optional<FileRecord>{std::move(rows->front())};
}

} // namespace hoist
