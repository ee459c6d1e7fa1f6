#include "upload_service.h"

#include "chunk_pipeline.h"
#include "crypto.h"
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

} // namespace

UploadService::UploadService(SessionStore& store, StorageBackend& backend, FileCatalog& catalog,
                             FinalizationRunner& finalization, SessionLocker& locker,
                             Metrics& metrics, Logger& logger, UploadPolicy policy)
    : m_store(store), m_backend(backend), m_catalog(catalog), m_finalization(finalization),
      m_locker(locker), m_metrics(metrics), m_logger(logger), m_policy(std::move(policy)),
      m_blocks(m_policy.requestThreads + kCirculatingBlocks),
      m_window(*this, m_policy.hashBufferBytes) {}

std::int64_t UploadService::deferredBound() const {
    // A length not known yet gets the chunks of any file up to 10,000 of them: chunks
    // sized for --max-size instead would make every PATCH that ends inside one rewrite
    // it as a tail on S3, up to 105 MiB a PATCH at the default 1 TiB (measured 3.6-5x
    // slower for 8 MiB PATCHes; docs/protocol.md, "tus 1.0.0 in hoistd").
    return std::min(m_policy.maxSize, kMaxChunks * kDefaultChunkSize);
}

std::int64_t UploadService::chunkSizeFor(std::int64_t size) {
    // 8 MiB unless the file would need more than 10,000 chunks; then the smallest
    // whole number of MiB that fits it (never below S3's 5 MiB minimum part).
    const std::int64_t needed = (size + kMaxChunks - 1) / kMaxChunks;
    const std::int64_t rounded = (needed + kMiB - 1) / kMiB * kMiB;
    return std::max(kDefaultChunkSize, rounded);
}

ApiError UploadService::storeError(const StoreError& error) {
    m_logger.error("store: " + error.message);
    switch (error.kind) {
    case StoreError::Kind::Unavailable:
        return makeError(ErrorCode::Unavailable,
                         "the database is busy or unreachable; retry later");
    case StoreError::Kind::NotFound:
        return makeError(ErrorCode::NotFound, "no such upload session");
    case StoreError::Kind::Conflict:
    case StoreError::Kind::Fatal:
        break;
    }
    return makeError(ErrorCode::Internal, "the session store failed; try again");
}

ApiError UploadService::storageError(const StorageError& error) {
    m_logger.error("storage (" + m_backend.name() + "): " + error.message);
    if (error.kind == StorageError::Kind::Unavailable)
        return makeError(ErrorCode::StorageUnavailable,
                         "the storage backend is unavailable; retry later");
    if (error.kind == StorageError::Kind::NoSpace)
        return makeError(ErrorCode::InsufficientStorage,
                         "the server's storage is full; retry once space is freed");
    return makeError(ErrorCode::Internal, "the storage backend failed; try again");
}

ApiResult<void> UploadService::checkLimits(const std::string& userId, const InitRequest& request) {
    auto open = m_store.openUsageOf(userId);
    if (!open)
        return tl::unexpected(storeError(open.error()));
    if (open->sessions >= m_policy.maxOpenSessions) {
        ApiError error = makeError(ErrorCode::TooManySessions,
                                   "you have " + std::to_string(open->sessions) +
                                       " unfinished uploads; finish or delete some first");
        error.extra["maxOpenSessions"] = m_policy.maxOpenSessions;
        return tl::unexpected(error);
    }
    // A deferred length counts as the bytes received, none yet.
    return checkQuota(userId, open->declaredBytes, request.lengthDeferred ? 0 : request.size);
}

ApiResult<void> UploadService::checkQuota(const std::string& userId, std::int64_t openBytes,
                                          std::int64_t more) {
    if (!m_policy.quotaBytes)
        return {};
    auto stored = m_catalog.bytesStoredBy(userId);
    if (!stored)
        return tl::unexpected(storeError(stored.error()));
    const std::int64_t used = openBytes + *stored;
    const std::int64_t quota = *m_policy.quotaBytes;
    if (more > quota - used) {
        ApiError error =
            makeError(ErrorCode::QuotaExceeded,
                      std::to_string(more) + " more bytes would exceed your quota of " +
                          std::to_string(quota) + " bytes (" + std::to_string(used) + " in use)");
        error.extra["quota"] = quota;
        error.extra["used"] = used;
        return tl::unexpected(error);
    }
    return {};
}

