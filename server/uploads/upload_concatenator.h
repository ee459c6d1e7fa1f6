#pragma once

#include "logger.h"
#include "session_locker.h"
#include "session_store.h"
#include "storage_backend.h"
#include "upload_service.h"

#include <cstddef>
#include <string>
#include <vector>

namespace hoist {

// Makes a final upload out of partial ones (tus concatenation, docs/protocol.md "tus
// 1.0.0 in hoistd"). SHA-256 cannot be combined from the partials' digests, so the
// partials' assembled bytes are read back in order and appended to a new session
// through UploadService, which hashes and stages them like any upload (S3: whole parts,
// so the part rules hold whatever the partials' sizes); the session is then completed
// like a native one, and the partials are removed.
//
// All or nothing for the client: the partials are locked for the whole concatenation
// (so two finals cannot consume one partial), and on any failure the final session is
// removed and the partials stay as they were, ready for another attempt.
class UploadConcatenator final {
  public:
    UploadConcatenator(UploadService& uploads, SessionStore& store, StorageBackend& backend,
                       SessionLocker& locker, Logger& logger);

    // Bounds the locks one request holds.
    static constexpr std::size_t kMaxPartials = 256;

    // The final upload of `request` (its size is the partials' sum, set here) from the
    // user's complete partial uploads `partialIds`, each named once; the session after
    // completion (completed, or finalizing with a callback).
    ApiResult<Session> concatenate(const std::string& userId, InitRequest request,
                                   const std::vector<std::string>& partialIds);

  private:
    struct Locked {
        SessionLocker::Guard guard;
        Session session;
    };
    ApiResult<Locked> lockPartial(const std::string& userId, const std::string& id);
    ApiResult<void> append(const std::string& userId, const Session& combined,
                           const std::vector<Locked>& partials);
    void remove(const Session& partial);

    UploadService& m_uploads;
    SessionStore& m_store;
    StorageBackend& m_backend;
    SessionLocker& m_locker;
    Logger& m_logger;
};

} // namespace hoist
