#include "library_finalizer.h"

#include "time_format.h"
#include "validation.h"

namespace hoist {

FinalizeOutcome LibraryFinalizer::finalize(const Session& session) {
    // A crash between recording the file and completing the session leaves a record
    // behind; finding it keeps the finalization idempotent.
    auto existing = m_catalog.findBySession(session.userId, session.id);
    if (!existing)
        return {FinalizeOutcome::Status::Retry, {}, existing.error().message};
    if (*existing)
        return {FinalizeOutcome::Status::Completed, (*existing)->fileId, {}};
    FileRecord record;
    record.fileId = newUuid();
    record.userId = session.userId;
    record.fileName = session.fileName;
    record.size = session.size;
    record.fingerprint = session.fingerprint;
    record.mimeType = session.mimeType.empty() ? session.detectedMimeType : session.mimeType;
    record.detectedMimeType = session.detectedMimeType;
    record.createdAt = nowSeconds();
    record.storageKey = session.staging.key;
    record.sessionId = session.id;
    if (auto ok = m_catalog.add(record); !ok)
        return {FinalizeOutcome::Status::Retry, {}, ok.error().message};
    return {FinalizeOutcome::Status::Completed, record.fileId, {}};
}

} // namespace hoist
