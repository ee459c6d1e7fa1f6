#include "http_status.h"

namespace hoist {

int httpStatus(ErrorCode code) {
    switch (code) {
    case ErrorCode::BadRequest:
    // A chunked body where a length is required is malformed framing for us, answered
    // like the other framing refusals (docs/admin.md "Security"), not 411.
    case ErrorCode::LengthRequired:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::NotFound:
        return http::NotFound;
    case ErrorCode::OffsetMismatch:
    case ErrorCode::Completed:
    case ErrorCode::Finalizing:
    case ErrorCode::SessionFailed:
    case ErrorCode::Incomplete:
        return 409;
    case ErrorCode::TooLarge:
    case ErrorCode::ExceedsSize:
    case ErrorCode::PayloadTooLarge:
    case ErrorCode::QuotaExceeded:
        return 413;
    case ErrorCode::RangeNotSatisfiable:
        return 416;
    case ErrorCode::ChecksumMismatch:
    case ErrorCode::FingerprintMismatch:
    case ErrorCode::TypeNotAllowed:
        return 422;
    case ErrorCode::Locked:
        return 423;
    case ErrorCode::TooManySessions:
        return 429;
    case ErrorCode::StorageUnavailable:
    case ErrorCode::Unavailable:
        return 503;
    case ErrorCode::InsufficientStorage:
        return 507;
    case ErrorCode::MethodNotAllowed:
        return 405;
    case ErrorCode::RequestTimeout:
        return 408;
    case ErrorCode::UriTooLong:
        return 414;
    case ErrorCode::UnsupportedMediaType:
        return 415;
    case ErrorCode::RequestHeaderFieldsTooLarge:
        return 431;
    case ErrorCode::UnsupportedVersion:
        return 412;
    case ErrorCode::Gone:
        return 410;
    case ErrorCode::FinalUpload:
        return 403; // tus 1.0.0, concatenation
    case ErrorCode::TusChecksumMismatch:
        return 460; // tus 1.0.0, checksum extension
    case ErrorCode::Internal:
        return http::InternalError;
    }
    return http::InternalError;
}

} // namespace hoist
