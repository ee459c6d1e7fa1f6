#pragma once

#include "storage_backend.h"

#include <string>
#include <string_view>

namespace hoist {

// One failed S3 call, as data: S3's error code (from the error XML, or derived from
// the status or the transport failure), so callers branch on a name and not on text.
struct S3Error {
    enum class Code {
        NoSuchUpload,
        NoSuchKey,
        NoSuchBucket,
        EntityTooSmall,
        EntityTooLarge,
        InvalidPart,
        InvalidPartOrder,
        AccessDenied,
        InvalidAccessKeyId,
        SignatureDoesNotMatch,
        SlowDown,
        InternalError,
        ServiceUnavailable,
        RequestTimeout,
        Transport, // no HTTP answer at all (connect, TLS, timeout)
        Other,
    };

    Code code = Code::Other;
    int httpStatus = 0;   // 0 for Transport
    std::string codeText; // S3's own <Code>, kept for messages and logs
    std::string message;

    // Worth another attempt: S3 asks for it (5xx, SlowDown, RequestTimeout) or the
    // request never got an answer.
    bool retryable() const;
    // "NoSuchBucket (404): The specified bucket does not exist".
    std::string describe() const;

    // From a non-2xx answer (or a 200 whose body is an <Error>, which
    // CompleteMultipartUpload may send).
    static S3Error fromResponse(int httpStatus, std::string_view body);
    static S3Error transport(std::string message);
    // A 2xx answer that does not say what S3 would have said.
    static S3Error malformed(int httpStatus, std::string message);
    static Code codeFromText(std::string_view codeText);
};

// How the storage seam sees an S3 failure.
StorageError toStorageError(const S3Error& error, std::string_view context);

} // namespace hoist
