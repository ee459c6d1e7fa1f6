#pragma once

#include "http_client.h"
#include "s3_config.h"
#include "s3_error.h"
#include "sigv4_signer.h"

#include <tl/expected.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoist {

template <typename T> using S3Result = tl::expected<T, S3Error>;

struct S3Part {
    int number = 0;
    std::string etag; // as S3 sends it, quotes included
    std::int64_t size = 0;
};

struct S3Upload {
    std::string key;
    std::string uploadId;
    std::string initiated; // ISO 8601, as S3 sends it
};

// The dozen S3 calls hoistd uses, on one bucket, signed with SigV4. Thread-safe.
// Retryable failures are retried here, so callers see only final outcomes.
class S3Client final {
  public:
    // config must be complete: endpoint set, credentials resolved, pathStyle decided.
    explicit S3Client(const S3Config& config);

    S3Result<std::string> createMultipartUpload(const std::string& key);
    // Returns the part's ETag.
    S3Result<std::string> uploadPart(const std::string& key, const std::string& uploadId,
                                     int partNumber, std::string_view bytes);
    S3Result<void> completeMultipartUpload(const std::string& key, const std::string& uploadId,
                                           const std::vector<S3Part>& parts);
    S3Result<void> abortMultipartUpload(const std::string& key, const std::string& uploadId);
    // Every part, following S3's pages.
    S3Result<std::vector<S3Part>> listParts(const std::string& key, const std::string& uploadId,
                                            int pageSize = 1000);
    // The multipart uploads in progress under prefix, following S3's pages until atMost
    // are listed.
    S3Result<std::vector<S3Upload>> listMultipartUploads(const std::string& prefix,
                                                         std::size_t atMost = SIZE_MAX,
                                                         int pageSize = 1000);
    S3Result<void> putObject(const std::string& key, std::string_view bytes);
    // The object's size.
    S3Result<std::int64_t> headObject(const std::string& key);
    // Streams bytes [offset, offset + length) into sink; stops quietly when sink says so.
    S3Result<void> getObject(const std::string& key, std::int64_t offset, std::int64_t length,
                             const BodySink& sink);
    S3Result<void> deleteObject(const std::string& key);
    std::string presignGet(const std::string& key, std::chrono::seconds ttl,
                           std::chrono::system_clock::time_point now) const;

    const std::string& bucket() const { return m_bucket; }

  private:
    using Query = std::vector<std::pair<std::string, std::string>>;
    struct Call {
        std::string method;
        std::string key; // empty: the bucket itself
        Query query;
        HttpHeaders headers;
        std::string_view body;
    };

    S3Result<HttpResponse> send(const Call& call, const BodySink& sink = {});
    HttpRequest signedRequest(const Call& call, const std::string& payloadHash) const;
    std::string hostFor() const;
    std::string pathFor(const std::string& key) const;
    std::string urlFor(const std::string& key, const std::string& query) const;
    std::chrono::milliseconds backoff(int attempt) const;

    std::string m_scheme;
    std::string m_host; // host[:port] of the endpoint
    std::string m_bucket;
    bool m_pathStyle = true;
    int m_maxAttempts = 1;
    std::chrono::milliseconds m_retryBaseDelay;
    SigV4Signer m_signer;
    std::unique_ptr<HttpClient> m_http;
};

} // namespace hoist
