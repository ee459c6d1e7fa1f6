#include "chunk_window.h"

#include "chunk_pipeline.h"
#include "crypto.h"
#include "digest.h"
#include "time_format.h"
#include "upload_service.h"

#include <algorithm>

namespace hoist {

ApiError withOffset(ErrorCode code, std::string message, std::int64_t committed) {
    ApiError error = makeError(code, std::move(message));
    error.extra["uploadedBytes"] = committed;
    return error;
}

ApiError offsetMismatch(const Session& session) {
    ApiError error = withOffset(ErrorCode::OffsetMismatch,
                                "the server has " + std::to_string(session.uploadedBytes) +
                                    " bytes of this upload; continue from there",
                                session.uploadedBytes);
    if (session.parallelChunks > 0)
        error.extra["storedChunks"] = session.storedChunks;
    return error;
}

ApiError exceedsSize(const Session& session) {
    return withOffset(ErrorCode::ExceedsSize,
                      "this chunk would go past the declared size of " +
                          std::to_string(session.size) + " bytes",
                      session.uploadedBytes);
}

ApiResult<void> ChunkWindow::admits(const Session& session, std::int64_t offset,
                                    std::int64_t length) {
    const std::int64_t prefix = session.uploadedBytes;
    const std::int64_t windowEnd = prefix + session.parallelChunks * session.chunkSize;
    // The no-op at the end of the file, as for sequential sessions.
    if (offset == session.size && length == 0 && prefix == session.size)
        return {};
    const std::int64_t index = offset / session.chunkSize;
    if (offset % session.chunkSize != 0 || offset < prefix || offset >= windowEnd ||
        offset >= session.size ||
        std::binary_search(session.storedChunks.begin(), session.storedChunks.end(), index))
        return tl::unexpected(offsetMismatch(session));
    if (length > session.size - offset)
        return tl::unexpected(exceedsSize(session));
    return {};
}

ApiResult<WindowProgress> ChunkWindow::write(const Session& loaded, const AppendRequest& request) {
    UploadService& service = m_service;
    if (request.length == 0)
        return WindowProgress{loaded.uploadedBytes, loaded.storedChunks, loaded.hashedBytes};
    const std::int64_t index = request.offset / loaded.chunkSize;
    auto guard = service.m_locker.tryAcquire(loaded.id + "/" + std::to_string(index));
    if (!guard) {
        if (guard.error().kind != StoreError::Kind::Conflict)
            return tl::unexpected(service.storeError(guard.error()));
        return tl::unexpected(
            makeError(ErrorCode::Locked, "another request for this chunk is in progress"));
    }
    // Under the chunk's lock, the truth again: the chunk may have been stored meanwhile.
    auto fresh = service.load(loaded.userId, loaded.id);
    if (!fresh)
        return tl::unexpected(fresh.error());
    const Session& session = *fresh;
    if (auto ok = UploadService::acceptsBytes(session); !ok)
        return tl::unexpected(ok.error());
    if (auto ok = admits(session, request.offset, request.length); !ok)
        return tl::unexpected(ok.error());
    if (auto ok = service.verifyOnce(session); !ok)
        return tl::unexpected(ok.error());
    const bool atFrontier = session.hashedBytes == request.offset;
    auto fileHash = atFrontier ? Sha256State::deserialize(session.hashState) : Sha256State();
    if (!fileHash)
        return tl::unexpected(service.storeError(
            {StoreError::Kind::Fatal, "session " + session.id + " has an unreadable hash state"}));
    // Not kept once the frontier is stuck (S3 cannot read staged bytes back before
    // complete): chunks kept for it would hold the node's budget until then. A frontier
    // merely behind the prefix is not stuck: between a chunk that moves the prefix and
    // the catch-up after it, chunks starting meanwhile were not kept, and the first of
    // them then stuck the hash for good (200 of 256 MiB read back at complete on S3).
    const bool keep = !atFrontier && m_backlog.reserve(session.id, request.length);
    const auto refuse = [&](ApiError error) -> ApiResult<WindowProgress> {
        if (keep)
            m_backlog.release(request.length);
        return tl::unexpected(std::move(error));
    };
    auto opened = service.m_backend.openChunk(session, index, request.length);
    if (!opened)
        return refuse(service.storageError(opened.error()));
    std::unique_ptr<ChunkWriter> writer = std::move(*opened);
    std::optional<DigestAlgorithm> digest;
    if (request.digest)
        digest = request.digest->algorithm;
    std::string kept;
    if (keep)
        kept.reserve(static_cast<std::size_t>(request.length));
    std::string head;
    std::int64_t received = 0;
    bool tooLong = false;
    ChunkPipeline::Outcome outcome;
    bool bodyComplete = false;
    {
        ChunkPipeline pipeline(service.m_workers, service.m_blocks, *writer, *fileHash, digest);
        bodyComplete = request.readBody([&](const char* data, std::size_t size) {
            if (received + static_cast<std::int64_t>(size) > request.length) {
                tooLong = true;
                return false;
            }
            received += static_cast<std::int64_t>(size);
            if (index == 0 && head.size() < Session::kHeadBytes)
                head.append(data, std::min(size, Session::kHeadBytes - head.size()));
            if (keep)
                kept.append(data, size);
            return pipeline.feed(data, size);
        });
        outcome = pipeline.finish();
    }
    if (!outcome.written)
        return refuse(service.storageError(outcome.written.error()));
    if (!bodyComplete || tooLong || received != request.length)
        return refuse(makeError(ErrorCode::BadRequest,
                                "the body ended after " + std::to_string(received) + " of " +
                                    std::to_string(request.length) + " bytes"));
    if (request.digest && outcome.chunkHex != toHex(request.digest->bytes))
        return refuse(makeError(ErrorCode::ChecksumMismatch,
                                "the digest of the bytes does not match the one sent"));
    auto receipt = writer->commit();
    if (!receipt)
        return refuse(service.storageError(receipt.error()));
    WindowChunk chunk;
    chunk.sessionId = session.id;
    chunk.receipt = *receipt;
    chunk.expiresAt = nowSeconds() + service.m_policy.sessionTtlSeconds;
    chunk.head = head;
    if (atFrontier) {
        chunk.hashedFrom = request.offset;
        chunk.hashedTo = request.offset + request.length;
        chunk.hashState = outcome.fileHash.serialize();
    }
    auto stored = service.m_store.storeWindowChunk(chunk);
    if (!stored) {
        if (stored.error().kind != StoreError::Kind::Conflict)
            return refuse(service.storeError(stored.error()));
        // Stored by another node whose lock of this chunk was lost: the truth, as for
        // any chunk already stored.
        service.m_logger.warn("session " + session.id + ": " + stored.error().message);
        auto truth = service.load(session.userId, session.id);
        return refuse(truth ? offsetMismatch(*truth) : truth.error());
    }
    if (keep)
        m_backlog.keep(session.id, index, std::move(kept));
    service.m_metrics.addBytesReceived(request.length);
    service.m_metrics.countChunk();
    guard->reset();
    const std::int64_t frontierChunk = stored->hashedBytes / session.chunkSize;
    const bool hashable = stored->hashedBytes < session.size &&
                          (stored->hashedBytes < stored->uploadedBytes ||
                           std::binary_search(stored->storedChunks.begin(),
                                              stored->storedChunks.end(), frontierChunk));
    // The chunk is acknowledged whatever the hash does next: a frontier that cannot move
    // now moves at a later chunk or at complete.
    if (!hashable)
        return *stored;
    if (auto caught = catchUp(session.id); !caught)
        service.m_logger.warn("session " + session.id + ": the hash stays at " +
                              std::to_string(stored->hashedBytes) + ": " + caught.error().message);
    return *stored;
}

ApiResult<Session> ChunkWindow::catchUp(const std::string& sessionId) {
    UploadService& service = m_service;
    std::lock_guard frontier(m_backlog.frontierMutex(sessionId));
    auto found = service.m_store.find(sessionId);
    if (!found)
        return tl::unexpected(service.storeError(found.error()));
    if (!*found)
        return tl::unexpected(makeError(ErrorCode::NotFound, "no such upload session"));
    Session session = std::move(**found);
    if (auto ok = service.fillStoredChunks(session); !ok)
        return tl::unexpected(ok.error());
    auto hash = Sha256State::deserialize(session.hashState);
    if (!hash)
        return tl::unexpected(service.storeError(
            {StoreError::Kind::Fatal, "session " + session.id + " has an unreadable hash state"}));
    const std::int64_t from = session.hashedBytes;
    std::int64_t at = from;
    while (at < session.size) {
        const std::int64_t index = at / session.chunkSize;
        const bool stored =
            at < session.uploadedBytes ||
            std::binary_search(session.storedChunks.begin(), session.storedChunks.end(), index);
        if (!stored)
            break;
        const std::int64_t length = session.chunkLength(index);
        if (auto bytes = m_backlog.take(sessionId, index)) {
            hash->update(*bytes);
        } else {
            auto read =
                service.m_backend.readStaged(session, at, length, [&](std::span<const char> piece) {
                    hash->update(piece);
                    return true;
                });
            if (!read && read.error().kind == StorageError::Kind::Rejected) {
                // The rest is hashed from the assembled object at complete: what is kept
                // for this session now only holds the budget.
                m_backlog.abandon(sessionId);
                break;
            }
            if (!read)
                return tl::unexpected(service.storageError(read.error()));
            service.m_metrics.addHashReadback(length);
        }
        at += length;
    }
    if (at == from)
        return session;
    auto moved = service.m_store.advanceHash(sessionId, from, at, hash->serialize());
    if (!moved && moved.error().kind != StoreError::Kind::Conflict)
        return tl::unexpected(service.storeError(moved.error()));
    if (!moved) {
        // Another node moved the frontier first: its state is the one that counts.
        auto truth = service.m_store.find(sessionId);
        if (!truth || !*truth)
            return tl::unexpected(makeError(ErrorCode::NotFound, "no such upload session"));
        session.hashedBytes = (*truth)->hashedBytes;
        session.hashState = (*truth)->hashState;
        return session;
    }
    session.hashedBytes = at;
    session.hashState = hash->serialize();
    return session;
}

} // namespace hoist
