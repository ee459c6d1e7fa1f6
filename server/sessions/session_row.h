#pragma once

#include "session.h"
#include "store_error.h"

#include <string>

namespace hoist {

// The columns of the sessions table in the order sessionFromRow reads them; the same
// for every engine (docs/admin.md, "Running several nodes").
inline constexpr const char* kSessionColumns =
    "id, user_id, file_name, mime_type, claimed_fingerprint, size, chunk_size, uploaded_bytes, "
    "state, created_at, expires_at, staging_key, upload_id, hash_state, head, fingerprint, "
    "detected_mime_type, file_id, failure_reason, finalize_attempts, next_finalize_at, tail_key, "
    "parallel_chunks, hashed_bytes, is_partial, concatenated_from, length_deferred";

// A user's open sessions and the bytes they count (SessionStore::openUsageOf), in SQL
// both engines run. Two ranges of sessions_by_user_state: sessions of a known length
// are counted from the index alone; only those whose length is deferred, which count
// their received bytes, read their rows.
inline constexpr const char* kOpenUsageSql =
    "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(bytes), 0) FROM ("
    "SELECT COUNT(*) AS n, SUM(size) AS bytes FROM sessions WHERE user_id = $1 "
    "AND state IN ('uploading', 'finalizing') AND length_deferred = 0 "
    "UNION ALL SELECT COUNT(*), SUM(uploaded_bytes) FROM sessions WHERE user_id = $1 "
    "AND state IN ('uploading', 'finalizing') AND length_deferred = 1) AS open";

// SessionStore::declareSize's refusal, from the row as it stands.
inline StoreError lengthConflict(const std::string& id, std::int64_t declared,
                                 std::int64_t storedSize, std::int64_t uploadedBytes) {
    return StoreError{StoreError::Kind::Conflict,
                      "session " + id + " cannot take the length " + std::to_string(declared) +
                          ": it has " + std::to_string(uploadedBytes) +
                          " bytes and its length is " + std::to_string(storedSize) +
                          " or declared already"};
}

// Row: any result row with text(i), blob(i) and integer(i) (a SQLite Statement, a
// PostgresResult::Row).
template <typename Row> Session sessionFromRow(const Row& row) {
    Session s;
    s.id = row.text(0);
    s.userId = row.text(1);
    s.fileName = row.text(2);
    s.mimeType = row.text(3);
    s.claimedFingerprint = row.text(4);
    s.size = row.integer(5);
    s.chunkSize = row.integer(6);
    s.uploadedBytes = row.integer(7);
    s.state = sessionStateFromString(row.text(8)).value_or(SessionState::Failed);
    s.createdAt = row.integer(9);
    s.expiresAt = row.integer(10);
    s.staging.key = row.text(11);
    s.staging.uploadId = row.text(12);
    s.hashState = row.blob(13);
    s.head = row.blob(14);
    s.fingerprint = row.text(15);
    s.detectedMimeType = row.text(16);
    s.fileId = row.text(17);
    s.failureReason = row.text(18);
    s.finalizeAttempts = static_cast<int>(row.integer(19));
    s.nextFinalizeAt = row.integer(20);
    s.tailKey = row.text(21);
    s.parallelChunks = row.integer(22);
    s.hashedBytes = row.integer(23);
    s.partial = row.integer(24) != 0;
    s.concatenatedFrom = row.text(25);
    s.lengthDeferred = row.integer(26) != 0;
    return s;
}

} // namespace hoist
