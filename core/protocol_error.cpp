#include "protocol_error.h"

#include <QJsonArray>
#include <QLocale>
#include <QObject>
#include <QTimeZone>

#include <algorithm>

namespace hoist {

namespace {

using Kind = ProtocolError::Kind;

struct CodeKind {
    const char* code;
    Kind kind;
};

// docs/protocol.md's error table, plus the codes of docs/protocol.md's "Limits and overload".
constexpr CodeKind kCodes[] = {
    {"bad_request", Kind::BadRequest},
    {"unauthorized", Kind::Unauthorized},
    {"not_found", Kind::NotFound},
    {"offset_mismatch", Kind::OffsetMismatch},
    {"completed", Kind::Completed},
    {"finalizing", Kind::Finalizing},
    {"session_failed", Kind::SessionFailed},
    {"incomplete", Kind::Incomplete},
    {"length_required", Kind::LengthRequired},
    {"too_large", Kind::TooLarge},
    {"exceeds_size", Kind::ExceedsSize},
    {"payload_too_large", Kind::PayloadTooLarge},
    {"quota_exceeded", Kind::QuotaExceeded},
    {"range_not_satisfiable", Kind::RangeNotSatisfiable},
    {"checksum_mismatch", Kind::ChecksumMismatch},
    {"fingerprint_mismatch", Kind::FingerprintMismatch},
    {"type_not_allowed", Kind::TypeNotAllowed},
    {"locked", Kind::Locked},
    {"too_many_sessions", Kind::TooManySessions},
    {"unavailable", Kind::Unavailable},
    {"storage_unavailable", Kind::StorageUnavailable},
    {"insufficient_storage", Kind::InsufficientStorage},
    // Refusals of a request's form: a bug on our side, no retry fixes them.
    {"method_not_allowed", Kind::BadRequest},
    {"uri_too_long", Kind::BadRequest},
    {"unsupported_media_type", Kind::BadRequest},
    {"request_header_fields_too_large", Kind::BadRequest},
    // The request head came too slowly: a slow link, worth another try.
    {"request_timeout", Kind::Timeout},
    // The tus face's own codes: an expired upload is as gone as an unknown one, and a
    // protocol version the server does not speak is no retry's to fix; nor is a PATCH
    // to a final (concatenated) upload, which takes no bytes of its own.
    {"gone", Kind::NotFound},
    {"unsupported_version", Kind::BadRequest},
    {"final_upload", Kind::BadRequest},
};

std::optional<Kind> kindOfCode(const QString& code) {
    for (const CodeKind& entry : kCodes) {
        if (code == QLatin1String(entry.code))
            return entry.kind;
    }
    return std::nullopt;
}

// For answers without a code we know: a proxy's page, an older or another server.
Kind kindOfStatus(int status) {
    switch (status) {
    case 400:
        return Kind::BadRequest;
    case 401:
        return Kind::Unauthorized;
    case 404:
        return Kind::NotFound;
    case 409:
        return Kind::OffsetMismatch; // the offset handshake's status (tus uses it alone)
    case 411:
        return Kind::LengthRequired;
    case 413:
        return Kind::TooLarge;
    case 416:
        return Kind::RangeNotSatisfiable;
    case 423:
        return Kind::Locked;
    case 503:
        return Kind::Unavailable;
    case 507:
        return Kind::InsufficientStorage;
    default:
        return status >= 500 ? Kind::ServerError : Kind::UnexpectedStatus;
    }
}

std::optional<qint64> integerField(const QJsonObject& body, const char* name) {
    const QJsonValue value = body.value(QLatin1String(name));
    if (!value.isDouble())
        return std::nullopt;
    return static_cast<qint64>(value.toDouble());
}

} // namespace

QList<qint64> storedChunksOf(const QJsonObject& body) {
    QList<qint64> indexes;
    for (const QJsonValue& entry : body.value(QLatin1String("storedChunks")).toArray()) {
        if (entry.isDouble() && entry.toDouble() >= 0)
            indexes.append(static_cast<qint64>(entry.toDouble()));
    }
    return indexes;
}

QString formatSize(qint64 bytes) {
    // Whole units read as "64 MiB", others with one decimal ("1.5 GiB").
    qint64 unit = 1;
    while (unit <= bytes / 1024)
        unit *= 1024;
    return QLocale::c().formattedDataSize(bytes, bytes % unit == 0 ? 0 : 1);
}

ProtocolError ProtocolError::fromResponse(int status, const QJsonObject& body,
                                          const QByteArray& offsetHeader) {
    ProtocolError error;
    error.httpStatus = status;
    error.code = body.value(QLatin1String("error")).toString();
    error.message = body.value(QLatin1String("message")).toString();
    error.kind = kindOfCode(error.code).value_or(kindOfStatus(status));
    error.uploadedBytes = integerField(body, "uploadedBytes");
    if (!error.uploadedBytes && !offsetHeader.isEmpty()) {
        bool ok = false;
        const qint64 offset = offsetHeader.toLongLong(&ok);
        if (ok)
            error.uploadedBytes = offset;
    }
    error.maxSize = integerField(body, "maxSize");
    error.storedChunks = storedChunksOf(body);
    return error;
}

bool ProtocolError::isRetryable() const {
    switch (kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::Locked:
    // A limit that lifts by itself: other uploads complete, the dependency or the
    // space returns (docs/protocol.md: "the upload resumes when space returns").
    case Kind::TooManySessions:
    case Kind::Unavailable:
    case Kind::StorageUnavailable:
    case Kind::InsufficientStorage:
    case Kind::ServerError:
        return true;
    case Kind::UnexpectedStatus:
        return httpStatus == 408 || httpStatus == 429;
    default:
        return false;
    }
}

bool ProtocolError::isUnreachable() const {
    return kind == Kind::Network || kind == Kind::Timeout;
}

std::optional<std::chrono::seconds> ProtocolError::parseRetryAfter(const QByteArray& value,
                                                                   const QDateTime& now) {
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = text.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional(std::chrono::seconds(seconds));
    // An IMF-fixdate ("Wed, 02 Dec 2026 10:01:30 GMT"), the form HTTP sends; Qt's
    // RFC 2822 parser does not take the "GMT" zone name.
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(text),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    when.setTimeZone(QTimeZone::utc());
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::seconds(std::max<qint64>(0, now.secsTo(when)));
}

QString ProtocolError::describe() const {
    const auto orMessage = [this](QString fallback) {
        return message.isEmpty() ? fallback : message;
    };
    switch (kind) {
    case Kind::Cancelled:
        return QObject::tr("Stopped.");
    case Kind::Network:
        return orMessage(QObject::tr("The server cannot be reached."));
    case Kind::Timeout:
        return QObject::tr("The server stopped answering.");
    case Kind::Unauthorized:
        return QObject::tr("The server refused the access token; check the token in the "
                           "settings.");
    case Kind::TooLarge:
    case Kind::ExceedsSize:
        if (maxSize)
            return QObject::tr("The file is larger than this server accepts (at most %1).")
                .arg(formatSize(*maxSize));
        return QObject::tr("The file is larger than this server accepts.");
    case Kind::QuotaExceeded:
        return QObject::tr("Your storage space on the server is full; delete files there or "
                           "ask its administrator for more.");
    case Kind::TypeNotAllowed:
        return QObject::tr("The server does not accept files of this type.");
    case Kind::FingerprintMismatch:
    case Kind::ChecksumMismatch:
        return QObject::tr("The bytes the server received do not match the file; add it "
                           "again.");
    case Kind::SessionFailed:
        return QObject::tr("The server gave up on this upload; add the file again.");
    case Kind::TooManySessions:
        return QObject::tr("The server is busy with other uploads of yours.");
    case Kind::Locked:
        return QObject::tr("The server is still busy with the previous piece.");
    case Kind::Unavailable:
    case Kind::StorageUnavailable:
        return QObject::tr("The server is temporarily unavailable.");
    case Kind::InsufficientStorage:
        return QObject::tr("The server is out of disk space.");
    case Kind::ServerError:
        return QObject::tr("The server had an internal error.");
    default:
        break;
    }
    // A refusal we have no sentence for: a bug on one side, so the details help.
    const QString detail = message.isEmpty() ? code : message;
    if (httpStatus == 0)
        return QObject::tr("The server's answer was not understood (%1).").arg(detail);
    if (detail.isEmpty())
        return QObject::tr("The server refused the request (status %1).").arg(httpStatus);
    return QObject::tr("The server refused the request: %1 (status %2).")
        .arg(detail)
        .arg(httpStatus);
}

} // namespace hoist
