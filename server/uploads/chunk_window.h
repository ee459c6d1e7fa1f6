#pragma once

#include "api_error.h"
#include "hash_backlog.h"
#include "session.h"
#include "session_store.h"

#include <tl/expected.hpp>

#include <cstdint>
#include <string>

namespace hoist {

class UploadService;
struct AppendRequest;

// The offset handshake's "no" (docs/protocol.md): the truth, plus storedChunks for a
// session that asked for parallel chunks.
ApiError offsetMismatch(const Session& session);
// A chunk that would pass the declared size; the committed prefix comes with it.
ApiError exceedsSize(const Session& session);
// An error carrying the session's uploadedBytes (and X-Upload-Offset on the wire).
ApiError withOffset(ErrorCode code, std::string message, std::int64_t committed);

// Windowed sessions (docs/protocol.md, "Parallel chunks"): chunks within the window in
// any order, each under its own lock, stored by the store's one-transaction receipt +
// prefix move; and the whole-file hash, which still runs in order, behind the prefix.
// The chunk at the hash frontier is hashed as it streams; chunks ahead are kept in the
// HashBacklog while it has room, else their staged bytes are read back when the
// frontier reaches them (disk), or the assembled object at complete (S3).
class ChunkWindow final {
  public:
    ChunkWindow(UploadService& service, std::int64_t hashBufferBytes)
        : m_service(service), m_backlog(hashBufferBytes) {}

    // The window's rules for a chunk PUT at `offset` of `length` bytes.
    static ApiResult<void> admits(const Session& session, std::int64_t offset, std::int64_t length);
    // Takes the chunk's lock, re-checks under it, streams and stores the chunk.
    ApiResult<WindowProgress> write(const Session& session, const AppendRequest& request);
    // Moves the hash frontier over every stored chunk it can hash on this node and
    // records it; the session as it stands afterwards (storedChunks filled).
    ApiResult<Session> catchUp(const std::string& sessionId);
    // The node's kept chunks of a session that ended (complete, abort, failure, expiry).
    void forget(const std::string& sessionId) { m_backlog.drop(sessionId); }

  private:
    UploadService& m_service;
    HashBacklog m_backlog;
};

} // namespace hoist
