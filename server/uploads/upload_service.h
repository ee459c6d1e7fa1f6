#pragma once

#include "api_error.h"
#include "block_stock.h"
#include "byte_sink.h"
#include "chunk_window.h"
#include "digest.h"
#include "file_catalog.h"
#include "finalization.h"
#include "logger.h"
#include "metrics.h"
#include "pipeline_workers.h"
#include "session_locker.h"
#include "session_store.h"
#include "sha256_state.h"
#include "storage_backend.h"

#include <tl/expected.hpp>

#include <functional>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace hoist {

struct UploadPolicy {
    std::int64_t maxSize = std::int64_t{1} << 40;
    std::int64_t sessionTtlSeconds = 86400;
    std::vector<std::string> allowTypes; // empty: every type
    // Per user, checked at init, never mid-upload (docs/protocol.md, "Limits") — but
    // for the quota of a tus upload whose length is deferred, checked at each append
    // and when its length is declared.
    std::int64_t maxOpenSessions = 1000;    // sessions not yet completed
    std::optional<std::int64_t> quotaBytes; // declared by open sessions + stored files
    // Parallel chunks (docs/protocol.md): the largest window granted, and the memory of
    // this node for chunks stored ahead of the hash frontier (docs/admin.md).
    std::int64_t maxParallelChunks = 8;
    std::int64_t hashBufferBytes = std::int64_t{256} << 20;
    // The request threads (--threads) that may receive a chunk at once; each holds a
    // block of the BlockStock meanwhile.
    std::size_t requestThreads = 256;
};

struct InitRequest {
    std::string fileName;
    std::int64_t size = 0;
    std::string mimeType;
    std::string fingerprint;
    // tus concatenation (Session::partial, Session::concatenatedFrom).
    bool partial = false;
    std::string concatenatedFrom = {};
    // tus creation-defer-length: `size` is unknown (Session::lengthDeferred).
    bool lengthDeferred = false;
};

// Bytes for a session at `offset`, as the protocol face parsed them: no header names
// and no header text in here.
struct AppendRequest {
    std::int64_t offset = 0;
    std::int64_t length = 0;      // bytes readBody will deliver
    std::optional<Digest> digest; // of these bytes
    std::function<bool(const ByteSink&)> readBody;
    // Commit what arrived even when the append ends inside a chunk, or its body is cut
    // short and no digest came with it (tus: "store as much as possible"). The native
    // face sends whole chunks and commits nothing of a chunk cut short.
    bool keepPartial = false;
};

// The upload protocol's decisions (docs/protocol.md), free of any protocol's syntax:
// validation, the per-session lock, the offset handshake, hashing, limits, and the
// walk to finalization. Protocol faces (the native handlers; later tus) parse
// requests into these calls and render the results.
//
// Receiving bytes is separate from "what is a chunk": an append of any length at the
// committed offset is cut into the session's chunks (S3 parts), and each chunk is
// committed (backend commit, then the store's compare-and-swap on the offset) as it
// fills. A trailing incomplete chunk is discarded unless it completes the file (then it
// is the last, short chunk) or the append asks to keep partial bytes: then it becomes
// the chunk's durable tail (ChunkWriter::keep, SessionStore::commitTail), and the next
// append continues the same chunk. So every staged part but the last is a whole chunk
// (S3: at least 5 MiB, at most 10,000 parts) however the bytes were cut into requests.
// The native face sends exactly one chunk per request, so for it nothing is discarded.
class UploadService final {
  public:
    UploadService(SessionStore& store, StorageBackend& backend, FileCatalog& catalog,
                  FinalizationRunner& finalization, SessionLocker& locker, Metrics& metrics,
                  Logger& logger, UploadPolicy policy);

    // A session locked and loaded for appending; checks of a face's own rules (such
    // as "exactly one chunk") run between openAppend() and write().
    class Append final {
      public:
        const Session& session() const { return m_session; }
        // The offset handshake: `offset` must be the committed one, and `length` must
        // not go past the declared size.
        ApiResult<void> admits(std::int64_t offset, std::int64_t length) const;
        // tus creation-defer-length: the upload's length, once. The same length again is
        // accepted; another one, one below the bytes received, or one above the bound
        // (deferredBound) or the quota is refused. Declared before the bytes of the same
        // request.
        ApiResult<void> declareSize(std::int64_t size);
        // Receives the bytes; the committed offset after them.
        ApiResult<std::int64_t> write(const AppendRequest& request);
        // One whole chunk (the native face): for a windowed session in any order within
        // the window (ChunkWindow), else as write(). The progress after it.
        ApiResult<WindowProgress> writeChunk(const AppendRequest& request);

