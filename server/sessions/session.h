#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// The states of docs/protocol.md's session status; the strings are on the wire.
enum class SessionState { Uploading, Finalizing, Completed, Failed };

const char* toString(SessionState state);
std::optional<SessionState> sessionStateFromString(const std::string& text);

// Where a session's bytes are staged. Chosen by the backend at begin() and kept in
// the session row, so a restarted server finds the same staging again.
struct StagingRef {
    std::string key;      // object key (S3) or file name under the staging folder (disk)
    std::string uploadId; // S3 multipart upload id; empty on disk
};

// What a backend remembers of one committed chunk, recorded by the session store in
// the same transaction as the new offset (S3: the part's ETag; disk: nothing).
struct ChunkReceipt {
    std::int64_t index = 0;
    std::string etag;
};

// One upload session as the session store persists it. Times are Unix seconds.
struct Session {
    std::string id;
    std::string userId;
    std::string fileName;
    std::string mimeType;           // the client's claim, may be empty
    std::string claimedFingerprint; // from init, may be empty
    std::int64_t size = 0;
    std::int64_t chunkSize = 0;
    std::int64_t uploadedBytes = 0;
    SessionState state = SessionState::Uploading;
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0;
    StagingRef staging;
    // Where the backend keeps the bytes of the unfinished chunk [uploadedBytes rounded
    // down to a chunk, uploadedBytes) that a face committed without completing the
    // chunk (ChunkWriter::keep; tus commits whatever arrived). Empty when there are none
    // or when the backend keeps them in place (disk); S3 keeps them in an object.
    std::string tailKey;
    // tus concatenation (docs/protocol.md, "tus 1.0.0 in hoistd"): a partial upload is
    // never finalized on its own; once full, its bytes are assembled into one object
    // (state completed, no file) that waits for the final upload that consumes it.
    bool partial = false;
    // A final upload: the ids of the partial uploads it concatenates, in order,
    // separated by spaces (tus answers them back in Upload-Concat).
    std::string concatenatedFrom;
    // tus creation-defer-length: the client has not said how long the file is yet.
    // Meanwhile `size` is the bound (UploadService::deferredBound), so every "past the
    // size" check bounds its appends; the length declared later replaces it
    // (SessionStore::declareSize). `chunkSize` fits the bound, so any length below it.
    bool lengthDeferred = false;
    // Serialized streaming SHA-256 over bytes [0, uploadedBytes): a restart resumes
    // hashing without reading staged bytes back.
    std::string hashState;
    // The first bytes of the file (up to kHeadBytes), kept for type detection.
    std::string head;
    // Filled once the bytes are verified.
    std::string fingerprint;
    std::string detectedMimeType;
    std::string fileId;
    std::string failureReason;
    // Finalization delivery (callback mode): attempts made and when to try next.
    int finalizeAttempts = 0;
    std::int64_t nextFinalizeAt = 0;
    // The window granted at init (docs/protocol.md, "Parallel chunks"): 0 when the
    // client did not ask, so nothing of the extension appears on the wire.
    std::int64_t parallelChunks = 0;
    // Windowed sessions (parallelChunks > 1) hash in order behind the prefix: hashState
    // covers [0, hashedBytes), which may lag uploadedBytes. Sequential sessions keep
    // hashState over [0, uploadedBytes) and leave this at 0.
    std::int64_t hashedBytes = 0;
    // Windowed sessions: the chunks stored beyond the prefix, ascending. Read from the
    // chunk receipts, never a column of its own.
    std::vector<std::int64_t> storedChunks;

    static constexpr std::size_t kHeadBytes = 512;

    std::int64_t chunkCount() const { return size == 0 ? 0 : (size + chunkSize - 1) / chunkSize; }
    bool windowed() const { return parallelChunks > 1; }
    std::int64_t chunkLength(std::int64_t index) const {
        return std::min(chunkSize, size - index * chunkSize);
    }
};

} // namespace hoist
