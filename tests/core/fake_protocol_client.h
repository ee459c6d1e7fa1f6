#pragma once

#include "protocol_client.h"

#include <QCoroTimer>

#include <chrono>
#include <optional>

// The protocol seam's fake: an in-memory server with one session, answering after a
// short delay (so jobs really suspend). `failNextChunks` makes chunks fail with a
// transient error; `serverAhead` makes the first chunk meet a 409; `finalizingPolls`
// keeps the session finalizing for that many status answers after complete();
// an empty `fileId` completes like tus, naming no file. Share links: `shareRequests` logs
// (fileId, expiresIn) of each request; `refuseShares` answers them 404 not_found. `down`
// makes every call, the health check included, fail as an unreachable server does;
// `initError` refuses createSession with that error.
class FakeProtocolClient final : public hoist::ProtocolClient {
  public:
    qint64 chunkSize = 1024;
    qint64 committed = 0;
    qint64 bytesReceived = 0;
    int failNextChunks = 0;
    qint64 serverAhead = 0;
    bool dedupHit = false;
    bool dedupChecked = true; // false: a protocol without a duplicate check (tus)
    int finalizingPolls = 0;
    QString fileId = QStringLiteral("file-1");
    std::chrono::milliseconds latency{5};
    QList<QPair<QString, std::optional<qint64>>> shareRequests;
    bool refuseShares = false;
    bool down = false;
    std::optional<hoist::ProtocolError> initError;
    int healthChecks = 0;

    QCoro::Task<hoist::Result<void>> checkHealth() override {
        co_await QCoro::sleepFor(latency);
        ++healthChecks;
        if (down)
            co_return unreachable();
        co_return hoist::Result<void>{};
    }
    QCoro::Task<hoist::Result<hoist::DedupResult>> dedup(QString, qint64) override {
        co_await QCoro::sleepFor(latency);
        co_return hoist::DedupResult{
            dedupHit, dedupHit ? QStringLiteral("known") : QString(), {}, dedupChecked};
    }
    QCoro::Task<hoist::Result<hoist::SessionStatus>>
    createSession(hoist::NewSession session) override {
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        if (initError)
            co_return tl::make_unexpected(*initError);
        m_size = session.size;
        committed = serverAhead;
        co_return hoist::SessionStatus{QStringLiteral("s1"), m_size, 0, chunkSize, {}, {}};
    }
    QCoro::Task<hoist::Result<hoist::SessionStatus>> sessionStatus(QString id) override {
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        if (!m_completing)
            co_return hoist::SessionStatus{
                id, m_size, committed, chunkSize, QStringLiteral("uploading"), {}};
        if (finalizingPolls > 0) {
            --finalizingPolls;
            co_return hoist::SessionStatus{
                id, m_size, committed, chunkSize, QStringLiteral("finalizing"), {}};
        }
        co_return hoist::SessionStatus{
            id, m_size, committed, chunkSize, QStringLiteral("completed"), fileId};
    }
    QCoro::Task<hoist::Result<qint64>> sendChunk(QString, qint64 offset, QByteArray bytes,
                                                 hoist::CancelToken*) override {
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        bytesReceived += bytes.size();
        if (failNextChunks > 0) {
            --failNextChunks;
            co_return tl::make_unexpected(error(hoist::ProtocolError::Kind::Network, 0));
        }
        if (offset != committed) {
            auto mismatch = error(hoist::ProtocolError::Kind::OffsetMismatch, 409);
            mismatch.uploadedBytes = committed;
            co_return tl::make_unexpected(mismatch);
        }
        committed += bytes.size();
        co_return committed;
    }
    QCoro::Task<hoist::Result<hoist::Completion>> complete(QString, QString) override {
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        m_completing = true;
        if (finalizingPolls > 0)
            co_return hoist::Completion{true, {}};
        co_return hoist::Completion{false, fileId};
    }
    QCoro::Task<hoist::Result<void>> abortSession(QString) override {
        co_await QCoro::sleepFor(latency);
        co_return hoist::Result<void>{};
    }

    QCoro::Task<hoist::Result<hoist::ShareLink>>
    createShareLink(QString file, std::optional<qint64> expiresIn) override {
        co_await QCoro::sleepFor(latency);
        shareRequests.append({file, expiresIn});
        if (refuseShares) {
            auto refused = error(hoist::ProtocolError::Kind::NotFound, 404);
            refused.message = QStringLiteral("no such file");
            co_return tl::make_unexpected(refused);
        }
        const qint64 lifetime = expiresIn.value_or(7 * 86400);
        co_return hoist::ShareLink{
            QStringLiteral("link-%1").arg(shareRequests.size()),
            QUrl(QStringLiteral("https://files.example.org/s/token-%1").arg(shareRequests.size())),
            QDateTime::fromSecsSinceEpoch(1'800'000'000 + lifetime, Qt::UTC)};
    }

  private:
    static tl::unexpected<hoist::ProtocolError> unreachable() {
        return tl::make_unexpected(error(hoist::ProtocolError::Kind::Network, 0));
    }
    static hoist::ProtocolError error(hoist::ProtocolError::Kind kind, int status) {
        hoist::ProtocolError e;
        e.kind = kind;
        e.httpStatus = status;
        e.message = QStringLiteral("injected");
        return e;
    }
    qint64 m_size = 0;
    bool m_completing = false;
};
