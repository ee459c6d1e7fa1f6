#include "http_transport.h"

#include "bandwidth_limiter.h"
#include "cancel_token.h"
#include "curl_multi.h"
#include "throttled_body.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <QCoroNetworkReply>

namespace hoist {

namespace {

using Kind = ProtocolError::Kind;

ProtocolError transportError(QNetworkReply::NetworkError code, const QString& text,
                             bool cancelledByUs) {
    ProtocolError error;
    if (cancelledByUs)
        error.kind = Kind::Cancelled;
    else if (code == QNetworkReply::OperationCanceledError || code == QNetworkReply::TimeoutError)
        error.kind = Kind::Timeout; // only the transfer timeout aborts a reply we did not
    else
        error.kind = Kind::Network;
    error.message = text;
    return error;
}

} // namespace

QByteArray HttpTransport::Reply::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpTransport::HttpTransport(QNetworkAccessManager& network, Options options,
                             BandwidthLimiter* limiter)
    : m_network(network), m_options(std::move(options)), m_limiter(limiter) {}

HttpTransport::HttpTransport(HttpTransport&&) noexcept = default;
HttpTransport::~HttpTransport() = default;

QList<QPair<QByteArray, QByteArray>> HttpTransport::headersOf(const Request& request) const {
    QList<QPair<QByteArray, QByteArray>> headers;
    if (request.authenticated)
        headers.append({"Authorization", "Bearer " + m_options.token.toUtf8()});
    if (!request.contentType.isEmpty())
        headers.append({"Content-Type", request.contentType});
    headers.append(request.headers);
    return headers;
}

QCoro::Task<Result<HttpTransport::Reply>> HttpTransport::send(Request request,
                                                              CancelToken* cancel) {
    // A limited rate keeps the body in QNAM, where ThrottledBody applies the shared
    // limiter: at such rates its 16 KiB forwarding costs nothing that matters.
    const bool limited = request.throttled && m_limiter && m_limiter->isLimited();
    if (request.body.size() < kCurlBodyMinimum || limited)
        return sendByNetwork(std::move(request), cancel);
    if (!m_curl)
        m_curl = std::make_unique<CurlMulti>(m_options.ssl, m_options.transferTimeout);
    auto headers = headersOf(request);
    return m_curl->send(std::move(request.verb), std::move(request.url), std::move(request.body),
                        std::move(headers), cancel);
}

QCoro::Task<Result<HttpTransport::Reply>> HttpTransport::sendByNetwork(Request request,
                                                                       CancelToken* cancel) {
    QNetworkRequest networkRequest(request.url);
    networkRequest.setTransferTimeout(static_cast<int>(m_options.transferTimeout.count()));
    if (request.url.scheme() == QLatin1String("https"))
        networkRequest.setSslConfiguration(m_options.ssl);
    for (const auto& [name, value] : headersOf(request))
        networkRequest.setRawHeader(name, value);

    QNetworkReply* reply = nullptr;
    if (request.throttled && m_limiter && m_limiter->isLimited()) {
        networkRequest.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        networkRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto* body = new ThrottledBody(request.body, m_limiter);
        reply = m_network.sendCustomRequest(networkRequest, request.verb, body);
        body->setParent(reply);
    } else {
        reply = m_network.sendCustomRequest(networkRequest, request.verb, request.body);
    }
    QPointer<CancelToken> token(cancel);
    QMetaObject::Connection abortOnCancel;
    if (token) {
        if (token->isCancelled())
            reply->abort();
        else
            abortOnCancel =
                QObject::connect(token, &CancelToken::cancelled, reply, &QNetworkReply::abort);
    }

    co_await reply;
    // From here on, `this` may be gone (see ProtocolClient's contract): only locals.
    QObject::disconnect(abortOnCancel);
    reply->deleteLater();
    const bool cancelledByUs = cancel && (!token || token->isCancelled());
    Reply answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (answer.status == 0)
        co_return tl::make_unexpected(
            transportError(reply->error(), reply->errorString(), cancelledByUs));
    answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    // The connection broke inside the answer (a server killed while it wrote one): Qt
    // gives the status it read and the body so far. That is a lost connection to retry,
    // not an answer to read.
    const QVariant declared = reply->header(QNetworkRequest::ContentLengthHeader);
    if (reply->error() != QNetworkReply::NoError && declared.isValid() &&
        answer.body.size() < declared.toLongLong())
        co_return tl::make_unexpected(
            transportError(reply->error(), reply->errorString(), cancelledByUs));
    co_return answer;
}

} // namespace hoist
