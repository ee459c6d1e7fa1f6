#pragma once

#include "http_transport.h"
#include "protocol_client.h"

#include <memory>

namespace hoist {

struct TusClientState;

// tus 1.0.0 (https://tus.io/protocols/resumable-upload) over HTTP(S), against any tus
// server: creation (POST), HEAD to resume, PATCH, termination (DELETE), and the
// checksum extension (sha256) when the server's OPTIONS offers it. The session id
// is the upload's absolute URL, so a restarted app resumes from the job record.
// `Options::server` is the creation URL (e.g. https://example.org/files/); upload
// URLs and ids resolve against it as a folder.
//
// tus names no file and has no duplicate check: complete() answers an empty fileId,
// dedup() answers `checked = false` without asking.
class TusProtocolClient final : public ProtocolClient {
  public:
    using Options = HttpTransport::Options;

    // The largest PATCH body: the job holds one chunk in memory.
    static constexpr qint64 kChunkSize = 8 * 1024 * 1024;

    TusProtocolClient(QNetworkAccessManager& network, Options options,
                      BandwidthLimiter* limiter = nullptr, qint64 chunkSize = kChunkSize);
    ~TusProtocolClient() override;

    QCoro::Task<Result<void>> checkHealth() override;
    QCoro::Task<Result<DedupResult>> dedup(QString fingerprint, qint64 size,
                                           CancelToken* cancel) override;
    QCoro::Task<Result<SessionStatus>> createSession(NewSession session) override;
    QCoro::Task<Result<SessionStatus>> sessionStatus(QString sessionId) override;
    QCoro::Task<Result<ChunkAck>> sendChunk(QString sessionId, qint64 offset, QByteArray bytes,
                                            CancelToken* cancel) override;
    QCoro::Task<Result<Completion>> complete(QString sessionId, QString fingerprint) override;
    QCoro::Task<Result<void>> abortSession(QString sessionId) override;

  private:
    // Shared with the running calls, so that one which resumes after the client is
    // gone (see ProtocolClient's contract) still has what it touches.
    std::shared_ptr<TusClientState> m_state;
};

} // namespace hoist
