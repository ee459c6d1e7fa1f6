#pragma once

#include "http_transport.h"
#include "protocol_client.h"

#include <QJsonObject>

namespace hoist {

// Hoist's own protocol (docs/protocol.md, version 1) over HTTP(S). Uses the injected
// QNetworkAccessManager of its thread (and libcurl for chunk bodies, see HttpTransport);
// chunk bodies go through the shared BandwidthLimiter when one is given.
class HttpProtocolClient final : public ProtocolClient {
  public:
    using Options = HttpTransport::Options;

    HttpProtocolClient(QNetworkAccessManager& network, Options options,
                       BandwidthLimiter* limiter = nullptr);

    QCoro::Task<Result<void>> checkHealth() override;
    QCoro::Task<Result<DedupResult>> dedup(QString fingerprint, qint64 size,
                                           CancelToken* cancel) override;
    QCoro::Task<Result<SessionStatus>> createSession(NewSession session) override;
    QCoro::Task<Result<SessionStatus>> sessionStatus(QString sessionId) override;
    QCoro::Task<Result<ChunkAck>> sendChunk(QString sessionId, qint64 offset, QByteArray bytes,
                                            CancelToken* cancel) override;
    QCoro::Task<Result<Completion>> complete(QString sessionId, QString fingerprint) override;
    QCoro::Task<Result<void>> abortSession(QString sessionId) override;
    QCoro::Task<Result<ShareLink>> createShareLink(QString fileId,
                                                   std::optional<qint64> expiresIn) override;

  private:
    struct Request {
        Request(QByteArray verb_, QString path_, QByteArray body_ = {})
            : verb(std::move(verb_)), path(std::move(path_)), body(std::move(body_)) {}
        QByteArray verb;
        QString path;
        QByteArray body;
        QByteArray contentType = "application/json";
        QList<QPair<QByteArray, QByteArray>> headers;
        bool throttled = false;
        bool authenticated = true;
    };
    struct Response {
        int status = 0;
        QJsonObject json;
    };

    QCoro::Task<Result<Response>> perform(Request request, CancelToken* cancel = nullptr);

    HttpTransport m_transport;
};

} // namespace hoist