ApiResult<void> UploadService::checkGrowth(const std::string& userId, std::int64_t more) {
    if (!m_policy.quotaBytes)
        return {};
    auto open = m_store.openUsageOf(userId);
    if (!open)
        return tl::unexpected(storeError(open.error()));
    return checkQuota(userId, open->declaredBytes, more);
}

ApiResult<Session> UploadService::init(const std::string& userId, const InitRequest& request,
                                       std::optional<std::int64_t> parallelChunks) {
    if (request.fileName.size() > kMaxNameBytes || request.mimeType.size() > kMaxNameBytes)
        return tl::unexpected(
            makeError(ErrorCode::TooLarge, "fileName and mimeType may be at most " +
                                               std::to_string(kMaxNameBytes) + " bytes of UTF-8"));
    if (auto problem = checkFileName(request.fileName))
        return tl::unexpected(makeError(ErrorCode::BadRequest, *problem));
    if (request.size > m_policy.maxSize) {
        ApiError error =
            makeError(ErrorCode::TooLarge, "the file is larger than this server's "
                                           "maximum of " +
                                               std::to_string(m_policy.maxSize) + " bytes");
        error.extra["maxSize"] = m_policy.maxSize;
        return tl::unexpected(error);
    }
    if (parallelChunks && (*parallelChunks < 1 || *parallelChunks > kMaxParallelChunks))
        return tl::unexpected(
            makeError(ErrorCode::BadRequest, "parallelChunks must be an integer from 1 to " +
                                                 std::to_string(kMaxParallelChunks)));
    Session session;
    session.id = newUuid();
    if (parallelChunks)
        session.parallelChunks = std::min(*parallelChunks, m_policy.maxParallelChunks);
    session.userId = userId;
    session.fileName = request.fileName;
    session.mimeType = request.mimeType;
    session.claimedFingerprint = request.fingerprint;
    session.partial = request.partial;
    session.concatenatedFrom = request.concatenatedFrom;
    session.lengthDeferred = request.lengthDeferred;
    session.size = request.lengthDeferred ? deferredBound() : request.size;
    session.chunkSize = chunkSizeFor(session.size);
    session.createdAt = nowSeconds();
    session.expiresAt = session.createdAt + m_policy.sessionTtlSeconds;
    session.hashState = Sha256State().serialize();

    // Checked before staging is made (a refused flood costs no backend calls) and
    // again with the session's creation, where two inits cannot interleave.
    if (auto ok = checkLimits(userId, request); !ok)
        return tl::unexpected(ok.error());
    std::shared_lock ownership(m_stagingOwnership);
    auto staging = m_backend.begin(session);
    if (!staging)
        return tl::unexpected(storageError(staging.error()));
    session.staging = *staging;
    std::unique_lock limits(m_limitsMutex);
    auto created = checkLimits(userId, request);
    if (created) {
        if (auto ok = m_store.create(session); !ok)
            created = tl::unexpected(storeError(ok.error()));
    }
    limits.unlock();
    if (!created) {
        (void)m_backend.abort(session);
        return tl::unexpected(created.error());
    }
    m_logger.info(
        "session " + session.id + " created for " + userId + ": '" + session.fileName + "', " +
        (session.lengthDeferred ? "length deferred" : std::to_string(session.size) + " bytes"));
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
    if (!*found || (*found)->userId != userId)
        return notFound();
    if ((*found)->expiresAt <= nowSeconds()) {
        ApiError expired = makeError(ErrorCode::NotFound, "no such upload session");
        expired.expired = true;
        return tl::unexpected(expired);
    }
    Session session = std::move(**found);
    if (auto ok = fillStoredChunks(session); !ok)
        return tl::unexpected(ok.error());
    return session;
}

ApiResult<void> UploadService::fillStoredChunks(Session& session) {
    session.storedChunks.clear();
    if (!session.windowed())
        return {};
    auto receipts = m_store.receipts(session.id);
    if (!receipts)
        return tl::unexpected(storeError(receipts.error()));
    for (const ChunkReceipt& receipt : *receipts) {
        if (receipt.index * session.chunkSize >= session.uploadedBytes)
            session.storedChunks.push_back(receipt.index);
    }
    return {};
}

