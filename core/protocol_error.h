#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace hoist {

// One typed error for every failure PROTOCOL.md names, plus the transport's own.
// `message` is the server's human text when it sent one.
struct ProtocolError {
    enum class Kind {
        Cancelled,           // we aborted the request (pause, remove, shutdown)
        Network,             // connection refused, reset, TLS failure...
        Timeout,             // no progress within the transfer timeout
        InvalidResponse,     // a 2xx we cannot parse
        Unauthorized,        // 401
        NotFound,            // 404: unknown, expired, deleted or foreign
        BadRequest,          // 400
        TooLarge,            // 413 too_large at init
        ExceedsSize,         // 413 exceeds_size on a chunk
        OffsetMismatch,      // 409 offset_mismatch, carries uploadedBytes
        Completed,           // 409 completed
        Incomplete,          // 409 incomplete, carries uploadedBytes
        ChecksumMismatch,    // 422 checksum_mismatch
        FingerprintMismatch, // 422 fingerprint_mismatch
        Locked,              // 423
        ServerError,         // 5xx
        UnexpectedStatus,    // anything else
    };

    Kind kind = Kind::Network;
    int httpStatus = 0;
    QString code;    // the body's "error" field
    QString message; // the body's "message", or the transport's error text
    std::optional<qint64> uploadedBytes;
    std::optional<qint64> maxSize;

    // Built from a non-2xx answer; `offsetHeader` is X-Upload-Offset when present.
    static ProtocolError fromResponse(int status, const QJsonObject& body,
                                      const QByteArray& offsetHeader);

    // Transient faults: backing off and asking again may succeed.
    bool isRetryable() const;
    // One line for a person: the server's message when there is one.
    QString describe() const;
};

} // namespace hoist
