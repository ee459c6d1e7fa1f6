#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace hoist {

// Where and how hoistd stores sessions on an S3-compatible service.
struct S3Config {
    // scheme://host[:port] (http or https); empty means AWS: https://s3.<region>.amazonaws.com
    std::string endpoint;
    std::string bucket;
    std::string region = "us-east-1";
    // Every key hoistd writes starts with this; reconciliation only ever aborts multipart
    // uploads under it, so a bucket can be shared with other applications. The default
    // needs no percent-encoding as a query value: moto_server (the test store) rebuilds
    // the canonical query from decoded values and so rejects the signature of any
    // ListMultipartUploads whose prefix or key-marker holds a '/'. AWS and the others
    // take any prefix.
    std::string prefix = "hoist-";
    // Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) URLs.
    // Unset: virtual-hosted on amazonaws.com, path-style elsewhere (MinIO, Garage, moto,
    // and IP-address endpoints only work path-style).
    std::optional<bool> pathStyle;
    // Empty: taken from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken;
    // PEM bundle to trust for an https endpoint with a private CA; empty: the system's.
    std::string caFile;
    // Attempts per S3 call for retryable failures (5xx, SlowDown, timeouts), with
    // exponential backoff and full jitter starting at retryBaseDelay.
    int maxAttempts = 5;
    std::chrono::milliseconds retryBaseDelay{200};
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds ioTimeout{60000};
    // reconcile() leaves multipart uploads initiated less than this long ago alone, by
    // S3's own clock: with several nodes on one bucket, another node may have begun one
    // and not yet recorded its session (docs/admin.md, "Running several nodes"). Zero
    // for one node, whose own recent uploads are known in memory.
    std::chrono::seconds foreignUploadGrace{0};
    // Problems the backend cannot return as a value (reconcile() runs in the sweeper).
    std::function<void(const std::string&)> warn;
};

} // namespace hoist
