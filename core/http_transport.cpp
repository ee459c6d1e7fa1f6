#include "http_transport.h"

#include "bandwidth_limiter.h"
#include "cancel_token.h"
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

QCoro::Task<Result<HttpTransport::Reply>> HttpTransport::send(Request request,
                                                              CancelToken* cancel) {
    QNetworkRequest networkRequest(request.url);
    if (request.authenticated)
        networkRequest.setRawHeader("Authorization", "Bearer " + m_options.token.toUtf8());
    networkRequest.setTransferTimeout(static_cast<int>(m_options.transferTimeout.count()));
    if (request.url.scheme() == QLatin1String("https"))
        networkRequest.setSslConfiguration(m_options.ssl);
    if (!request.contentType.isEmpty())
        networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    for (const auto& [name, value] : request.headers)
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
    co_return answer;
}

} // namespace hoist
