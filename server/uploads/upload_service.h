#pragma once

#include "api_error.h"
#include "block_stock.h"
#include "finalization.h"
#include "byte_sink.h"
#include "logger.h"
#include "metrics.h"
#include "session_locks.h"
#include "session_store.h"
#include "storage_backend.h"

#include <tl/expected.hpp>

#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace hoist {

template <typename T> using ApiResult = tl::expected<T, ApiError>;

struct UploadPolicy {
    std::int64_t maxSize = std::int64_t{1} << 40;
    std::int64_t sessionTtlSeconds = 86400;
    std::vector<std::string> allowTypes; // empty: every type
};

struct InitRequest {
    std::string fileName;
    std::int64_t size = 0;
    std::string mimeType;
    std::string fingerprint;
};

struct ChunkRequest {
    std::optional<std::string> offset;        // X-Upload-Offset
    std::optional<std::int64_t> contentLength;
    std::optional<std::string> chunkSha256;   // X-Chunk-SHA256
    std::function<bool(const ByteSink&)> readBody;
};

// The upload protocol's decisions (PROTOCOL.md), free of HTTP: validation, the
// per-session lock, the offset handshake, hashing, and the walk to finalization.
// Handlers translate requests into these calls and results into responses.
class UploadService final {
  public:
    UploadService(SessionStore& store, StorageBackend& backend, FinalizationRunner& finalization,
                  SessionLocks& locks, Metrics& metrics, Logger& logger, UploadPolicy policy);

    ApiResult<Session> init(const std::string& userId, const InitRequest& request);
    ApiResult<std::int64_t> putChunk(const std::string& userId, const std::string& sessionId,
                                     const ChunkRequest& request);
    ApiResult<Session> status(const std::string& userId, const std::string& sessionId);
    ApiResult<void> abort(const std::string& userId, const std::string& sessionId);
    // The session as it stands after the attempt: completed, or still finalizing.
    ApiResult<Session> complete(const std::string& userId, const std::string& sessionId,
                                const std::optional<std::string>& fingerprint);

    // Start-up and sweeps: sessions past their expiry lose their staged bytes, then
    // staging nobody owns is removed. Returns how many sessions expired.
    std::size_t sweep();

    static std::int64_t chunkSizeFor(std::int64_t size);

  private:
    ApiResult<Session> load(const std::string& userId, const std::string& sessionId);
    // The session's lock, then the session: what every request that changes one needs.
    ApiResult<std::pair<SessionLocks::Guard, Session>> lockAndLoad(const std::string& userId,
                                                                   const std::string& sessionId);
    ApiResult<void> verifyOnce(const Session& session);
    ApiResult<Session> fail(Session session, ApiError error);
    ApiError storeError(const std::string& what);
    ApiError storageError(const StorageError& error);

    SessionStore& m_store;
    StorageBackend& m_backend;
    FinalizationRunner& m_finalization;
    SessionLocks& m_locks;
    Metrics& m_metrics;
    Logger& m_logger;
    UploadPolicy m_policy;
    BlockStock m_blocks;
    // Staging created by init is owned by a session row a moment later; a sweep
    // (exclusive) never runs between the two (shared).
    std::shared_mutex m_stagingOwnership;
    std::mutex m_verifiedMutex;
    std::set<std::string> m_verified; // sessions checked against the backend since start
};

} // namespace hoist
