#include "s3_client.h"

#include "s3_xml.h"

#include <algorithm>
#include <random>
#include <thread>

namespace hoist {
namespace {

constexpr std::chrono::milliseconds kMaxBackoff{10000};

std::string joinQuery(const std::vector<std::pair<std::string, std::string>>& query) {
    std::string out;
    for (const auto& [name, value] : query) {
        out += out.empty() ? "" : "&";
        out += SigV4Signer::uriEncode(name, true) + '=' + SigV4Signer::uriEncode(value, true);
    }
    return out;
}

std::int64_t toInt64(const std::optional<std::string>& text) {
    if (!text) {
        return 0;
    }
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return 0;
    }
}

} // namespace

S3Client::S3Client(const S3Config& config)
    : m_bucket(config.bucket), m_pathStyle(config.pathStyle.value_or(true)),
      m_maxAttempts(std::max(1, config.maxAttempts)), m_retryBaseDelay(config.retryBaseDelay),
      m_signer({config.accessKeyId, config.secretAccessKey, config.sessionToken}, config.region,
               "s3") {
    const auto schemeEnd = config.endpoint.find("://");
    m_scheme = config.endpoint.substr(0, schemeEnd);
    m_host = config.endpoint.substr(schemeEnd + 3);
    while (!m_host.empty() && m_host.back() == '/') {
        m_host.pop_back();
    }
    HttpClientOptions options;
    options.caFile = config.caFile;
    options.connectTimeout = config.connectTimeout;
    options.ioTimeout = config.ioTimeout;
    m_http = std::make_unique<HttpClient>(options);
}

std::string S3Client::hostFor() const {
    return m_pathStyle ? m_host : m_bucket + '.' + m_host;
}

std::string S3Client::pathFor(const std::string& key) const {
    if (m_pathStyle) {
        return "/" + m_bucket + (key.empty() ? "" : "/" + key);
    }
    return "/" + key;
}

std::string S3Client::urlFor(const std::string& key, const std::string& query) const {
    std::string url = m_scheme + "://" + hostFor() + SigV4Signer::uriEncode(pathFor(key), false);
    if (!query.empty()) {
        url += '?' + query;
    }
    return url;
}

HttpRequest S3Client::signedRequest(const Call& call, const std::string& payloadHash) const {
    const auto now = std::chrono::system_clock::now();
    SigV4Request toSign;
    toSign.method = call.method;
    toSign.path = pathFor(call.key);
    toSign.query = call.query;
    toSign.payloadHash = payloadHash;
    toSign.headers = call.headers;
    toSign.headers.emplace_back("host", hostFor());
    toSign.headers.emplace_back("x-amz-date", SigV4Signer::amzDate(now));
    toSign.headers.emplace_back("x-amz-content-sha256", payloadHash);
    if (!m_signer.credentials().sessionToken.empty()) {
        toSign.headers.emplace_back("x-amz-security-token", m_signer.credentials().sessionToken);
    }
    const SigV4Signature signature = m_signer.sign(toSign, now);

    HttpRequest request;
    request.method = call.method;
    request.url = urlFor(call.key, joinQuery(call.query));
    request.headers = std::move(toSign.headers);
    request.headers.emplace_back("Authorization", signature.authorization);
    request.body = call.body;
    return request;
}

std::chrono::milliseconds S3Client::backoff(int attempt) const {
    // Full jitter (AWS's recommendation): many clients retrying at once spread out.
    thread_local std::mt19937 random{std::random_device{}()};
    const auto ceiling =
        std::min<std::int64_t>(kMaxBackoff.count(), m_retryBaseDelay.count() << attempt);
    return std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(
        ceiling / 2, std::max<std::int64_t>(ceiling, 1))(random));
}

S3Result<HttpResponse> S3Client::send(const Call& call, const BodySink& sink) {
    // The payload is signed (not UNSIGNED-PAYLOAD) so that S3 itself rejects a part
    // damaged on the way; hashing 8 MiB costs a few milliseconds.
    const std::string payloadHash = SigV4Signer::sha256Hex(call.body);
    std::int64_t delivered = 0;
    const BodySink counting = [&](std::span<const char> bytes) {
        delivered += static_cast<std::int64_t>(bytes.size());
        return sink(bytes);
    };
    S3Error last;
    for (int attempt = 0; attempt < m_maxAttempts; ++attempt) {
        if (attempt > 0) {
            std::this_thread::sleep_for(backoff(attempt));
        }
        // Signed anew each time: the signature carries the time.
        const HttpRequest request = signedRequest(call, payloadHash);
        auto response = m_http->request(request, sink ? counting : BodySink{});
        if (!response) {
            last = S3Error::transport(response.error().message);
        } else if (response->status >= 200 && response->status < 300 &&
                   s3xml::elements(response->body, "Error").empty()) {
            return std::move(*response);
        } else {
            last = S3Error::fromResponse(response->status, response->body);
        }
        // Bytes already handed to a sink cannot be taken back.
        if (!last.retryable() || delivered > 0) {
            break;
        }
    }
    return tl::unexpected(last);
}

S3Result<std::string> S3Client::createMultipartUpload(const std::string& key) {
    auto response = send({"POST", key, {{"uploads", ""}}, {}, {}});
    if (!response) {
        return tl::unexpected(response.error());
    }
    auto uploadId = s3xml::text(response->body, "UploadId");
    if (!uploadId || uploadId->empty()) {
        return tl::unexpected(S3Error::malformed(response->status, "no UploadId in the answer"));
    }
    return *uploadId;
}

