#include "api_error.h"

namespace hoist {

const char* wireCode(ErrorCode code) {
    switch (code) {
    case ErrorCode::Unauthorized:
        return "unauthorized";
    case ErrorCode::NotFound:
        return "not_found";
    case ErrorCode::BadRequest:
        return "bad_request";
    case ErrorCode::TooLarge:
        return "too_large";
    case ErrorCode::ExceedsSize:
        return "exceeds_size";
    case ErrorCode::PayloadTooLarge:
        return "payload_too_large";
    case ErrorCode::OffsetMismatch:
        return "offset_mismatch";
    case ErrorCode::Completed:
        return "completed";
    case ErrorCode::Finalizing:
        return "finalizing";
    case ErrorCode::SessionFailed:
        return "session_failed";
    case ErrorCode::Incomplete:
        return "incomplete";
    case ErrorCode::ChecksumMismatch:
        return "checksum_mismatch";
    case ErrorCode::FingerprintMismatch:
        return "fingerprint_mismatch";
    case ErrorCode::TypeNotAllowed:
        return "type_not_allowed";
    case ErrorCode::Locked:
        return "locked";
    case ErrorCode::RangeNotSatisfiable:
        return "range_not_satisfiable";
    case ErrorCode::LengthRequired:
        return "length_required";
    case ErrorCode::StorageUnavailable:
        return "storage_unavailable";
    case ErrorCode::Unavailable:
        return "unavailable";
    case ErrorCode::TooManySessions:
        return "too_many_sessions";
    case ErrorCode::QuotaExceeded:
        return "quota_exceeded";
    case ErrorCode::InsufficientStorage:
        return "insufficient_storage";
    case ErrorCode::MethodNotAllowed:
        return "method_not_allowed";
    case ErrorCode::RequestTimeout:
        return "request_timeout";
    case ErrorCode::UriTooLong:
        return "uri_too_long";
    case ErrorCode::UnsupportedMediaType:
        return "unsupported_media_type";
    case ErrorCode::RequestHeaderFieldsTooLarge:
        return "request_header_fields_too_large";
    case ErrorCode::UnsupportedVersion:
        return "unsupported_version";
    case ErrorCode::TusChecksumMismatch:
        return "checksum_mismatch";
    case ErrorCode::Gone:
        return "gone";
    case ErrorCode::FinalUpload:
        return "final_upload";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

nlohmann::json ApiError::body() const {
    nlohmann::json out = extra.is_object() ? extra : nlohmann::json::object();
    out["error"] = wireCode(code);
    out["message"] = message;
    return out;
}

ApiError makeError(ErrorCode code, std::string message) {
    return ApiError{code, std::move(message), nlohmann::json::object(), false};
}

} // namespace hoist
