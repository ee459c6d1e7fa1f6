#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace hoist {

// One typed error for every failure docs/protocol.md names, plus the transport's own.
// `message` is the server's human text when it sent one.
struct ProtocolError {
    enum class Kind {
        Cancelled,           // we aborted the request (pause, remove, shutdown)
        Network,             // connection refused, reset, TLS failure...
        Timeout,             // no progress within the transfer timeout
        InvalidResponse,     // a 2xx we cannot parse
        BadRequest,          // 400 bad_request
        Unauthorized,        // 401 unauthorized
        NotFound,            // 404 not_found: unknown, expired, deleted or foreign
        OffsetMismatch,      // 409 offset_mismatch, carries uploadedBytes
        Completed,           // 409 completed
        Finalizing,          // 409 finalizing: the bytes are in, the server is finalizing
        SessionFailed,       // 409 session_failed: the session can never complete
        Incomplete,          // 409 incomplete, carries uploadedBytes
        LengthRequired,      // length_required (400; 411 from other servers)
        TooLarge,            // 413 too_large at init, carries maxSize
        ExceedsSize,         // 413 exceeds_size on a chunk
        PayloadTooLarge,     // 413 payload_too_large
        QuotaExceeded,       // 413 quota_exceeded at init
        RangeNotSatisfiable, // 416 range_not_satisfiable
        ChecksumMismatch,    // 422 checksum_mismatch
        FingerprintMismatch, // 422 fingerprint_mismatch
        TypeNotAllowed,      // 422 type_not_allowed
        Locked,              // 423 locked
        TooManySessions,     // 429 too_many_sessions at init
        Unavailable,         // 503 unavailable: a dependency (database, S3) is down
        StorageUnavailable,  // 503 storage_unavailable
        InsufficientStorage, // 507 insufficient_storage
        ServerError,         // any other 5xx
        UnexpectedStatus,    // anything else
    };

    Kind kind = Kind::Network;
    int httpStatus = 0;
    QString code;    // the body's "error" field
    QString message; // the body's "message", or the transport's error text
    std::optional<qint64> uploadedBytes;
    // 409 offset_mismatch of a parallel session: the chunks stored beyond uploadedBytes
    // (docs/protocol.md, "Parallel chunks"); how a client learns that a chunk whose
    // answer it lost is stored.
    QList<qint64> storedChunks;
    std::optional<qint64> maxSize;
    // The answer's Retry-After (docs/protocol.md: 503 unavailable carries one).
    std::optional<std::chrono::seconds> retryAfter;

    // Built from a non-2xx answer: the body's "error" code decides (docs/protocol.md's
    // table), the status only when the code is missing or unknown, because one status
    // carries several codes (409 is five of them). `offsetHeader` is X-Upload-Offset.
    static ProtocolError fromResponse(int status, const QJsonObject& body,
                                      const QByteArray& offsetHeader);

    // Retry-After as docs/protocol.md allows it: delay-seconds or an HTTP date
    // (counted from `now`). Nothing for an empty or unreadable value.
    static std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray& value,
                                                               const QDateTime& now);

    // Transient faults: backing off and asking again may succeed.
    bool isRetryable() const;
    // No answer at all (refused, reset, timed out, no such host): the server's health
    // check tells when it is back, sooner than any backoff.
    bool isUnreachable() const;
    // One sentence for a person: what went wrong and, for what a retry cannot fix, what
    // to do next. Sizes in MiB/GiB; the server's own words only where we have none.
    QString describe() const;
};

// The "storedChunks" array of an answer (docs/protocol.md, "Parallel chunks"): the
// chunk indexes in it; empty when absent. Entries that are no index are left out.
QList<qint64> storedChunksOf(const QJsonObject& body);

// A size for a person: binary units (KiB, MiB, GiB), no needless decimals.
QString formatSize(qint64 bytes);

} // namespace hoist
