#include "upload_concatenator.h"

#include <set>

namespace hoist {

namespace {
ApiError badPartial(const std::string& id, const std::string& problem) {
    return makeError(ErrorCode::BadRequest, "partial upload " + id + " " + problem);
}
} // namespace

UploadConcatenator::UploadConcatenator(UploadService& uploads, SessionStore& store,
                                       StorageBackend& backend, SessionLocker& locker,
                                       Logger& logger)
    : m_uploads(uploads), m_store(store), m_backend(backend), m_locker(locker), m_logger(logger) {}

ApiResult<UploadConcatenator::Locked> UploadConcatenator::lockPartial(const std::string& userId,
                                                                      const std::string& id) {
    // A partial whose assembly stopped midway (the database was busy) is assembled
    // first, as its next HEAD would; that takes its lock, so it comes before ours.
    if (auto seen = m_uploads.status(userId, id); seen && seen->partial &&
                                                  seen->state == SessionState::Uploading &&
                                                  seen->uploadedBytes == seen->size)
        (void)m_uploads.complete(userId, id, std::nullopt);
    auto guard = m_locker.tryAcquire(id);
    if (!guard) {
        if (guard.error().kind == StoreError::Kind::Conflict)
            return tl::unexpected(
                makeError(ErrorCode::Locked, "partial upload " + id + " is busy; retry later"));
        return tl::unexpected(
            makeError(ErrorCode::Unavailable, "the database is busy or unreachable; retry later"));
    }
    // Read under the lock: another final may have consumed the partial meanwhile.
    auto session = m_uploads.status(userId, id);
    if (!session) {
        if (session.error().code != ErrorCode::NotFound)
            return tl::unexpected(session.error());
        return tl::unexpected(
            badPartial(id, "does not exist (unknown, expired, already concatenated or not yours)"));
    }
    if (!session->partial)
        return tl::unexpected(badPartial(id, "was not created with Upload-Concat: partial"));
    if (session->state == SessionState::Failed)
        return tl::unexpected(badPartial(id, "failed: " + session->failureReason));
    if (session->lengthDeferred)
        return tl::unexpected(badPartial(id, "is incomplete: its length is not declared yet"));
    if (session->state != SessionState::Completed)
        return tl::unexpected(
            badPartial(id, "is incomplete: " + std::to_string(session->uploadedBytes) + " of " +
                               std::to_string(session->size) + " bytes"));
    return Locked{std::move(*guard), std::move(*session)};
}

ApiResult<void> UploadConcatenator::append(const std::string& userId, const Session& combined,
                                           const std::vector<Locked>& partials) {
    auto open = m_uploads.openAppend(userId, combined.id);
    if (!open)
        return tl::unexpected(open.error());
    std::optional<std::string> readFailure;
    bool unavailable = false;
    const auto readBody = [&](const ByteSink& sink) {
        for (const Locked& partial : partials) {
            const Session& session = partial.session;
            bool stopped = false;
            auto read = m_backend.readObject(session.staging.key, 0, session.size,
                                             [&](std::span<const char> bytes) {
                                                 stopped = !sink(bytes.data(), bytes.size());
                                                 return !stopped;
                                             });
            if (!read) {
                readFailure = read.error().message;
                unavailable = read.error().kind == StorageError::Kind::Unavailable;
                return false;
            }
            if (stopped)
                return false;
        }
        return true;
    };
    auto written = open->write({0, combined.size, std::nullopt, readBody, false});
    if (readFailure) {
        m_logger.error("concatenation of " + combined.id + ": " + *readFailure);
        if (unavailable)
            return tl::unexpected(makeError(ErrorCode::StorageUnavailable,
                                            "the storage backend is unavailable; retry later"));
        return tl::unexpected(
            makeError(ErrorCode::Internal, "a partial upload could not be read back; try again"));
    }
    if (!written)
        return tl::unexpected(written.error());
    return {};
}

void UploadConcatenator::remove(const Session& partial) {
    // The object first: a row left behind is swept at its expiry, an object without a
    // row by nothing.
    if (auto removed = m_backend.removeObject(partial.staging.key); !removed) {
        m_logger.warn("partial upload " + partial.id + ": " + removed.error().message);
        return;
    }
    if (auto removed = m_store.remove(partial.id); !removed)
        m_logger.warn("partial upload " + partial.id + ": " + removed.error().message);
}

ApiResult<Session> UploadConcatenator::concatenate(const std::string& userId, InitRequest request,
                                                   const std::vector<std::string>& partialIds) {
    if (partialIds.empty() || partialIds.size() > kMaxPartials)
        return tl::unexpected(makeError(ErrorCode::BadRequest, "a final upload names 1 to " +
                                                                   std::to_string(kMaxPartials) +
                                                                   " partial uploads"));
    if (std::set<std::string>(partialIds.begin(), partialIds.end()).size() != partialIds.size())
        return tl::unexpected(
            makeError(ErrorCode::BadRequest, "a final upload names each partial upload once"));
    std::vector<Locked> partials;
    std::int64_t total = 0;
    for (const std::string& id : partialIds) {
        auto locked = lockPartial(userId, id);
        if (!locked)
            return tl::unexpected(locked.error());
        total += locked->session.size;
        partials.push_back(std::move(*locked));
    }
    request.size = total;
    request.partial = false;
    request.concatenatedFrom.clear();
    for (const std::string& id : partialIds)
        request.concatenatedFrom += (request.concatenatedFrom.empty() ? "" : " ") + id;
    auto combined = m_uploads.init(userId, request);
    if (!combined)
        return tl::unexpected(combined.error());
    auto done = append(userId, *combined, partials).and_then([&] {
        return m_uploads.complete(userId, combined->id, std::nullopt);
    });
    if (!done) {
        if (auto removed = m_uploads.abort(userId, combined->id); !removed)
            m_logger.warn("final upload " + combined->id + ": " + removed.error().message);
        return tl::unexpected(done.error());
    }
    for (const Locked& partial : partials)
        remove(partial.session);
    m_logger.info("session " + combined->id + " concatenated from " +
                  std::to_string(partials.size()) + " partial uploads");
    return done;
}

} // namespace hoist
