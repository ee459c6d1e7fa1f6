#pragma once

#include "protocol_error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <QCoroTask>
#include <tl/expected.hpp>

namespace hoist {

class CancelToken;

template <typename T> using Result = tl::expected<T, ProtocolError>;

struct DedupResult {
    bool exists = false;
    QString fileId;
    QString fileName;
    // False when the protocol has no duplicate check (tus): nothing was asked, and
    // `exists` says nothing.
    bool checked = true;
};

struct NewSession {
    QString fileName;
    qint64 size = 0;
    QString mimeType;    // may be empty
    QString fingerprint; // lowercase hex SHA-256, may be empty
    // Chunks the client wants in flight at once (docs/protocol.md, "Parallel chunks");
    // 0 does not ask, and the session keeps the sequential contract.
    int parallelChunks = 0;
};

// A session as the server reports it (init answers a subset: state is then empty).
struct SessionStatus {
    QString sessionId; // the server's session id; for tus, the upload's absolute URL
    qint64 size = 0;
    qint64 uploadedBytes = 0;
    qint64 chunkSize = 0;
    QString state;  // uploading, finalizing, completed, failed
    QString fileId; // once completed, when the protocol names the file
    // The window the server granted (docs/protocol.md, "Parallel chunks"); 0 when the
    // session is sequential (not asked, or a server or protocol without the extension).
    int parallelChunks = 0;
    // Indexes (offset / chunkSize) of the chunks stored beyond uploadedBytes, ascending.
    QList<qint64> storedChunks;
};

// The server's answer to a stored chunk: its contiguous prefix and, in a parallel
// session, the chunks it holds beyond it (the acknowledged one may be among them).
struct ChunkAck {
    qint64 uploadedBytes = 0;
    QList<qint64> storedChunks;
};

// The server has the whole upload. A protocol may name the resulting file (hoist's
// own does) or not (tus): an empty fileId is a completed upload all the same.
struct Completion {
    bool finalizing = false; // still finalizing: poll sessionStatus() until completed
    QString fileId;
};

// A link that serves a file to anyone who has it, until it expires (docs/protocol.md,
// "Share links"). The URL is known only now: the server keeps a hash of it.
struct ShareLink {
    QString linkId;
    QUrl url;
    QDateTime expiresAt;
};

// The wire contract as the upload job sees it: one implementation per protocol
// (hoist's own, tus 1.0.0), each bound to one server and one token.
//
// Contract: all calls run on the caller's thread and never throw; failures are
// values. Parameters are taken by value because they live in coroutine frames.
// After the returned task completes, the implementation touches neither the
// caller nor the token, so a caller may be destroyed while a request is pending
// as long as it cancels first.
class ProtocolClient {
  public:
    virtual ~ProtocolClient() = default;

    // Whether a server of this protocol answers at all; needs no token.
    virtual QCoro::Task<Result<void>> checkHealth() = 0;
    // `cancel` may be null; the job cancels a preflight that runs beside its chunks.
    virtual QCoro::Task<Result<DedupResult>> dedup(QString fingerprint, qint64 size,
                                                   CancelToken* cancel) = 0;
    virtual QCoro::Task<Result<SessionStatus>> createSession(NewSession session) = 0;
    virtual QCoro::Task<Result<SessionStatus>> sessionStatus(QString sessionId) = 0;
    // Answers the server's new prefix and stored chunks. `cancel` may be null.
    virtual QCoro::Task<Result<ChunkAck>> sendChunk(QString sessionId, qint64 offset,
                                                    QByteArray bytes, CancelToken* cancel) = 0;
    virtual QCoro::Task<Result<Completion>> complete(QString sessionId, QString fingerprint) = 0;
    virtual QCoro::Task<Result<void>> abortSession(QString sessionId) = 0;
    // A new share link of a file the server named; no expiresIn: the server's default
    // lifetime. A protocol without share links (tus) keeps this default answer.
    virtual QCoro::Task<Result<ShareLink>> createShareLink(QString fileId,
                                                           std::optional<qint64> expiresIn) {
        Q_UNUSED(fileId);
        Q_UNUSED(expiresIn);
        ProtocolError error;
        error.kind = ProtocolError::Kind::BadRequest;
        error.message = QStringLiteral("this server's protocol has no share links");
        co_return tl::make_unexpected(error);
    }
};

} // namespace hoist