ApiResult<std::pair<SessionLocker::Guard, Session>>
UploadService::lockAndLoad(const std::string& userId, const std::string& sessionId) {
    auto guard = m_locker.tryAcquire(sessionId);
    if (!guard) {
        if (guard.error().kind != StoreError::Kind::Conflict)
            return tl::unexpected(storeError(guard.error()));
        return tl::unexpected(
            makeError(ErrorCode::Locked, "another request for this session is in progress"));
    }
    auto loaded = load(userId, sessionId);
    if (!loaded)
        return tl::unexpected(loaded.error());
    return std::pair<SessionLocker::Guard, Session>(std::move(*guard), std::move(*loaded));
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

ApiResult<UploadService::Append> UploadService::openAppend(const std::string& userId,
                                                           const std::string& sessionId) {
    auto unlocked = load(userId, sessionId);
    if (!unlocked)
        return tl::unexpected(unlocked.error());
    if (unlocked->windowed()) {
        if (auto ok = acceptsBytes(*unlocked); !ok)
            return tl::unexpected(ok.error());
        return Append(*this, nullptr, std::move(*unlocked));
    }
    auto locked = lockAndLoad(userId, sessionId);
    if (!locked)
        return tl::unexpected(locked.error());
    if (auto ok = acceptsBytes(locked->second); !ok)
        return tl::unexpected(ok.error());
    return Append(*this, std::move(locked->first), std::move(locked->second));
}

ApiResult<void> UploadService::acceptsBytes(const Session& session) {
    switch (session.state) {
    case SessionState::Completed:
        return tl::unexpected(makeError(ErrorCode::Completed, "this upload is already complete"));
    case SessionState::Finalizing:
        return tl::unexpected(makeError(ErrorCode::Finalizing, "this upload is being finalized"));
    case SessionState::Failed:
        return tl::unexpected(
            makeError(ErrorCode::SessionFailed, "this upload failed: " + session.failureReason));
    case SessionState::Uploading:
        break;
    }
    return {};
}

ApiResult<void> UploadService::Append::admits(std::int64_t offset, std::int64_t length) const {
    if (m_session.windowed())
        return ChunkWindow::admits(m_session, offset, length);
    const std::int64_t committed = m_session.uploadedBytes;
    if (offset != committed)
        return tl::unexpected(offsetMismatch(m_session));
    if (length <= m_session.size - committed)
        return {};
    if (!m_session.lengthDeferred)
        return tl::unexpected(exceedsSize(m_session));
    return tl::unexpected(withOffset(ErrorCode::ExceedsSize,
                                     "these bytes would make the upload longer than an upload "
                                     "of deferred length may be (" +
                                         std::to_string(m_session.size) + " bytes)",
                                     committed));
}

ApiResult<void> UploadService::Append::declareSize(std::int64_t size) {
    UploadService& service = *m_service;
    Session& session = m_session;
    if (!session.lengthDeferred) {
        if (size == session.size)
            return {};
        return tl::unexpected(makeError(ErrorCode::BadRequest, "the length of this upload is " +
                                                                   std::to_string(session.size) +
                                                                   " bytes; it cannot change"));
    }
    if (size > session.size) {
        ApiError error =
            makeError(ErrorCode::TooLarge, "an upload of deferred length may have at most " +
                                               std::to_string(session.size) + " bytes");
        error.extra["maxSize"] = session.size;
        return tl::unexpected(error);
    }
    if (size < session.uploadedBytes)
        return tl::unexpected(withOffset(ErrorCode::BadRequest,
                                         "the server has " + std::to_string(session.uploadedBytes) +
                                             " bytes of this upload already; its length cannot "
                                             "be less",
                                         session.uploadedBytes));
    {
        std::lock_guard limits(service.m_limitsMutex);
        if (auto ok = service.checkGrowth(session.userId, size - session.uploadedBytes); !ok)
            return tl::unexpected(ok.error());
        if (auto ok = service.m_store.declareSize(session.id, size); !ok) {
            if (ok.error().kind != StoreError::Kind::Conflict)
                return tl::unexpected(service.storeError(ok.error()));
            // Another node declared it (its lock was lost meanwhile): judged as a
            // declaration on a length that is known.
            service.m_logger.warn("session " + session.id + ": " + ok.error().message);
            auto truth = service.load(session.userId, session.id);
            if (!truth)
                return tl::unexpected(truth.error());
            session = std::move(*truth);
            if (session.lengthDeferred)
                return tl::unexpected(offsetMismatch(session));
            return declareSize(size);
        }
    }
    session.size = size;
    session.lengthDeferred = false;
    service.m_logger.info("session " + session.id + ": length declared, " + std::to_string(size) +
                          " bytes");
    return {};
}

ApiResult<void> UploadService::commitWritten(Session& session, ChunkWriter& writer,
                                             const Sha256State& fileHash, std::int64_t offset,
                                             const std::string& head, bool wholeChunk) {
    Session next = session;
    std::optional<ChunkReceipt> receipt;
    if (wholeChunk) {
        auto committed = writer.commit();
        if (!committed)
            return tl::unexpected(storageError(committed.error()));
        receipt = std::move(*committed);
        next.tailKey.clear();
    } else {
        auto kept = writer.keep();
        if (!kept)
            return tl::unexpected(storageError(kept.error()));
        next.tailKey = std::move(*kept);
    }
    next.uploadedBytes = offset;
    next.hashState = fileHash.serialize();
    next.head = head;
    next.expiresAt = nowSeconds() + m_policy.sessionTtlSeconds;
    auto ok = receipt ? m_store.commitChunk(next, session.uploadedBytes, *receipt)
                      : m_store.commitTail(next, session.uploadedBytes);
    if (!ok) {
        // Only a definite "no" makes the new tail garbage: after an unavailable
        // database the commit may still have happened.
        const auto kind = ok.error().kind;
        const bool refused =
            kind == StoreError::Kind::Conflict || kind == StoreError::Kind::NotFound;
        if (refused && !next.tailKey.empty() && next.tailKey != session.tailKey)
            (void)m_backend.removeObject(next.tailKey);
        if (kind != StoreError::Kind::Conflict)
            return tl::unexpected(storeError(ok.error()));
        // Another node took the session meanwhile (its lock was lost): answer with the
        // store's truth, as for any offset mismatch.
        m_logger.warn("session " + session.id + ": " + ok.error().message);
        auto truth = m_store.find(session.id);
        if (!truth || !*truth)
            return tl::unexpected(makeError(ErrorCode::NotFound, "no such upload session"));
        return tl::unexpected(offsetMismatch(**truth));
    }
    // The store no longer names the old tail: it is garbage now, never before.
    if (!session.tailKey.empty() && session.tailKey != next.tailKey) {
        if (auto removed = m_backend.removeObject(session.tailKey); !removed)
            m_logger.warn("session " + session.id + ": " + removed.error().message);
    }
    m_metrics.addBytesReceived(offset - session.uploadedBytes);
    if (wholeChunk)
        m_metrics.countChunk();
    session = std::move(next);
    return {};
}

ApiResult<std::int64_t> UploadService::Append::write(const AppendRequest& request) {
    UploadService& service = *m_service;
    Session& session = m_session;
    if (auto ok = admits(request.offset, request.length); !ok)
        return tl::unexpected(ok.error());
    const std::int64_t committed = session.uploadedBytes;
    const auto chunkStart = [&](std::int64_t offset) {
        return offset / session.chunkSize * session.chunkSize;
    };
    const auto chunkEnd = [&](std::int64_t offset) {
        return std::min(chunkStart(offset) + session.chunkSize, session.size);
    };
    // A digest is checked before its bytes are committed, and only the last chunk of
    // an append waits for the end of the body: so a digest covers the rest of one
    // chunk at most.
    if (request.digest && request.length > chunkEnd(committed) - committed)
        return tl::unexpected(
            makeError(ErrorCode::BadRequest, "a digest may cover at most the " +
                                                 std::to_string(chunkEnd(committed) - committed) +
                                                 " bytes up to the end of this chunk"));
    // A tail kept beside the staging (S3) that fills its chunk — the length was
    // declared after its bytes arrived — is committed by an append of no bytes, as the
    // file's last chunk. A tail kept in place (disk) is staged as it stands.
    const bool tailFillsChunk = !session.tailKey.empty() && committed % session.chunkSize != 0 &&
                                chunkEnd(committed) == committed;
    if (request.length == 0 && !tailFillsChunk)
        return committed;
    // An upload of unknown length grows into the quota one append at a time.
    if (session.lengthDeferred) {
        if (auto ok = service.checkGrowth(session.userId, request.length); !ok)
            return tl::unexpected(ok.error());
    }
    if (auto ok = service.verifyOnce(session); !ok)
        return tl::unexpected(ok.error());
    auto fileHash = Sha256State::deserialize(session.hashState);
    if (!fileHash)
        return tl::unexpected(service.storeError(
            {StoreError::Kind::Fatal, "session " + session.id + " has an unreadable hash state"}));

    std::string head = session.head;
    std::unique_ptr<ChunkWriter> writer;
    std::optional<ChunkPipeline> pipeline;
    std::int64_t end = 0;      // where the open chunk ends
    std::int64_t position = 0; // bytes of the file the open chunk has reached
    std::int64_t received = 0;
    bool tooLong = false;
    std::optional<ApiError> failure;
    const auto openChunk = [&]() {
        end = chunkEnd(session.uploadedBytes);
        position = session.uploadedBytes;
        const std::int64_t start = chunkStart(session.uploadedBytes);
        auto opened = service.m_backend.openChunk(session, start / session.chunkSize, end - start);
        if (!opened) {
            failure = service.storageError(opened.error());
            return false;
        }
        writer = std::move(*opened);
        std::optional<DigestAlgorithm> digest;
        if (request.digest)
            digest = request.digest->algorithm;
        pipeline.emplace(service.m_workers, service.m_blocks, *writer, *fileHash, digest);
        return true;
    };
    // A chunk that filled before the append's last byte is committed at once.
    const auto commitFilled = [&]() {
        auto outcome = pipeline->finish();
        pipeline.reset();
        if (!outcome.written) {
            failure = service.storageError(outcome.written.error());
            return false;
        }
        if (auto ok =
                service.commitWritten(session, *writer, outcome.fileHash, position, head, true);
            !ok) {
            failure = ok.error();
            return false;
        }
        fileHash = outcome.fileHash;
        writer.reset();
        return true;
    };
    if (!openChunk())
        return tl::unexpected(*failure);
    const bool bodyComplete = request.readBody([&](const char* data, std::size_t size) {
        if (received + static_cast<std::int64_t>(size) > request.length) {
            tooLong = true;
            return false;
        }
        if (head.size() < Session::kHeadBytes)
            head.append(data, std::min(size, Session::kHeadBytes - head.size()));
        received += static_cast<std::int64_t>(size);
        while (size > 0) {
            if (position == end && !(commitFilled() && openChunk()))
                return false;
            const auto take = static_cast<std::size_t>(
                std::min<std::int64_t>(end - position, static_cast<std::int64_t>(size)));
            if (!pipeline->feed(data, take))
                return false;
            position += static_cast<std::int64_t>(take);
            data += take;
            size -= take;
        }
        return true;
    });
    if (failure)
        return tl::unexpected(*failure);
    auto outcome = pipeline->finish();
    pipeline.reset();
    if (!outcome.written)
        return tl::unexpected(service.storageError(outcome.written.error()));
    const bool cut = !bodyComplete || tooLong || received != request.length;
    const ApiError cutShort =
        makeError(ErrorCode::BadRequest, "the body ended after " + std::to_string(received) +
                                             " of " + std::to_string(request.length) + " bytes");
    // A digest can only vouch for a whole body: a cut one keeps nothing.
    if (cut && !(request.keepPartial && !request.digest))
        return tl::unexpected(cutShort);
    if (request.digest && outcome.chunkHex != toHex(request.digest->bytes))
        return tl::unexpected(makeError(ErrorCode::ChecksumMismatch,
                                        "the digest of the bytes does not match the one sent"));
    // The trailing chunk: committed when full (it may be the file's short last one),
    // kept as the chunk's tail when the face asks for it, discarded otherwise (see the
    // class comment).
    if (position == end || (request.keepPartial && position > session.uploadedBytes)) {
        if (auto ok = service.commitWritten(session, *writer, outcome.fileHash, position, head,
                                            position == end);
            !ok)
            return tl::unexpected(ok.error());
    }
    if (cut)
        return tl::unexpected(cutShort);
    return session.uploadedBytes;
}

ApiResult<WindowProgress> UploadService::Append::writeChunk(const AppendRequest& request) {
    if (m_session.windowed())
        return m_service->m_window.write(m_session, request);
    auto written = write(request);
    if (!written)
        return tl::unexpected(written.error());
    return WindowProgress{*written, {}, *written};
}

ApiResult<Session> UploadService::status(const std::string& userId, const std::string& sessionId) {
    return load(userId, sessionId);
}

ApiResult<void> UploadService::abort(const std::string& userId, const std::string& sessionId) {
    auto locked = lockAndLoad(userId, sessionId);
    if (!locked)
        return tl::unexpected(locked.error());
    const Session& session = locked->second;
    const bool assembledPartial = session.partial && session.state == SessionState::Completed;
    if (session.state == SessionState::Completed && !assembledPartial)
        return tl::unexpected(
            makeError(ErrorCode::Completed, "this upload is complete; delete its file instead"));
    if (session.state == SessionState::Finalizing)
        return tl::unexpected(makeError(ErrorCode::Finalizing, "this upload is being finalized"));
    if (auto ok = assembledPartial ? m_backend.removeObject(session.staging.key)
                                   : m_backend.abort(session);
        !ok)
        return tl::unexpected(storageError(ok.error()));
    if (auto ok = m_store.remove(sessionId); !ok)
        return tl::unexpected(storeError(ok.error()));
    m_window.forget(sessionId);
    m_logger.info("session " + sessionId + " deleted by its user");
    return {};
}

ApiResult<Session> UploadService::fail(Session session, ApiError error) {
    session.state = SessionState::Failed;
    session.failureReason = error.message;
    m_window.forget(session.id);
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
        return tl::unexpected(
            makeError(ErrorCode::SessionFailed, "this upload failed: " + session.failureReason));
    if (session.lengthDeferred)
        return tl::unexpected(withOffset(ErrorCode::Incomplete,
                                         "the length of this upload is not declared yet (tus "
                                         "Upload-Length)",
                                         session.uploadedBytes));
    if (session.uploadedBytes != session.size)
        return tl::unexpected(withOffset(ErrorCode::Incomplete,
                                         "the server has " + std::to_string(session.uploadedBytes) +
                                             " of " + std::to_string(session.size) + " bytes",
                                         session.uploadedBytes));
    if (session.windowed() && session.hashedBytes < session.size) {
        auto caught = m_window.catchUp(session.id);
        if (!caught)
            return tl::unexpected(caught.error());
        session.hashedBytes = caught->hashedBytes;
        session.hashState = caught->hashState;
    }
    // A windowed session whose hash could not reach the end from staging (S3) finishes
    // it on the assembled object, which is deleted again if the bytes are wrong.
    const bool hashAfterAssembly = session.windowed() && session.hashedBytes < session.size;
    // No verifyOnce() here: after a crash between assembling and recording, the
    // staging is legitimately gone, and backend.complete() checks the parts itself.
    const auto hash = Sha256State::deserialize(session.hashState);
    if (!hash)
        return tl::unexpected(storeError(
            {StoreError::Kind::Fatal, "session " + session.id + " has an unreadable hash state"}));
    const std::string claimed = fingerprint.value_or(session.claimedFingerprint);
    const auto mismatch = [&](const std::string& computed) -> std::optional<ApiError> {
        if (claimed.empty() || claimed == computed)
            return std::nullopt;
        return makeError(ErrorCode::FingerprintMismatch,
                         "the bytes received hash to " + computed + ", not " + claimed);
    };
    if (!hashAfterAssembly) {
        session.fingerprint = hash->hexDigest();
        if (auto error = mismatch(session.fingerprint))
            return fail(std::move(session), std::move(*error));
    }
    session.detectedMimeType = sniffMimeType(session.head);
    const auto& allowed = m_policy.allowTypes;
    // A partial upload's first bytes are not the file's: its final upload is checked.
    if (!session.partial && !allowed.empty() &&
        std::find(allowed.begin(), allowed.end(), session.detectedMimeType) == allowed.end())
        return fail(std::move(session), makeError(ErrorCode::TypeNotAllowed,
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
    if (hashAfterAssembly) {
        auto computed = hashRest(session, *object);
        if (!computed)
            return tl::unexpected(computed.error());
        session.fingerprint = *computed;
        if (auto error = mismatch(session.fingerprint)) {
            if (auto removed = m_backend.removeObject(object->key); !removed)
                m_logger.warn("session " + session.id + ": " + removed.error().message);
            return fail(std::move(session), std::move(*error));
        }
    }
    m_window.forget(session.id);
    session.staging.key = object->key;
    session.staging.uploadId.clear();
    session.state = session.partial ? SessionState::Completed : SessionState::Finalizing;
    session.expiresAt = nowSeconds() + m_policy.sessionTtlSeconds;
    if (auto ok = m_store.update(session); !ok)
        return tl::unexpected(storeError(ok.error()));
    if (session.partial)
        return session;
    auto finalized = m_finalization.attempt(std::move(session));
    if (!finalized)
        return tl::unexpected(storeError(finalized.error()));
    return *finalized;
}

ApiResult<std::string> UploadService::hashRest(const Session& session, const StoredObject& object) {
    auto hash = Sha256State::deserialize(session.hashState);
    if (!hash)
        return tl::unexpected(storeError(
            {StoreError::Kind::Fatal, "session " + session.id + " has an unreadable hash state"}));
    const std::int64_t rest = session.size - session.hashedBytes;
    auto read = m_backend.readObject(object.key, session.hashedBytes, rest,
                                     [&](std::span<const char> piece) {
                                         hash->update(piece);
                                         return true;
                                     });
    if (!read)
        return tl::unexpected(storageError(read.error()));
    m_metrics.addHashReadback(rest);
    return hash->hexDigest();
}

std::size_t UploadService::sweep() {
    std::size_t expired = 0;
    const std::int64_t now = nowSeconds();
    std::optional<ExpiryCursor> after;
    for (;;) {
        auto page = m_store.expiredBy(now, kSweepPage, after);
        if (!page) {
            m_logger.error("sweep: " + page.error().message);
            break;
        }
        for (const Session& session : *page) {
            auto guard = m_locker.tryAcquire(session.id);
            if (!guard)
                continue;
            // Re-read under the lock: with several nodes another one may have swept it
            // (or a request renewed it) since the page was read.
            auto fresh = m_store.find(session.id);
            if (!fresh || !*fresh || (*fresh)->expiresAt > now)
                continue;
            StorageResult<void> removed;
            if (session.state == SessionState::Uploading || session.state == SessionState::Failed)
                removed = m_backend.abort(session);
            else if (session.state == SessionState::Finalizing ||
                     (session.partial && session.state == SessionState::Completed))
                removed = m_backend.removeObject(session.staging.key);
            if (!removed) {
                m_logger.warn("sweep: session " + session.id + ": " + removed.error().message);
                continue;
            }
            if (auto ok = m_store.remove(session.id); !ok) {
                m_logger.error("sweep: " + ok.error().message);
                continue;
            }
            ++expired;
            m_window.forget(session.id);
            m_logger.info("session " + session.id + " expired (" + toString(session.state) + ")");
        }
        if (page->size() < kSweepPage)
            break;
        after = ExpiryCursor{page->back().expiresAt, page->back().id};
    }
    // Decided per staged item, the ownership lock held only for one indexed lookup:
    // an init that made its staging before the lock was taken has its row by then, and
    // staging listed earlier can never gain a row later (init only creates rows for
    // the staging it just made).
    m_backend.reconcile([this](const StagingRef& staging) {
        std::unique_lock ownership(m_stagingOwnership);
        auto owned = m_store.ownsStaging(staging);
        if (!owned) {
            m_logger.warn("reconcile: " + owned.error().message);
            return true;
        }
        return *owned;
    });
    return expired;
}

} // namespace hoist
