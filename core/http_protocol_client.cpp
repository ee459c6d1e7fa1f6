#include "http_protocol_client.h"

#include "bandwidth_limiter.h"
#include "cancel_token.h"
#include "throttled_body.h"

#include <QJsonDocument>
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

ProtocolError invalidResponse(const QString& what) {
    ProtocolError error;
    error.kind = Kind::InvalidResponse;
    error.message = what;
    return error;
}

QByteArray toJson(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<qint64> integer(const QJsonObject& json, const char* name) {
    const QJsonValue value = json.value(QLatin1String(name));
    if (!value.isDouble())
        return std::nullopt;
    return static_cast<qint64>(value.toDouble());
}

Result<SessionStatus> parseSession(const QJsonObject& json, QString fallbackId) {
    SessionStatus status;
    status.sessionId = json.value(QLatin1String("sessionId")).toString(fallbackId);
    const auto uploaded = integer(json, "uploadedBytes");
    const auto chunkSize = integer(json, "chunkSize");
    if (status.sessionId.isEmpty() || !uploaded || !chunkSize || *chunkSize <= 0)
        return tl::make_unexpected(invalidResponse(QStringLiteral("malformed session answer")));
    status.uploadedBytes = *uploaded;
    status.chunkSize = *chunkSize;
    status.size = integer(json, "size").value_or(0);
    status.state = json.value(QLatin1String("state")).toString();
    status.fileId = json.value(QLatin1String("fileId")).toString();
    return status;
}

QString sessionPath(const QString& sessionId) {
    return QStringLiteral("/upload/") + QString::fromLatin1(QUrl::toPercentEncoding(sessionId));
}

} // namespace

HttpProtocolClient::HttpProtocolClient(QNetworkAccessManager& network, Options options,
                                       BandwidthLimiter* limiter)
    : m_network(network), m_options(std::move(options)), m_limiter(limiter) {}

QNetworkRequest HttpProtocolClient::makeRequest(const Request& request) const {
    QUrl url = m_options.server;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + request.path);
    QNetworkRequest networkRequest(url);
    if (request.authenticated)
        networkRequest.setRawHeader("Authorization", "Bearer " + m_options.token.toUtf8());
    networkRequest.setTransferTimeout(static_cast<int>(m_options.transferTimeout.count()));
    if (url.scheme() == QLatin1String("https"))
        networkRequest.setSslConfiguration(m_options.ssl);
    if (!request.body.isEmpty() || request.verb != "GET")
        networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    for (const auto& [name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    return networkRequest;
}

QCoro::Task<Result<HttpProtocolClient::Response>> HttpProtocolClient::perform(Request request,
                                                                              CancelToken* cancel) {
    QNetworkRequest networkRequest = makeRequest(request);
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
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        co_return tl::make_unexpected(
            transportError(reply->error(), reply->errorString(), cancelledByUs));

    const QByteArray body = reply->readAll();
    Response response;
    response.status = status;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    response.json = document.object();
    if (status >= 400) {
        ProtocolError error =
            ProtocolError::fromResponse(status, response.json, reply->rawHeader("X-Upload-Offset"));
        error.retryAfter = ProtocolError::parseRetryAfter(reply->rawHeader("Retry-After"),
                                                          QDateTime::currentDateTimeUtc());
        co_return tl::make_unexpected(std::move(error));
    }
    if (status < 200 || status >= 300)
        co_return tl::make_unexpected(ProtocolError::fromResponse(status, {}, {}));
    if (status != 204 && !document.isObject())
        co_return tl::make_unexpected(
            invalidResponse(QStringLiteral("answer is not a JSON object")));
    co_return response;
}

QCoro::Task<Result<void>> HttpProtocolClient::checkHealth() {
    Request request("GET", QStringLiteral("/healthz"));
    request.authenticated = false; // docs/protocol.md: the one request that needs no token
    const auto response = co_await perform(std::move(request));
    if (!response)
        co_return tl::make_unexpected(response.error());
    if (response->json.value(QLatin1String("status")).toString() != QLatin1String("ok"))
        co_return tl::make_unexpected(
            invalidResponse(QStringLiteral("not a hoistd health answer")));
    co_return Result<void>{};
}

QCoro::Task<Result<DedupResult>> HttpProtocolClient::dedup(QString fingerprint, qint64 size) {
    const QJsonObject body{{"fingerprint", fingerprint}, {"size", size}};
    const auto response =
        co_await perform(Request("POST", QStringLiteral("/upload/dedup"), toJson(body)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    DedupResult result;
    result.exists = response->json.value(QLatin1String("exists")).toBool();
    result.fileId = response->json.value(QLatin1String("fileId")).toString();
    result.fileName = response->json.value(QLatin1String("fileName")).toString();
    if (result.exists && result.fileId.isEmpty())
        co_return tl::make_unexpected(invalidResponse(QStringLiteral("dedup hit without fileId")));
    co_return result;
}

QCoro::Task<Result<SessionStatus>> HttpProtocolClient::createSession(NewSession session) {
    QJsonObject body{{"fileName", session.fileName}, {"size", session.size}};
    if (!session.mimeType.isEmpty())
        body.insert(QStringLiteral("mimeType"), session.mimeType);
    if (!session.fingerprint.isEmpty())
        body.insert(QStringLiteral("fingerprint"), session.fingerprint);
    const auto response =
        co_await perform(Request("POST", QStringLiteral("/upload/init"), toJson(body)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    auto status = parseSession(response->json, {});
    if (status)
        status->size = session.size;
    co_return status;
}

QCoro::Task<Result<SessionStatus>> HttpProtocolClient::sessionStatus(QString sessionId) {
    const auto response = co_await perform(Request("GET", sessionPath(sessionId)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    co_return parseSession(response->json, sessionId);
}

QCoro::Task<Result<qint64>> HttpProtocolClient::sendChunk(QString sessionId, qint64 offset,
                                                          QByteArray bytes, CancelToken* cancel) {
    Request request("PUT", sessionPath(sessionId), std::move(bytes));
    request.contentType = "application/octet-stream";
    request.headers.append({"X-Upload-Offset", QByteArray::number(offset)});
    request.throttled = true;
    const auto response = co_await perform(std::move(request), cancel);
    if (!response)
        co_return tl::make_unexpected(response.error());
    const auto uploaded = integer(response->json, "uploadedBytes");
    if (!uploaded)
        co_return tl::make_unexpected(
            invalidResponse(QStringLiteral("chunk answer without uploadedBytes")));
    co_return *uploaded;
}

QCoro::Task<Result<Completion>> HttpProtocolClient::complete(QString sessionId,
                                                             QString fingerprint) {
    QJsonObject body;
    if (!fingerprint.isEmpty())
        body.insert(QStringLiteral("fingerprint"), fingerprint);
    const auto response = co_await perform(
        Request("POST", sessionPath(sessionId) + QStringLiteral("/complete"), toJson(body)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    Completion completion;
    completion.finalizing = response->status == 202;
    completion.fileId = response->json.value(QLatin1String("fileId")).toString();
    if (!completion.finalizing && completion.fileId.isEmpty())
        co_return tl::make_unexpected(invalidResponse(QStringLiteral("completion without fileId")));
    co_return completion;
}

QCoro::Task<Result<void>> HttpProtocolClient::abortSession(QString sessionId) {
    const auto response = co_await perform(Request("DELETE", sessionPath(sessionId)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    co_return Result<void>{};
}

} // namespace hoist
