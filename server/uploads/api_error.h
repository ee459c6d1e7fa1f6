#pragma once

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <string>

namespace hoist {

// Every error the API can answer with. Errors are data: the wire code lives in
// api_error.cpp and the HTTP status in http_status.cpp, each in one table.
enum class ErrorCode {
    Unauthorized,
    NotFound,
    BadRequest,
    TooLarge,        // init: size above the system maximum
    ExceedsSize,     // chunk: would push stored bytes past the declared size
    PayloadTooLarge, // a JSON body above the limit
    OffsetMismatch,
    Completed,
    Finalizing,
    SessionFailed,
    Incomplete,
    ChecksumMismatch,
    FingerprintMismatch,
    TypeNotAllowed,
    Locked,
    RangeNotSatisfiable,
    LengthRequired,
    StorageUnavailable,
    Unavailable,                 // the session store is busy or unreachable (Retry-After)
    TooManySessions,             // init: the user's open sessions are at --max-open-sessions
    QuotaExceeded,               // init: declared + stored bytes would pass --quota
    InsufficientStorage,         // the backend's disk is full; nothing committed is lost
    MethodNotAllowed,            // a route, but not for this method
    RequestTimeout,              // the request head did not arrive in time
    UriTooLong,                  // a request line above 8 KiB
    UnsupportedMediaType,        // a request Content-Encoding
    RequestHeaderFieldsTooLarge, // too many header lines or bytes
    UnsupportedVersion,          // tus: a missing or unsupported Tus-Resumable
    TusChecksumMismatch,         // tus: Upload-Checksum differs from the bytes; nothing stored
    Gone,                        // tus: the upload expired (ApiError::expired)
    FinalUpload,                 // tus: a PATCH to a final (concatenated) upload
    Internal,
};

struct ApiError {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    nlohmann::json extra = nlohmann::json::object(); // fields beside error/message
    // A NotFound for the user's own session that expired and is not swept yet: the
    // native face answers 404 alike, tus may say 410 (docs/protocol.md, "tus 1.0.0").
    bool expired = false;

    nlohmann::json body() const;
};

const char* wireCode(ErrorCode code);

ApiError makeError(ErrorCode code, std::string message);

template <typename T> using ApiResult = tl::expected<T, ApiError>;

} // namespace hoist
