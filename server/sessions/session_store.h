#pragma once

#include "session.h"
#include "store_error.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// Where a page of expired sessions ends; the next page starts after it. Pages follow
// (expiresAt, id), so a session the sweep could not remove is not read again.
struct ExpiryCursor {
    std::int64_t expiresAt = 0;
    std::string id;
};

// What one user holds, for the limits checked at init (docs/protocol.md, "Limits"):
// sessions not yet completed (uploading or finalizing) and the bytes they declared —
// for a session whose length is deferred, the bytes it has received so far.
struct OpenSessionUsage {
    std::int64_t sessions = 0;
    std::int64_t declaredBytes = 0;
};

// One chunk of a windowed session stored (docs/protocol.md, "Parallel chunks"), for
// SessionStore::storeWindowChunk.
struct WindowChunk {
    std::string sessionId;
    ChunkReceipt receipt;
    std::int64_t expiresAt = 0;
    std::string head; // chunk 0 only: the file's first bytes; empty otherwise
    // The hash frontier moves past this chunk when it was hashed as it streamed: the
    // state over [0, hashedTo), taken only if the stored frontier is still hashedFrom.
    std::optional<std::int64_t> hashedFrom;
    std::int64_t hashedTo = 0;
    std::string hashState;
};

// A windowed session's progress after a chunk: the contiguous prefix, the chunks
// stored beyond it (ascending), and how far the whole-file hash has got.
struct WindowProgress {
    std::int64_t uploadedBytes = 0;
    std::vector<std::int64_t> storedChunks;
    std::int64_t hashedBytes = 0;
};

// Where the prefix of a windowed session gets to: from `uploadedBytes` over every
// stored chunk (`stored`: ascending indexes, those below the prefix ignored) with no
// gap; the rest stay in storedChunks. Every store computes it the same way.
inline WindowProgress advanceWindow(const Session& session,
                                    const std::vector<std::int64_t>& stored) {
    WindowProgress out{session.uploadedBytes, {}, session.hashedBytes};
    for (const std::int64_t index : stored) {
        if (index * session.chunkSize < out.uploadedBytes)
            continue;
        if (index * session.chunkSize == out.uploadedBytes && out.storedChunks.empty())
            out.uploadedBytes = std::min(session.size, (index + 1) * session.chunkSize);
        else
            out.storedChunks.push_back(index);
    }
    return out;
}

// Persists sessions (SQLite by default; the same interface can sit on PostgreSQL so
// several hoistd share sessions). Thread-safe. Callers validate input and hold the
// session's lock (SessionLocker) for writes; the store only keeps what it is given,
// durably, before returning. Every call answers from an index, never a table scan.
class SessionStore {
  public:
    virtual ~SessionStore() = default;

    virtual StoreResult<void> create(const Session& session) = 0;
    virtual StoreResult<std::optional<Session>> find(const std::string& id) = 0;
    // One chunk accepted: the new offset, hash state, head bytes, tail key and expiry of
    // `session`, plus the backend's receipt, in one transaction — but only if the
    // stored offset is still `expectedOffset` (a compare-and-swap: with several
    // nodes, a lock may have been lost without notice). Otherwise Kind::Conflict and
    // nothing changes; Kind::NotFound when the session is gone.
    virtual StoreResult<void> commitChunk(const Session& session, std::int64_t expectedOffset,
                                          const ChunkReceipt& receipt) = 0;
    // Part of a chunk kept (ChunkWriter::keep): the same compare-and-swap and fields
    // as commitChunk, with no receipt. Both record session.tailKey (empty after a whole
    // chunk), so any node that continues the upload finds the tail.
    virtual StoreResult<void> commitTail(const Session& session, std::int64_t expectedOffset) = 0;
    // Windowed sessions: records the chunk's receipt (even an empty ETag: the receipt
    // is what says "stored") and moves uploadedBytes to the end of the contiguous run of
    // stored chunks, in one transaction, so two nodes storing neighbouring chunks at
    // once cannot lose either move. Kind::Conflict, and nothing changes, when the chunk
    // is stored already (exactly one of two racing writers wins); Kind::NotFound when
    // the session is gone.
    virtual StoreResult<WindowProgress> storeWindowChunk(const WindowChunk& chunk) = 0;
    // Windowed sessions: the hash state over [0, to), only if the stored frontier is
    // still `from` (a compare-and-swap); Kind::Conflict otherwise.
    virtual StoreResult<void> advanceHash(const std::string& id, std::int64_t from, std::int64_t to,
                                          const std::string& hashState) = 0;
    // tus creation-defer-length: the length of a session created without one, in one
    // compare-and-swap — only while the length is still deferred and no more than
    // `size` bytes are committed. Otherwise
    // Kind::Conflict and nothing changes (another request declared it first, or bytes
    // past it were committed); Kind::NotFound when the session is gone.
    virtual StoreResult<void> declareSize(const std::string& id, std::int64_t size) = 0;
    // State, result and finalization fields of `session` (not its offset).
    virtual StoreResult<void> update(const Session& session) = 0;
    virtual StoreResult<void> remove(const std::string& id) = 0;
    virtual StoreResult<std::vector<ChunkReceipt>> receipts(const std::string& id) = 0;

    // At most `limit` sessions with expiresAt <= now, in (expiresAt, id) order,
    // starting after `after` when given.
    virtual StoreResult<std::vector<Session>>
    expiredBy(std::int64_t now, std::size_t limit, const std::optional<ExpiryCursor>& after) = 0;
    virtual StoreResult<std::vector<Session>> inState(SessionState state) = 0;
    virtual StoreResult<std::map<SessionState, std::int64_t>> countByState() = 0;
    virtual StoreResult<OpenSessionUsage> openUsageOf(const std::string& userId) = 0;
    // Whether a session owns this staging (reconcile asks per staged item instead of
    // loading every live session).
    virtual StoreResult<bool> ownsStaging(const StagingRef& staging) = 0;
};

} // namespace hoist