S3Result<std::string> S3Client::uploadPart(const std::string& key, const std::string& uploadId,
                                           int partNumber, std::string_view bytes) {
    auto response = send({"PUT",
                          key,
                          {{"partNumber", std::to_string(partNumber)}, {"uploadId", uploadId}},
                          {},
                          bytes});
    if (!response) {
        return tl::unexpected(response.error());
    }
    return response->header("ETag").value_or("");
}

S3Result<void> S3Client::completeMultipartUpload(const std::string& key,
                                                 const std::string& uploadId,
                                                 const std::vector<S3Part>& parts) {
    std::string body = "<CompleteMultipartUpload>";
    for (const S3Part& part : parts) {
        body += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>" +
                s3xml::escape(part.etag) + "</ETag></Part>";
    }
    body += "</CompleteMultipartUpload>";
    return send(
               {"POST", key, {{"uploadId", uploadId}}, {{"content-type", "application/xml"}}, body})
        .map([](const HttpResponse&) {});
}

S3Result<void> S3Client::abortMultipartUpload(const std::string& key, const std::string& uploadId) {
    return send({"DELETE", key, {{"uploadId", uploadId}}, {}, {}}).map([](const HttpResponse&) {});
}

S3Result<std::vector<S3Part>> S3Client::listParts(const std::string& key,
                                                  const std::string& uploadId, int pageSize) {
    std::vector<S3Part> parts;
    std::string marker;
    while (true) {
        Query query{{"uploadId", uploadId}, {"max-parts", std::to_string(pageSize)}};
        if (!marker.empty()) {
            query.emplace_back("part-number-marker", marker);
        }
        auto response = send({"GET", key, std::move(query), {}, {}});
        if (!response) {
            return tl::unexpected(response.error());
        }
        for (const std::string_view part : s3xml::elements(response->body, "Part")) {
            parts.push_back({static_cast<int>(toInt64(s3xml::text(part, "PartNumber"))),
                             s3xml::text(part, "ETag").value_or(""),
                             toInt64(s3xml::text(part, "Size"))});
        }
        const std::string next = s3xml::text(response->body, "NextPartNumberMarker").value_or("");
        if (s3xml::text(response->body, "IsTruncated") != "true" || next.empty() ||
            next == marker) {
            return parts;
        }
        marker = next;
    }
}

S3Result<std::vector<S3Upload>> S3Client::listMultipartUploads(const std::string& prefix,
                                                               std::size_t atMost, int pageSize) {
    std::vector<S3Upload> uploads;
    std::string keyMarker;
    std::string uploadIdMarker;
    while (true) {
        Query query{{"uploads", ""}, {"max-uploads", std::to_string(pageSize)}};
        if (!prefix.empty()) {
            query.emplace_back("prefix", prefix);
        }
        if (!keyMarker.empty()) {
            query.emplace_back("key-marker", keyMarker);
            query.emplace_back("upload-id-marker", uploadIdMarker);
        }
        auto response = send({"GET", "", std::move(query), {}, {}});
        if (!response) {
            return tl::unexpected(response.error());
        }
        for (const std::string_view upload : s3xml::elements(response->body, "Upload")) {
            uploads.push_back({s3xml::text(upload, "Key").value_or(""),
                               s3xml::text(upload, "UploadId").value_or(""),
                               s3xml::text(upload, "Initiated").value_or("")});
        }
        const std::string nextKey = s3xml::text(response->body, "NextKeyMarker").value_or("");
        const std::string nextId = s3xml::text(response->body, "NextUploadIdMarker").value_or("");
        if (uploads.size() >= atMost || s3xml::text(response->body, "IsTruncated") != "true" ||
            nextKey.empty() || (nextKey == keyMarker && nextId == uploadIdMarker)) {
            return uploads;
        }
        keyMarker = nextKey;
        uploadIdMarker = nextId;
    }
}

S3Result<void> S3Client::putObject(const std::string& key, std::string_view bytes) {
    return send({"PUT", key, {}, {}, bytes}).map([](const HttpResponse&) {});
}

S3Result<std::int64_t> S3Client::headObject(const std::string& key) {
    return send({"HEAD", key, {}, {}, {}}).map([](const HttpResponse& response) {
        return toInt64(response.header("Content-Length"));
    });
}

S3Result<void> S3Client::getObject(const std::string& key, std::int64_t offset, std::int64_t length,
                                   const BodySink& sink) {
    if (length <= 0) {
        return {};
    }
    const std::string range =
        "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1);
    // Every S3-compatible store honours Range; the cut only guards the sink against
    // one that sends more than asked.
    std::int64_t remaining = length;
    auto response =
        send({"GET", key, {}, {{"range", range}}, {}}, [&](std::span<const char> bytes) {
            const auto take =
                std::min<std::int64_t>(remaining, static_cast<std::int64_t>(bytes.size()));
            remaining -= take;
            return sink(bytes.first(static_cast<std::size_t>(take))) &&
                   take == static_cast<std::int64_t>(bytes.size());
        });
    if (!response) {
        return tl::unexpected(response.error());
    }
    if (response->status != 206 && offset != 0) {
        return tl::unexpected(
            S3Error::malformed(response->status, "the store ignored the Range header"));
    }
    return {};
}

S3Result<void> S3Client::deleteObject(const std::string& key) {
    return send({"DELETE", key, {}, {}, {}}).map([](const HttpResponse&) {});
}

std::string S3Client::presignGet(const std::string& key, std::chrono::seconds ttl,
                                 std::chrono::system_clock::time_point now) const {
    SigV4Request request;
    request.method = "GET";
    request.path = pathFor(key);
    request.headers.emplace_back("host", hostFor());
    return urlFor(key, m_signer.presignQuery(request, now, ttl));
}

} // namespace hoist
