#include "http_protocol_client.h"

#include <QJsonDocument>

namespace hoist {

namespace {

using Kind = ProtocolError::Kind;

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
    status.parallelChunks = static_cast<int>(integer(json, "parallelChunks").value_or(0));
    status.storedChunks = storedChunksOf(json);
    return status;
}

QString sessionPath(const QString& sessionId) {
    return QStringLiteral("/upload/") + QString::fromLatin1(QUrl::toPercentEncoding(sessionId));
}

} // namespace

HttpProtocolClient::HttpProtocolClient(QNetworkAccessManager& network, Options options,
                                       BandwidthLimiter* limiter)
    : m_transport(network, std::move(options), limiter) {}

QCoro::Task<Result<HttpProtocolClient::Response>> HttpProtocolClient::perform(Request request,
                                                                              CancelToken* cancel) {
    QUrl url = m_transport.options().server;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + request.path);
    HttpTransport::Request exchange{request.verb,
                                    url,
                                    std::move(request.body),
                                    {},
                                    std::move(request.headers),
                                    request.throttled,
                                    request.authenticated};
    if (!exchange.body.isEmpty() || request.verb != "GET")
        exchange.contentType = request.contentType;
    const auto reply = co_await m_transport.send(std::move(exchange), cancel);
    // From here on, `this` may be gone (see ProtocolClient's contract): only locals.
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    const int status = reply->status;
    Response response;
    response.status = status;
    const QJsonDocument document = QJsonDocument::fromJson(reply->body);
    response.json = document.object();
    if (status >= 400) {
        ProtocolError error =
            ProtocolError::fromResponse(status, response.json, reply->header("X-Upload-Offset"));
        error.retryAfter = ProtocolError::parseRetryAfter(reply->header("Retry-After"),
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

QCoro::Task<Result<DedupResult>> HttpProtocolClient::dedup(QString fingerprint, qint64 size,
                                                           CancelToken* cancel) {
    const QJsonObject body{{"fingerprint", fingerprint}, {"size", size}};
    const auto response =
        co_await perform(Request("POST", QStringLiteral("/upload/dedup"), toJson(body)), cancel);
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
    if (session.parallelChunks > 0)
        body.insert(QStringLiteral("parallelChunks"), session.parallelChunks);
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

QCoro::Task<Result<ChunkAck>> HttpProtocolClient::sendChunk(QString sessionId, qint64 offset,
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
    co_return ChunkAck{*uploaded, storedChunksOf(response->json)};
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

QCoro::Task<Result<ShareLink>>
HttpProtocolClient::createShareLink(QString fileId, std::optional<qint64> expiresIn) {
    QJsonObject body;
    if (expiresIn)
        body.insert(QStringLiteral("expiresIn"), *expiresIn);
    const QString path = QStringLiteral("/files/") +
                         QString::fromLatin1(QUrl::toPercentEncoding(fileId)) +
                         QStringLiteral("/links");
    const auto response = co_await perform(Request("POST", path, toJson(body)));
    if (!response)
        co_return tl::make_unexpected(response.error());
    ShareLink link;
    link.linkId = response->json.value(QLatin1String("linkId")).toString();
    link.url = QUrl(response->json.value(QLatin1String("url")).toString(), QUrl::StrictMode);
    link.expiresAt = QDateTime::fromString(
        response->json.value(QLatin1String("expiresAt")).toString(), Qt::ISODate);
    if (link.linkId.isEmpty() || !link.url.isValid() || link.url.scheme().isEmpty() ||
        !link.expiresAt.isValid())
        co_return tl::make_unexpected(invalidResponse(QStringLiteral("malformed share link")));
    co_return link;
}

} // namespace hoist
