#pragma once

#include "session.h"

namespace hoist {

// The columns of the sessions table in the order sessionFromRow reads them; the same
// for every engine (docs/admin.md, "Running several nodes").
inline constexpr const char* kSessionColumns =
    "id, user_id, file_name, mime_type, claimed_fingerprint, size, chunk_size, uploaded_bytes, "
    "state, created_at, expires_at, staging_key, upload_id, hash_state, head, fingerprint, "
    "detected_mime_type, file_id, failure_reason, finalize_attempts, next_finalize_at, tail_key, "
    "parallel_chunks, hashed_bytes, is_partial, concatenated_from";

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
    return s;
}

} // namespace hoist
