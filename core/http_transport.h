#pragma once

#include "protocol_client.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;

namespace hoist {

class BandwidthLimiter;
class CurlMulti;

// One HTTP(S) exchange for the protocol clients: the token, the TLS trust, the
// transfer timeout, the shared bandwidth limiter for bodies that ask for it, and
// aborting on a CancelToken. Every status is an answer; only the transport's own
// failures (no status at all) are errors. What a status means is the protocol's.
//
// Large bodies (chunks, PATCHes) go through libcurl on this thread (CurlMulti), the
// rest through the QNetworkAccessManager.
class HttpTransport final {
  public:
    // The smallest body sent through libcurl: chunks and PATCH bodies, not JSON.
    static constexpr qsizetype kCurlBodyMinimum = 256 * 1024;

    struct Options {
        QUrl server;
        QString token;
        // Used for https: the system CAs plus any the engine was told to trust.
        QSslConfiguration ssl;
        // No bytes moving for this long aborts a request (QNetworkRequest::setTransferTimeout).
        std::chrono::milliseconds transferTimeout{30000};
    };

    struct Request {
        QByteArray verb;
        QUrl url;
        QByteArray body;
        QByteArray contentType; // none when empty
        QList<QPair<QByteArray, QByteArray>> headers;
        bool throttled = false;    // the body goes through the bandwidth limiter
        bool authenticated = true; // sends the bearer token
    };

    struct Reply {
        int status = 0;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;

        // Empty when absent; names compare case-insensitively.
        QByteArray header(const QByteArray& name) const;
    };

    HttpTransport(QNetworkAccessManager& network, Options options,
                  BandwidthLimiter* limiter = nullptr);
    HttpTransport(HttpTransport&&) noexcept;
    ~HttpTransport();

    const Options& options() const { return m_options; }

    // Like ProtocolClient's calls: after the task completes nothing here is touched, so
    // the transport may be gone by then. `cancel` may be null.
    QCoro::Task<Result<Reply>> send(Request request, CancelToken* cancel = nullptr);

  private:
    QList<QPair<QByteArray, QByteArray>> headersOf(const Request& request) const;
    QCoro::Task<Result<Reply>> sendByNetwork(Request request, CancelToken* cancel);

    QNetworkAccessManager& m_network;
    Options m_options;
    QPointer<BandwidthLimiter> m_limiter;
    std::unique_ptr<CurlMulti> m_curl; // made with the first large body
};

} // namespace hoist
