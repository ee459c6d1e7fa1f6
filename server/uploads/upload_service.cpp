#include "upload_service.h"

#include "chunk_pipeline.h"
#include "mime_sniffer.h"
#include "sha256_state.h"
#include "time_format.h"
#include "validation.h"

#include <algorithm>
#include <mutex>

namespace hoist {

namespace {
constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kDefaultChunkSize = 8 * kMiB;
constexpr std::int64_t kMaxChunks = 10000; // S3's part limit

ApiError withOffset(ErrorCode code, std::string message, std::int64_t committed) {
    ApiError error = makeError(code, std::move(message));
    error.extra["uploadedBytes"] = committed;
    return error;
}
} // namespace

UploadService::UploadService(SessionStore& store, StorageBackend& backend,
                             FinalizationRunner& finalization, SessionLocks& locks,
                             Metrics& metrics, Logger& logger, UploadPolicy policy)
    : m_store(store), m_backend(backend), m_finalization(finalization), m_locks(locks),
      m_metrics(metrics), m_logger(logger), m_policy(std::move(policy)) {}

std::int64_t UploadService::chunkSizeFor(std::int64_t size) {
    // 8 MiB unless the file would need more than 10,000 chunks; then the smallest
    // whole number of MiB that fits it (never below S3's 5 MiB minimum part).
    const std::int64_t needed = (size + kMaxChunks - 1) / kMaxChunks;
    const std::int64_t rounded = (needed + kMiB - 1) / kMiB * kMiB;
    return std::max(kDefaultChunkSize, rounded);
}

ApiError UploadService::storeError(const std::string& what) {
    m_logger.error("session store: " + what);
    return makeError(ErrorCode::Internal, "the session store failed; try again");
}

ApiError UploadService::storageError(const StorageError& error) {
    m_logger.error("storage (" + m_backend.name() + "): " + error.message);
    if (error.kind == StorageError::Kind::Unavailable)
        return makeError(ErrorCode::StorageUnavailable,
                         "the storage backend is unavailable; retry later");
    return makeError(ErrorCode::Internal, "the storage backend failed; try again");
}

ApiResult<Session> UploadService::init(const std::string& userId, const InitRequest& request) {
    if (auto problem = checkFileName(request.fileName))
        return tl::unexpected(makeError(ErrorCode::BadRequest, *problem));
    if (request.size > m_policy.maxSize) {
        ApiError error = makeError(ErrorCode::TooLarge, "the file is larger than this server's "
                                                        "maximum of " +
                                                            std::to_string(m_policy.maxSize) +
                                                            " bytes");
        error.extra["maxSize"] = m_policy.maxSize;
        return tl::unexpected(error);
    }
    Session session;
    session.id = newUuid();
    session.userId = userId;
    session.fileName = request.fileName;
    session.mimeType = request.mimeType;
    session.claimedFingerprint = request.fingerprint;
    session.size = request.size;
    session.chunkSize = chunkSizeFor(request.size);
    session.createdAt = nowSeconds();
    session.expiresAt = session.createdAt + m_policy.sessionTtlSeconds;
    session.hashState = Sha256State().serialize();

    std::shared_lock ownership(m_stagingOwnership);
    auto staging = m_backend.begin(session);
    if (!staging)
        return tl::unexpected(storageError(staging.error()));
    session.staging = *staging;
    if (auto ok = m_store.create(session); !ok) {
        (void)m_backend.abort(session);
        return tl::unexpected(storeError(ok.error()));
    }
    m_logger.info("session " + session.id + " created for " + userId + ": '" + session.fileName +
                  "', " + std::to_string(session.size) + " bytes");
    return session;
}

ApiResult<Session> UploadService::load(const std::string& userId, const std::string& sessionId) {
    const auto notFound = [] {
        return tl::unexpected(makeError(ErrorCode::NotFound, "no such upload session"));
    };
    if (!isUuid(sessionId))
        return notFound();
    auto found = m_store.find(sessionId);
    if (!found)
        return tl::unexpected(storeError(found.error()));
    // Another user's session is answered exactly like a missing one.
    if (!*found || (*found)->userId != userId || (*found)->expiresAt <= nowSeconds())
        return notFound();
    return std::move(**found);
}

ApiResult<std::pair<SessionLocks::Guard, Session>>
UploadService::lockAndLoad(const std::string& userId, const std::string& sessionId) {
    auto guard = m_locks.tryAcquire(sessionId);
    if (!guard)
        return tl::unexpected(
            makeError(ErrorCode::Locked, "another request for this session is in progress"));
    auto loaded = load(userId, sessionId);
    if (!loaded)
        return tl::unexpected(loaded.error());
    return std::pair<SessionLocks::Guard, Session>(std::move(*guard), std::move(*loaded));
}

ApiResult<void> UploadService::verifyOnce(const Session& session) {
    {
        std::lock_guard lock(m_verifiedMutex);
        if (m_verified.count(session.id))
            return {};
    }
    auto receipts = m_store.receipts(session.id);
    if (!receipts)
        return tl::unexpected(storeError(receipts.error()));
    if (auto ok = m_backend.verify(session, *receipts); !ok) {
        m_logger.error("session " + session.id + " cannot resume: " + ok.error().message);
        if (ok.error().kind == StorageError::Kind::Unavailable)
            return tl::unexpected(storageError(ok.error()));
        Session failed = session;
        failed.state = SessionState::Failed;
        failed.failureReason = "staged bytes lost: " + ok.error().message;
        (void)m_store.update(failed);
        return tl::unexpected(makeError(ErrorCode::SessionFailed,
                                        "the staged bytes of this session were lost; start a "
                                        "new upload"));
    }
    std::lock_guard lock(m_verifiedMutex);
    m_verified.insert(session.id);
    return {};
}

ApiResult<std::int64_t> UploadService::putChunk(const std::string& userId,
                                                const std::string& sessionId,
                                                const ChunkRequest& request) {
    auto locked = lockAndLoad(userId, sessionId);
    if (!locked)
        return tl::unexpected(locked.error());
    Session& session = locked->second;
    switch (session.state) {
    case SessionState::Completed:
        return tl::unexpected(makeError(ErrorCode::Completed, "this upload is already complete"));
    case SessionState::Finalizing:
        return tl::unexpected(makeError(ErrorCode::Finalizing, "this upload is being finalized"));
    case SessionState::Failed:
        return tl::unexpected(makeError(ErrorCode::SessionFailed,
                                        "this upload failed: " + session.failureReason));
    case SessionState::Uploading: break;
    }
    if (!request.offset)
        return tl::unexpected(makeError(ErrorCode::BadRequest, "X-Upload-Offset is missing"));
    const auto offset = parseOffset(*request.offset);
    if (!offset)
        return tl::unexpected(
            makeError(ErrorCode::BadRequest, "X-Upload-Offset must be a non-negative integer"));
    if (!request.contentLength)
        return tl::unexpected(makeError(ErrorCode::LengthRequired,
                                        "a chunk needs a Content-Length (no chunked encoding)"));
    const std::int64_t length = *request.contentLength;
    const std::int64_t committed = session.uploadedBytes;
    if (*offset != committed)
        return tl::unexpected(withOffset(ErrorCode::OffsetMismatch,
                                         "the server has " + std::to_string(committed) +
                                             " bytes of this upload; continue from there",
                                         committed));
    if (length > session.size - committed)
        return tl::unexpected(withOffset(ErrorCode::ExceedsSize,
                                         "this chunk would go past the declared size of " +
                                             std::to_string(session.size) + " bytes",
                                         committed));
    const std::int64_t expected = std::min(session.chunkSize, session.size - committed);
    if (length != expected)
        return tl::unexpected(makeError(
            ErrorCode::BadRequest, "a chunk at offset " + std::to_string(committed) + " must be " +
                                       std::to_string(expected) + " bytes, not " +
                                       std::to_string(length)));
    if (request.chunkSha256 && !isFingerprint(*request.chunkSha256))
        return tl::unexpected(makeError(ErrorCode::BadRequest,
                                        "X-Chunk-SHA256 must be 64 lowercase hex digits"));
    if (length == 0)
        return committed;
    if (auto ok = verifyOnce(session); !ok)
        return tl::unexpected(ok.error());

    auto fileHash = Sha256State::deserialize(session.hashState);
    if (!fileHash)
        return tl::unexpected(storeError("session " + session.id + " has an unreadable hash state"));
    const std::int64_t index = committed / session.chunkSize;
    auto writer = m_backend.openChunk(session, index, length);
    if (!writer)
        return tl::unexpected(storageError(writer.error()));
    std::string head = session.head;
    std::int64_t received = 0;
    bool tooLong = false;
    ChunkPipeline pipeline(m_blocks, **writer, *fileHash, request.chunkSha256.has_value());
    const bool bodyComplete = request.readBody([&](const char* data, std::size_t size) {
        if (received + static_cast<std::int64_t>(size) > length) {
            tooLong = true;
            return false;
        }
        if (head.size() < Session::kHeadBytes)
            head.append(data, std::min(size, Session::kHeadBytes - head.size()));
        received += static_cast<std::int64_t>(size);
        return pipeline.feed(data, size);
    });
    auto outcome = pipeline.finish();
    if (!outcome.written)
        return tl::unexpected(storageError(outcome.written.error()));
    if (!bodyComplete || tooLong || received != length)
        return tl::unexpected(makeError(ErrorCode::BadRequest,
                                        "the chunk body ended after " + std::to_string(received) +
                                            " of " + std::to_string(length) + " bytes"));
    if (request.chunkSha256 && outcome.chunkHex != *request.chunkSha256)
        return tl::unexpected(makeError(ErrorCode::ChecksumMismatch,
                                        "the chunk's SHA-256 does not match X-Chunk-SHA256"));
    auto receipt = (*writer)->commit();
    if (!receipt)
        return tl::unexpected(storageError(receipt.error()));
    session.uploadedBytes = committed + length;
    session.hashState = outcome.fileHash.serialize();
    session.head = std::move(head);
    session.expiresAt = nowSeconds() + m_policy.sessionTtlSeconds;
    if (auto ok = m_store.commitChunk(session, *receipt); !ok)
        return tl::unexpected(storeError(ok.error()));
    m_metrics.addBytesReceived(length);
    m_metrics.countChunk();
    return session.uploadedBytes;
}

ApiResult<Session> UploadService::status(const std::string& userId, const std::string& sessionId) {
    return load(userId, sessionId);
}

ApiResult<void> UploadService::abort(const std::string& userId, const std::string& sessionId) {
    auto locked = lockAndLoad(userId, sessionId);
    if (!locked)
        return tl::unexpected(locked.error());
    const Session& session = locked->second;
    if (session.state == SessionState::Completed)
        return tl::unexpected(makeError(ErrorCode::Completed,
                                        "this upload is complete; delete its file instead"));
    if (session.state == SessionState::Finalizing)
        return tl::unexpected(makeError(ErrorCode::Finalizing, "this upload is being finalized"));
    if (auto ok = m_backend.abort(session); !ok)
        return tl::unexpected(storageError(ok.error()));
    if (auto ok = m_store.remove(sessionId); !ok)
        return tl::unexpected(storeError(ok.error()));
    m_logger.info("session " + sessionId + " deleted by its user");
    return {};
}

ApiResult<Session> UploadService::fail(Session session, ApiError error) {
    session.state = SessionState::Failed;
    session.failureReason = error.message;
    if (auto ok = m_backend.abort(session); !ok)
        m_logger.warn("session " + session.id + ": " + ok.error().message);
    if (auto ok = m_store.update(session); !ok)
        return tl::unexpected(storeError(ok.error()));
    m_logger.info("session " + session.id + " failed: " + error.message);
    return tl::unexpected(std::move(error));
}

ApiResult<Session> UploadService::complete(const std::string& userId, const std::string& sessionId,
                                           const std::optional<std::string>& fingerprint) {
    auto locked = lockAndLoad(userId, sessionId);
    if (!locked)
        return tl::unexpected(locked.error());
    Session session = std::move(locked->second);
    if (session.state == SessionState::Completed || session.state == SessionState::Finalizing)
        return session;
    if (session.state == SessionState::Failed)
        return tl::unexpected(makeError(ErrorCode::SessionFailed,
                                        "this upload failed: " + session.failureReason));
    if (session.uploadedBytes != session.size)
        return tl::unexpected(withOffset(ErrorCode::Incomplete,
                                         "the server has " +
                                             std::to_string(session.uploadedBytes) + " of " +
                                             std::to_string(session.size) + " bytes",
                                         session.uploadedBytes));
    // No verifyOnce() here: after a crash between assembling and recording, the
    // staging is legitimately gone, and backend.complete() checks the parts itself.
    const auto hash = Sha256State::deserialize(session.hashState);
    if (!hash)
        return tl::unexpected(storeError("session " + session.id + " has an unreadable hash state"));
    const std::string computed = hash->hexDigest();
    const std::string claimed = fingerprint.value_or(session.claimedFingerprint);
    if (!claimed.empty() && claimed != computed)
        return fail(std::move(session),
                    makeError(ErrorCode::FingerprintMismatch,
                              "the bytes received hash to " + computed + ", not " + claimed));
    session.fingerprint = computed;
    session.detectedMimeType = sniffMimeType(session.head);
    const auto& allowed = m_policy.allowTypes;
    if (!allowed.empty() &&
        std::find(allowed.begin(), allowed.end(), session.detectedMimeType) == allowed.end())
        return fail(std::move(session),
                    makeError(ErrorCode::TypeNotAllowed,
                              "files of type " + session.detectedMimeType +
                                  " are not accepted by this server"));
    auto receipts = m_store.receipts(session.id);
    if (!receipts)
        return tl::unexpected(storeError(receipts.error()));
    auto object = m_backend.complete(session, *receipts);
    if (!object) {
        const auto kind = object.error().kind;
        if (kind == StorageError::Kind::NotFound || kind == StorageError::Kind::Rejected)
            return fail(std::move(session),
                        makeError(ErrorCode::SessionFailed,
                                  "the staged bytes could not be assembled (" +
                                      object.error().message + "); start a new upload"));
        return tl::unexpected(storageError(object.error()));
    }
    session.staging.key = object->key;
    session.staging.uploadId.clear();
    session.state = SessionState::Finalizing;
    session.expiresAt = nowSeconds() + m_policy.sessionTtlSeconds;
    if (auto ok = m_store.update(session); !ok)
        return tl::unexpected(storeError(ok.error()));
    auto finalized = m_finalization.attempt(std::move(session));
    if (!finalized)
        return tl::unexpected(storeError(finalized.error()));
    return *finalized;
}

std::size_t UploadService::sweep() {
    std::size_t expired = 0;
    auto due = m_store.expiredBy(nowSeconds());
    if (!due) {
        m_logger.error("sweep: " + due.error());
        return 0;
    }
    for (const Session& session : *due) {
        auto guard = m_locks.tryAcquire(session.id);
        if (!guard)
            continue;
        StorageResult<void> removed;
        if (session.state == SessionState::Uploading || session.state == SessionState::Failed)
            removed = m_backend.abort(session);
        else if (session.state == SessionState::Finalizing)
            removed = m_backend.removeObject(session.staging.key);
        if (!removed) {
            m_logger.warn("sweep: session " + session.id + ": " + removed.error().message);
            continue;
        }
        if (auto ok = m_store.remove(session.id); !ok) {
            m_logger.error("sweep: " + ok.error());
            continue;
        }
        ++expired;
        m_logger.info("session " + session.id + " expired (" + toString(session.state) + ")");
    }
    std::unique_lock ownership(m_stagingOwnership);
    auto uploading = m_store.inState(SessionState::Uploading);
    auto finalizing = m_store.inState(SessionState::Finalizing);
    if (uploading && finalizing) {
        std::vector<Session> live = std::move(*uploading);
        live.insert(live.end(), finalizing->begin(), finalizing->end());
        m_backend.reconcile(live);
    }
    return expired;
}

} // namespace hoist
