#pragma once

#include "protocol_client.h"

#include "cancel_token.h"

#include <QCoroTimer>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <set>

// The protocol seam's fake: an in-memory server with one session, answering after a
// short delay (so jobs really suspend). `failNextChunks` makes chunks fail with a
// transient error; `serverAhead` makes the first chunk meet a 409; `finalizingPolls`
// keeps the session finalizing for that many status answers after complete();
// an empty `fileId` completes like tus, naming no file. Share links: `shareRequests` logs
// (fileId, expiresIn) of each request; `refuseShares` answers them 404 not_found. `down`
// makes every call, the health check included, fail as an unreachable server does;
// `initError` refuses createSession with that error.
//
// Parallel chunks (docs/protocol.md): `grantWindow` > 0 grants min(asked, grantWindow)
// to a createSession that asks, and chunks are then taken in any order within the
// window; `chunkLatency` (when set) gives each chunk offset its own delay, so answers
// come back out of order. `loseAnswers` stores those offsets but answers them as a lost
// connection (once each); `failStatusCalls` fails that many sessionStatus calls.
// `resumeSession` makes the fake hold a session from an earlier run. A request whose
// CancelToken was cancelled before its answer stores nothing (`abortedChunks`).
//
// What the job said: the fingerprint sent at createSession and at complete, the dedup
// calls (and how many chunks had been sent before the first), the sessions aborted.
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
    int grantWindow = 0;
    std::function<std::chrono::milliseconds(qint64 offset)> chunkLatency;
    std::set<qint64> loseAnswers;
    int failStatusCalls = 0;
    int askedWindow = -1; // what the last createSession asked; -1: none made
    QList<qint64> sentOffsets;
    int inFlight = 0;
    int maxInFlight = 0;
    int conflicts = 0;
    int abortedChunks = 0;
    QString initFingerprint;
    QString completeFingerprint;
    int dedupCalls = 0;
    qsizetype chunksBeforeDedup = -1;
    int sessionAborts = 0;

    void resumeSession(qint64 size, int window, qint64 prefix, std::set<qint64> stored) {
        m_size = size;
        m_window = window;
        committed = prefix;
        m_stored = std::move(stored);
    }

    QCoro::Task<hoist::Result<void>> checkHealth() override {
        co_await QCoro::sleepFor(latency);
        ++healthChecks;
        if (down)
            co_return unreachable();
        co_return hoist::Result<void>{};
    }
    QCoro::Task<hoist::Result<hoist::DedupResult>> dedup(QString, qint64,
                                                         hoist::CancelToken*) override {
        if (dedupCalls++ == 0)
            chunksBeforeDedup = sentOffsets.size();
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
        initFingerprint = session.fingerprint;
        committed = serverAhead;
        askedWindow = session.parallelChunks;
        m_window = session.parallelChunks > 0 ? std::min(session.parallelChunks, grantWindow) : 0;
        co_return hoist::SessionStatus{
            QStringLiteral("s1"), m_size, 0, chunkSize, {}, {}, m_window, {}};
    }
    QCoro::Task<hoist::Result<hoist::SessionStatus>> sessionStatus(QString id) override {
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        if (failStatusCalls > 0) {
            --failStatusCalls;
            co_return unreachable();
        }
        hoist::SessionStatus status{
            id, m_size,   committed,   chunkSize, QStringLiteral("uploading"),
            {}, m_window, storedList()};
        if (m_completing && finalizingPolls > 0) {
            --finalizingPolls;
            status.state = QStringLiteral("finalizing");
        } else if (m_completing) {
            status.state = QStringLiteral("completed");
            status.fileId = fileId;
        }
        co_return status;
    }
    QCoro::Task<hoist::Result<hoist::ChunkAck>> sendChunk(QString, qint64 offset, QByteArray bytes,
                                                          hoist::CancelToken* cancel) override {
        sentOffsets.append(offset);
        maxInFlight = std::max(maxInFlight, ++inFlight);
        // Named: g++ 12 mishandles a conditional's temporaries within a co_await.
        const std::chrono::milliseconds delay = chunkLatency ? chunkLatency(offset) : latency;
        co_await QCoro::sleepFor(delay);
        --inFlight;
        if (down)
            co_return unreachable();
        if (cancel && cancel->isCancelled()) {
            ++abortedChunks;
            co_return tl::make_unexpected(error(hoist::ProtocolError::Kind::Cancelled, 0));
        }
        bytesReceived += bytes.size();
        if (failNextChunks > 0) {
            --failNextChunks;
            co_return tl::make_unexpected(error(hoist::ProtocolError::Kind::Network, 0));
        }
        if (!accepts(offset)) {
            ++conflicts;
            auto mismatch = error(hoist::ProtocolError::Kind::OffsetMismatch, 409);
            mismatch.uploadedBytes = committed;
            mismatch.storedChunks = storedList();
            co_return tl::make_unexpected(mismatch);
        }
        if (m_window > 1) {
            m_stored.insert(offset / chunkSize);
            while (m_stored.count(committed / chunkSize) > 0) {
                m_stored.erase(committed / chunkSize);
                committed = std::min(committed + chunkSize, m_size);
            }
        } else {
            committed += bytes.size();
        }
        if (loseAnswers.erase(offset) > 0)
            co_return tl::make_unexpected(error(hoist::ProtocolError::Kind::Network, 0));
        co_return hoist::ChunkAck{committed, storedList()};
    }
    QCoro::Task<hoist::Result<hoist::Completion>> complete(QString, QString fingerprint) override {
        completeFingerprint = fingerprint;
        co_await QCoro::sleepFor(latency);
        if (down)
            co_return unreachable();
        m_completing = true;
        if (finalizingPolls > 0)
            co_return hoist::Completion{true, {}};
        co_return hoist::Completion{false, fileId};
    }
    QCoro::Task<hoist::Result<void>> abortSession(QString) override {
        ++sessionAborts;
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
    // docs/protocol.md: a sequential session takes its prefix only; a window, any
    // chunk boundary within it that is not stored yet.
    bool accepts(qint64 offset) const {
        if (m_window <= 1)
            return offset == committed;
        return offset % chunkSize == 0 && offset >= committed &&
               offset < committed + m_window * chunkSize && m_stored.count(offset / chunkSize) == 0;
    }
    QList<qint64> storedList() const { return QList<qint64>(m_stored.begin(), m_stored.end()); }
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
    int m_window = 0;
    std::set<qint64> m_stored;
};
