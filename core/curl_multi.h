#pragma once

#include "http_transport.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>

class QSocketNotifier;

namespace hoist {

struct CurlTransfer;
struct CurlCallbacks;

// Request bodies sent by libcurl on the calling thread: one curl multi handle whose
// sockets and timer are watched by this thread's event loop (QSocketNotifier, QTimer),
// so a body goes from its QByteArray to the socket in large writes, with no other
// thread involved. QNetworkAccessManager forwards every body to its own thread 16 KiB
// at a time (bench/engine/README.md), which costs more CPU than the upload itself.
//
// The exchange is HttpTransport's: every status is an answer; a failed connection is
// a Network error, no byte moving for `idleTimeout` a Timeout (0: none), a cancelled
// token Cancelled, settled within CancelToken::cancel(). Finished connections stay open
// in the multi handle for the next exchange with the same host (HTTP/1.1 keep-alive).
class CurlMulti final : public QObject {
  public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // https servers must show a certificate that `trust` verifies: its CA certificates
    // when it has any, as Qt would; otherwise the system's.
    CurlMulti(const QSslConfiguration& trust, std::chrono::milliseconds idleTimeout);
    // Exchanges still pending end as Cancelled.
    ~CurlMulti() override;

    // `headers` go out as they are; curl adds Host and Content-Length. The body is read
    // from `body` itself, which the exchange holds until it ends. After the task
    // completes nothing here is touched, so the CurlMulti may be gone by then.
    QCoro::Task<Result<HttpTransport::Reply>> send(QByteArray verb, QUrl url, QByteArray body,
                                                   Headers headers, CancelToken* cancel);

  private:
    struct Watch {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
    };

    friend struct CurlCallbacks;

    void watch(qintptr socket, int what);
    void act(qintptr socket, int events);
    void finishDone();
    void abandon(CurlTransfer* transfer, ProtocolError error);
    void checkIdle(CurlTransfer* transfer);

    void* m_multi = nullptr; // the CURLM*; curl's headers stay in curl_multi.cpp
    QByteArray m_trustedPem;
    std::chrono::milliseconds m_idleTimeout;
    QTimer m_timer;
    QHash<qintptr, Watch> m_watches;
    QList<CurlTransfer*> m_pending;
};

} // namespace hoist
