#include "tus_protocol_client.h"

#include "tus_capabilities.h"

#include <QCryptographicHash>

#include <algorithm>

namespace hoist {

using Kind = ProtocolError::Kind;
using Reply = HttpTransport::Reply;

struct TusClientState {
    HttpTransport transport;
    qint64 chunkSize;
    std::optional<TusCapabilities> capabilities; // from the latest OPTIONS answer
};

namespace {

using State = std::shared_ptr<TusClientState>;

constexpr char kTusVersion[] = "1.0.0";

ProtocolError error(Kind kind, QString message, int status = 0) {
    ProtocolError result;
    result.kind = kind;
    result.httpStatus = status;
    result.message = std::move(message);
    return result;
}

// tus servers answer errors as plain text (if at all); the status decides the kind.
ProtocolError replyError(const Reply& reply) {
    ProtocolError result = ProtocolError::fromResponse(reply.status, {}, {});
    result.message = QString::fromUtf8(reply.body.left(200)).trimmed();
    switch (reply.status) {
    case 404:
    case 410:
        // tus 1.0.0: an upload that does not exist (any more) is 404, or 410 where the
        // server knows it expired or was terminated.
        result.kind = Kind::NotFound;
        result.message = QStringLiteral("the tus server no longer has this upload (%1)")
                             .arg(reply.status == 410 ? QStringLiteral("expired or terminated")
                                                      : QStringLiteral("unknown, expired or "
                                                                       "terminated"));
        break;
    case 412:
        result.kind = Kind::BadRequest;
        result.message =
            QStringLiteral("the server does not speak tus %1 (it speaks %2)")
                .arg(QLatin1String(kTusVersion), QString::fromLatin1(reply.header("Tus-Version")));
        break;
    case 460: // tus checksum extension: the body did not match Upload-Checksum
        result.kind = Kind::ChecksumMismatch;
        break;
    default:
        break;
    }
    return result;
}

bool isSuccess(const Reply& reply) {
    return reply.status >= 200 && reply.status < 300;
}

std::optional<qint64> headerInteger(const Reply& reply, const char* name) {
    bool ok = false;
    const qint64 value = reply.header(name).trimmed().toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

QUrl uploadUrl(const TusClientState& state, const QString& id) {
    QUrl base = state.transport.options().server;
    if (!base.path().endsWith(QLatin1Char('/')))
        base.setPath(base.path() + QLatin1Char('/'));
    return base.resolved(QUrl(id));
}

HttpTransport::Request tusRequest(const TusClientState& state, QByteArray verb, QUrl url) {
    HttpTransport::Request request;
    request.verb = std::move(verb);
    request.url = std::move(url);
    // tus 1.0.0: every request but OPTIONS names the version it speaks.
    if (request.verb != "OPTIONS")
        request.headers.append({QByteArray("Tus-Resumable"), QByteArray(kTusVersion)});
    // An open tus server needs no token; one behind ours takes it as a bearer token.
    request.authenticated = !state.transport.options().token.isEmpty();
    return request;
}

qint64 chunkSizeOf(const TusClientState& state) {
    const auto limit = state.capabilities ? state.capabilities->maxSize : std::nullopt;
    return std::min(state.chunkSize, limit.value_or(state.chunkSize));
}

// Upload-Metadata (tus 1.0.0, creation): comma-separated "key base64(value)" pairs.
QByteArray metadata(const NewSession& session) {
    QByteArray pairs = "filename " + session.fileName.toUtf8().toBase64();
    if (!session.mimeType.isEmpty())
        pairs += ",filetype " + session.mimeType.toUtf8().toBase64();
    return pairs;
}

QCoro::Task<Result<TusCapabilities>> fetchCapabilities(State state, bool authenticated) {
    if (state->capabilities)
        co_return *state->capabilities;
    auto request = tusRequest(*state, "OPTIONS", state->transport.options().server);
    request.authenticated = request.authenticated && authenticated;
    const auto reply = co_await state->transport.send(std::move(request));
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    if (!isSuccess(*reply))
        co_return tl::make_unexpected(replyError(*reply));
    const auto capabilities = TusCapabilities::fromHeaders(
        reply->header("Tus-Version"), reply->header("Tus-Extension"),
        reply->header("Tus-Checksum-Algorithm"), reply->header("Tus-Max-Size"));
    if (!capabilities)
        co_return tl::make_unexpected(
            error(Kind::InvalidResponse,
                  QStringLiteral("not a tus %1 server (its OPTIONS answer names no Tus-Version %1)")
                      .arg(QLatin1String(kTusVersion)),
                  reply->status));
    state->capabilities = capabilities;
    co_return *capabilities;
}

QCoro::Task<Result<SessionStatus>> head(State state, QString id) {
    const auto reply =
        co_await state->transport.send(tusRequest(*state, "HEAD", uploadUrl(*state, id)));
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    if (!isSuccess(*reply))
        co_return tl::make_unexpected(replyError(*reply));
    const auto offset = headerInteger(*reply, "Upload-Offset");
    if (!offset)
        co_return tl::make_unexpected(
            error(Kind::InvalidResponse, QStringLiteral("HEAD answer without Upload-Offset")));
    SessionStatus status;
    status.sessionId = id;
    status.uploadedBytes = *offset;
    // Unknown while the length is deferred (creation-defer-length): then not complete.
    const auto length = headerInteger(*reply, "Upload-Length");
    status.size = length.value_or(0);
    status.chunkSize = chunkSizeOf(*state);
    status.state =
        length && *offset >= *length ? QStringLiteral("completed") : QStringLiteral("uploading");
    co_return status;
}

QCoro::Task<Result<void>> health(State state) {
    // No token: the health check is the one call a probe makes before it has one.
    // It asks the server every time: an answer from the cache would tell the
    // ServerWatch that a server that went away is back.
    state->capabilities.reset();
    const auto capabilities = co_await fetchCapabilities(std::move(state), false);
    if (!capabilities)
        co_return tl::make_unexpected(capabilities.error());
    co_return Result<void>{};
}

QCoro::Task<Result<SessionStatus>> create(State state, NewSession session) {
    const auto capabilities = co_await fetchCapabilities(state, true);
    if (!capabilities)
        co_return tl::make_unexpected(capabilities.error());
    if (capabilities->maxSize && session.size > *capabilities->maxSize) {
        auto tooLarge =
            error(Kind::TooLarge, QStringLiteral("the tus server takes uploads of at most %1 bytes")
                                      .arg(*capabilities->maxSize));
        tooLarge.maxSize = capabilities->maxSize;
        co_return tl::make_unexpected(tooLarge);
    }
    auto request = tusRequest(*state, "POST", state->transport.options().server);
    request.headers.append({"Upload-Length", QByteArray::number(session.size)});
    request.headers.append({"Upload-Metadata", metadata(session)});
    const auto reply = co_await state->transport.send(std::move(request));
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    if (!isSuccess(*reply))
        co_return tl::make_unexpected(replyError(*reply));
    const QByteArray location = reply->header("Location");
    if (reply->status != 201 || location.isEmpty())
        co_return tl::make_unexpected(error(Kind::InvalidResponse,
                                            QStringLiteral("creation answer without Location"),
                                            reply->status));
    SessionStatus status;
    status.sessionId = uploadUrl(*state, QString::fromUtf8(location)).toString();
    status.size = session.size;
    status.uploadedBytes = headerInteger(*reply, "Upload-Offset").value_or(0);
    status.chunkSize = chunkSizeOf(*state);
    status.state = QStringLiteral("uploading");
    co_return status;
}

QCoro::Task<Result<ChunkAck>> patch(State state, QString id, qint64 offset, QByteArray bytes,
                                    CancelToken* cancel) {
    // After a restart the first call may be a PATCH: the checksum needs the capabilities.
    const auto capabilities = co_await fetchCapabilities(state, true);
    if (!capabilities)
        co_return tl::make_unexpected(capabilities.error());
    auto request = tusRequest(*state, "PATCH", uploadUrl(*state, id));
    request.contentType = "application/offset+octet-stream";
    request.headers.append({"Upload-Offset", QByteArray::number(offset)});
    if (capabilities->checksumSha256)
        request.headers.append(
            {"Upload-Checksum",
             "sha256 " + QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toBase64()});
    request.body = std::move(bytes);
    request.throttled = true;
    const auto reply = co_await state->transport.send(std::move(request), cancel);
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    if (isSuccess(*reply)) {
        const auto committed = headerInteger(*reply, "Upload-Offset");
        if (!committed)
            co_return tl::make_unexpected(
                error(Kind::InvalidResponse, QStringLiteral("PATCH answer without Upload-Offset")));
        co_return ChunkAck{*committed, {}};
    }
    if (reply->status != 409)
        co_return tl::make_unexpected(replyError(*reply));
    // tus 1.0.0: 409 means our offset is not the server's; a HEAD tells where it is.
    const auto status = co_await head(state, id);
    if (!status)
        co_return tl::make_unexpected(status.error());
    if (status->uploadedBytes == offset)
        co_return tl::make_unexpected(
            error(Kind::Locked,
                  QStringLiteral("the tus server refused the offset it reports (409)"), 409));
    auto mismatch = replyError(*reply);
    mismatch.uploadedBytes = status->uploadedBytes;
    co_return tl::make_unexpected(mismatch);
}

QCoro::Task<Result<Completion>> completion(State state, QString id) {
    // tus has no completion call: the upload is complete once its offset is its length.
    const auto status = co_await head(std::move(state), id);
    if (!status)
        co_return tl::make_unexpected(status.error());
    if (status->state != QLatin1String("completed")) {
        auto incomplete =
            error(Kind::Incomplete, QStringLiteral("the tus server has not every byte yet"));
        incomplete.uploadedBytes = status->uploadedBytes;
        co_return tl::make_unexpected(incomplete);
    }
    co_return Completion{};
}

QCoro::Task<Result<void>> terminate(State state, QString id) {
    const auto capabilities = co_await fetchCapabilities(state, true);
    if (!capabilities)
        co_return tl::make_unexpected(capabilities.error());
    // Without the termination extension the server expires the upload by itself.
    if (!capabilities->termination)
        co_return Result<void>{};
    const auto reply =
        co_await state->transport.send(tusRequest(*state, "DELETE", uploadUrl(*state, id)));
    if (!reply)
        co_return tl::make_unexpected(reply.error());
    if (!isSuccess(*reply) && reply->status != 404 && reply->status != 410)
        co_return tl::make_unexpected(replyError(*reply));
    co_return Result<void>{};
}

} // namespace

TusProtocolClient::TusProtocolClient(QNetworkAccessManager& network, Options options,
                                     BandwidthLimiter* limiter, qint64 chunkSize)
    : m_state(std::make_shared<TusClientState>(
          TusClientState{HttpTransport(network, std::move(options), limiter), chunkSize, {}})) {}

TusProtocolClient::~TusProtocolClient() = default;

QCoro::Task<Result<void>> TusProtocolClient::checkHealth() {
    return health(m_state);
}

QCoro::Task<Result<DedupResult>> TusProtocolClient::dedup(QString, qint64, CancelToken*) {
    DedupResult unchecked;
    unchecked.checked = false;
    co_return unchecked;
}

QCoro::Task<Result<SessionStatus>> TusProtocolClient::createSession(NewSession session) {
    return create(m_state, std::move(session));
}

QCoro::Task<Result<SessionStatus>> TusProtocolClient::sessionStatus(QString sessionId) {
    return head(m_state, std::move(sessionId));
}

QCoro::Task<Result<ChunkAck>> TusProtocolClient::sendChunk(QString sessionId, qint64 offset,
                                                           QByteArray bytes, CancelToken* cancel) {
    return patch(m_state, std::move(sessionId), offset, std::move(bytes), cancel);
}

QCoro::Task<Result<Completion>> TusProtocolClient::complete(QString sessionId, QString) {
    return completion(m_state, std::move(sessionId));
}

QCoro::Task<Result<void>> TusProtocolClient::abortSession(QString sessionId) {
    return terminate(m_state, std::move(sessionId));
}

} // namespace hoist
