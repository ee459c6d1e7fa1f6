#include "s3_error.h"

#include "s3_xml.h"

#include <array>
#include <utility>

namespace hoist {
namespace {

using Code = S3Error::Code;

constexpr std::array<std::pair<std::string_view, Code>, 15> kCodes{{
    {"NoSuchUpload", Code::NoSuchUpload},
    {"NoSuchKey", Code::NoSuchKey},
    {"NoSuchBucket", Code::NoSuchBucket},
    {"EntityTooSmall", Code::EntityTooSmall},
    {"EntityTooLarge", Code::EntityTooLarge},
    {"InvalidPart", Code::InvalidPart},
    {"InvalidPartOrder", Code::InvalidPartOrder},
    {"AccessDenied", Code::AccessDenied},
    {"InvalidAccessKeyId", Code::InvalidAccessKeyId},
    {"SignatureDoesNotMatch", Code::SignatureDoesNotMatch},
    {"SlowDown", Code::SlowDown},
    {"InternalError", Code::InternalError},
    {"ServiceUnavailable", Code::ServiceUnavailable},
    {"RequestTimeout", Code::RequestTimeout},
    {"Transport", Code::Transport},
}};

// HEAD answers and some proxies carry no XML: the status alone has to name the error.
std::pair<Code, std::string_view> codeFromStatus(int status) {
    switch (status) {
    case 403:
        return {Code::AccessDenied, "AccessDenied"};
    case 404:
        return {Code::NoSuchKey, "NotFound"};
    case 500:
        return {Code::InternalError, "InternalError"};
    case 503:
        return {Code::ServiceUnavailable, "ServiceUnavailable"};
    default:
        return {Code::Other, "HttpError"};
    }
}

} // namespace

S3Error::Code S3Error::codeFromText(std::string_view codeText) {
    for (const auto& [text, code] : kCodes) {
        if (text == codeText) {
            return code;
        }
    }
    return Code::Other;
}

bool S3Error::retryable() const {
    switch (code) {
    case Code::SlowDown:
    case Code::InternalError:
    case Code::ServiceUnavailable:
    case Code::RequestTimeout:
    case Code::Transport:
        return true;
    default:
        return httpStatus >= 500;
    }
}

std::string S3Error::describe() const {
    std::string out = codeText;
    if (httpStatus != 0) {
        out += " (" + std::to_string(httpStatus) + ")";
    }
    if (!message.empty()) {
        out += ": " + message;
    }
    return out;
}

S3Error S3Error::fromResponse(int httpStatus, std::string_view body) {
    S3Error error;
    error.httpStatus = httpStatus;
    if (const auto codeText = s3xml::text(body, "Code")) {
        error.codeText = *codeText;
        error.code = codeFromText(*codeText);
        error.message = s3xml::text(body, "Message").value_or("");
        return error;
    }
    const auto [code, text] = codeFromStatus(httpStatus);
    error.code = code;
    error.codeText = text;
    return error;
}

S3Error S3Error::transport(std::string message) {
    S3Error error;
    error.code = Code::Transport;
    error.codeText = "Transport";
    error.message = std::move(message);
    return error;
}

S3Error S3Error::malformed(int httpStatus, std::string message) {
    S3Error error;
    error.httpStatus = httpStatus;
    error.codeText = "MalformedResponse";
    error.message = std::move(message);
    return error;
}

StorageError toStorageError(const S3Error& error, std::string_view context) {
    StorageError out;
    out.message = std::string(context) + ": " + error.describe();
    switch (error.code) {
    case Code::NoSuchUpload:
    case Code::NoSuchKey:
        out.kind = StorageError::Kind::NotFound;
        break;
    case Code::EntityTooSmall:
    case Code::EntityTooLarge:
    case Code::InvalidPart:
    case Code::InvalidPartOrder:
        out.kind = StorageError::Kind::Rejected;
        break;
    case Code::AccessDenied:
    case Code::InvalidAccessKeyId:
    case Code::SignatureDoesNotMatch:
    case Code::NoSuchBucket:
        out.kind = StorageError::Kind::Fatal;
        break;
    default:
        out.kind = error.retryable() ? StorageError::Kind::Unavailable : StorageError::Kind::Fatal;
    }
    return out;
}

} // namespace hoist
