#include "protocol_error.h"

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

QString ProtocolError::describe() const {
    QString text = message;
    if (text.isEmpty())
        text = code;
    if (httpStatus == 0)
        return text.isEmpty() ? QStringLiteral("network error") : text;
    if (text.isEmpty())
        return QStringLiteral("HTTP %1").arg(httpStatus);
    return QStringLiteral("HTTP %1: %2").arg(httpStatus).arg(text);
}

} // namespace hoist
