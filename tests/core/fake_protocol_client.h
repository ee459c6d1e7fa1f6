#pragma once

#include "protocol_client.h"

#include <QCoroTimer>

#include <chrono>
#include <optional>

// The protocol seam's fake: an in-memory server with one session, answering after a
// short delay (so jobs really suspend). `failNextChunks` makes chunks fail with a
// transient error; `serverAhead` makes the first chunk meet a 409; `finalizingPolls`
// keeps the session finalizing for that many status answers after complete();
// an empty `fileId` completes like tus, naming no file. `down` makes every call,
// the health check included, fail as an unreachable server does; `initError`
// refuses createSession with that error.
class FakeProtocolClient final : public hoist::ProtocolClient {
  public:
    qint64 chunkSize = 1024;
    qint64 committed = 0;
    qint64 bytesReceived = 0;
    int failNextChunks = 0;
    qint64 serverAhead = 0;
    bool dedupHit = false;
    int finalizingPolls = 0;
    QString fileId = QStringLiteral("file-1");
    std::chrono::milliseconds latency{5};
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
        co_return hoist::DedupResult{dedupHit, dedupHit ? QStringLiteral("known") : QString(), {}};
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