      private:
        friend class UploadService;
        Append(UploadService& service, SessionLocker::Guard guard, Session session)
            : m_service(&service), m_guard(std::move(guard)), m_session(std::move(session)) {}
        UploadService* m_service;
        SessionLocker::Guard m_guard;
        Session m_session;
    };

    // `parallelChunks`: the window the client asked for, 1-64 (docs/protocol.md,
    // "Parallel chunks"); none for the sequential contract (and for tus).
    ApiResult<Session> init(const std::string& userId, const InitRequest& request,
                            std::optional<std::int64_t> parallelChunks = std::nullopt);
    // Locks the session and checks that it takes bytes (state uploading).
    // A windowed session is not locked here: its chunks lock one by one (ChunkWindow).
    ApiResult<Append> openAppend(const std::string& userId, const std::string& sessionId);
    ApiResult<Session> status(const std::string& userId, const std::string& sessionId);
    ApiResult<void> abort(const std::string& userId, const std::string& sessionId);
    // The session as it stands after the attempt: completed, or still finalizing. A
    // partial upload is only assembled (completed, no file): a final upload consumes it.
    ApiResult<Session> complete(const std::string& userId, const std::string& sessionId,
                                const std::optional<std::string>& fingerprint);

    // Start-up and sweeps: sessions past their expiry lose their staged bytes (read in
    // pages of kSweepPage by index), then staging nobody owns is removed. Returns how
    // many sessions expired.
    std::size_t sweep();

    static std::int64_t chunkSizeFor(std::int64_t size);
    // The largest length an upload whose length is deferred may declare (its
    // Session::size until then): --max-size, at most 10,000 chunks of 8 MiB.
    std::int64_t deferredBound() const;
    static constexpr std::size_t kMaxNameBytes = 255; // fileName and mimeType
    static constexpr std::size_t kSweepPage = 256;
    static constexpr std::int64_t kMaxParallelChunks = 64; // asked for at init

  private:
    friend class ChunkWindow;
    // Bytes are taken only in state uploading.
    static ApiResult<void> acceptsBytes(const Session& session);
    // Windowed sessions: the chunks stored beyond the prefix, from the receipts.
    ApiResult<void> fillStoredChunks(Session& session);
    // The whole-file SHA-256 of a windowed session whose hash could not reach the end
    // before assembling (S3 cannot read parts back): read from the assembled object.
    ApiResult<std::string> hashRest(const Session& session, const StoredObject& object);
    ApiResult<Session> load(const std::string& userId, const std::string& sessionId);
    // The session's lock, then the session: what every request that changes one needs.
    ApiResult<std::pair<SessionLocker::Guard, Session>> lockAndLoad(const std::string& userId,
                                                                    const std::string& sessionId);
    ApiResult<void> checkLimits(const std::string& userId, const InitRequest& request);
    // Whether `more` bytes fit the quota beside the user's stored files and `openBytes`
    // of open sessions (OpenSessionUsage::declaredBytes); checkGrowth reads the latter.
    ApiResult<void> checkQuota(const std::string& userId, std::int64_t openBytes,
                               std::int64_t more);
    ApiResult<void> checkGrowth(const std::string& userId, std::int64_t more);
    ApiResult<void> verifyOnce(const Session& session);
    // Makes the bytes of `writer` durable — a filled chunk (commit) or, for a chunk not
    // yet full, its tail (keep) — and moves the session's offset to `offset`.
    ApiResult<void> commitWritten(Session& session, ChunkWriter& writer,
                                  const Sha256State& fileHash, std::int64_t offset,
                                  const std::string& head, bool wholeChunk);
    ApiResult<Session> fail(Session session, ApiError error);
    ApiError storeError(const StoreError& error);
    ApiError storageError(const StorageError& error);

    SessionStore& m_store;
    StorageBackend& m_backend;
    FileCatalog& m_catalog;
    FinalizationRunner& m_finalization;
    SessionLocker& m_locker;
    Metrics& m_metrics;
    Logger& m_logger;
    UploadPolicy m_policy;
    // One block per request thread, and kCirculatingBlocks for the workers to write and
    // hash while the request threads fill theirs: the server's block memory in MiB.
    static constexpr std::size_t kCirculatingBlocks = 32;
    BlockStock m_blocks;
    PipelineWorkers m_workers{PipelineWorkers::defaultThreads()};
    // Staging created by init is owned by a session row a moment later; reconcile's
    // per-item ownership check (exclusive) never runs between the two (shared).
    std::shared_mutex m_stagingOwnership;
    // The limits are counted and the session created under it, so two inits of one
    // user cannot both take the last place (within this node).
    std::mutex m_limitsMutex;
    std::mutex m_verifiedMutex;
    std::set<std::string> m_verified; // sessions checked against the backend since start
    ChunkWindow m_window;
};

} // namespace hoist
