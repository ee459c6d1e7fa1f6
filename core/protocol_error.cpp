#include "protocol_error.h"

namespace hoist {

namespace {

using Kind = ProtocolError::Kind;

Kind kindOf(int status, const QString& code) {
    switch (status) {
    case 400:
        return Kind::BadRequest;
    case 401:
        return Kind::Unauthorized;
    case 404:
        return Kind::NotFound;
    case 409:
        if (code == QLatin1String("completed"))
            return Kind::Completed;
        if (code == QLatin1String("incomplete"))
            return Kind::Incomplete;
        return Kind::OffsetMismatch;
    case 413:
        return code == QLatin1String("exceeds_size") ? Kind::ExceedsSize : Kind::TooLarge;
    case 422:
        return code == QLatin1String("fingerprint_mismatch") ? Kind::FingerprintMismatch
                                                               : Kind::ChecksumMismatch;
    case 423:
        return Kind::Locked;
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
    error.kind = kindOf(status, error.code);
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
